"""Vital signs and measurements (constantes), the computed care alerts and the etiological
criterion of undernutrition.

FHIR: an `Observation` maps onto the FR Core vital-signs profiles (fr-core-observation-body-
weight, -bp, -body-temperature…) with the LOINC code and UCUM unit of `measures.MEASURES`; the
BMI is exported as a derived observation (39156-5, kg/m2), never stored. TDDUI has no profile
for them (research notes §1.0): the business identifier follows the project's pattern
(`export_identifier`, local prefix `OBS`, no ANS namespace).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import AmendableModel
from dui.people.models import Person
from dui.stays.identifiers import entry_identifier

from .measures import (
    BRISTOL_MAX,
    BRISTOL_MIN,
    MEASURES,
    PERIOD_HOURS_MAX,
    HeightMethod,
    Measure,
    TemperatureSite,
    refusal_message,
)

__all__ = [
    "AlertKind",
    "CareAlert",
    "Measure",
    "Observation",
    "UndernutritionEtiology",
]

EXPORT_PREFIX = "OBS"
METHOD_CHOICES = [*HeightMethod.choices, *TemperatureSite.choices]


def _bounds_constraints() -> list:
    """One named CheckConstraint per measure: its refusal bounds (`measures.MEASURES`)."""
    constraints = []
    for code, s in MEASURES.items():
        inside = Q(value__gte=s.minimum, value__lte=s.maximum)
        if s.minimum2 is not None:
            inside &= Q(value2__gte=s.minimum2, value2__lte=s.maximum2)
        constraints.append(
            models.CheckConstraint(
                condition=~Q(measure=code) | inside,
                name=f"observation_{code}_bounds",
                violation_error_message=refusal_message(code).replace("%", "%%"),
            )
        )
    return constraints


class Observation(AmendableModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="observations", verbose_name=_("usager")
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    measure = models.CharField(_("mesure"), max_length=20, choices=Measure.choices)
    # The value in the UCUM unit of the measure; for blood pressure the systolic.
    value = models.DecimalField(_("valeur"), max_digits=7, decimal_places=2)
    value2 = models.DecimalField(
        _("diastolique"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    unit_code = models.CharField(_("unité (UCUM)"), max_length=12)
    # Height: measured / estimated / declared; temperature: the site.
    method = models.CharField(_("méthode"), max_length=12, choices=METHOD_CHOICES, blank=True)
    bristol = models.PositiveSmallIntegerField(
        _("type (échelle de Bristol)"), null=True, blank=True
    )
    period_hours = models.PositiveSmallIntegerField(_("sur (heures)"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("mesuré le"))
    # Computed by the service from the normal ranges (never typed): the warning shown.
    warning = models.CharField(_("avertissement"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures (constantes)")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(
                fields=["person", "measure", "-occurred_at"], name="observation_person_measure"
            ),
        ]
        constraints = [
            *_bounds_constraints(),
            models.CheckConstraint(
                condition=Q(measure=Measure.BLOOD_PRESSURE, value2__isnull=False)
                | (~Q(measure=Measure.BLOOD_PRESSURE) & Q(value2__isnull=True)),
                name="observation_diastolic_only_for_bp",
                violation_error_message=_(
                    "La diastolique se saisit avec la systolique, pour la tension seulement."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(measure=Measure.BLOOD_PRESSURE) | Q(value__gt=models.F("value2")),
                name="observation_systolic_above_diastolic",
                violation_error_message=_(
                    "Tension impossible : la systolique doit être supérieure à la diastolique."
                ),
            ),
            models.CheckConstraint(
                condition=Q(bristol__isnull=True)
                | Q(measure=Measure.STOOLS, bristol__gte=BRISTOL_MIN, bristol__lte=BRISTOL_MAX),
                name="observation_bristol_1_7",
                violation_error_message=_("Le type de selles (Bristol) va de 1 à 7."),
            ),
            models.CheckConstraint(
                condition=Q(period_hours__isnull=True)
                | Q(
                    measure__in=[Measure.DIURESIS, Measure.FLUID_INTAKE],
                    period_hours__gte=1,
                    period_hours__lte=PERIOD_HOURS_MAX,
                ),
                name="observation_period_1_72_hours",
                violation_error_message=_("La période de recueil va de 1 à 72 heures."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.value}"

    @property
    def spec(self):
        return MEASURES[self.measure]

    @property
    def shown(self) -> str:
        """The value as the screen says it: « 37,8 °C », « 135 / 80 mmHg », « 2 selle(s)… »."""
        from .measures import fr_number

        s = self.spec
        if self.measure == Measure.BLOOD_PRESSURE:
            text = f"{fr_number(self.value, 0)} / {fr_number(self.value2, 0)} mmHg"
        else:
            text = f"{fr_number(self.value, s.decimals)} {s.unit_label}"
        if self.bristol:
            text += f" (Bristol {self.bristol})"
        if self.period_hours:
            text += f" sur {self.period_hours} h"
        if self.method:
            text += f", {self.get_method_display()}"
        return text

    def export_identifier(self) -> str:
        return entry_identifier(self, finess=self.establishment.finess, prefix=EXPORT_PREFIX)


class AlertKind(models.TextChoices):
    UNDERNUTRITION_TO_CONFIRM = "undernutrition_to_confirm", _("Dénutrition à confirmer")
    FEVER = "fever", _("Fièvre")
    HYPOTHERMIA = "hypothermia", _("Hypothermie")
    HYPOGLYCAEMIA = "hypoglycaemia", _("Hypoglycémie")
    HYPERGLYCAEMIA = "hyperglycaemia", _("Hyperglycémie")
    NO_STOOLS = "no_stools", _("Pas de selles")
    REPEATED_FALLS = "repeated_falls", _("Chutes répétées")


class CareAlert(AmendableModel):
    """An alert no one types: raised by the services that save an observation (or a fall) and
    by the daily command, shown until someone acknowledges it saying what was done. At most
    one open alert per person and kind."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="care_alerts", verbose_name=_("usager")
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    kind = models.CharField(_("alerte"), max_length=30, choices=AlertKind.choices)
    raised_at = models.DateTimeField(_("levée le"))
    detail = models.CharField(_("détail"), max_length=300)
    # What raised it: an observation here, a fall in the falls part (model label + public id).
    source_observation = models.ForeignKey(
        Observation, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    source_type = models.CharField(_("type de la source"), max_length=60, blank=True)
    source_id = models.UUIDField(_("source"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("prise en compte le"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prise en compte par"),
    )
    action_taken = models.TextField(_("ce qui a été fait"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alerte de soins")
        verbose_name_plural = _("alertes de soins")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["establishment", "acknowledged_at"], name="care_alert_open")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(acknowledged_at__isnull=True, entered_in_error=False),
                name="care_alert_one_open_per_kind",
                violation_error_message=_(
                    "Une alerte de ce type est déjà ouverte pour cette personne."
                ),
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(action_taken=""),
                name="care_alert_acknowledged_with_action",
                violation_error_message=_("Indiquez ce qui a été fait."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.detail}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None and not self.entered_in_error


class UndernutritionEtiology(AmendableModel):
    """The etiological criterion of undernutrition, recorded by a professional once a
    phenotypic criterion is met (HAS 2019 / HAS-FFN 2021: the diagnosis needs both)."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="undernutrition_etiologies",
        verbose_name=_("usager"),
    )
    reduced_intake = models.BooleanField(
        _("réduction de la prise alimentaire"),
        default=False,
        help_text=_("≥ 50 % plus d'une semaine, ou toute réduction plus de deux semaines."),
    )
    reduced_absorption = models.BooleanField(
        _("absorption réduite (malabsorption, maldigestion)"), default=False
    )
    aggression = models.BooleanField(
        _("situation d'agression"),
        default=False,
        help_text=_("Pathologie aiguë, chronique évolutive ou maligne évolutive."),
    )
    noted_on = models.DateField(_("constaté le"))
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("critère étiologique de dénutrition")
        verbose_name_plural = _("critères étiologiques de dénutrition")
        ordering = ["-noted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reduced_intake=True)
                | Q(reduced_absorption=True)
                | Q(aggression=True)
                | Q(entered_in_error=True),
                name="undernutrition_etiology_one_criterion",
                violation_error_message=_("Cochez au moins un critère étiologique."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.noted_on)
