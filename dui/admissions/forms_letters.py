"""Forms of the letters, letter templates and contract pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput

from .letters import PRICE_UNITS
from .models import LetterKind

APPLICATION_LETTERS = [(k, label) for k, label in LetterKind.choices if k != LetterKind.CONTRACT]


class LetterGenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Courrier"), choices=APPLICATION_LETTERS)


class LetterTemplateForm(forms.Form):
    title = forms.CharField(label=_("Titre (objet du courrier)"), max_length=150)
    body = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 18, "aria-describedby": "variables-help"}),
        strip=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ContractGenerateForm(forms.Form):
    price_lines = forms.CharField(
        label=_("Tarifs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "price-help"}),
        help_text=_("Un tarif par ligne : libellé ; montant en euros ; jour ou mois."),
    )

    def clean_price_lines(self):
        lines = []
        for number, raw in enumerate(self.cleaned_data["price_lines"].splitlines(), start=1):
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.split(";")]
            if len(parts) != 3 or parts[2] not in PRICE_UNITS:
                raise ValidationError(
                    _("Ligne %(n)s : écrivez « libellé ; montant ; jour » ou « … ; mois ».")
                    % {"n": number}
                )
            lines.append({"label": parts[0], "amount": parts[1], "unit": parts[2]})
        return lines


class ContractDeliverForm(forms.Form):
    delivered_on = forms.DateField(
        label=_("Remis le"), widget=DateInput, initial=timezone.localdate
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContractSignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signé le"), widget=DateInput, initial=timezone.localdate)
    by_person = forms.BooleanField(label=_("Signé par la personne"), required=False)
    representative = forms.ModelChoiceField(
        label=_("Signé par son représentant (proche)"), queryset=None, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, contacts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = contacts


class ContractAmendForm(forms.Form):
    effective_on = forms.DateField(label=_("Prend effet le"), widget=DateInput)
    description = forms.CharField(
        label=_("Objet de l'avenant"), widget=forms.Textarea(attrs={"rows": 4})
    )
    price_lines = ContractGenerateForm.base_fields["price_lines"]
    clean_price_lines = ContractGenerateForm.clean_price_lines
