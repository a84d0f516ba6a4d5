"""Stays (séjours): one episode of a person in one establishment, on a unit and a place; and
the presence/absence record of a person during a stay (TDDUI « présence/absence »).

A stay is opened by the pathway (`dui.admissions.services.admission.stay_admit` →
`services.stay_open`). Its dates, and what they mean everywhere (issue 11):

- `started_on`: the entry day. Before it the stay is *planned* (an admission pronounced for a
  later day: it reserves its place, it is not in the record's header nor in the search by room).
- `planned_end`: the exit foreseen (a temporary stay's end, the wished exit of the
  application). It never ends the stay: a temporary stay is *current* until the person
  actually leaves, even past its planned end; it frees the place for planning only.
- `ended_on`: the actual exit, set only when the person has left (the movements issue records
  it). The exit day still counts in the stay: the person leaves during it.

`StayQuerySet.planned/current/ended` and `Stay.state_on` are the one definition; every screen,
selector and rule asks them. TDDUI (Encounter TDDUIEncounterSejour): `started_on` →
period.start (plannedStartDate while the stay is planned), `ended_on` → period.end,
`planned_end` → plannedEndDate, `admitted_on` → tddui-admission-date, `export_identifier` →
identifier[idStay].
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core import dates
from dui.core.models import AmendableModel, TimestampedModel
from dui.organisation.models import PlaceKind
from dui.people.plausibility import refuse_before_birth

from .identifiers import entry_identifier

# --- Stays ---------------------------------------------------------------------------------------


class StayState(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    CURRENT = "current", _("En cours")
    ENDED = "ended", _("Terminé")


class StayQuerySet(models.QuerySet):
    """The one definition of planned, current and ended stays (`Stay.state_on` says the same of
    one row). `on` defaults to today (the active establishment's zone)."""

    def planned(self, on: date | None = None):
        """Not entered yet on `on`: the entry day is later."""
        day = on or dates.today()
        return self.filter(started_on__gt=day)

    def current(self, on: date | None = None):
        """Under way on `on`: entered on or before that day and not yet left. The exit day
        still counts, the person leaves during it (`ended_on >= day`). A planned end
        (`planned_end`) does not end a stay: only an actual exit does."""
        day = on or dates.today()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )

    def ended(self, on: date | None = None):
        """Left before `on`: an actual exit on an earlier day."""
        day = on or dates.today()
        return self.filter(ended_on__lt=day)

    def not_ended(self, on: date | None = None):
        """Planned or current on `on` (the stays a person still has ahead of them)."""
        day = on or dates.today()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))

    def holding_place_during(self, start: date, end: date | None = None, *, today: date):
        """Stays holding their place on at least one day of [start, end) (`end` None: open).

        A place is held from the entry day until the day before the release day
        (`Stay.release_day`): the exit day is free for the next person; a stay without an
        actual exit holds its place at least until today (the person is still there, even
        past a planned end) and, for days after today, until its planned end (the planned end
        frees the place for planning); without either it holds it for good. Planned stays
        reserve their place from their entry day."""
        releases_after_start = (
            Q(ended_on__gt=start)
            | Q(ended_on__isnull=True, planned_end__isnull=True)
            | Q(ended_on__isnull=True, planned_end__gt=start)
        )
        if start <= today:
            releases_after_start |= Q(ended_on__isnull=True)
        stays = self.filter(releases_after_start)
        if end is not None:
            stays = stays.filter(started_on__lt=end)
        return stays

    def holding_place_on(self, day: date, *, today: date):
        return self.holding_place_during(day, day + timedelta(days=1), today=today)


