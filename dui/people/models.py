"""The person (usager): RNIV identity and INS, entourage, legal protection, administrative data.

Writes go through `services.py`; nothing here has business logic in `save()`.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.access.models import InformationCategory
from dui.core import dates
from dui.core.models import AmendableModel, TimestampedModel, VersionedModel

from . import names, nir, rniv
from .birthplaces import birthplace, is_known_birthplace
from .majority import Majority, age_on, majority_on
from .plausibility import before_birth_errors, refuse_before_birth
from .search import normalise_name


class Sex(models.TextChoices):
    FEMALE = "F", _("Féminin")
    MALE = "M", _("Masculin")
    UNKNOWN = "I", _("Indéterminé")


class IdentityStatus(models.TextChoices):
    """RNIV confidence statuses, codes of FR Core's fr-core-cs-identity-status (RNIV EXI SI 07).

    Two independent criteria: identity retrieved from the INSi teleservice or not, and traits
    checked against a high-trust identity document or not."""

    PROVISIONAL = "PROV", _("Identité provisoire")
    RETRIEVED = "RECUP", _("Identité récupérée")
    VALIDATED = "VALI", _("Identité validée")
    QUALIFIED = "QUAL", _("Identité qualifiée")


class BirthDatePrecision(models.TextChoices):
    """Some persons (often born abroad) have no known day or month of birth. The stored date is
    then the first day of the known period (for age and ordering); it is shown with 00 for the
    unknown parts, as the INSi teleservice returns such dates."""

    DAY = "day", _("Date complète")
    MONTH = "month", _("Jour inconnu")
    YEAR = "year", _("Jour et mois inconnus")


class InsOid(models.TextChoices):
    NIR = nir.INS_OID_NIR, _("INS-NIR (NIR de la personne)")
    NIA = nir.INS_OID_NIA, _("INS-NIA (numéro d'attente)")
    TEST = nir.INS_OID_TEST, _("INS-NIR de test")
    DEMO = nir.INS_OID_DEMO, _("INS-NIR de démonstration")


# RNIV "traits stricts": locked once the identity is validated or qualified.
STRICT_TRAITS = (
    "birth_name",
    "first_names",
    "first_birth_first_name",
    "birth_date",
    "birth_date_precision",
    "sex",
    "birthplace_code",
)

# What `Person.display_name` reads: a list that loads persons with `.only()` reads these.
DISPLAY_NAME_FIELDS = (
    "birth_name",
    "used_name",
    "first_names",
    "first_birth_first_name",
    "used_first_name",
)


def validate_birthplace_code(value: str) -> None:
    if value and not is_known_birthplace(value):
        raise ValidationError(
            _(
                "« %(code)s » n'est pas un code de commune ou de pays du Code officiel "
                "géographique : choisissez le lieu dans la liste."
            ),
            params={"code": value},
            code="unknown_birthplace",
        )


def validate_name(value: str) -> None:
    """A name of a person or of a relative: letters (accented ones too), spaces, hyphens and
    apostrophes only (`names.py` says why)."""
    unexpected = names.unexpected_characters(value)
    if unexpected:
        raise ValidationError(
            _(
                "Un nom ne contient que des lettres (accentuées ou non), des espaces, des traits "
                "d'union et des apostrophes : « %(chars)s » n'en fait pas partie."
            ),
            params={"chars": " ".join(unexpected)},
            code="name_characters",
        )
    if value and not names.has_a_letter(value):
        raise ValidationError(_("Un nom contient au moins une lettre."), code="name_without_letter")


def validate_nir(value: str) -> None:
    if value and not nir.is_valid_nir(value):
        raise ValidationError(
            _(
                "Ce numéro n'est pas un NIR valide : il faut 15 caractères (13 + une clé de 2 "
                "chiffres) et la clé ne correspond pas. Vérifiez la carte Vitale ou l'attestation."
            ),
            code="invalid_nir",
        )


class Person(VersionedModel):
    birth_name = models.CharField(_("nom de naissance"), max_length=100, validators=[validate_name])
    used_name = models.CharField(
        _("nom utilisé"), max_length=100, blank=True, validators=[validate_name]
    )
    first_names = models.CharField(
        _("prénoms de naissance"),
        max_length=200,
        validators=[validate_name],
        help_text=_(
            "Tous les prénoms de naissance, dans l'ordre de l'état civil, séparés par un espace."
        ),
    )
    # RNIV and INS: the first birth first name is a trait of its own (FR Core
    # `name[officialName].given`, the list being the extension `birth-list-given-name`), not
    # the first word of the list: « Jean Pierre » and « Marie Claire » are single first names
    # that some birth certificates write with a space. See `clean()` for its agreement with
    # the list.
    first_birth_first_name = models.CharField(
        _("premier prénom de naissance"),
        max_length=100,
        blank=True,
        validators=[validate_name],
        help_text=_(
            "Tel qu'écrit en premier sur l'acte de naissance, en entier s'il est composé "
            "(« Jean Pierre », « Marie-Claire »)."
        ),
    )
    used_first_name = models.CharField(
        _("prénom utilisé"), max_length=100, blank=True, validators=[validate_name]
    )
    birth_date = models.DateField(_("date de naissance"))
    birth_date_precision = models.CharField(
        _("précision de la date de naissance"),
        max_length=5,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.DAY,
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birthplace_code = models.CharField(
        _("lieu de naissance (code INSEE)"),
        max_length=5,
        blank=True,
        validators=[validate_birthplace_code],
        help_text=_("Commune de naissance, ou pays pour une personne née à l'étranger."),
    )
    identity_status = models.CharField(
        _("statut de l'identité"),
        max_length=5,
        choices=IdentityStatus.choices,
        default=IdentityStatus.PROVISIONAL,
    )
    ins_number = models.CharField(
        _("matricule INS"), max_length=15, blank=True, validators=[validate_nir], db_index=True
    )
    ins_oid = models.CharField(_("OID de l'INS"), max_length=24, blank=True, choices=InsOid.choices)
    ins_retrieved_at = models.DateTimeField(_("INS récupéré le"), null=True, blank=True)
    ins_retrieved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("INS récupéré par"),
    )
    photo_consent = models.BooleanField(_("consentement à la photo"), default=False)
    photo_consent_on = models.DateField(
        _("consentement à la photo recueilli le"), null=True, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("fusionné dans"),
    )
    merged_at = models.DateTimeField(_("fusionné le"), null=True, blank=True)
    # Accent- and case-free names for search on any database (DESIGN §2 seam).
    search_name = models.CharField(max_length=400, editable=False, db_index=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usager")
        verbose_name_plural = _("usagers")
        ordering = ["birth_name", "first_names"]
        indexes = [models.Index(fields=["birth_date"], name="person_birth_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(identity_status__in=["PROV", "VALI"]) | ~Q(ins_number=""),
                name="person_ins_needed_for_retrieved_or_qualified",
                violation_error_message=_(
                    "Une identité récupérée ou qualifiée porte un matricule INS."
                ),
            ),
            models.UniqueConstraint(
                fields=["ins_number"],
                condition=~Q(ins_number="") & Q(merged_into__isnull=True),
                name="person_ins_unique",
                violation_error_message=_(
                    "Ce matricule INS est déjà celui d'une autre personne : il s'agit sans doute "
                    "d'un doublon, à fusionner plutôt qu'à ressaisir."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ins_number="") | ~Q(ins_oid=""),
                name="person_ins_has_oid",
                violation_error_message=_("Un matricule INS est toujours accompagné de son OID."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def first_first_name(self) -> str:
        """The first birth first name (the stored trait; only an object not written yet, which
        `normalise_names` has not seen, falls back on the first word of the list). A list read
        with `.only()` without the trait also falls back, rather than one query per person; such
        a list should read `first_birth_first_name` (`DISPLAY_NAME_FIELDS`)."""
        if "first_birth_first_name" in self.get_deferred_fields():
            return names.first_word(self.first_names)
        return self.first_birth_first_name or names.first_word(self.first_names)

    @property
    def display_name(self) -> str:
        name = self.used_name or self.birth_name
        first = self.used_first_name or self.first_first_name
        return f"{name.upper()} {first}"

    @property
    def age(self) -> int:
        return age_on(self.birth_date, dates.today())

    def majority_on(self, on: date | None = None) -> Majority:
        """Minor, adult or (incomplete birth date) uncertain on `on` (today by default):
        the one answer every rule about minors asks (`majority.py`)."""
        return majority_on(self.birth_date, on or dates.today(), self.birth_date_precision)

    @property
    def is_minor(self) -> bool:
        """A minor today, or possibly one (incomplete birth date): treated as a minor."""
        return self.majority_on() != Majority.ADULT

    @property
    def birth_date_display(self) -> str:
        d = self.birth_date
        if self.birth_date_precision == BirthDatePrecision.YEAR:
            return f"00/00/{d.year}"
        if self.birth_date_precision == BirthDatePrecision.MONTH:
            return f"00/{d.month:02d}/{d.year}"
        return d.strftime("%d/%m/%Y")

    @property
    def birthplace(self):
        return birthplace(self.birthplace_code)

    @property
    def ins_display(self) -> str:
        return nir.format_nir(self.ins_number) if self.ins_number else ""

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def strict_traits_locked(self) -> bool:
        return self.identity_status != IdentityStatus.PROVISIONAL

    def normalise_names(self) -> None:
        """Write the names by the rule of `names.py` (capitals for the birth and used names,
        tidy first names): every path that writes a person goes through here — `clean()` for
        the services, and the demo seeding."""
        for field in names.NAME_FIELDS:
            setattr(self, field, names.normalised(field, getattr(self, field)))
        if not self.first_birth_first_name:
            # Paths that do not ask the trait (an inquiry turned into a record, the demo, the
            # rows of the data migration) start from the first word of the list; the identity
            # form asks it, and the person's documents correct it (a strict trait).
            self.first_birth_first_name = names.first_word(self.first_names)

    def changed_strict_traits(self, data: dict) -> list[str]:
        """The strict traits `data` changes, compared once normalised: « Martin » typed again
        as « MARTIN » is not a change."""
        return [
            f
            for f in STRICT_TRAITS
            if f in data and not names.same_trait(f, data[f], self.strict_trait(f))
        ]

    def strict_trait(self, field: str):
        # A first birth first name not written yet is the one every screen shows.
        return self.first_first_name if field == "first_birth_first_name" else getattr(self, field)

    def clean(self) -> None:
        self.normalise_names()
        errors = {}
        if self.birth_date and self.birth_date > dates.today():
            errors["birth_date"] = _("La date de naissance ne peut être dans le futur.")
        elif self.birth_date and self.birth_date < date(1880, 1, 1):
            errors["birth_date"] = _("Cette date de naissance est invalide (avant 1880).")
        if self.ins_number:
            self.ins_number = nir.compact(self.ins_number)
        if (
            self.first_names
            and self.first_birth_first_name
            and not names.begins_with(self.first_names, self.first_birth_first_name)
        ):
            errors["first_birth_first_name"] = _(
                "Le premier prénom de naissance est le début de la liste des prénoms de "
                "naissance (« Jean Pierre » pour « Jean Pierre Marie ») : corrigez l'un ou "
                "l'autre."
            )
        if self.photo_consent and not self.photo_consent_on:
            errors["photo_consent_on"] = _("Indiquez la date du consentement à la photo.")
        if self.birth_date and "birth_date" not in errors:
            errors.update(before_birth_errors(self, photo_consent_on=self.photo_consent_on))
        if errors:
            raise ValidationError(errors)

    def refresh_search_name(self) -> None:
        self.search_name = normalise_name(
            " ".join([self.birth_name, self.used_name, self.first_names, self.used_first_name])
        )


class EvidenceKind(models.TextChoices):
    """FR Core « mode de validation de l'identité » codes (`rniv.py` says which validate)."""

    IDENTITY_CARD = rniv.CN, _("Carte nationale d'identité")
    PASSPORT = rniv.PA, _("Passeport")
    RESIDENCE_PERMIT = rniv.CS, _("Carte de séjour ou titre de séjour")
    E_IDENTITY_CARD = rniv.ECN, _("e-carte d'identité")
    DIGITAL_IDENTITY = rniv.IN, _("Identité Numérique La Poste")
    VITALE_APP = rniv.AV, _("Application carte Vitale")
    FAMILY_BOOK_AND_VITALE = (
        rniv.LECV,
        _("Livret de famille, avec la carte Vitale avec photographie (admission directe en EHPAD)"),
    )
    BIRTH_CERTIFICATE_AND_VITALE = (
        rniv.ANCV,
        _(
            "Extrait d'acte de naissance, avec la carte Vitale avec photographie (admission "
            "directe en EHPAD)"
        ),
    )
    BIRTH_CERTIFICATE = (
        rniv.AN,
        _("Extrait d'acte de naissance (mineur, avec la pièce d'un parent)"),
    )
    FAMILY_BOOK = rniv.LEP, _("Livret de famille des parents (mineur, avec la pièce d'un parent)")
    MINOR_TRAVEL_DOCUMENT = rniv.CC, _("Document de circulation pour étranger mineur")
    OTHER = rniv.OTHER, _("Autre justificatif (ne valide pas l'identité)")


