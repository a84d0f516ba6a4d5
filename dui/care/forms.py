from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, RadioSelect, VersionedForm

from .models import Allergy


class AllergyForm(forms.ModelForm):
    class Meta:
        model = Allergy
        fields = ("substance", "kind", "is_intolerance", "severity", "reaction", "noted_on")
        widgets = {"noted_on": DateInput, "kind": RadioSelect, "severity": RadioSelect}
        help_texts = {
            "substance": _("Ex. : pénicilline, arachide, latex. Un nom par saisie."),
            "is_intolerance": _(
                "Cochez pour une intolérance (ex. : lactose) : elle s'affiche à part des allergies."
            ),
            "reaction": _("Ex. : urticaire, œdème de Quincke, troubles digestifs."),
        }

    def clean_noted_on(self):
        value = self.cleaned_data.get("noted_on")
        if value and value > dates.today():
            raise forms.ValidationError(_("Cette date ne peut être dans le futur."))
        return value


class AllergyErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi cette saisie est-elle une erreur ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle reste lisible dans l'historique, barrée, avec ce motif."),
    )
