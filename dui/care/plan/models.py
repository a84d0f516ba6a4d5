"""The care plan (plan de soins) and its exactly-once traceability (issue 13, item 5).

- `CarePlanLine`: one recurring care task of a person's stay (« soin prévu »: toilette at 8 h,
  repositioning every 3 h…). A change never edits a line in place: it ends the line's version
  (`valid_until`) and starts a new one (`replaces`), so the past occurrences keep the rule they
  were planned under. FHIR: `ServiceRequest` with `occurrenceTiming` (no TDDUI profile: research
  notes §1.3; identifier prefix PSOI, a local one).
- `CareTask`: one occurrence of a line, created by `services.care_tasks_generate` only (never by
  a GET), unique per (line, due time). FHIR `Task` (`basedOn` the ServiceRequest).
- `CareRecord`: the one outcome of an occurrence (DESIGN §4.5 « exactly once »): a one-to-one
  to the task, so a second record is refused by the database itself. FHIR `Task.status` /
  `Procedure` for a done act. Corrections are new versions (history), never a second row.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import AmendableModel
from dui.stays.identifiers import entry_identifier

from . import schedule

__all__ = [
    "CareKind",
    "CarePlanLine",
    "CarePlanLineStatus",
    "CareRecord",
    "CareRecordOutcome",
    "CareTask",
]


class CareKind(models.TextChoices):
    HYGIENE = "hygiene", _("Toilette")
    CHANGE = "change", _("Change")
    DRESSING = "dressing", _("Pansement")
    REPOSITIONING = "repositioning", _("Repositionnement")
    HYDRATION = "hydration", _("Hydratation")
    MEAL_HELP = "meal_help", _("Aide au repas")
    MONITORING = "monitoring", _("Surveillance")
    OTHER = "other", _("Autre")


class CarePlanLineStatus(models.TextChoices):
    ACTIVE = "active", _("En cours")
    REPLACED = "replaced", _("Modifié (remplacé par une nouvelle version)")
    STOPPED = "stopped", _("Arrêté")


class CarePlanLine(AmendableModel):
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="care_plan_lines",
        verbose_name=_("usager"),
    )
    stay = models.ForeignKey(
        "stays.Stay", on_delete=models.PROTECT, related_name="+", verbose_name=_("séjour")
    )
    kind = models.CharField(_("type de soin"), max_length=16, choices=CareKind.choices)
    label = models.CharField(_("soin"), max_length=120)
    instructions = models.TextField(_("consignes"), blank=True)
    # Who does it: one of the establishment's care professions (drives « mes soins »).
    profession = models.ForeignKey(
        "accounts.Profession",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("profession responsable"),
    )
    # Schedule (FHIR Timing.repeat): fixed times of day (« 08:00 »), or every N hours from the
    # first of them; on the weekdays of the bitmask (Monday = bit 0); from / until two days.
    times = models.JSONField(_("heures"), default=list)
    every_hours = models.PositiveSmallIntegerField(_("toutes les (heures)"), null=True, blank=True)
    weekdays = models.PositiveSmallIntegerField(_("jours"), default=schedule.ALL_WEEKDAYS)
    starts_on = models.DateField(_("à partir du"))
    ends_on = models.DateField(_("jusqu'au"), null=True, blank=True)
    # The version's life: occurrences are planned only between these two moments. A change
    # ends this version (`valid_until`) and starts the next one (`replaces`).
    valid_from = models.DateTimeField(_("version en vigueur depuis"))
    valid_until = models.DateTimeField(_("version en vigueur jusqu'au"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("version précédente"),
    )
    # Status and its author (TDDUI `TDDUIStatusAuthor` pattern, research notes §1.0).
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=CarePlanLineStatus.choices,
        default=CarePlanLineStatus.ACTIVE,
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statut donné par"),
    )
    status_changed_at = models.DateTimeField(_("statut donné le"), null=True, blank=True)
    status_reason = models.CharField(_("motif"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("soin prévu")
        verbose_name_plural = _("plan de soins")
        ordering = ["kind", "label"]
        indexes = [models.Index(fields=["person", "status"], name="care_plan_line_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="care_plan_line_dates_in_order",
                violation_error_message=_("La date de fin ne peut précéder la date de début."),
            ),
            models.CheckConstraint(
                condition=Q(every_hours__isnull=True) | Q(every_hours__gte=1, every_hours__lte=12),
                name="care_plan_line_every_hours_range",
                violation_error_message=_("Le rythme doit être compris entre 1 et 12 heures."),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=schedule.ALL_WEEKDAYS),
                name="care_plan_line_some_weekday",
                violation_error_message=_("Choisissez au moins un jour de la semaine."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def times_of_day(self):
        return schedule.times_of_day(times=self.times, every_hours=self.every_hours)

    @property
    def schedule_label(self) -> str:
        times = schedule.format_times(self.times)
        if self.every_hours:
            when = _("toutes les %(n)s h à partir de %(start)s") % {
                "n": self.every_hours,
                "start": times[0] if times else "—",
            }
        else:
            when = ", ".join(t.replace(":", " h ") for t in times)
        return f"{when} — {schedule.weekdays_label(self.weekdays)}"

    @property
    def export_identifier(self) -> str:
        """Local identifier (prefix PSOI, no ANS namespace: research notes §1.0). Needs
        `stay__establishment` and `person` loaded."""
        return entry_identifier(self, finess=self.stay.establishment.finess, prefix="PSOI")


class CareTaskQuerySet(models.QuerySet):
    def planned(self):
        """Occurrences that stand (not cancelled by a plan change, a stop or an absence)."""
        return self.filter(cancelled_at__isnull=True)

    def unrecorded(self):
        return self.filter(record__isnull=True)


class CareTask(models.Model):
    """One occurrence of a plan line; written by the plan's services only."""

    public_id = models.UUIDField(
        _("identifiant public"), default=uuid.uuid4, unique=True, editable=False
    )
    line = models.ForeignKey(
        CarePlanLine, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("soin prévu")
    )
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="care_tasks",
        verbose_name=_("usager"),
    )
    establishment = models.ForeignKey(
        "organisation.Establishment", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("prévu à"))
    # A one-off occurrence created by « reporté » (the postponed task's record says when).
    postponed_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postponed_to_task",
        verbose_name=_("reporté depuis"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancel_reason = models.CharField(_("motif d'annulation"), max_length=120, blank=True)

    objects = CareTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("soin à faire")
        verbose_name_plural = _("soins à faire")
        ordering = ["due_at"]
        indexes = [
            # The shift list: a unit's occurrences between two moments.
            models.Index(fields=["unit", "due_at"], name="care_task_unit_due"),
            models.Index(fields=["establishment", "due_at"], name="care_task_estab_due"),
            models.Index(fields=["person", "due_at"], name="care_task_person_due"),
        ]
        constraints = [
            # Generation is idempotent: one planned occurrence per line and time.
            models.UniqueConstraint(
                fields=["line", "due_at"],
                condition=Q(postponed_from__isnull=True),
                name="care_task_once_per_slot",
                violation_error_message=_("Ce soin est déjà prévu à cette heure."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} — {self.due_at:%d/%m/%Y %H:%M}"


class CareRecordOutcome(models.TextChoices):
    DONE = "done", _("Fait")
    NOT_DONE = "not_done", _("Non fait")
    REFUSED = "refused", _("Refusé par la personne")
    POSTPONED = "postponed", _("Reporté")


class CareRecord(AmendableModel):
    """The one outcome of an occurrence: who recorded it (`created_by`), when (`created_at`,
    the entry time) and when the care was given (`performed_at`)."""

    task = models.OneToOneField(
        CareTask, on_delete=models.PROTECT, related_name="record", verbose_name=_("soin")
    )
    outcome = models.CharField(_("résultat"), max_length=10, choices=CareRecordOutcome.choices)
    reason = models.CharField(_("motif"), max_length=300, blank=True)
    performed_at = models.DateTimeField(_("réalisé à"))
    postponed_to = models.DateTimeField(_("reporté à"), null=True, blank=True)
    # Entered later than the establishment's window after the planned time (issue 13 §5).
    late = models.BooleanField(_("saisie tardive"), default=False)
    late_reason = models.CharField(_("motif de la saisie tardive"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("traçabilité d'un soin")
        verbose_name_plural = _("traçabilité des soins")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="not_done") | ~Q(reason=""),
                name="care_record_not_done_has_reason",
                violation_error_message=_("Indiquez pourquoi le soin n'a pas été fait."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="postponed") | Q(postponed_to__isnull=False),
                name="care_record_postponed_has_time",
                violation_error_message=_("Indiquez l'heure à laquelle le soin est reporté."),
            ),
            models.CheckConstraint(
                condition=Q(late=False) | ~Q(late_reason=""),
                name="care_record_late_has_reason",
                violation_error_message=_("Une saisie tardive demande un motif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} : {self.get_outcome_display()}"