# RNIV: the "dispositifs d'identification à haut niveau de confiance", which validate an
# identity on their own (the exceptions of RNIV 2024 §3.3.3 are in `rniv.py`).
HIGH_TRUST_EVIDENCE = frozenset(EvidenceKind(code) for code in rniv.HIGH_TRUST)


class IdentityEvidence(TimestampedModel):
    """An identity document shown and checked against the recorded traits."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="identity_evidence", verbose_name=_("usager")
    )
    kind = models.CharField(_("justificatif"), max_length=20, choices=EvidenceKind.choices)
    expires_on = models.DateField(_("date d'expiration"), null=True, blank=True)
    checked_on = models.DateField(_("contrôlé le"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contrôlé par"),
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copie numérisée"),
    )
    # RNIV 2024 §3.3.3, minors: the high-trust document of a parent, tutor or délégataire that
    # goes with the child's birth certificate or family book.
    guarantor = models.ForeignKey(
        "ParentalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pièce présentée par"),
    )
    guarantor_document_kind = models.CharField(
        _("pièce d'identité du parent, du tuteur ou du délégataire"),
        max_length=20,
        blank=True,
        choices=[(code, EvidenceKind(code).label) for code in sorted(rniv.HIGH_TRUST)],
    )
    # RNIV 2024 §3.3.3, EHPAD: the family book or birth extract with the carte Vitale bearing a
    # photograph, « applicable que pour une admission directe en EHPAD ».
    direct_ehpad_admission = models.BooleanField(_("admission directe en EHPAD"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("justificatif d'identité")
        verbose_name_plural = _("justificatifs d'identité")
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.checked_on:%d/%m/%Y})"

    def clean(self) -> None:
        if self.person_id:
            refuse_before_birth(self.person, checked_on=self.checked_on)

    @property
    def is_high_trust(self) -> bool:
        return self.kind in HIGH_TRUST_EVIDENCE

    @property
    def validates(self) -> bool:
        """Recorded as a validation of the identity (a refused combination is never saved:
        `services.identity_evidence_record`)."""
        return self.kind in rniv.VALIDATING


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Conjoint·e, partenaire")
    CHILD = "child", _("Enfant")
    GRANDCHILD = "grandchild", _("Petit-enfant")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Frère, sœur")
    OTHER_FAMILY = "other_family", _("Autre membre de la famille")
    FRIEND = "friend", _("Ami·e")
    NEIGHBOUR = "neighbour", _("Voisin·e")
    PROFESSIONAL = "professional", _("Professionnel")
    OTHER = "other", _("Autre")


class ContactQuerySet(models.QuerySet):
    def current(self):
        """In the entourage now: not gone (`ended_on`), not entered in error."""
        return self.filter(ended_on__isnull=True, entered_in_error=False)

    def trusted_person_of(self, person):
        """The person's current trusted person (CASF L311-5-1): one row at most, the database
        keeps one at a time (`contact_one_trusted_person`). The one rule for "who is the
        trusted person": the header, the entourage tab, the merge and the services use it."""
        return self.current().filter(person=person, is_trusted_person=True)


