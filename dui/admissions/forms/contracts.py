"""Forms of the contract page: generate (lines of the price list in force, by checkbox),
deliver, refuse (→ DIPC), director's signature, minor's opinion, signature of the parties,
amendment; the attestation of the personne de confiance information and the consent interview;
and the direction's price list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, VersionedForm, version_field
from dui.core.money import EuroAmountField, format_amount

from ..models import (
    ConsentOutcome,
    ContractRefusalBy,
    InterviewAttendee,
    PriceKind,
    PriceUnit,
    TrustedPersonInfoExemption,
)


def version_from_zero() -> forms.IntegerField:
    """The version a form was read at, 0 when there was no row yet (first save)."""
    field = version_field()
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages=field.error_messages
    )


class PriceLineChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, line):
        return f"{line.label} — {format_amount(line.amount)} {line.get_unit_display()}"


class ContractGenerateForm(forms.Form):
    price_lines = PriceLineChoice(
        label=_("Tarifs de la grille en vigueur à la date d'entrée"),
        queryset=None,
        required=False,
        to_field_name="public_id",
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_lines"].queryset = lines
        if not self.is_bound:
            self.initial["price_lines"] = [line.public_id for line in lines]


class ContractDeliverForm(VersionedForm):
    delivered_on = forms.DateField(label=_("Remis le"), widget=DateInput, initial=dates.today)


class ContractRefuseForm(VersionedForm):
    refused_on = forms.DateField(label=_("Refus exprimé le"), widget=DateInput, initial=dates.today)
    refused_by = forms.ChoiceField(label=_("Par"), choices=ContractRefusalBy.choices)
    note = forms.CharField(
        label=_("Circonstances"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["refused_on", "refused_by", "note", "version"]


class ContractDirectorSignForm(VersionedForm):
    director_signed_on = forms.DateField(
        label=_("Signé pour l'établissement le"), widget=DateInput, initial=dates.today
    )


class ContractMinorOpinionForm(VersionedForm):
    minor_opinion_on = forms.DateField(
        label=_("Avis de l'enfant recueilli le"), widget=DateInput, required=False
    )
    minor_opinion = forms.CharField(
        label=_("Ce que l'enfant a exprimé"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    not_sought = forms.CharField(
        label=_("Ou : pourquoi son avis n'a pu être recueilli"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["minor_opinion_on", "minor_opinion", "not_sought", "version"]


class ContractSignForm(VersionedForm):
    """The parties are offered as `who_signs` names them (with their capacity), beside the
    person's other current contacts: the service refuses a party who may not sign."""

    signed_on = forms.DateField(label=_("Signé le"), widget=DateInput, initial=dates.today)
    person_signed = forms.BooleanField(label=_("La personne a signé"), required=False)
    signed_by = forms.MultipleChoiceField(
        label=_("Ont signé à côté de la personne ou pour elle"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    written_agreement_of = forms.MultipleChoiceField(
        label=_(
            "Titulaire de l'autorité parentale qui n'a pas signé mais a donné son accord écrit"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["signed_on", "person_signed", "signed_by", "written_agreement_of", "version"]

    def __init__(self, *args, parties, holders=(), **kwargs):
        """`parties`: {choice key: (label, party)}; `holders`: the keys of holders of
        parental authority."""
        super().__init__(*args, **kwargs)
        self.parties = parties
        self.fields["signed_by"].choices = [(k, label) for k, (label, _p) in parties.items()]
        agreement = [(k, parties[k][0]) for k in holders if k in parties]
        if agreement:
            self.fields["written_agreement_of"].choices = agreement
        else:
            del self.fields["written_agreement_of"]

    def _parties(self, name):
        return [self.parties[k][1] for k in self.cleaned_data.get(name) or []]

    def clean(self):
        data = super().clean()
        data["signed_by_parties"] = self._parties("signed_by")
        data["agreed_parties"] = self._parties("written_agreement_of")
        return data


class ContractAmendForm(forms.Form):
    effective_on = forms.DateField(label=_("Prend effet le"), widget=DateInput)
    description = forms.CharField(
        label=_("Objet de l'avenant"), widget=forms.Textarea(attrs={"rows": 4})
    )
    sets_objectives = forms.BooleanField(
        label=_("Avenant objectifs et prestations (CASF D311 V)"), required=False
    )
    price_lines = PriceLineChoice(
        label=_("Tarifs (grille en vigueur à la date d'effet)"),
        queryset=None,
        required=False,
        to_field_name="public_id",
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_lines"].queryset = lines


class TrustedPersonInformationForm(forms.Form):
    informed_on = forms.DateField(
        label=_("Information délivrée le (notice, annexe 4-10)"), widget=DateInput, required=False
    )
    signed_by_person = forms.BooleanField(
        label=_("Attestation signée par la personne"), required=False
    )
    representative = forms.ModelChoiceField(
        label=_("Attestation signée par son représentant légal"),
        queryset=None,
        required=False,
        to_field_name="public_id",
    )
    exemption = forms.ChoiceField(
        label=_("Ou : information non requise"),
        choices=[("", "—"), *TrustedPersonInfoExemption.choices],
        required=False,
    )
    version = version_from_zero()

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = contacts


class ConsentInterviewForm(forms.Form):
    interview_on = forms.DateField(label=_("Entretien du"), widget=DateInput)
    attendees = forms.MultipleChoiceField(
        label=_("Présents"),
        choices=InterviewAttendee.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[InterviewAttendee.PERSON, InterviewAttendee.DIRECTOR],
    )
    outcome = forms.ChoiceField(label=_("Issue"), choices=[("", "—"), *ConsentOutcome.choices])
    notes = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_from_zero()


# --- Price list (direction) -------------------------------------------------------------------


class PriceListForm(forms.Form):
    valid_from = forms.DateField(label=_("En vigueur à partir du"), widget=DateInput)
    valid_until = forms.DateField(
        label=_("Jusqu'au (inclus ; vide : sans fin)"), widget=DateInput, required=False
    )
    absence_billing = forms.CharField(
        label=_("Facturation en cas d'absence ou d'hospitalisation (CASF D311 V 4°)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = version_from_zero()
    field_order = ["valid_from", "valid_until", "absence_billing", "version"]


class PriceLineForm(forms.Form):
    label = forms.CharField(label=_("Libellé"), max_length=150, required=False)
    amount = EuroAmountField(
        label=_("Montant (€)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit = forms.ChoiceField(label=_("Unité"), choices=PriceUnit.choices)
    kind = forms.ChoiceField(label=_("Nature"), choices=PriceKind.choices)


PriceLineFormSet = forms.formset_factory(PriceLineForm, extra=3, max_num=50, validate_max=True)
