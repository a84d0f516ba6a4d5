"""Forms of the waiting list: a manual rank, the establishment's priority rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core.forms import VersionedForm

from ..models import WaitingCriterion
from .fields import setting_version_field


class WaitingRankForm(VersionedForm):
    rank = forms.IntegerField(
        label=_("Rang"),
        min_value=1,
        required=False,
        help_text=_("Laissez vide pour retirer le rang manuel."),
    )
    reason = forms.CharField(label=_("Motif"), max_length=300)


class WaitingListPolicyForm(forms.Form):
    """Criteria in the order they apply; empty positions are skipped."""

    local_postcodes = forms.CharField(
        label=_("Codes postaux du territoire"),
        required=False,
        max_length=200,
        help_text=_("Débuts de codes postaux séparés par des virgules, ex. : 69, 01700."),
    )
    version = setting_version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *WaitingCriterion.choices]
        positions = range(1, len(WaitingCriterion.values) + 1)
        for position in positions:
            self.fields[f"criterion_{position}"] = forms.ChoiceField(
                label=_("Critère n° %(n)s") % {"n": position}, choices=choices, required=False
            )
        self.order_fields([f"criterion_{n}" for n in positions] + ["local_postcodes", "version"])

    def criteria(self) -> list[str]:
        return [
            self.cleaned_data[f"criterion_{n}"]
            for n in range(1, len(WaitingCriterion.values) + 1)
            if self.cleaned_data.get(f"criterion_{n}")
        ]
