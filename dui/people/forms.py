"""Identity forms. Dates of birth are typed as on the identity document, with 00 for an unknown
day or month (RNIV incomplete dates)."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.agreement import agree
from dui.core.forms import DateInput, VersionedForm, version_field
from dui.organisation.models import Unit

from . import names
from .birthplaces import birthplace
from .models import (
    BirthDatePrecision,
    EvidenceKind,
    IdentityEvidence,
    InsOid,
    Person,
    Sex,
    validate_birthplace_code,
    validate_name,
    validate_nir,
)

BIRTH_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$")


def parse_birth_date(value: str) -> tuple[date, str]:
    """ "12/03/1941" → (1941-03-12, day); "00/03/1941" → (1941-03-01, month);
    "00/00/1941" → (1941-01-01, year)."""
    match = BIRTH_DATE_RE.match(value or "")
    if not match:
        raise forms.ValidationError(
            _(
                "Saisissez la date de naissance au format jj/mm/aaaa (00 pour un jour ou un mois inconnu)."
            )
        )
    day, month, year = (int(g) for g in match.groups())
    if month == 0 and day != 0:
        raise forms.ValidationError(
            _("Un jour connu avec un mois inconnu n'est pas une date : saisissez 00/00/%(y)s.")
            % {"y": year}
        )
    precision = (
        BirthDatePrecision.YEAR
        if month == 0
        else BirthDatePrecision.MONTH
        if day == 0
        else BirthDatePrecision.DAY
    )
    try:
        born = date(year, month or 1, day or 1)
    except ValueError:
        raise forms.ValidationError(_("Cette date n'existe pas.")) from None
    if born > dates.today():
        raise forms.ValidationError(_("La date de naissance ne peut être dans le futur."))
    if year < 1880:
        raise forms.ValidationError(_("Cette date de naissance est invalide (avant 1880)."))
    return born, precision


class IdentityForm(forms.Form):
    birth_name = forms.CharField(
        label=_("Nom de naissance"), max_length=100, validators=[validate_name]
    )
    first_names = forms.CharField(
        label=_("Prénoms de naissance"),
        max_length=200,
        validators=[validate_name],
        help_text=_("Tous les prénoms de l'état civil, dans l'ordre, séparés par un espace."),
    )
    first_birth_first_name = forms.CharField(
        label=_("Premier prénom de naissance"),
        max_length=100,
        validators=[validate_name],
        help_text=Person._meta.get_field("first_birth_first_name").help_text,
    )
    used_name = forms.CharField(
        label=_("Nom utilisé"), max_length=100, required=False, validators=[validate_name]
    )
    used_first_name = forms.CharField(
        label=_("Prénom utilisé"), max_length=100, required=False, validators=[validate_name]
    )
    birth_date_text = forms.CharField(
        label=_("Date de naissance"),
        max_length=10,
        help_text=_("jj/mm/aaaa, avec 00 pour un jour ou un mois inconnu."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "jj/mm/aaaa", "autocomplete": "off"}
        ),
    )
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)
    birthplace_code = forms.CharField(
        label=_("Lieu de naissance (code INSEE)"),
        max_length=5,
        help_text=_(
            "Code de la commune de naissance, ou du pays (99…) pour une personne née à "
            "l'étranger : choisir un lieu dans la recherche ci-dessus le remplit."
        ),
        validators=[validate_birthplace_code],
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-birthplace-field": ""}),
    )
    photo_consent = forms.BooleanField(
        label=_("La personne accepte d'être photographiée"), required=False
    )
    photo_consent_on = forms.DateField(
        label=_("Consentement recueilli le"),
        required=False,
        widget=DateInput,
    )

    # Names are written by the one rule of `names.py` (the model applies it again on save).
    def clean_birth_name(self):
        return names.family_name(self.cleaned_data["birth_name"])

    def clean_first_names(self):
        return names.first_names(self.cleaned_data["first_names"])

    def clean_first_birth_first_name(self):
        return names.first_names(self.cleaned_data["first_birth_first_name"])

    def clean_used_name(self):
        return names.family_name(self.cleaned_data["used_name"])

    def clean_used_first_name(self):
        return names.first_names(self.cleaned_data["used_first_name"])

    def clean_birthplace_code(self):
        return self.cleaned_data["birthplace_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        if "birth_date_text" in cleaned:
            try:
                cleaned["birth_date"], cleaned["birth_date_precision"] = parse_birth_date(
                    cleaned["birth_date_text"]
                )
            except forms.ValidationError as error:
                self.add_error("birth_date_text", error)
        if cleaned.get("photo_consent") and not cleaned.get("photo_consent_on"):
            self.add_error("photo_consent_on", _("Indiquez la date du consentement à la photo."))
        return cleaned

    def identity_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "birth_date_text"}
        if not data.get("photo_consent"):
            data["photo_consent_on"] = None
        return data

    @staticmethod
    def initial_for(person: Person) -> dict:
        return {
            "birth_name": person.birth_name,
            "first_names": person.first_names,
            "first_birth_first_name": person.first_first_name,
            "used_name": person.used_name,
            "used_first_name": person.used_first_name,
            "birth_date_text": person.birth_date_display,
            "sex": person.sex,
            "birthplace_code": person.birthplace_code,
            "photo_consent": person.photo_consent,
            "photo_consent_on": person.photo_consent_on,
        }

    def birthplace_label(self) -> str:
        place = birthplace(self["birthplace_code"].value() or "")
        return place.label if place else ""


class PersonCreateForm(IdentityForm):
    unit = forms.ModelChoiceField(
        label=_("Unité qui suit la personne"),
        queryset=None,
        required=False,
        to_field_name="public_id",  # no sequential keys in pages
        empty_label=_("Tout l'établissement (pas encore d'unité)"),
        help_text=_(
            "L'équipe de cette unité aura accès au dossier ; sinon, le personnel de tout l'établissement."
        ),
    )
    duplicate_reason = forms.CharField(
        label=_("Pourquoi s'agit-il d'une nouvelle personne ?"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ex. : homonyme, jumeau, date de naissance vérifiée sur la carte d'identité."),
    )

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            establishment.units.order_by("name") if establishment else Unit.objects.none()
        )
        self.fields["unit"].label_from_instance = lambda unit: unit.name

    def identity_data(self) -> dict:
        data = super().identity_data()
        data.pop("unit", None)
        data.pop("duplicate_reason", None)
        return data


class IdentityEditForm(IdentityForm):
    version = version_field()
    reason = forms.CharField(
        label=_("Motif de la correction"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Obligatoire pour corriger un trait strict d'une identité qui n'est plus provisoire."
        ),
    )

    def __init__(self, *args, person: Person, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)

    def changed_strict_traits(self) -> list[str]:
        return self.person.changed_strict_traits(self.identity_data())


class EvidenceForm(VersionedForm):
    """An identity document checked against the traits of the identity as read (its version),
    with what the RNIV exceptions require beside it (`rniv.py`)."""

    kind = forms.ChoiceField(label=_("Document présenté"), choices=EvidenceKind.choices)
    checked_on = forms.DateField(label=_("Contrôlé le"), widget=DateInput)
    expires_on = forms.DateField(
        label=_("Date d'expiration du document"),
        required=False,
        widget=DateInput,
    )
    guarantor = forms.ChoiceField(
        label=_("Mineur : pièce d'identité présentée par"),
        required=False,
        help_text=_(
            "Avec un extrait d'acte de naissance ou le livret de famille : le parent, le "
            "tuteur ou le délégataire (enregistré dans l'autorité parentale) qui a présenté sa "
            "pièce d'identité."
        ),
    )
    guarantor_document_kind = forms.ChoiceField(
        label=_("Sa pièce d'identité"),
        required=False,
        choices=[
            ("", "—"),
            *IdentityEvidence._meta.get_field("guarantor_document_kind").choices,
        ],
    )
    direct_ehpad_admission = forms.BooleanField(
        label=_(
            "Admission directe en EHPAD (livret de famille ou extrait d'acte de naissance avec la "
            "carte Vitale avec photographie)"
        ),
        required=False,
    )
    document = forms.ModelChoiceField(
        label=_("Copie numérisée (onglet Documents)"),
        queryset=None,
        required=False,
        to_field_name="public_id",
    )
    traits_match = forms.BooleanField(
        label=_(
            "Nom de naissance, prénoms, date et lieu de naissance, sexe : tout correspond au document"
        ),
        required=False,
    )

    def __init__(self, *args, documents, guarantors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: (
            f"{d.title} ({d.document_date:%d/%m/%Y})"
        )
        self.guarantors = {str(a.public_id): a for a in guarantors}
        if self.guarantors:
            self.fields["guarantor"].choices = [
                ("", "—"),
                *((key, f"{a.holder_name} ({a.capacity})") for key, a in self.guarantors.items()),
            ]
        else:
            del self.fields["guarantor"]
            del self.fields["guarantor_document_kind"]

    def evidence_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "checked_on": data["checked_on"],
            "expires_on": data["expires_on"],
            "document": data["document"],
            "traits_match": data["traits_match"],
            "guarantor": self.guarantors.get(data.get("guarantor") or ""),
            "guarantor_document_kind": data.get("guarantor_document_kind", ""),
            "direct_ehpad_admission": data["direct_ehpad_admission"],
        }


class InsForm(VersionedForm):
    ins_number = forms.CharField(
        label=_("Matricule INS"),
        max_length=21,
        validators=[validate_nir],
        help_text=_("15 caractères, espaces acceptés."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    ins_oid = forms.ChoiceField(
        label=_("Type"), choices=[(InsOid.NIR, InsOid.NIR.label), (InsOid.NIA, InsOid.NIA.label)]
    )
    retrieved_on = forms.DateField(label=_("INSi interrogé le"), widget=DateInput)
    traits_match = forms.BooleanField(
        label=_("Les traits renvoyés par INSi sont identiques à ceux du dossier"), required=False
    )


class MergeForm(VersionedForm):
    merged = forms.ChoiceField(label=_("Dossier en double à fusionner dans celui-ci"))
    reason = forms.CharField(
        label=_("Motif"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.public_id): p for p in candidates}
        self.fields["merged"].choices = [
            (key, f"{p.display_name} — {agree(p, 'né', 'née')} le {p.birth_date_display}")
            for key, p in self.candidates.items()
        ]