class Contact(AmendableModel):
    """Someone around the person: family, friend, neighbour, professional."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("usager")
    )
    last_name = models.CharField(_("nom"), max_length=100, validators=[validate_name])
    first_name = models.CharField(
        _("prénom"), max_length=100, blank=True, validators=[validate_name]
    )
    relationship = models.CharField(_("lien"), max_length=16, choices=Relationship.choices)
    relationship_detail = models.CharField(
        _("précision du lien"),
        max_length=100,
        blank=True,
        help_text=_("Ex. : fille aînée, nièce, curateur."),
    )
    organisation_name = models.CharField(_("organisme"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    phone_alt = models.CharField(_("autre téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    address = models.TextField(_("adresse"), blank=True)
    is_trusted_person = models.BooleanField(_("personne de confiance"), default=False)
    trusted_person_designated_on = models.DateField(
        _("désignée personne de confiance le"), null=True, blank=True
    )
    trusted_person_form = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("formulaire de désignation signé"),
    )
    # CASF L311-5-1 al. 4 and CSP L1111-6 last al.: under a measure with assistance or
    # representation for personal acts, the designation needs the authorisation of the family
    # council, if constituted, or else of the juge des tutelles.
    trusted_person_authorised_by = models.CharField(
        _("désignation autorisée par"),
        max_length=16,
        blank=True,
        choices=[
            ("judge", _("le juge des tutelles")),
            ("family_council", _("le conseil de famille")),
        ],
    )
    trusted_person_authorised_on = models.DateField(_("autorisation du"), null=True, blank=True)
    trusted_person_authorisation = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("autorisation numérisée"),
    )
    is_family_referent = models.BooleanField(_("référent familial"), default=False)
    is_emergency_contact = models.BooleanField(_("à prévenir en cas d'urgence"), default=False)
    notes = models.TextField(_("remarques"), blank=True)
    ended_on = models.DateField(
        _("ne fait plus partie de l'entourage depuis"), null=True, blank=True
    )
    history = HistoricalRecords()

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("proche / contact")
        verbose_name_plural = _("entourage")
        ordering = ["-is_trusted_person", "-is_emergency_contact", "last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_trusted_person=False)
                | Q(trusted_person_designated_on__isnull=False),
                name="contact_trusted_person_has_designation_date",
                violation_error_message=_(
                    "Indiquez la date de désignation de la personne de confiance."
                ),
            ),
            # CASF L311-5-1: one trusted person at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_trusted_person=True, ended_on__isnull=True, entered_in_error=False),
                name="contact_one_trusted_person",
                violation_error_message=_(
                    "La personne a déjà une personne de confiance : mettez fin à la désignation "
                    "précédente avant d'en désigner une autre."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}".strip()

    @property
    def is_active(self) -> bool:
        return not self.entered_in_error and self.ended_on is None

    @property
    def is_legal_representative(self) -> bool:
        """Exercises a current protection measure (from `LegalProtection.representative_contact`)."""
        cached = getattr(self, "_current_protections", None)
        if cached is not None:
            return bool(cached)
        return self.represented_protections.filter(LegalProtection.current_q()).exists()

    @property
    def holds_parental_authority(self) -> bool:
        """Holds and exercises the parental authority of the (minor) person now."""
        cached = getattr(self, "_current_authorities", None)
        rows = (
            cached
            if cached is not None
            else self.parental_authorities.current().exercising().select_related("person")
        )
        return any(row.exercises and row.is_current for row in rows)

    def clean(self) -> None:
        self.last_name, self.first_name = names.tidy(self.last_name), names.tidy(self.first_name)
        if (
            self.is_trusted_person
            and self.trusted_person_designated_on
            and (self.trusted_person_designated_on > dates.today())
        ):
            raise ValidationError(
                {
                    "trusted_person_designated_on": _(
                        "La date de désignation ne peut être dans le futur."
                    )
                }
            )
        if self.person_id and not self.entered_in_error:
            refuse_before_birth(
                self.person, trusted_person_designated_on=self.trusted_person_designated_on
            )
        if not (self.phone or self.phone_alt or self.email or self.address) and (
            self.is_emergency_contact
        ):
            raise ValidationError(
                {
                    "phone": _(
                        "Un contact à prévenir en cas d'urgence doit avoir un téléphone ou une adresse."
                    )
                }
            )


class ProtectionKind(models.TextChoices):
    """Measures of the Code civil (title XI of book I) and the CASF's MASP. Who signs under each
    one, for each act: `protection.py`."""

    SAUVEGARDE = "sauvegarde", _("Sauvegarde de justice")
    SAUVEGARDE_MANDATAIRE = (
        "sauvegarde_mandataire",
        _("Sauvegarde de justice avec mandataire spécial"),
    )
    CURATELLE_SIMPLE = "curatelle_simple", _("Curatelle simple")
    CURATELLE_RENFORCEE = "curatelle_renforcee", _("Curatelle renforcée")
    TUTELLE = "tutelle", _("Tutelle")
    HABILITATION_ASSISTANCE = "habilitation_assistance", _("Habilitation familiale (assistance)")
    HABILITATION_REPRESENTATION = (
        "habilitation_representation",
        _("Habilitation familiale (représentation)"),
    )
    MANDAT_PROTECTION_FUTURE = "mandat_protection_future", _("Mandat de protection future")
    MASP = "masp", _("Mesure d'accompagnement social personnalisé (MASP)")
    MAJ = "maj", _("Mesure d'accompagnement judiciaire (MAJ)")


class ProtectionScope(models.TextChoices):
    PERSON_AND_ASSETS = "both", _("Personne et biens")
    PERSON = "person", _("Personne")
    ASSETS = "assets", _("Biens")


class PersonalActs(models.TextChoices):
    """What the judge (or the family council) decided for the acts relating to the person
    (C. civ. 459 al. 2); by default the person decides them alone (459 al. 1)."""

    NONE = "none", _("La personne décide seule (C. civ. 459 al. 1)")
    ASSISTANCE = "assistance", _("Assistance ordonnée par le juge (C. civ. 459 al. 2)")
    REPRESENTATION = "representation", _("Représentation autorisée par le juge (C. civ. 459 al. 2)")


# Which personal-acts decisions each measure allows. Curatelle: the curator assists, never
# represents (469 al. 1; 459 al. 2 allows representation only « après le prononcé d'une
# habilitation familiale ou l'ouverture d'une mesure de tutelle »). Mandat de protection
# future: the mandate may give the mandataire the missions of a tutor to the person (479
# al. 2). Sauvegarde with mandataire spécial: 438 lets the judge give him a mission of
# protection of the person « dans le respect des articles 457-1 à 463 » (how 459 al. 2 applies
# to it is non vérifié: recorded as the ordonnance says). Simple sauvegarde, MASP and MAJ take
# no capacity away (435, CASF L271-1, 495-3).
ALLOWED_PERSONAL_ACTS = {
    ProtectionKind.SAUVEGARDE: {PersonalActs.NONE},
    ProtectionKind.SAUVEGARDE_MANDATAIRE: set(PersonalActs),
    ProtectionKind.CURATELLE_SIMPLE: {PersonalActs.NONE, PersonalActs.ASSISTANCE},
    ProtectionKind.CURATELLE_RENFORCEE: {PersonalActs.NONE, PersonalActs.ASSISTANCE},
    ProtectionKind.TUTELLE: set(PersonalActs),
    ProtectionKind.HABILITATION_ASSISTANCE: {PersonalActs.NONE, PersonalActs.ASSISTANCE},
    ProtectionKind.HABILITATION_REPRESENTATION: set(PersonalActs),
    ProtectionKind.MANDAT_PROTECTION_FUTURE: {PersonalActs.NONE, PersonalActs.REPRESENTATION},
    ProtectionKind.MASP: {PersonalActs.NONE},
    ProtectionKind.MAJ: {PersonalActs.NONE},
}
# Measures that someone exercises: the form asks who.
NEEDS_REPRESENTATIVE = frozenset(
    {
        ProtectionKind.SAUVEGARDE_MANDATAIRE,
        ProtectionKind.CURATELLE_SIMPLE,
        ProtectionKind.CURATELLE_RENFORCEE,
        ProtectionKind.TUTELLE,
        ProtectionKind.HABILITATION_ASSISTANCE,
        ProtectionKind.HABILITATION_REPRESENTATION,
        ProtectionKind.MANDAT_PROTECTION_FUTURE,
        ProtectionKind.MAJ,
    }
)
# Measures that may be limited to the acts their judgement lists: habilitation familiale
# « spéciale » (494-6), and the mandataire spécial, appointed « à l'effet d'accomplir un ou
# plusieurs actes déterminés » (437) — always limited.
MAY_LIST_ACTS = frozenset(
    {
        ProtectionKind.HABILITATION_ASSISTANCE,
        ProtectionKind.HABILITATION_REPRESENTATION,
        ProtectionKind.SAUVEGARDE_MANDATAIRE,
    }
)
ALWAYS_LISTED_ACTS = frozenset({ProtectionKind.SAUVEGARDE_MANDATAIRE})


class LegalProtectionQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """The one rule for "is this measure in force on this day?": started (a measure
        pronounced to start later does not count yet), not lifted, not entered in error."""
        return self.filter(LegalProtection.current_q(on=on))


class LegalProtection(AmendableModel):
    """A legal protection measure (Code civil art. 425 s.; CASF L271-1 for the MASP)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="legal_protections", verbose_name=_("usager")
    )
    kind = models.CharField(_("mesure"), max_length=32, choices=ProtectionKind.choices)
    scope = models.CharField(
        _("étendue"),
        max_length=8,
        choices=ProtectionScope.choices,
        default=ProtectionScope.PERSON_AND_ASSETS,
        help_text=_(
            "Protection de la personne, de ses biens, ou des deux, selon le jugement (ou le "
            "mandat)."
        ),
    )
    personal_acts = models.CharField(
        _("actes relatifs à la personne"),
        max_length=16,
        choices=PersonalActs.choices,
        default=PersonalActs.NONE,
        help_text=_(
            "Sauf décision contraire du juge, la personne protégée prend seule les décisions "
            "relatives à sa personne. Indiquez ce que dit le jugement."
        ),
    )
    acts_listed = models.BooleanField(
        _("limitée aux actes énumérés par le jugement"),
        default=False,
        help_text=_("Habilitation familiale spéciale, mandataire spécial."),
    )
    covers_accommodation_contract = models.BooleanField(
        _("le contrat de séjour (hébergement et frais) fait partie de ces actes"),
        default=False,
    )
    curator_signs_accommodation_alone = models.BooleanField(
        _("le juge autorise le curateur à conclure seul la convention d'hébergement"),
        default=False,
        help_text=_("Curatelle renforcée seulement (C. civ. 472 al. 2)."),
    )
    started_on = models.DateField(
        _("depuis le"),
        help_text=_("Une mesure qui commence plus tard (à la majorité, par ex.) compte à sa date."),
    )
    review_on = models.DateField(
        _("échéance / révision"),
        null=True,
        blank=True,
        help_text=_("Date de fin fixée par le jugement."),
    )
    ended_on = models.DateField(_("levée le"), null=True, blank=True)
    court = models.CharField(_("juridiction"), max_length=150, blank=True)
    judgement_reference = models.CharField(_("référence du jugement"), max_length=80, blank=True)
    judgement_date = models.DateField(_("date du jugement"), null=True, blank=True)
    judgement_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jugement numérisé"),
    )
    representative_contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_protections",
        verbose_name=_("exercée par (proche)"),
    )
    representative_partner = models.ForeignKey(
        "coordination.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_protections",
        verbose_name=_("exercée par (mandataire judiciaire)"),
    )
    notes = models.TextField(_("remarques"), blank=True)
    history = HistoricalRecords()

    objects = LegalProtectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mesure de protection")
        verbose_name_plural = _("mesures de protection")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("started_on")),
                name="protection_review_after_start",
                violation_error_message=_("L'échéance de la mesure doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="protection_end_after_start",
                violation_error_message=_("La levée de la mesure doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(representative_contact__isnull=True)
                | Q(representative_partner__isnull=True),
                name="protection_one_representative",
                violation_error_message=_(
                    "La mesure est exercée soit par un proche, soit par un mandataire judiciaire, pas les deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(curator_signs_accommodation_alone=False)
                | Q(kind="curatelle_renforcee"),
                name="protection_472_curatelle_renforcee_only",
                violation_error_message=_(
                    "Seul le juge d'une curatelle renforcée peut autoriser le curateur à conclure "
                    "seul la convention d'hébergement (C. civ. 472 al. 2)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @staticmethod
    def current_q(prefix: str = "", on: date | None = None) -> Q:
        """In force on `on` (today by default): started, not lifted (the day of the lifting is
        the first day without it), not entered in error."""
        on = on or dates.today()
        return (
            Q(**{f"{prefix}entered_in_error": False})
            & Q(**{f"{prefix}started_on__lte": on})
            & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on}))
        )

    @property
    def representative_name(self) -> str:
        if self.representative_contact_id:
            return self.representative_contact.display_name
        if self.representative_partner_id:
            return self.representative_partner.name
        return ""

    def is_current_on(self, on: date) -> bool:
        return (
            not self.entered_in_error
            and self.started_on <= on
            and (self.ended_on is None or self.ended_on > on)
        )

    @property
    def is_current(self) -> bool:
        return self.is_current_on(dates.today())

    @property
    def is_upcoming(self) -> bool:
        """Pronounced, but starting later: shown, not counted."""
        return not self.entered_in_error and self.started_on > dates.today()

    @property
    def covers_person(self) -> bool:
        return self.scope in (ProtectionScope.PERSON, ProtectionScope.PERSON_AND_ASSETS)

    @property
    def covers_assets(self) -> bool:
        return self.scope in (ProtectionScope.ASSETS, ProtectionScope.PERSON_AND_ASSETS)

    @property
    def limited_to_listed_acts(self) -> bool:
        return self.kind in ALWAYS_LISTED_ACTS or (self.kind in MAY_LIST_ACTS and self.acts_listed)

    @property
    def review_overdue(self) -> bool:
        return bool(self.review_on and self.review_on < dates.today() and self.is_current)

    def clean(self) -> None:
        errors = {}
        if self.kind in NEEDS_REPRESENTATIVE and not (
            self.representative_contact_id or self.representative_partner_id
        ):
            errors["representative_contact"] = _(
                "Indiquez qui exerce la mesure : un proche de l'entourage ou un mandataire judiciaire."
            )
        if (
            self.representative_contact_id
            and self.representative_contact.person_id != self.person_id
        ):
            errors["representative_contact"] = _(
                "Ce proche appartient à l'entourage d'une autre personne."
            )
        allowed = ALLOWED_PERSONAL_ACTS.get(self.kind, {PersonalActs.NONE})
        if self.personal_acts not in allowed:
            errors["personal_acts"] = _(
                "%(kind)s : le juge ne peut pas ordonner cela pour les actes relatifs à la "
                "personne (C. civ. 459 al. 2, 469) ; choisissez parmi : %(allowed)s."
            ) % {
                "kind": self.get_kind_display(),
                "allowed": " ; ".join(
                    str(PersonalActs(code).label).lower()
                    for code in PersonalActs.values
                    if code in allowed
                ),
            }
        elif self.personal_acts != PersonalActs.NONE and not self.covers_person:
            errors["personal_acts"] = _(
                "Une mesure limitée aux biens ne donne ni assistance ni représentation pour les "
                "actes relatifs à la personne : choisissez l'étendue « personne » ou « personne "
                "et biens »."
            )
        if self.acts_listed and self.kind not in MAY_LIST_ACTS:
            errors["acts_listed"] = _(
                "Seules l'habilitation familiale spéciale et la sauvegarde avec mandataire "
                "spécial sont limitées à des actes énumérés."
            )
        if self.covers_accommodation_contract and not self.limited_to_listed_acts:
            errors["covers_accommodation_contract"] = _(
                "À indiquer seulement pour une mesure limitée aux actes énumérés par le jugement."
            )
        if self.curator_signs_accommodation_alone and not self.covers_assets:
            errors["curator_signs_accommodation_alone"] = _(
                "Cette autorisation porte sur le logement et ses frais : la mesure doit "
                "protéger les biens."
            )
        if self.person_id and not self.entered_in_error:
            errors.update(
                before_birth_errors(
                    self.person, started_on=self.started_on, judgement_date=self.judgement_date
                )
            )
            if (
                self.started_on
                and "started_on" not in errors
                and self.person.majority_on(self.started_on) == Majority.MINOR
            ):
                # C. civ. 425 protects adults; a measure asked for in the year before majority
                # « ne prend effet qu'au jour de la majorité » (429 al. 2, as commonly read).
                errors["started_on"] = _(
                    "La personne est mineure à cette date : une mesure de protection des majeurs "
                    "prend effet au plus tôt le jour de ses 18 ans. Pour un mineur, enregistrez "
                    "l'autorité parentale."
                )
        if self.judgement_date and self.judgement_date > dates.today():
            errors["judgement_date"] = _("La date du jugement ne peut être dans le futur.")
        if errors:
            raise ValidationError(errors)


class ParentalRole(models.TextChoices):
    PARENT = "parent", _("Parent")
    TUTOR = "tutor", _("Tuteur du mineur (C. civ. 390 s.)")
    DELEGATE = "delegate", _("Délégataire de l'autorité parentale (C. civ. 377)")
    CUSTODIAN = "custodian", _("Service ou tiers à qui l'enfant est confié (ASE, C. civ. 375-3)")


class AuthorityExercise(models.TextChoices):
    JOINT = "joint", _("Exercice en commun")
    SOLE = "sole", _("Exercice exclusif")
    NONE = "none", _("Sans l'exercice de l'autorité parentale")


class GuardianRelation(models.TextChoices):
    """The holder's tie with the child: codes of the national value set J14
    « QualitéReprésentantLégal » (TRE_R216 HL7 RoleCode), which TDDUI's contact relation
    (`tddui-contact-relation`) uses with the role GUARD (« responsable légal », J384)."""

    MOTHER = "MTH", _("Mère")
    FATHER = "FTH", _("Père")
    ADOPTIVE_MOTHER = "ADOPTM", _("Mère adoptive")
    ADOPTIVE_FATHER = "ADOPTF", _("Père adoptif")
    STEPMOTHER = "STPMTH", _("Belle-mère (épouse du père ou de la mère)")
    STEPFATHER = "STPFTH", _("Beau-père (époux du père ou de la mère)")
    GRANDMOTHER = "GRMTH", _("Grand-mère")
    GRANDFATHER = "GRFTH", _("Grand-père")
    AUNT = "AUNT", _("Tante")
    UNCLE = "UNCLE", _("Oncle")
    SISTER = "SIS", _("Sœur")
    BROTHER = "BRO", _("Frère")
    FOSTER_MOTHER = "MTHFOST", _("Assistante familiale (famille d'accueil)")
    FOSTER_FATHER = "FTHFOST", _("Assistant familial (famille d'accueil)")
    OTHER_FAMILY = "FAMMEMB", _("Autre membre de la famille")
    OTHER = "FRND", _("Autre proche")


PARENT_RELATIONS = frozenset(
    {
        GuardianRelation.MOTHER,
        GuardianRelation.FATHER,
        GuardianRelation.ADOPTIVE_MOTHER,
        GuardianRelation.ADOPTIVE_FATHER,
    }
)
# TDDUI export of a holder (RelatedPerson): role GUARD (J384), relation from J14 above, and
# for a tutor the legal-protection slice TRE_R217 « TUTEUR ».
TDDUI_ROLE_GUARD = "GUARD"
TDDUI_PROTECTION_TUTOR = "TUTEUR"


class AuthorityDecisionKind(models.TextChoices):
    FILIATION = "filiation", _("Filiation (de plein droit, C. civ. 371-1 et 372)")
    FAMILY_JUDGE = "family_judge", _("Jugement du juge aux affaires familiales (C. civ. 373-2-1)")
    DELEGATION = "delegation", _("Jugement de délégation (C. civ. 377)")
    WITHDRAWAL = "withdrawal", _("Jugement de retrait de l'autorité parentale (C. civ. 378 s.)")
    GUARDIANSHIP = (
        "guardianship",
        _("Ouverture de la tutelle, désignation du tuteur (C. civ. 390 s.)"),
    )
    CHILDREN_JUDGE = (
        "children_judge",
        _("Décision du juge des enfants (assistance éducative, C. civ. 375 s.)"),
    )
    CHILD_WELFARE = (
        "child_welfare",
        _("Accueil provisoire à l'ASE, avec l'accord écrit des parents (CASF L223-2)"),
    )
    OTHER = "other", _("Autre décision")


# Roles that rest on a decision: the form asks its date (and the RNIV's minors' exception needs
# it for a tutor or a délégataire).
ROLES_WITH_DECISION = frozenset({ParentalRole.TUTOR, ParentalRole.DELEGATE, ParentalRole.CUSTODIAN})
MAX_JOINT_HOLDERS = 2


class ParentalAuthorityQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """Rows in force on `on` (today by default). Parental authority also ends at the child's
        majority: `ParentalAuthority.is_current_on` and `protection.who_signs` ask the person's
        age at the date of the act."""
        on = on or dates.today()
        return self.filter(
            Q(entered_in_error=False),
            Q(started_on__lte=on),
            Q(ended_on__isnull=True) | Q(ended_on__gt=on),
        )

    def exercising(self):
        return self.filter(exercise__in=[AuthorityExercise.JOINT, AuthorityExercise.SOLE])


class ParentalAuthority(AmendableModel):
    """Who holds (or, for the ASE or a tiers, has custody of) a minor: one row per holder.

    Parents hold parental authority together (C. civ. 371-1, 372) — never more than two holders
    exercising it jointly — unless a judgement gives its exercise to one of them (373-2-1); a
    tutor replaces them when both are dead or deprived of it (390, 408); a délégataire holds
    what the judgement delegates (377); the service or tiers to whom the child is confié
    (ASE, 375-3) does the usual acts only, the parents keeping the rest (373-4, 375-7)."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="parental_authorities",
        verbose_name=_("enfant"),
    )
    role = models.CharField(_("qualité"), max_length=10, choices=ParentalRole.choices)
    exercise = models.CharField(
        _("exercice"),
        max_length=5,
        choices=AuthorityExercise.choices,
        default=AuthorityExercise.JOINT,
    )
    holder_contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parental_authorities",
        verbose_name=_("titulaire (proche)"),
    )
    holder_partner = models.ForeignKey(
        "coordination.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parental_authorities",
        verbose_name=_("titulaire (service, ASE)"),
    )
    relation = models.CharField(
        _("lien avec l'enfant"), max_length=8, blank=True, choices=GuardianRelation.choices
    )
    started_on = models.DateField(_("depuis le"))
    ended_on = models.DateField(_("fin le"), null=True, blank=True)
    decision_kind = models.CharField(
        _("fondement"),
        max_length=16,
        choices=AuthorityDecisionKind.choices,
        default=AuthorityDecisionKind.FILIATION,
    )
    decision_date = models.DateField(_("date de la décision"), null=True, blank=True)
    decision_reference = models.CharField(_("référence de la décision"), max_length=80, blank=True)
    court = models.CharField(_("juridiction ou autorité"), max_length=150, blank=True)
    decision_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision numérisée"),
    )
    notes = models.TextField(_("remarques"), blank=True)
    history = HistoricalRecords()

    objects = ParentalAuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("autorité parentale")
        verbose_name_plural = _("autorité parentale")
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(holder_contact__isnull=False) & Q(holder_partner__isnull=True))
                | (Q(holder_contact__isnull=True) & Q(holder_partner__isnull=False)),
                name="parental_authority_one_holder",
                violation_error_message=_(
                    "Indiquez le titulaire : un proche de l'entourage ou un service (ASE), l'un "
                    "ou l'autre."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(role="parent") | Q(holder_contact__isnull=False),
                name="parental_authority_parent_is_a_contact",
                violation_error_message=_("Un parent est une personne de l'entourage."),
            ),
            models.CheckConstraint(
                condition=~Q(role="custodian") | Q(exercise="none"),
                name="parental_authority_custodian_does_not_exercise",
                violation_error_message=_(
                    "Le service ou le tiers à qui l'enfant est confié accomplit les actes usuels "
                    "mais n'exerce pas l'autorité parentale (C. civ. 373-4, 375-7)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="parental_authority_end_after_start",
                violation_error_message=_("La fin doit suivre le début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} ({self.get_role_display()})"

    @property
    def holder(self):
        return self.holder_contact if self.holder_contact_id else self.holder_partner

    @property
    def holder_name(self) -> str:
        if self.holder_contact_id:
            return self.holder_contact.display_name
        if self.holder_partner_id:
            return self.holder_partner.name
        return ""

    @property
    def capacity(self) -> str:
        """How the header and the contract name this holder: « mère », « tuteur »…"""
        if self.role == ParentalRole.PARENT and self.relation:
            return str(self.get_relation_display()).lower()
        return str(
            {
                ParentalRole.PARENT: _("parent"),
                ParentalRole.TUTOR: _("tuteur"),
                ParentalRole.DELEGATE: _("délégataire de l'autorité parentale"),
                ParentalRole.CUSTODIAN: _("service gardien"),
            }[ParentalRole(self.role)]
        )

    @property
    def exercises(self) -> bool:
        return self.exercise in (AuthorityExercise.JOINT, AuthorityExercise.SOLE)

    @property
    def has_decision(self) -> bool:
        return bool(self.decision_date and (self.decision_reference or self.decision_document_id))

    def is_current_on(self, on: date) -> bool:
        """In force on `on`, the child still a minor (or possibly one) that day."""
        return (
            not self.entered_in_error
            and self.started_on <= on
            and (self.ended_on is None or self.ended_on > on)
            and self.person.majority_on(on) != Majority.ADULT
        )

    @property
    def is_current(self) -> bool:
        return self.is_current_on(dates.today())

    def tddui_relationship(self) -> dict:
        """The codes a TDDUI RelatedPerson carries for this holder (export in dui/interop)."""
        codes = {"role": TDDUI_ROLE_GUARD, "relation": self.relation}
        if self.role == ParentalRole.TUTOR:
            codes["legal_protection"] = TDDUI_PROTECTION_TUTOR
        return codes

    def clean(self) -> None:
        errors = {}
        if self.role == ParentalRole.PARENT and self.relation not in PARENT_RELATIONS:
            errors["relation"] = _(
                "Un parent est la mère ou le père de l'enfant (adoptif le cas échéant)."
            )
        elif self.holder_contact_id and not self.relation:
            errors["relation"] = _("Indiquez le lien de ce proche avec l'enfant.")
        if self.holder_contact_id and self.holder_contact.person_id != self.person_id:
            errors["holder"] = _("Ce proche appartient à l'entourage d'une autre personne.")
        if self.role in (ParentalRole.TUTOR, ParentalRole.DELEGATE) and not self.exercises:
            errors["exercise"] = _(
                "Le tuteur ou le délégataire exerce l'autorité parentale (seul, ou en commun "
                "avec un parent en cas de délégation partagée, C. civ. 377-1)."
            )
        if self.role in ROLES_WITH_DECISION and not self.decision_date:
            errors["decision_date"] = _(
                "Indiquez la date de la décision qui fonde ce rôle (jugement, ordonnance, "
                "accueil provisoire)."
            )
        if self.decision_date and self.decision_date > dates.today():
            errors["decision_date"] = _("La date de la décision ne peut être dans le futur.")
        if self.started_on and self.started_on > dates.today():
            errors["started_on"] = _("La date ne peut être dans le futur.")
        if self.person_id and not self.entered_in_error:
            errors.update(
                before_birth_errors(
                    self.person, started_on=self.started_on, decision_date=self.decision_date
                )
            )
            if (
                self.started_on
                and "started_on" not in errors
                and self.person.majority_on(self.started_on) == Majority.ADULT
            ):
                errors["started_on"] = _(
                    "La personne est majeure à cette date : l'autorité parentale prend fin à 18 "
                    "ans (C. civ. 371-1, 414). Pour un majeur, enregistrez une mesure de "
                    "protection."
                )
        if errors:
            raise ValidationError(errors)


class PersonAlert(AmendableModel):
    """A short alert shown in the record header (e.g. risque de fugue, ne pas communiquer la
    présence), visible only to professions reading its category."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Vigilance")
        DANGER = "danger", _("Danger")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("usager")
    )
    category = models.CharField(
        _("partie du dossier"), max_length=16, choices=InformationCategory.choices
    )
    label = models.CharField(_("alerte"), max_length=80)
    detail = models.CharField(_("précision"), max_length=300, blank=True)
    level = models.CharField(
        _("niveau"), max_length=8, choices=Level.choices, default=Level.WARNING
    )
    ended_on = models.DateField(_("levée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-level", "label"]

    def __str__(self) -> str:
        return self.label


class InsuranceScheme(models.TextChoices):
    GENERAL = "general", _("Régime général")
    AGRICULTURAL = "agricultural", _("Régime agricole (MSA)")
    CIVIL_SERVANTS = "civil_servants", _("Fonctionnaires, régimes spéciaux")
    OTHER = "other", _("Autre régime")


class AdministrativeFile(VersionedModel):
    """Address before admission, social security, complementary insurance, GP."""

    person = models.OneToOneField(
        Person,
        on_delete=models.PROTECT,
        related_name="administrative_file",
        verbose_name=_("usager"),
    )
    previous_address = models.CharField(_("adresse avant l'entrée"), max_length=200, blank=True)
    previous_postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    previous_city = models.CharField(_("commune"), max_length=100, blank=True)
    insured_number = models.CharField(
        _("n° d'immatriculation de l'assuré"),
        max_length=15,
        blank=True,
        validators=[validate_nir],
        help_text=_(
            "NIR figurant sur la carte Vitale ou l'attestation (celui de l'ouvrant droit le cas échéant)."
        ),
    )
    scheme = models.CharField(
        _("régime"), max_length=16, choices=InsuranceScheme.choices, blank=True
    )
    insurance_fund = models.CharField(
        _("caisse"), max_length=120, blank=True, help_text=_("Ex. : CPAM du Rhône.")
    )
    insurance_fund_code = models.CharField(_("code caisse"), max_length=9, blank=True)
    long_term_condition = models.BooleanField(_("affection de longue durée (ALD)"), default=False)
    exemption_detail = models.CharField(
        _("exonérations"),
        max_length=200,
        blank=True,
        help_text=_("Sans nommer de maladie : cette partie du dossier n'est pas médicale."),
    )
    complementary_name = models.CharField(_("complémentaire santé"), max_length=120, blank=True)
    complementary_number = models.CharField(_("n° d'adhérent"), max_length=40, blank=True)
    complementary_solidarity = models.BooleanField(
        _("complémentaire santé solidaire (CSS)"), default=False
    )
    general_practitioner = models.ForeignKey(
        "coordination.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("médecin traitant"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("données administratives")
        verbose_name_plural = _("données administratives")
        # The search by NIR also looks up the insured number (a parent's NIR for a child).
        indexes = [models.Index(fields=["insured_number"], name="admin_insured_number_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_postcode="") | Q(previous_postcode__regex=r"^[0-9]{5}$"),
                name="administrative_postcode_5_digits",
                violation_error_message=_("Le code postal compte 5 chiffres."),
            )
        ]


class SocialAidKind(models.TextChoices):
    APA = "apa", _("APA (allocation personnalisée d'autonomie)")
    PCH = "pch", _("PCH (prestation de compensation du handicap)")
    AAH = "aah", _("AAH (allocation aux adultes handicapés)")
    ASH = "ash", _("Aide sociale à l'hébergement")
    HOUSING = "housing", _("Aide au logement (APL, ALS)")
    OTHER = "other", _("Autre aide")


class SocialAid(AmendableModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="social_aids", verbose_name=_("usager")
    )
    kind = models.CharField(_("aide"), max_length=8, choices=SocialAidKind.choices)
    payer = models.CharField(
        _("organisme payeur"),
        max_length=120,
        blank=True,
        help_text=_("Ex. : Conseil départemental du Rhône, CAF."),
    )
    decision_on = models.DateField(_("date de la décision"))
    starts_on = models.DateField(_("à partir du"), null=True, blank=True)
    ends_on = models.DateField(_("jusqu'au"), null=True, blank=True)
    monthly_amount = models.DecimalField(
        _("montant mensuel (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    reference = models.CharField(_("référence du dossier"), max_length=60, blank=True)
    notes = models.CharField(_("remarques"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aide sociale")
        verbose_name_plural = _("aides sociales")
        ordering = ["-decision_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="social_aid_end_after_start",
                violation_error_message=_("La fin de l'aide doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_amount__isnull=True) | Q(monthly_amount__gte=0),
                name="social_aid_amount_not_negative",
                violation_error_message=_("Le montant ne peut être négatif."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if self.person_id and not self.entered_in_error:
            refuse_before_birth(self.person, decision_on=self.decision_on, starts_on=self.starts_on)
