"""Forms of the entourage tab (contacts, trusted person, legal protection) and of the alerts
page. Every form that changes an existing entry carries the version it was read at."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, RadioSelect, VersionedForm, version_field

from .models import (
    AuthorityDecisionKind,
    AuthorityExercise,
    Contact,
    GuardianRelation,
    LegalProtection,
    ParentalRole,
    PersonalActs,
    PersonAlert,
    ProtectionKind,
    ProtectionScope,
)

PARTNER_FORM_ID = "partner-form"
REASON_MAX = 300


def _not_in_future(value, message):
    if value and value > dates.today():
        raise forms.ValidationError(message)
    return value


class ContactForm(forms.ModelForm):
    """Add a contact, or change one (then with the version it was read at)."""

    version = version_field()

    class Meta:
        model = Contact
        fields = (
            "last_name",
            "first_name",
            "relationship",
            "relationship_detail",
            "organisation_name",
            "phone",
            "phone_alt",
            "email",
            "address",
            "is_family_referent",
            "is_emergency_contact",
            "notes",
        )
        widgets = {
            "phone": forms.TextInput(
                attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}
            ),
            "phone_alt": forms.TextInput(
                attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}
            ),
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "is_emergency_contact": _("Un téléphone (ou une adresse) est alors nécessaire."),
            "organisation_name": _("Pour un professionnel ou un service : son organisme."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["version"]  # a new contact has no version to compare yet

    def contact_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ContactEndForm(VersionedForm):
    ended_on = forms.DateField(
        label=_("Ne fait plus partie de l'entourage depuis le"), widget=DateInput
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_MAX,
        help_text=_("Ex. : a déménagé, décédé, ne souhaite plus être contacté."),
    )

    def clean_ended_on(self):
        return _not_in_future(
            self.cleaned_data["ended_on"], _("La date ne peut être dans le futur.")
        )


class EnteredInErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi cette saisie est-elle une erreur ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle reste lisible dans l'historique, barrée, avec ce motif."),
    )


class TrustedPersonForm(VersionedForm):
    trusted_person_designated_on = forms.DateField(
        label=_("Date de la désignation"),
        widget=DateInput,
        help_text=_("Date du formulaire de désignation signé par la personne."),
    )
    trusted_person_form = forms.ModelChoiceField(
        label=_("Formulaire de désignation signé"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("— Pas encore déposé —"),
        help_text=_(
            "Déposez d'abord le formulaire signé dans l'onglet Documents (type « Désignation de "
            "la personne de confiance »), puis choisissez-le ici."
        ),
    )

    trusted_person_authorised_by = forms.ChoiceField(
        label=_("Désignation autorisée par"),
        required=False,
        choices=[
            ("", _("— Sans objet —")),
            *Contact._meta.get_field("trusted_person_authorised_by").choices,
        ],
        help_text=_(
            "Sous une mesure avec assistance ou représentation pour les actes relatifs à la "
            "personne, la désignation demande l'autorisation du conseil de famille ou, à "
            "défaut, du juge des tutelles (CASF L311-5-1 al. 4)."
        ),
    )
    trusted_person_authorised_on = forms.DateField(
        label=_("Date de l'autorisation"), widget=DateInput, required=False
    )
    trusted_person_authorisation = forms.ModelChoiceField(
        label=_("Autorisation numérisée"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("— Pas encore déposée —"),
        help_text=_("Déposez l'ordonnance dans l'onglet Documents (type « Jugement »)."),
    )

    def __init__(self, *args, documents, judgements=None, needs_authorisation=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trusted_person_form"].queryset = documents
        self.fields["trusted_person_form"].label_from_instance = lambda d: (
            f"{d.title} ({d.document_date:%d/%m/%Y})"
        )
        if needs_authorisation:
            self.fields["trusted_person_authorisation"].queryset = judgements
            self.fields["trusted_person_authorisation"].label_from_instance = lambda d: (
                f"{d.title} ({d.document_date:%d/%m/%Y})"
            )
        else:
            for name in (
                "trusted_person_authorised_by",
                "trusted_person_authorised_on",
                "trusted_person_authorisation",
            ):
                del self.fields[name]

    def authorisation_data(self) -> dict:
        return {
            "authorised_by": self.cleaned_data.get("trusted_person_authorised_by", ""),
            "authorised_on": self.cleaned_data.get("trusted_person_authorised_on"),
            "authorisation_document": self.cleaned_data.get("trusted_person_authorisation"),
        }

    def clean_trusted_person_designated_on(self):
        return _not_in_future(
            self.cleaned_data["trusted_person_designated_on"],
            _("La date de désignation ne peut être dans le futur."),
        )


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Motif"), max_length=REASON_MAX)


class ProtectionForm(VersionedForm):
    """A measure and who exercises it: one choice among the person's current entourage and the
    mandataires judiciaires of the organisation (never both)."""

    kind = forms.ChoiceField(
        label=_("Mesure"),
        choices=ProtectionKind.choices,
        help_text=_(
            "Telle qu'indiquée dans le jugement. Qui signe et qui est informé : voir ci-dessous."
        ),
    )
    scope = forms.ChoiceField(
        label=_("Étendue"),
        choices=ProtectionScope.choices,
        initial=ProtectionScope.PERSON_AND_ASSETS,
        help_text=LegalProtection._meta.get_field("scope").help_text,
    )
    personal_acts = forms.ChoiceField(
        label=_("Actes relatifs à la personne"),
        choices=PersonalActs.choices,
        initial=PersonalActs.NONE,
        help_text=LegalProtection._meta.get_field("personal_acts").help_text,
    )
    acts_listed = forms.BooleanField(
        label=_(
            "Limitée aux actes énumérés par le jugement (habilitation spéciale, mandataire spécial)"
        ),
        required=False,
    )
    covers_accommodation_contract = forms.BooleanField(
        label=_("Le contrat de séjour (hébergement et frais) fait partie de ces actes"),
        required=False,
    )
    curator_signs_accommodation_alone = forms.BooleanField(
        label=_(
            "Le juge autorise le curateur à conclure seul la convention d'hébergement "
            "(curatelle renforcée, C. civ. 472 al. 2)"
        ),
        required=False,
    )
    started_on = forms.DateField(
        label=_("Depuis le"),
        widget=DateInput,
        help_text=LegalProtection._meta.get_field("started_on").help_text,
    )
    review_on = forms.DateField(
        label=_("Échéance / révision"),
        widget=DateInput,
        required=False,
        help_text=LegalProtection._meta.get_field("review_on").help_text,
    )
    representative = forms.ChoiceField(
        label=_("Exercée par"),
        required=False,
        help_text=_(
            "Un proche de l'entourage actuel, ou un mandataire judiciaire (service ou "
            "professionnel). Ajoutez d'abord le proche dans l'entourage s'il n'y figure pas."
        ),
    )
    court = forms.CharField(
        label=_("Juridiction"),
        max_length=150,
        required=False,
        help_text=_("Ex. : tribunal judiciaire de Lyon, juge des contentieux de la protection."),
    )
    judgement_reference = forms.CharField(
        label=_("Référence du jugement"), max_length=80, required=False
    )
    judgement_date = forms.DateField(label=_("Date du jugement"), widget=DateInput, required=False)
    judgement_document = forms.ModelChoiceField(
        label=_("Jugement numérisé"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("— Pas encore déposé —"),
        help_text=_("Déposez le jugement dans l'onglet Documents, puis choisissez-le ici."),
    )
    notes = forms.CharField(
        label=_("Remarques"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, contacts, partners, documents, editing: bool = False, **kwargs):
        """`editing`: the form changes a recorded measure and carries its version."""
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]
        self.contacts = {f"contact:{c.public_id}": c for c in contacts}
        self.partners = {f"partner:{p.public_id}": p for p in partners}
        choices = [("", _("— Personne (mesure sans représentant) —"))]
        if contacts:
            choices.append(
                (
                    _("Proches de l'entourage"),
                    [
                        (key, f"{c.display_name} ({c.get_relationship_display().lower()})")
                        for key, c in self.contacts.items()
                    ],
                )
            )
        if partners:
            choices.append(
                (
                    _("Mandataires judiciaires"),
                    [(key, p.name) for key, p in self.partners.items()],
                )
            )
        self.fields["representative"].choices = choices
        self.fields["judgement_document"].queryset = documents
        self.fields["judgement_document"].label_from_instance = lambda d: (
            f"{d.title} ({d.document_date:%d/%m/%Y})"
        )

    @staticmethod
    def initial_for(protection: LegalProtection) -> dict:
        representative = ""
        if protection.representative_contact_id:
            representative = f"contact:{protection.representative_contact.public_id}"
        elif protection.representative_partner_id:
            representative = f"partner:{protection.representative_partner.public_id}"
        return {
            "kind": protection.kind,
            "scope": protection.scope,
            "personal_acts": protection.personal_acts,
            "acts_listed": protection.acts_listed,
            "covers_accommodation_contract": protection.covers_accommodation_contract,
            "curator_signs_accommodation_alone": protection.curator_signs_accommodation_alone,
            "started_on": protection.started_on,
            "review_on": protection.review_on,
            "representative": representative,
            "court": protection.court,
            "judgement_reference": protection.judgement_reference,
            "judgement_date": protection.judgement_date,
            "judgement_document": protection.judgement_document.public_id
            if protection.judgement_document_id
            else None,
            "notes": protection.notes,
            "version": protection.version,
        }

    def protection_data(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in (
                "kind",
                "scope",
                "personal_acts",
                "acts_listed",
                "covers_accommodation_contract",
                "curator_signs_accommodation_alone",
                "started_on",
                "review_on",
                "court",
                "judgement_reference",
                "judgement_date",
                "judgement_document",
                "notes",
            )
        }
        key = self.cleaned_data.get("representative") or ""
        data["representative_contact"] = self.contacts.get(key)
        data["representative_partner"] = self.partners.get(key)
        return data

    def add_service_error(self, field: str | None, messages) -> None:
        if field in ("representative_contact", "representative_partner"):
            field = "representative"
        self.add_error(field if field in self.fields else None, messages)


class ParentalAuthorityForm(VersionedForm):
    """A holder of a minor's parental authority (or the service to whom the child is confié):
    one choice among the child's current entourage and the services of the organisation."""

    role = forms.ChoiceField(label=_("Qualité"), choices=ParentalRole.choices)
    holder = forms.ChoiceField(
        label=_("Titulaire"),
        help_text=_(
            "Un proche de l'entourage actuel (ajoutez-le d'abord s'il n'y figure pas), ou un "
            "service de l'annuaire (aide sociale à l'enfance)."
        ),
    )
    relation = forms.ChoiceField(
        label=_("Lien avec l'enfant"),
        required=False,
        choices=[("", _("— Service (sans lien familial) —")), *GuardianRelation.choices],
    )
    exercise = forms.ChoiceField(
        label=_("Exercice de l'autorité parentale"),
        choices=AuthorityExercise.choices,
        initial=AuthorityExercise.JOINT,
        help_text=_(
            "En commun par défaut entre les deux parents ; exclusif si une décision le confie à "
            "un seul (C. civ. 373-2-1) ; « sans l'exercice » pour un parent qui en est privé "
            "(il est informé des choix importants) et pour le service gardien."
        ),
    )
    started_on = forms.DateField(
        label=_("Depuis le"), widget=DateInput, help_text=_("La naissance, ou la décision.")
    )
    decision_kind = forms.ChoiceField(
        label=_("Fondement"),
        choices=AuthorityDecisionKind.choices,
        initial=AuthorityDecisionKind.FILIATION,
    )
    decision_date = forms.DateField(
        label=_("Date de la décision"),
        widget=DateInput,
        required=False,
        help_text=_("Obligatoire pour un tuteur, un délégataire, un placement."),
    )
    decision_reference = forms.CharField(
        label=_("Référence de la décision"), max_length=80, required=False
    )
    court = forms.CharField(label=_("Juridiction ou autorité"), max_length=150, required=False)
    decision_document = forms.ModelChoiceField(
        label=_("Décision numérisée"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("— Pas encore déposée —"),
        help_text=_("Déposez la décision dans l'onglet Documents (type « Jugement »)."),
    )
    notes = forms.CharField(
        label=_("Remarques"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, contacts, partners, documents, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]
        self.contacts = {f"contact:{c.public_id}": c for c in contacts}
        self.partners = {f"partner:{p.public_id}": p for p in partners}
        choices = [("", _("— Choisissez —"))]
        if contacts:
            choices.append(
                (
                    _("Proches de l'entourage"),
                    [
                        (key, f"{c.display_name} ({c.get_relationship_display().lower()})")
                        for key, c in self.contacts.items()
                    ],
                )
            )
        if partners:
            choices.append((_("Services"), [(key, p.name) for key, p in self.partners.items()]))
        self.fields["holder"].choices = choices
        self.fields["decision_document"].queryset = documents
        self.fields["decision_document"].label_from_instance = lambda d: (
            f"{d.title} ({d.document_date:%d/%m/%Y})"
        )

    @staticmethod
    def initial_for(authority) -> dict:
        holder = ""
        if authority.holder_contact_id:
            holder = f"contact:{authority.holder_contact.public_id}"
        elif authority.holder_partner_id:
            holder = f"partner:{authority.holder_partner.public_id}"
        return {
            "role": authority.role,
            "holder": holder,
            "relation": authority.relation,
            "exercise": authority.exercise,
            "started_on": authority.started_on,
            "decision_kind": authority.decision_kind,
            "decision_date": authority.decision_date,
            "decision_reference": authority.decision_reference,
            "court": authority.court,
            "decision_document": authority.decision_document.public_id
            if authority.decision_document_id
            else None,
            "notes": authority.notes,
            "version": authority.version,
        }

    def authority_data(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in (
                "role",
                "relation",
                "exercise",
                "started_on",
                "decision_kind",
                "decision_date",
                "decision_reference",
                "court",
                "decision_document",
                "notes",
            )
        }
        key = self.cleaned_data.get("holder") or ""
        data["holder_contact"] = self.contacts.get(key)
        data["holder_partner"] = self.partners.get(key)
        return data

    def add_service_error(self, field: str | None, messages) -> None:
        if field in ("holder_contact", "holder_partner"):
            field = "holder"
        self.add_error(field if field in self.fields else None, messages)


class AuthorityEndForm(VersionedForm):
    ended_on = forms.DateField(label=_("Fin le"), widget=DateInput)
    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_MAX,
        help_text=_("Ex. : jugement de retrait du …, fin du placement, décès."),
    )

    def clean_ended_on(self):
        return _not_in_future(
            self.cleaned_data["ended_on"], _("La date ne peut être dans le futur.")
        )


class ProtectionEndForm(VersionedForm):
    ended_on = forms.DateField(
        label=_("Levée le"),
        widget=DateInput,
        help_text=_("Date de la mainlevée, du décès, ou fin fixée par le jugement."),
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_MAX,
        help_text=_("Ex. : jugement de mainlevée du …, mesure non renouvelée, décès."),
    )


class MandataireForm(forms.Form):
    """A mandataire judiciaire à la protection des majeurs added to the organisation's
    directory from the protection form."""

    # The fields sit inside the protection form but belong to the small form `partner-form`
    # (HTML forms cannot nest): see people/entourage/_representative_field.html.
    partner_name = forms.CharField(
        label=_("Nom du mandataire ou du service"),
        max_length=150,
        help_text=_("Ex. : UDAF du Rhône, ATMP, Mme Dupont (mandataire individuelle)."),
        widget=forms.TextInput(attrs={"form": PARTNER_FORM_ID}),
    )
    partner_phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "form": PARTNER_FORM_ID}),
    )
    partner_email = forms.EmailField(
        label=_("Courriel"),
        required=False,
        widget=forms.EmailInput(attrs={"form": PARTNER_FORM_ID}),
    )
    partner_address = forms.CharField(
        label=_("Adresse"),
        max_length=250,
        required=False,
        widget=forms.TextInput(attrs={"form": PARTNER_FORM_ID}),
    )

    def partner_data(self) -> dict:
        return {
            "name": self.cleaned_data["partner_name"],
            "phone": self.cleaned_data["partner_phone"],
            "email": self.cleaned_data["partner_email"],
            "address": self.cleaned_data["partner_address"],
        }

    def add_service_error(self, field: str | None, messages) -> None:
        field = f"partner_{field}" if field else None
        self.add_error(field if field in self.fields else None, messages)


class AlertForm(forms.ModelForm):
    class Meta:
        model = PersonAlert
        fields = ("label", "detail", "level")
        help_texts = {
            "label": _("Court : il s'affiche dans l'en-tête (ex. : risque de fugue)."),
        }
        widgets = {"level": RadioSelect}


class AlertEndForm(VersionedForm):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_MAX,
        required=False,
        error_messages={"max_length": _("Le motif est trop long.")},
    )