class Stay(TimestampedModel):
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="stays",
        verbose_name=_("usager"),
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="stays",
        verbose_name=_("établissement"),
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="stays", verbose_name=_("unité")
    )
    place = models.ForeignKey(
        "organisation.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("place"),
    )
    kind = models.CharField(_("type d'accueil"), max_length=16, choices=PlaceKind.choices)
    started_on = models.DateField(_("entrée le"))
    planned_end = models.DateField(
        _("fin prévue le"),
        null=True,
        blank=True,
        help_text=_("Sortie prévue (fin d'un hébergement temporaire) ; ne termine pas le séjour."),
    )
    # TDDUI « dateAdmission »: the day the admission was pronounced (≠ the entry day).
    admitted_on = models.DateField(_("admission prononcée le"), null=True, blank=True)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("professionnel référent"),
    )
    admission_request = models.ForeignKey(
        "admissions.AdmissionRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("demande d'admission"),
    )
    ended_on = models.DateField(
        _("sortie le"),
        null=True,
        blank=True,
        help_text=_("Sortie effective : seulement quand la personne a quitté l'établissement."),
    )
    history = HistoricalRecords()

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = _("séjour")
        verbose_name_plural = _("séjours")
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "ended_on"], name="stay_person_current_idx"),
            models.Index(fields=["place", "ended_on"], name="stay_place_current_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="stay_end_after_start",
                violation_error_message=_("La sortie ne peut précéder l'entrée."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gt=models.F("started_on")),
                name="stay_planned_end_after_start",
                violation_error_message=_("La fin prévue doit suivre la date d'entrée."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} · {self.unit}"

    def clean(self) -> None:
        if self.person_id:
            refuse_before_birth(self.person, started_on=self.started_on)

    def state_on(self, day: date | None = None) -> str:
        """`StayState` of the stay on `day` (today by default) — the queryset's definition."""
        day = day or dates.today(self.establishment if self.establishment_id else None)
        if day < self.started_on:
            return StayState.PLANNED
        if self.ended_on is not None and self.ended_on < day:
            return StayState.ENDED
        return StayState.CURRENT

    def release_day(self, *, today: date) -> date | None:
        """The first day the place is free again (None: held for good), as
        `StayQuerySet.holding_place_during` reads it: the actual exit day; else, without an
        exit, the planned end but never before tomorrow (the person is still there today)."""
        if self.ended_on is not None:
            return self.ended_on
        if self.planned_end is None:
            return None
        return max(self.planned_end, today + timedelta(days=1))

    def holds_place_on(self, day: date, *, today: date) -> bool:
        release = self.release_day(today=today)
        return self.started_on <= day and (release is None or day < release)

    @property
    def export_identifier(self) -> str:
        """TDDUI idSejour: 3 + FINESS / local person id - SEJOUR - number (both derived from
        the public UUIDs). Needs `establishment` and `person` (select_related them)."""
        return entry_identifier(self, finess=self.establishment.finess, prefix="SEJOUR")


# --- Presence / absence (TDDUI Schedule + Slot « présence/absence ») ------------------------------
# The one presence record of the application (issue 11): the movements issue (absences,
# hospitalisations), the IME attendance sheet, the medication round and billing read it through
# `selectors`; no other brick models presence.

# TDDUI code systems (research §8.1; Profiles/TDDUISlotPresenceAbsence.fsh).
PRESENCE_ABSENCE_TYPE_SYSTEM = (
    "https://smt.esante.gouv.fr/fhir/CodeSystem/tre-r423-type-presence-absence"  # J405
)
ABSENCE_REASON_SYSTEM = "https://smt.esante.gouv.fr/fhir/CodeSystem/tre-r424-motif-absence"  # J406
PRESENCE_ABSENCE_IDENTIFIER_SYSTEM = (
    "https://identifiant-medicosocial-presenceabsence.esante.gouv.fr"
)


class AttendanceKind(models.TextChoices):
    """TDDUI typePresenceAbsence (J405, TRE_R423): the code of each is in `J405_CODES`."""

    PRESENT = "present", _("Présence")
    ABSENT = "absent", _("Absence")


class AbsenceKind(models.TextChoices):
    """Our finer kind of absence; TDDUI carries only its J406 motif (`J406_CODES`)."""

    HOSPITALISATION = "hospitalisation", _("Hospitalisation")
    FAMILY = "family", _("Vacances ou séjour en famille")
    OTHER = "other", _("Autre absence")


class AttendanceStatus(models.TextChoices):
    """TDDUI Statut: PLANIFIE → Slot.status busy-tentative, VALIDE → busy (`SLOT_STATUS`)."""

    PLANNED = "planned", _("Planifiée")
    VALIDATED = "validated", _("Validée")


J405_CODES = {AttendanceKind.PRESENT: "1", AttendanceKind.ABSENT: "2"}
# J406: 1 « Hospitalisation de l'usager », 2 « Raisons personnelles de l'usager » (retour à
# domicile, en famille, vacances). An absence that is not a hospitalisation is a personal one.
J406_CODES = {
    AbsenceKind.HOSPITALISATION: "1",
    AbsenceKind.FAMILY: "2",
    AbsenceKind.OTHER: "2",
}
SLOT_STATUS = {AttendanceStatus.PLANNED: "busy-tentative", AttendanceStatus.VALIDATED: "busy"}

# The database refuses two records of one person sharing a day (PostgreSQL: an exclusion
# constraint; SQLite: triggers) — see migration 0005. The services check it first, locked.
ATTENDANCE_NO_OVERLAP = "attendance_no_overlap"


class AttendanceQuerySet(models.QuerySet):
    def in_force(self):
        """Records that stand (not entered in error)."""
        return self.filter(entered_in_error=False)

    def covering(self, start: date, end: date | None = None):
        """Records sharing at least one day with [start, end] (both days included)."""
        return self.filter(starts_on__lte=end or start, ends_on__gte=start)


class Attendance(AmendableModel):
    """A person's presence or absence during a stay, for one day or a period (both days
    included). Never deleted: marked *entered in error* with a reason."""

    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("usager"),
    )
    stay = models.ForeignKey(
        Stay, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("séjour")
    )
    kind = models.CharField(_("présence ou absence"), max_length=8, choices=AttendanceKind.choices)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    absence_kind = models.CharField(
        _("motif de l'absence"), max_length=16, choices=AbsenceKind.choices, blank=True
    )
    reason = models.CharField(_("précision"), max_length=300, blank=True)
    planned_absence = models.BooleanField(
        _("absence prévue"),
        default=False,
        help_text=_("Décochée : absence imprévue (hospitalisation en urgence, fugue…)."),
    )
    billable = models.BooleanField(_("facturable"), default=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PLANNED,
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("statut donné par"),
    )
    status_changed_at = models.DateTimeField(_("statut donné le"))
    history = HistoricalRecords()

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("présence ou absence")
        verbose_name_plural = _("présences et absences")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "starts_on"], name="attendance_person_day_idx"),
            models.Index(fields=["stay", "starts_on"], name="attendance_stay_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="attendance_end_after_start",
                violation_error_message=_("La fin ne peut précéder le début."),
            ),
            # TDDUI invariant motifAbsenceCardinality: an absence has its motif (J406).
            models.CheckConstraint(
                condition=Q(kind="present") | ~Q(absence_kind=""),
                name="attendance_absence_has_kind",
                violation_error_message=_("Indiquez le motif de l'absence."),
            ),
            models.CheckConstraint(
                condition=Q(kind="absent") | Q(absence_kind="", planned_absence=False),
                name="attendance_presence_has_no_absence_details",
                violation_error_message=_("Une présence n'a ni motif d'absence ni absence prévue."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    def clean(self) -> None:
        if self.person_id and not self.entered_in_error:
            refuse_before_birth(self.person, starts_on=self.starts_on)

    @property
    def days(self) -> int:
        return dates.days_between(self.starts_on, self.ends_on) + 1

    @property
    def is_absence(self) -> bool:
        return self.kind == AttendanceKind.ABSENT

    @property
    def type_code(self) -> str:
        """TDDUI typePresenceAbsence (J405)."""
        return J405_CODES[self.kind]

    @property
    def absence_reason_code(self) -> str:
        """TDDUI motifAbsence (J406), "" for a presence."""
        return J406_CODES.get(self.absence_kind, "") if self.is_absence else ""

    @property
    def slot_status(self) -> str:
        return SLOT_STATUS[self.status]

    @property
    def export_identifier(self) -> str:
        """TDDUI idPresenceAbsenceUsager: 3 + FINESS / local person id - PA - number (derived
        from the public UUIDs). Needs `stay__establishment` and `person` loaded."""
        return entry_identifier(self, finess=self.stay.establishment.finess, prefix="PA")
