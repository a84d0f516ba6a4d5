"""Forms of the "Administratif" tab. They check input and show messages next to the fields;
the services (`administrative.py`) check again and write."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput, version_field

from . import nir
from .administrative import (
    ADMINISTRATIVE_FILE_FIELDS,
    MIN_ERROR_REASON,
    SOCIAL_AID_FIELDS,
    constraint_message,
)
from .models import AdministrativeFile, InsuranceScheme, SocialAid, validate_nir

POSTCODE = re.compile(r"^[0-9]{5}$")


def _date_widget():
    return DateInput()


def optional_version_field() -> forms.IntegerField:
    """The version the form was read at; empty when there was no row yet (the first save of
    the administrative file, a new aid). The services require it for an existing row."""
    field = version_field()
    field.required = False
    return field


class EuroAmountField(forms.DecimalField):
    """An amount typed the French way: "1 234,56", "1234,56 €" or "1234.56"."""

    def to_python(self, value):
        if isinstance(value, str):
            for char in (" ", "\u00a0", "\u202f", "€"):
                value = value.replace(char, "")
            value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if value is None or value == "" or isinstance(value, str):
            return value
        return f"{value:.2f}".replace(".", ",")


class AdministrativeFileForm(forms.ModelForm):
    expected_version = optional_version_field()
    insured_number = forms.CharField(
        label=capfirst(AdministrativeFile._meta.get_field("insured_number").verbose_name),
        help_text=AdministrativeFile._meta.get_field("insured_number").help_text,
        required=False,
        max_length=30,  # spaces as printed on the carte Vitale are accepted, then removed
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = AdministrativeFile
        fields = ADMINISTRATIVE_FILE_FIELDS
        widgets = {
            "previous_postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "pattern": "[0-9]{5}", "autocomplete": "off"}
            ),
        }

    def __init__(self, *args, gp_choices, **kwargs):
        super().__init__(*args, **kwargs)
        gp = self.fields["general_practitioner"]
        gp.queryset = gp_choices
        gp.to_field_name = "public_id"  # no sequential keys in pages
        gp.empty_label = _("— non renseigné —")
        self.fields["scheme"].choices = [("", _("— non renseigné —")), *InsuranceScheme.choices]
        gp.help_text = _("Médecins généralistes de l'annuaire des partenaires de votre organisme.")
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version
            self.initial["insured_number"] = nir.format_nir(self.instance.insured_number)

    def clean_insured_number(self) -> str:
        value = nir.compact(self.cleaned_data.get("insured_number") or "")
        validate_nir(value)
        return value

    def clean_previous_postcode(self) -> str:
        value = (self.cleaned_data.get("previous_postcode") or "").strip()
        if value and not POSTCODE.match(value):
            raise ValidationError(
                constraint_message(AdministrativeFile, "administrative_postcode_5_digits")
            )
        return value

    def _post_clean(self):
        # The service validates the model (and its constraints) under its own lock; the form
        # does not touch `self.instance`, which stays as it was read.
        pass

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in ADMINISTRATIVE_FILE_FIELDS}


class SocialAidForm(forms.ModelForm):
    expected_version = optional_version_field()

    class Meta:
        model = SocialAid
        fields = SOCIAL_AID_FIELDS
        field_classes = {"monthly_amount": EuroAmountField}
        widgets = {
            "decision_on": _date_widget(),
            "starts_on": _date_widget(),
            "ends_on": _date_widget(),
            "monthly_amount": forms.TextInput(attrs={"inputmode": "decimal"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monthly_amount"].help_text = _("Ex. : 1 234,56")
        if self.instance.pk:
            self.fields["expected_version"].required = True  # a change says what it changes
            if not self.is_bound:
                self.initial["expected_version"] = self.instance.version

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", constraint_message(SocialAid, "social_aid_end_after_start"))
        amount = data.get("monthly_amount")
        if amount is not None and amount < 0:
            self.add_error(
                "monthly_amount",
                constraint_message(SocialAid, "social_aid_amount_not_negative"),
            )
        return data

    def _post_clean(self):
        pass  # see AdministrativeFileForm._post_clean

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in SOCIAL_AID_FIELDS}


class EnteredInErrorForm(forms.Form):
    expected_version = version_field()
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        min_length=MIN_ERROR_REASON,
        max_length=SocialAid._meta.get_field("entered_in_error_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("L'aide reste visible, barrée, avec ce motif."),
    )
