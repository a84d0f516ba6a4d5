"""Forms of the contract page: generate, deliver, sign, amend."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, VersionedForm

from ..contract_terms import PRICE_UNITS


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


class ContractDeliverForm(VersionedForm):
    delivered_on = forms.DateField(label=_("Remis le"), widget=DateInput, initial=dates.today)


class ContractSignForm(VersionedForm):
    signed_on = forms.DateField(label=_("Signé le"), widget=DateInput, initial=dates.today)
    by_person = forms.BooleanField(label=_("Signé par la personne"), required=False)
    representative = forms.ModelChoiceField(
        label=_("Signé par son représentant (proche)"),
        queryset=None,
        required=False,
        to_field_name="public_id",
    )

    field_order = ["signed_on", "by_person", "representative", "version"]

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = contacts


class ContractAmendForm(ContractGenerateForm):
    effective_on = forms.DateField(label=_("Prend effet le"), widget=DateInput)
    description = forms.CharField(
        label=_("Objet de l'avenant"), widget=forms.Textarea(attrs={"rows": 4})
    )

    field_order = ["effective_on", "description", "price_lines"]
