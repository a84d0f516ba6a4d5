"""The care record: allergies and intolerances (shown in every page header of a person) and the
establishment's care settings (shifts, late-entry window, alert thresholds). The other parts of
the care record live in sub-packages (their models are imported at the end of this module)."""

from datetime import time
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import AmendableModel, VersionedModel
from dui.people.models import Person
from dui.people.plausibility import refuse_before_birth


class AllergyKind(models.TextChoices):
    DRUG = "drug", _("Médicament")
    FOOD = "food", _("Aliment")
    ENVIRONMENT = "environment", _("Environnement (latex, pollen…)")
    OTHER = "other", _("Autre")


class AllergySeverity(models.TextChoices):
    UNKNOWN = "unknown", _("Non précisée")
    MILD = "mild", _("Légère")
    MODERATE = "moderate", _("Modérée")
    SEVERE = "severe", _("Sévère (anaphylaxie)")


class Allergy(AmendableModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="allergies", verbose_name=_("usager")
    )
    substance = models.CharField(_("allergène"), max_length=120)
    kind = models.CharField(_("type"), max_length=12, choices=AllergyKind.choices)
    reaction = models.CharField(_("réaction observée"), max_length=200, blank=True)
    severity = models.CharField(
        _("gravité"),
        max_length=10,
        choices=AllergySeverity.choices,
        default=AllergySeverity.UNKNOWN,
    )
    is_intolerance = models.BooleanField(_("intolérance (non allergique)"), default=False)
    noted_on = models.DateField(_("connue depuis"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allergie")
        verbose_name_plural = _("allergies")
        ordering = ["-severity", "substance"]

    def __str__(self) -> str:
        return self.substance

    def clean(self) -> None:
        if self.person_id and not self.entered_in_error:
            refuse_before_birth(self.person, noted_on=self.noted_on)


class CareSettings(VersionedModel):
    """The establishment's own settings of the care record, edited by its director or
    médecin coordonnateur (history kept). Defaults apply while no row exists
    (`care.shifts.care_settings`)."""

    establishment = models.OneToOneField(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    # Shifts (postes): wall-clock times in the establishment's zone; the night ends when the
    # morning begins. Defaults: the usual 7 h / 14 h / 21 h of French EHPAD teams (no text
    # fixes them; each establishment sets its own).
    morning_starts_at = models.TimeField(_("début du poste du matin"), default=time(7, 0))
    afternoon_starts_at = models.TimeField(_("début du poste de l'après-midi"), default=time(14, 0))
    night_starts_at = models.TimeField(_("début du poste de nuit"), default=time(21, 0))
    # A care record entered later than this after the planned time needs a reason (issue 13).
    late_entry_minutes = models.PositiveSmallIntegerField(
        _("délai de saisie tardive (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(24 * 60)],
    )
    # Computed alerts (defaults documented in dui/care/alerts.py where they are used).
    fever_celsius = models.DecimalField(
        _("fièvre à partir de (°C)"), max_digits=3, decimal_places=1, default=Decimal("38.0")
    )
    hypothermia_celsius = models.DecimalField(
        _("hypothermie jusqu'à (°C)"), max_digits=3, decimal_places=1, default=Decimal("35.0")
    )
    hypoglycaemia_g_per_l = models.DecimalField(
        _("hypoglycémie en dessous de (g/L)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.70"),
    )
    hyperglycaemia_g_per_l = models.DecimalField(
        _("hyperglycémie au-dessus de (g/L)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("2.50"),
    )
    no_stools_days = models.PositiveSmallIntegerField(
        _("alerte sans selles après (jours)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réglages du dossier de soins")
        verbose_name_plural = _("réglages du dossier de soins")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_starts_at__lt=models.F("afternoon_starts_at"))
                & models.Q(afternoon_starts_at__lt=models.F("night_starts_at")),
                name="care_settings_shifts_in_order",
                violation_error_message=_(
                    "Les postes se suivent dans la journée : matin, puis après-midi, puis nuit."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(hypothermia_celsius__lt=models.F("fever_celsius"))
                & models.Q(hypoglycaemia_g_per_l__lt=models.F("hyperglycaemia_g_per_l")),
                name="care_settings_thresholds_in_order",
                violation_error_message=_(
                    "Le seuil bas doit être inférieur au seuil haut (température, glycémie)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.establishment)


from .appointments.models import *  # noqa: E402,F403
from .background.models import *  # noqa: E402,F403
from .incidents.models import *  # noqa: E402,F403
from .notes.models import *  # noqa: E402,F403
from .observations.models import *  # noqa: E402,F403
from .plan.models import *  # noqa: E402,F403
