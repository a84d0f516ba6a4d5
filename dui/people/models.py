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

from . import names, nir
from .birthplaces import birthplace, is_known_birthplace
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
    "birth_date",
    "birth_date_precision",
    "sex",
    "birthplace_code",
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
        return (self.first_names.split() or [""])[0]

    @property
    def display_name(self) -> str:
        name = self.used_name or self.birth_name
        first = self.used_first_name or self.first_first_name
        return f"{name.upper()} {first}"

    @property
    def age(self) -> int:
        today = dates.today()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

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

    def changed_strict_traits(self, data: dict) -> list[str]:
        """The strict traits `data` changes, compared once normalised: « Martin » typed again
        as « MARTIN » is not a change."""
        return [
            f
            for f in STRICT_TRAITS
            if f in data and not names.same_trait(f, data[f], getattr(self, f))
        ]

    def clean(self) -> None:
        self.normalise_names()
        errors = {}
        if self.birth_date and self.birth_date > dates.today():
            errors["birth_date"] = _("La date de naissance ne peut être dans le futur.")
        elif self.birth_date and self.birth_date < date(1880, 1, 1):
            errors["birth_date"] = _("Cette date de naissance est invalide (avant 1880).")
        if self.ins_number:
            self.ins_number = nir.compact(self.ins_number)
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
    PASSPORT = "passport", _("Passeport")
    IDENTITY_CARD = "identity_card", _("Carte nationale d'identité")
    RESIDENCE_PERMIT = "residence_permit", _("Titre de séjour")
    FAMILY_BOOK = "family_book", _("Livret de famille")
    BIRTH_CERTIFICATE = "birth_certificate", _("Extrait d'acte de naissance")
    OTHER = "other", _("Autre justificatif")


# RNIV: only these "dispositifs d'identification à haut niveau de confiance" may validate an
# identity for an adult (passport, national identity card, residence permit).
HIGH_TRUST_EVIDENCE = frozenset(
    {EvidenceKind.PASSPORT, EvidenceKind.IDENTITY_CARD, EvidenceKind.RESIDENCE_PERMIT}
)


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
    TUTELLE = "tutelle", _("Tutelle")
    CURATELLE_SIMPLE = "curatelle_simple", _("Curatelle simple")
    CURATELLE_RENFORCEE = "curatelle_renforcee", _("Curatelle renforcée")
    HABILITATION_ASSISTANCE = "habilitation_assistance", _("Habilitation familiale (assistance)")
    HABILITATION_REPRESENTATION = (
        "habilitation_representation",
        _("Habilitation familiale (représentation)"),
    )
    SAUVEGARDE = "sauvegarde", _("Sauvegarde de justice")
    MANDAT_PROTECTION_FUTURE = "mandat_protection_future", _("Mandat de protection future")
    ACCOMPAGNEMENT = "accompagnement", _("Mesure d'accompagnement (MASP / MAJ)")


class ProtectionScope(models.TextChoices):
    PERSON_AND_ASSETS = "both", _("Personne et biens")
    PERSON = "person", _("Personne")
    ASSETS = "assets", _("Biens")


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
    )
    started_on = models.DateField(_("depuis le"))
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
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @staticmethod
    def current_q(prefix: str = "") -> Q:
        today = dates.today()
        return Q(**{f"{prefix}entered_in_error": False}) & (
            Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": today})
        )

    @property
    def representative_name(self) -> str:
        if self.representative_contact_id:
            return self.representative_contact.display_name
        if self.representative_partner_id:
            return self.representative_partner.name
        return ""

    @property
    def is_current(self) -> bool:
        return not self.entered_in_error and (
            self.ended_on is None or self.ended_on > dates.today()
        )

    @property
    def review_overdue(self) -> bool:
        return bool(self.review_on and self.review_on < dates.today() and self.is_current)

    def clean(self) -> None:
        needs_representative = self.kind in {
            ProtectionKind.TUTELLE,
            ProtectionKind.CURATELLE_SIMPLE,
            ProtectionKind.CURATELLE_RENFORCEE,
            ProtectionKind.HABILITATION_ASSISTANCE,
            ProtectionKind.HABILITATION_REPRESENTATION,
            ProtectionKind.MANDAT_PROTECTION_FUTURE,
        }
        if needs_representative and not (
            self.representative_contact_id or self.representative_partner_id
        ):
            raise ValidationError(
                {
                    "representative_contact": _(
                        "Indiquez qui exerce la mesure : un proche de l'entourage ou un mandataire judiciaire."
                    )
                }
            )
        if (
            self.representative_contact_id
            and self.representative_contact.person_id != self.person_id
        ):
            raise ValidationError(
                {
                    "representative_contact": _(
                        "Ce proche appartient à l'entourage d'une autre personne."
                    )
                }
            )
        if self.started_on and self.started_on > dates.today():
            raise ValidationError(
                {"started_on": _("Le début de la mesure ne peut être dans le futur.")}
            )
        if self.person_id and not self.entered_in_error:
            refuse_before_birth(
                self.person, started_on=self.started_on, judgement_date=self.judgement_date
            )


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
