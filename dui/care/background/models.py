"""A person's medical and care background (issue 13, item 1): antécédents and current problems,
vaccinations (medical category); devices that get lost in transfers, diet and texture, directives
anticipées and the « aucune allergie connue » statement (care category, so that the night nurse
sees them).

Each entry is corrected by a new entry or marked *entered in error*, never deleted (DESIGN §4.4).
They map onto FR Core / base FHIR, never onto TDDUI (no TDDUI profile carries them, research
notes §1.0 and §1.6); their business identifiers derive from the public UUIDs with the local
prefixes of the research notes (`ATCD`, `VACC`, `DISP`, `DIR`…), never from database keys.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core import dates
from dui.core.models import AmendableModel
from dui.people.models import Person
from dui.people.plausibility import before_birth_errors
from dui.stays.identifiers import entry_identifier

__all__ = [
    "AdvanceDirective",
    "AllergyStatement",
    "AllergyStatementCode",
    "DeviceKind",
    "Diet",
    "DietPlan",
    "DirectiveExistence",
    "HistoryKind",
    "MealHelp",
    "MedicalHistory",
    "PersonDevice",
    "Vaccination",
]

# CIM-10 (ICD-10 as published in France by the ATIH): FR Core `FRCoreConditionProfile`, system
# below. No CIM-10 file ships in /work/shared/data, so only the code's shape is checked: a letter,
# two digits, then optionally a dot and one or two characters (I10, E11.9, S72.00, F00.1*).
CIM10_SYSTEM = "https://smt.esante.gouv.fr/terminologie-cim-10"
CIM10_SHAPE = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?[*+†]?$")
# BDPM « code CIS »: 8 digits (base de données publique des médicaments, fichier CIS_bdpm.txt).
CIS_SHAPE = re.compile(r"^[0-9]{8}$")
CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-cis"

# « Aucune allergie connue »: ANS JDV_AbsentOrUnknownAllergy_CISIS (OID 1.2.250.1.213.1.1.5.661),
# codes of the IPS code system (research notes §1.6).
ABSENT_ALLERGY_SYSTEM = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"


def _not_in_future(errors: dict, **days) -> None:
    today = dates.today()
    for field, day in days.items():
        if day and day > today:
            errors[field] = _("Cette date ne peut être dans le futur.")


def _validate_dates(entry, *, after: dict | None = None, birth=True, **days) -> None:
    """Not before birth (people.plausibility, unless `birth` is false), not in the future,
    and each `after` pair (field → earlier field) in order; all errors at once, next to
    their fields."""
    errors: dict = {}
    _not_in_future(errors, **days)
    if entry.person_id and birth:
        for field, message in before_birth_errors(entry.person, **days).items():
            errors.setdefault(field, message)
    for field, earlier in (after or {}).items():
        end, start = getattr(entry, field), getattr(entry, earlier)
        if end and start and end < start:
            errors.setdefault(field, _("Cette date précède la date de début."))
    if errors:
        raise ValidationError(errors)


class BackgroundEntry(AmendableModel):
    """What every entry of the background shares: the person, and its exported identifier."""

    EXPORT_PREFIX = ""

    class Meta:
        abstract = True

    def export_identifier(self, finess: str) -> str:
        """Business identifier for an export from the establishment `finess`:
        3 + FINESS / person's public id - PREFIX - entry's public id (research notes §1.0)."""
        return entry_identifier(self, finess=finess, prefix=self.EXPORT_PREFIX)


# --- Antécédents and current problems (FR Core Condition / Procedure, FamilyMemberHistory) ---


class HistoryKind(models.TextChoices):
    PROBLEM = "problem", _("Problème de santé actuel")
    MEDICAL = "medical", _("Antécédent médical")
    SURGICAL = "surgical", _("Antécédent chirurgical")
    FAMILY = "family", _("Antécédent familial")


class MedicalHistory(BackgroundEntry):
    """An antécédent or a current problem (FR Core `FRCoreConditionProfile`: code CIM-10
    optional here, the label is the clinical text; surgical history → `FRCoreProcedureProfile`;
    family history → base `FamilyMemberHistory`). Onset: a date, a year or words (« enfance »)."""

    EXPORT_PREFIX = "ATCD"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="medical_history", verbose_name=_("usager")
    )
    kind = models.CharField(_("nature"), max_length=10, choices=HistoryKind.choices)
    label = models.CharField(_("intitulé"), max_length=200)
    cim10_code = models.CharField(_("code CIM-10"), max_length=8, blank=True)
    relative = models.CharField(_("membre de la famille concerné"), max_length=60, blank=True)
    onset_on = models.DateField(_("début (date)"), null=True, blank=True)
    onset_year = models.PositiveSmallIntegerField(
        _("début (année)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    onset_text = models.CharField(_("début (en clair)"), max_length=60, blank=True)
    ended_on = models.DateField(_("fin / guérison le"), null=True, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    note = models.CharField(_("précisions"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("antécédent")
        verbose_name_plural = _("antécédents")
        ordering = ["kind", "-is_active", "label"]
        indexes = [models.Index(fields=["person", "kind"], name="care_history_person_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="family") | ~models.Q(relative=""),
                name="care_history_family_has_relative",
                violation_error_message=_(
                    "Pour un antécédent familial, indiquez le membre de la famille concerné."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(is_active=False),
                name="care_history_ended_is_inactive",
                violation_error_message=_(
                    "Un antécédent terminé (date de fin) ne peut pas rester actif."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def onset_display(self) -> str:
        if self.onset_on:
            return self.onset_on.strftime("%d/%m/%Y")
        if self.onset_year:
            return str(self.onset_year)
        return self.onset_text

    def clean(self) -> None:
        errors = {}
        code = (self.cim10_code or "").strip().upper()
        self.cim10_code = code
        if code and not CIM10_SHAPE.match(code):
            errors["cim10_code"] = _(
                "Ce code n'a pas la forme d'un code CIM-10 (une lettre, deux chiffres, "
                "puis éventuellement un point et un ou deux caractères : I10, E11.9)."
            )
        if self.kind == HistoryKind.FAMILY and not (self.relative or "").strip():
            errors["relative"] = _(
                "Pour un antécédent familial, indiquez le membre de la famille concerné."
            )
        if self.onset_year and self.onset_year > dates.today().year:
            errors["onset_year"] = _("Cette année ne peut être dans le futur.")
        born = getattr(self.person, "birth_date", None) if self.person_id else None
        if (
            self.onset_year
            and born
            and self.kind != HistoryKind.FAMILY
            and self.onset_year < born.year
        ):
            errors["onset_year"] = _(
                "Cette année (%(year)s) précède la naissance de la personne (%(born)s)."
            ) % {"year": self.onset_year, "born": born.year}
        if self.ended_on:
            self.is_active = False
        if errors:
            raise ValidationError(errors)
        if self.person_id and not self.entered_in_error:
            # A relative's disease may predate the person's birth: only the person's own
            # history is checked against it.
            _validate_dates(
                self,
                after={"ended_on": "onset_on"},
                birth=self.kind != HistoryKind.FAMILY,
                onset_on=self.onset_on,
                ended_on=self.ended_on,
            )


# --- Vaccinations (FR Core FRImmunization) --------------------------------------------------


class Vaccination(BackgroundEntry):
    """A vaccine given (FR Core `FRImmunization`: occurrenceDateTime, vaccineCode with the BDPM
    CIS code, lotNumber, protocolApplied.doseNumberPositiveInt). The CIS code is optional until
    the medication brick ships the BDPM catalogue; only its shape (8 digits) is checked."""

    EXPORT_PREFIX = "VACC"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="vaccinations", verbose_name=_("usager")
    )
    vaccine_label = models.CharField(_("vaccin"), max_length=120)
    cis_code = models.CharField(_("code CIS (BDPM)"), max_length=8, blank=True)
    administered_on = models.DateField(_("date"))
    dose_number = models.PositiveSmallIntegerField(
        _("numéro de dose"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    lot_number = models.CharField(_("numéro de lot"), max_length=40, blank=True)
    administered_by = models.CharField(_("vaccinateur"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vaccination")
        verbose_name_plural = _("vaccinations")
        ordering = ["-administered_on", "vaccine_label"]
        indexes = [
            models.Index(fields=["person", "-administered_on"], name="care_vaccination_person")
        ]

    def __str__(self) -> str:
        return self.vaccine_label

    def clean(self) -> None:
        if self.cis_code and not CIS_SHAPE.match(self.cis_code):
            raise ValidationError({"cis_code": _("Un code CIS de la BDPM compte 8 chiffres.")})
        if self.person_id and not self.entered_in_error:
            _validate_dates(self, administered_on=self.administered_on)


# --- Devices that get lost in transfers (base FHIR Device / DeviceUseStatement) -------------


class DeviceKind(models.TextChoices):
    UPPER_DENTURE = "upper_denture", _("Prothèse dentaire du haut")
    LOWER_DENTURE = "lower_denture", _("Prothèse dentaire du bas")
    GLASSES = "glasses", _("Lunettes")
    HEARING_AID_LEFT = "hearing_aid_left", _("Appareil auditif gauche")
    HEARING_AID_RIGHT = "hearing_aid_right", _("Appareil auditif droit")
    PACEMAKER = "pacemaker", _("Stimulateur cardiaque (pacemaker)")
    WALKING_AID = "walking_aid", _("Aide à la marche (canne, déambulateur)")
    WHEELCHAIR = "wheelchair", _("Fauteuil roulant")
    OTHER = "other", _("Autre")


class PersonDevice(BackgroundEntry):
    """A device the person uses (base FHIR `DeviceUseStatement`, no FR Core profile): listed on
    transfer documents (the exit issue's DLU reads `current_devices`)."""

    EXPORT_PREFIX = "DISP"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="devices", verbose_name=_("usager")
    )
    kind = models.CharField(_("appareil"), max_length=20, choices=DeviceKind.choices)
    detail = models.CharField(_("précisions"), max_length=150, blank=True)
    marked_with_name = models.BooleanField(_("marqué au nom de la personne"), default=False)
    since = models.DateField(_("depuis le"), null=True, blank=True)
    removed_on = models.DateField(_("retiré le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appareillage")
        verbose_name_plural = _("appareillages")
        ordering = ["kind", "-since"]
        indexes = [models.Index(fields=["person", "removed_on"], name="care_device_person")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="other") | ~models.Q(detail=""),
                name="care_device_other_has_detail",
                violation_error_message=_("Pour un autre appareil, précisez lequel."),
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} ({self.detail})" if self.detail else label

    def clean(self) -> None:
        if self.kind == DeviceKind.OTHER and not (self.detail or "").strip():
            raise ValidationError({"detail": _("Pour un autre appareil, précisez lequel.")})
        if self.person_id and not self.entered_in_error:
            _validate_dates(
                self, after={"removed_on": "since"}, since=self.since, removed_on=self.removed_on
            )


