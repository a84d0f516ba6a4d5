"""Forms of step 1: log, close and convert an inquiry."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, VersionedForm
from dui.organisation.models import PlaceKind
from dui.people.models import Sex

from ..models import AdmissionSource, Inquiry

DOCUMENT_CHOICES = (
    ("livret_accueil", _("Livret d'accueil")),
    ("tarifs", _("Tarifs")),
    ("dossier_admission", _("Dossier d'admission (Cerfa 14732)")),
    ("reglement_fonctionnement", _("Règlement de fonctionnement")),
)


class InquiryForm(forms.ModelForm):
    """Log an inquiry. For whom: a person already followed (chosen from the visible persons
    found by name, by public id) or a minimal identity."""

    person_search = forms.CharField(
        label=_("Rechercher une personne déjà connue (nom)"), required=False
    )
    person = forms.ModelChoiceField(
        label=_("Personne déjà connue"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("— Personne pas encore enregistrée —"),
    )
    prospect_sex = forms.ChoiceField(
        label=_("Sexe"), choices=[("", "—"), *Sex.choices], required=False
    )
    documents_sent = forms.MultipleChoiceField(
        label=_("Documents envoyés"),
        choices=DOCUMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Inquiry
        fields = [
            "channel",
            "requester_kind",
            "requester_name",
            "requester_phone",
            "requester_email",
            "requester_organisation",
            "person",
            "prospect_birth_name",
            "prospect_first_names",
            "prospect_birth_date",
            "prospect_sex",
            "place_kind",
            "explained",
            "documents_sent",
            "follow_up_on",
        ]
        widgets = {
            "prospect_birth_date": DateInput(),
            "follow_up_on": DateInput(),
            "explained": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.display_name} ({p.birth_date:%d/%m/%Y})"
        )

    def clean(self):
        data = super().clean()
        if data.get("person") is None and not (data.get("prospect_birth_name") or "").strip():
            self.add_error(
                "prospect_birth_name",
                _(
                    "Choisissez une personne déjà connue, ou indiquez au moins son nom de naissance."
                ),
            )
        return data

    def inquiry_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "person_search"}
        if data.get("person") is not None:
            for field in ("birth_name", "first_names", "sex"):
                data[f"prospect_{field}"] = ""
            data["prospect_birth_date"] = None
        data["received_at"] = dates.now()
        return data


class InquiryCloseForm(VersionedForm):
    note = forms.CharField(
        label=_("Pourquoi la demande est-elle close ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InquiryConvertForm(VersionedForm):
    """Convert in one action. The identity fields appear only when the inquiry has no person
    (prefilled from the inquiry; the birth date is then required)."""

    source = forms.ChoiceField(label=_("Origine"), choices=AdmissionSource.choices)
    place_kind = forms.ChoiceField(label=_("Accueil demandé"), choices=PlaceKind.choices)
    received_on = forms.DateField(label=_("Dossier reçu le"), widget=DateInput())
    wished_start = forms.DateField(
        label=_("Entrée souhaitée le"), widget=DateInput(), required=False
    )
    wished_end = forms.DateField(label=_("Sortie prévue le"), widget=DateInput(), required=False)
    urgent = forms.BooleanField(label=_("Urgence"), required=False)
    applicant_address = forms.CharField(
        label=_("Adresse du demandeur"),
        max_length=200,
        required=False,
        help_text=_("Les courriers de la demande lui sont adressés (numéro, voie, complément)."),
    )
    applicant_postcode = forms.CharField(label=_("Code postal"), max_length=5, required=False)
    applicant_city = forms.CharField(label=_("Commune"), max_length=100, required=False)
    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=100)
    first_names = forms.CharField(label=_("Prénoms de naissance"), max_length=200)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices)
    duplicate_reason = forms.CharField(
        label=_("Pourquoi s'agit-il d'une nouvelle personne ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    IDENTITY = ("birth_name", "first_names", "birth_date", "sex", "duplicate_reason")

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "source": "direct",
                "place_kind": inquiry.place_kind or PlaceKind.PERMANENT,
                "received_on": dates.today(inquiry.establishment),
                "birth_name": inquiry.prospect_birth_name,
                "first_names": inquiry.prospect_first_names,
                "birth_date": inquiry.prospect_birth_date,
                "sex": inquiry.prospect_sex or Sex.UNKNOWN,
                "version": inquiry.version,
            },
        )
        super().__init__(*args, **kwargs)
        if inquiry.person_id:
            for name in self.IDENTITY:
                del self.fields[name]

    def applicant_postal_address(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("applicant_address", "applicant_postcode", "applicant_city")
        }

    def identity(self) -> dict | None:
        if "birth_name" not in self.fields:
            return None
        return {k: self.cleaned_data[k] for k in ("birth_name", "first_names", "birth_date", "sex")}
