"""Forms of the welcome checklist: tick several items in one go, undo one with a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput

from ..models import WelcomeItem


class WelcomeTickForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Étapes faites"),
        choices=WelcomeItem.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une étape de l'accueil.")},
    )
    done_on = forms.DateField(label=_("Faites le"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)

    def __init__(self, *args, pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pending is not None:
            self.fields["items"].choices = [
                (c, label) for c, label in WelcomeItem.choices if c in pending
            ]


class WelcomeUntickForm(forms.Form):
    item = forms.ChoiceField(choices=WelcomeItem.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Motif"),
        max_length=300,
        error_messages={"required": _("Dites pourquoi cette étape est décochée.")},
    )