# --- Diet and texture (FHIR NutritionOrder.oralDiet texture / fluidConsistencyType) ----------
# IDDSI framework (International Dysphagia Diet Standardisation Initiative, iddsi.org): drinks
# 0–4, foods 3–7. English names: the IDDSI framework's. French labels: « libellé DUI » — the
# words French EHPAD software uses (research notes §4.2); the official IDDSI France translation
# (Ruglio et al. 2017) could not be read, so none of these is claimed official.

IDDSI_FOOD_LEVELS = {
    3: ("Liquidised", "Liquidisé (purée fluide)"),
    4: ("Pureed", "Purée lisse (mixé lisse)"),
    5: ("Minced & Moist", "Haché lubrifié"),
    6: ("Soft & Bite-Sized", "Petits morceaux tendres"),
    7: ("Regular", "Normal"),
}
IDDSI_DRINK_LEVELS = {
    0: ("Thin", "Liquide (fluide)"),
    1: ("Slightly Thick", "Très légèrement épais"),
    2: ("Mildly Thick", "Légèrement épais"),
    3: ("Moderately Thick", "Modérément épais"),
    4: ("Extremely Thick", "Très épais"),
}

FOOD_LEVEL_MESSAGE = _("Le niveau IDDSI des aliments va de 3 (liquidisé) à 7 (normal).")
DRINK_LEVEL_MESSAGE = _("Le niveau IDDSI des boissons va de 0 (liquide) à 4 (très épais).")


def _iddsi_choices(levels: dict) -> list:
    return [(level, f"{level} — {fr} ({en})") for level, (en, fr) in levels.items()]


class Diet(models.TextChoices):
    DIABETIC = "diabetic", _("Diabétique (sans sucres rapides)")
    LOW_SALT = "low_salt", _("Sans sel / hyposodé")
    NO_PORK = "no_pork", _("Sans porc")
    VEGETARIAN = "vegetarian", _("Végétarien")
    HIGH_PROTEIN = "high_protein", _("Hyperprotéiné")
    ENRICHED = "enriched", _("Enrichi")
    GLUTEN_FREE = "gluten_free", _("Sans gluten")
    NO_FISH = "no_fish", _("Sans poisson")


class MealHelp(models.TextChoices):
    NONE = "none", _("Mange seul(e)")
    SETUP = "setup", _("Préparation du plateau (couper, ouvrir)")
    STIMULATION = "stimulation", _("Stimulation, surveillance")
    PARTIAL = "partial", _("Aide partielle")
    FULL = "full", _("Aide totale")


class DietPlan(BackgroundEntry):
    """Diet and texture from a date: the current one is the latest not entered in error; the
    former ones stay (history kept). IDDSI levels as CheckConstraints (foods 3–7, drinks 0–4)."""

    EXPORT_PREFIX = "REGI"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="diet_plans", verbose_name=_("usager")
    )
    since = models.DateField(_("à partir du"))
    food_level = models.PositiveSmallIntegerField(
        _("texture des aliments (IDDSI)"),
        choices=_iddsi_choices(IDDSI_FOOD_LEVELS),
        default=7,
    )
    drink_level = models.PositiveSmallIntegerField(
        _("texture des boissons (IDDSI)"),
        choices=_iddsi_choices(IDDSI_DRINK_LEVELS),
        default=0,
    )
    diets = models.JSONField(_("régimes"), default=list, blank=True)
    meal_help = models.CharField(
        _("aide au repas"), max_length=12, choices=MealHelp.choices, default=MealHelp.NONE
    )
    note = models.CharField(_("précisions"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("régime et texture")
        verbose_name_plural = _("régimes et textures")
        ordering = ["-since", "-created_at"]
        indexes = [models.Index(fields=["person", "-since"], name="care_diet_person")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(food_level__gte=3, food_level__lte=7),
                name="care_diet_iddsi_food_level",
                violation_error_message=FOOD_LEVEL_MESSAGE,
            ),
            models.CheckConstraint(
                condition=models.Q(drink_level__gte=0, drink_level__lte=4),
                name="care_diet_iddsi_drink_level",
                violation_error_message=DRINK_LEVEL_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def food_label(self) -> str:
        return IDDSI_FOOD_LEVELS.get(self.food_level, ("", ""))[1]

    @property
    def drink_label(self) -> str:
        return IDDSI_DRINK_LEVELS.get(self.drink_level, ("", ""))[1]

    @property
    def diet_labels(self) -> list[str]:
        labels = dict(Diet.choices)
        return [str(labels.get(code, code)) for code in self.diets or []]

    @property
    def summary(self) -> str:
        parts = [
            f"Aliments IDDSI {self.food_level} ({self.food_label})",
            f"boissons IDDSI {self.drink_level} ({self.drink_label})",
        ]
        return ", ".join(parts + self.diet_labels)

    def clean(self) -> None:
        errors = {}
        if self.food_level not in IDDSI_FOOD_LEVELS:
            errors["food_level"] = FOOD_LEVEL_MESSAGE
        if self.drink_level not in IDDSI_DRINK_LEVELS:
            errors["drink_level"] = DRINK_LEVEL_MESSAGE
        unknown = [code for code in self.diets or [] if code not in Diet.values]
        if unknown:
            errors["diets"] = _("Régime inconnu : %s.") % ", ".join(unknown)
        if errors:
            raise ValidationError(errors)
        if self.person_id and not self.entered_in_error:
            _validate_dates(self, since=self.since)


# --- Directives anticipées (CSP L1111-11; base FHIR Consent scope adr) ------------------------


class DirectiveExistence(models.TextChoices):
    YES = "yes", _("Oui, la personne a rédigé des directives anticipées")
    NO = "no", _("Non, pas de directives anticipées")
    UNKNOWN = "unknown", _("Ne sait pas / non recherché")


class AdvanceDirective(BackgroundEntry):
    """Whether the person wrote directives anticipées (Code de la santé publique L1111-11),
    when, where they are kept, the uploaded copy, and who checked it and when. Each check is
    a new entry; the current one is the latest (`advance_directives_of`)."""

    EXPORT_PREFIX = "DIR"

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="advance_directives",
        verbose_name=_("usager"),
    )
    existence = models.CharField(
        _("directives anticipées"), max_length=8, choices=DirectiveExistence.choices
    )
    written_on = models.DateField(_("rédigées le"), null=True, blank=True)
    kept_where = models.CharField(_("où elles sont conservées"), max_length=200, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vérifié par"),
    )
    checked_on = models.DateField(_("vérifié le"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("directives anticipées")
        verbose_name_plural = _("directives anticipées")
        ordering = ["-checked_on", "-created_at"]
        indexes = [models.Index(fields=["person", "-checked_on"], name="care_directive_person")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(existence="yes")
                | (models.Q(written_on__isnull=True) & models.Q(kept_where="")),
                name="care_directive_details_only_if_yes",
                violation_error_message=_(
                    "La date et le lieu de conservation ne se renseignent que si la personne "
                    "a rédigé des directives anticipées."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_existence_display()

    def clean(self) -> None:
        errors = {}
        if self.existence != DirectiveExistence.YES:
            if self.written_on:
                errors["written_on"] = _(
                    "Pas de date de rédaction si la personne n'a pas de directives anticipées."
                )
            if (self.kept_where or "").strip():
                errors["kept_where"] = _(
                    "Pas de lieu de conservation si la personne n'a pas de directives anticipées."
                )
        if errors:
            raise ValidationError(errors)
        if self.person_id and not self.entered_in_error:
            _validate_dates(
                self,
                after={"checked_on": "written_on"},
                written_on=self.written_on,
                checked_on=self.checked_on,
            )


# --- « Aucune allergie connue » (FR Core AllergyIntolerance, code from the ANS JDV) ----------


class AllergyStatementCode(models.TextChoices):
    # JDV_AbsentOrUnknownAllergy_CISIS (OID 1.2.250.1.213.1.1.5.661), system ABSENT_ALLERGY_SYSTEM.
    NO_KNOWN_ALLERGIES = "no-known-allergies", _("Pas d'allergie/hypersensibilité connue")


class AllergyStatement(BackgroundEntry):
    """« Aucune allergie connue », dated, with who checked. Refused while an allergy is
    recorded; recording an allergy ends it in the same transaction (`ended_at`)."""

    EXPORT_PREFIX = "ALLG"
    CODE_SYSTEM = ABSENT_ALLERGY_SYSTEM

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="allergy_statements",
        verbose_name=_("usager"),
    )
    code = models.CharField(
        _("constat"),
        max_length=40,
        choices=AllergyStatementCode.choices,
        default=AllergyStatementCode.NO_KNOWN_ALLERGIES,
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vérifié par"),
    )
    checked_on = models.DateField(_("vérifié le"))
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("constat d'absence d'allergie")
        verbose_name_plural = _("constats d'absence d'allergie")
        ordering = ["-checked_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_at__isnull=True, entered_in_error=False),
                name="care_allergy_statement_one_current",
                violation_error_message=_(
                    "« Aucune allergie connue » est déjà enregistré pour cette personne."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_code_display()

    def clean(self) -> None:
        if self.person_id and not self.entered_in_error:
            _validate_dates(self, checked_on=self.checked_on)
