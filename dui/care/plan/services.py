"""Writes of the care plan and of its traceability (issue 13, item 5; DESIGN §4.5).

- Plan lines: `care_plan_line_create`, `care_plan_line_change` (ends the version, starts the
  next: the past stays as it was), `care_plan_line_stop`. Nurses, IDEC, cadre and doctors
  change the plan; carers read it and record (`PLANNERS`).
- Occurrences: `care_tasks_generate` is the ONE writer of `CareTask` rows — the daily command
  (`manage.py generate_care_tasks`) and the plan services call it, a GET never does. It is
  idempotent: run twice, it plans the same occurrences once (the database's unique
  (line, due_at) and `ignore_conflicts` cover two runs at once).
- Records: `care_record_create` writes the one outcome of an occurrence (the task row is
  locked, the one-to-one forbids a second row); `care_record_amend` corrects it with a reason.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import active_assignments
from dui.accounts.models import AssignmentRole
from dui.core import dates
from dui.stays.models import Stay
from dui.stays.selectors import absences_on

from .. import shifts
from . import schedule
from .models import (
    CarePlanLine,
    CarePlanLineStatus,
    CareRecord,
    CareRecordOutcome,
    CareTask,
)

CARE = InformationCategory.CARE
# Who changes the plan: the nurses and their coordinator, the cadre de santé, the doctors
# (the plan of care is a nursing role: Code de la santé publique art. R4311-3, « rôle propre »
# of the nurse, who may delegate the acts to carers — art. R4311-4). Carers record.
PLANNERS = {"ide", "idec", "cadre_sante", "medecin_coordonnateur", "medecin"}
# Who can be responsible for a line: the care professions of the establishment's team.
RESPONSIBLE_PROFESSIONS = ("as", "aes", "amp", "ide", "idec", "kinesitherapeute", "ergotherapeute")
LINE_FIELDS = (
    "kind",
    "label",
    "instructions",
    "profession",
    "times",
    "every_hours",
    "weekdays",
    "starts_on",
    "ends_on",
)
GENERATION_HOURS = 48

NOT_PLANNER = _(
    "Le plan de soins est modifié par les infirmiers, l'IDEC ou le cadre de santé : "
    "vous pouvez le lire et tracer les soins."
)
NOT_WRITTEN = _(
    "Votre profession ne peut pas tracer les soins de cette personne, "
    "ou l'accompagnement de cette personne est terminé."
)
NO_STAY = _("Cette personne n'a pas de séjour en cours : pas de plan de soins.")
OTHER_UNIT = _(
    "Ce soin est prévu dans une autre unité que la vôtre (%(unit)s) : "
    "il est tracé par l'équipe de cette unité."
)
STALE_LINE = _(
    "Ce soin prévu a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
STALE_RECORD = _(
    "Cette traçabilité a été corrigée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)


# --- Plan lines ------------------------------------------------------------------------------


def require_planner(acting_user, person):
    access = writes.require_write(acting_user, person, CARE)
    manager = any(
        a.role in (AssignmentRole.MANAGER, AssignmentRole.DIRECTOR) for a in access.assignments
    )
    if acting_user.profession_code not in PLANNERS and not manager:
        raise AccessDenied(NOT_PLANNER, person=person)
    return access


def _validate_schedule(line: CarePlanLine) -> None:
    try:
        times = schedule.format_times(line.times)
    except (TypeError, ValueError):
        raise ValidationError({"times": _("Heure illisible : écrivez-la comme 08:00.")}) from None
    if not times:
        raise ValidationError(
            {
                "times": _("Indiquez au moins une heure (ou l'heure de départ du rythme).")
                if not line.every_hours
                else _("Indiquez l'heure de départ du rythme.")
            }
        )
    if line.every_hours and len(times) > 1:
        raise ValidationError({"times": _("Avec un rythme, indiquez une seule heure de départ.")})
    line.times = times
    if line.profession_id and line.profession.code not in RESPONSIBLE_PROFESSIONS:
        raise ValidationError({"profession": _("Choisissez une profession de l'équipe de soins.")})


def _new_line(*, acting_user, person, stay, data, valid_from, replaces=None) -> CarePlanLine:
    line = CarePlanLine(person=person, stay=stay, valid_from=valid_from, replaces=replaces)
    writes.assign(line, data, LINE_FIELDS)
    _validate_schedule(line)
    line.status_changed_by = acting_user
    line.status_changed_at = valid_from
    return writes.create(line, acting_user=acting_user, person=person)


def _current_stay(person) -> Stay | None:
    today = dates.today()
    return (
        Stay.objects.current(today)
        .filter(person=person)
        .select_related("establishment", "unit")
        .order_by("-started_on")
        .first()
    )


@transaction.atomic
def care_plan_line_create(*, acting_user, person, data: dict) -> CarePlanLine:
    """Add a recurring care task to the person's plan; its occurrences of the next 48 hours
    are planned at once (same transaction)."""
    require_planner(acting_user, person)
    stay = _current_stay(person)
    if stay is None:
        raise ValidationError(NO_STAY)
    line = _new_line(
        acting_user=acting_user, person=person, stay=stay, data=data, valid_from=dates.now()
    )
    _generate_for(line)
    return line


def _end_version(line: CarePlanLine, *, acting_user, status: str, reason: str, at: datetime):
    line.status = status
    line.valid_until = at
    line.status_changed_by = acting_user
    line.status_changed_at = at
    line.status_reason = reason
    writes.save(line, acting_user=acting_user, reason=reason)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=line.person, obj=line)
    # Only the future occurrences nobody recorded change; recorded and past ones stay.
    CareTask.objects.filter(line=line, due_at__gte=at, record__isnull=True).planned().update(
        cancelled_at=at, cancel_reason=str(line.get_status_display())[:120]
    )


def _lock_active(line, expected_version):
    line = writes.lock(line, expected_version=expected_version, stale_message=STALE_LINE)
    if line.status != CarePlanLineStatus.ACTIVE:
        raise ValidationError(_("Ce soin prévu n'est plus en cours : rechargez le plan de soins."))
    return line


@transaction.atomic
def care_plan_line_change(
    *, acting_user, line: CarePlanLine, data: dict, expected_version, reason: str = ""
) -> CarePlanLine:
    """A change ends this version now and starts the new one: the future unrecorded
    occurrences are cancelled and planned again under the new rule."""
    require_planner(acting_user, line.person)
    line = _lock_active(line, expected_version)
    at = dates.now()
    _end_version(
        line,
        acting_user=acting_user,
        status=CarePlanLineStatus.REPLACED,
        reason=(reason or "").strip(),
        at=at,
    )
    new = _new_line(
        acting_user=acting_user,
        person=line.person,
        stay=line.stay,
        data=data,
        valid_from=at,
        replaces=line,
    )
    _generate_for(new)
    return new


@transaction.atomic
def care_plan_line_stop(
    *, acting_user, line: CarePlanLine, expected_version, reason: str
) -> CarePlanLine:
    """Stop a recurring care task: no occurrence after now (the recorded ones stay)."""
    require_planner(acting_user, line.person)
    line = _lock_active(line, expected_version)
    reason = writes.required_reason(reason, _("Indiquez pourquoi ce soin est arrêté."))
    _end_version(
        line,
        acting_user=acting_user,
        status=CarePlanLineStatus.STOPPED,
        reason=reason,
        at=dates.now(),
    )
    return line


# --- Occurrences -----------------------------------------------------------------------------


def _generate_for(line: CarePlanLine) -> int:
    return care_tasks_generate(
        establishment=line.stay.establishment,
        until=dates.now() + timedelta(hours=GENERATION_HOURS),
        person=line.person,
    )


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _stay_on(stay: Stay, day: date) -> bool:
    return stay.started_on <= day and (stay.ended_on is None or stay.ended_on >= day)


@transaction.atomic
def care_tasks_generate(
    *, establishment, until: datetime, since: datetime | None = None, person=None
) -> int:
    """Plan the occurrences of the establishment's plan lines due in [since, until) (since:
    now by default): those missing are created, the others left as they are. Persons absent
    on a day (`dui.stays.selectors.absences_on`) get no occurrence that day, and the
    unrecorded occurrences already planned for it are cancelled (their plan is kept).
    Returns the number of occurrences created."""
    since = since or dates.now()
    if until <= since:
        return 0
    first_day = dates.date_of(since, establishment)
    last_day = dates.date_of(until, establishment)
    lines = (
        CarePlanLine.objects.filter(
            stay__establishment=establishment,
            entered_in_error=False,
            valid_from__lt=until,
            starts_on__lte=last_day,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=since))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first_day))
        .select_related("stay")
    )
    if person is not None:
        lines = lines.filter(person=person)
    lines = list(lines)
    if not lines:
        return 0
    person_ids = {line.person_id for line in lines}
    absent = set()
    for day in _days(first_day, last_day):
        absences = absences_on(day).filter(
            stay__establishment=establishment, person_id__in=person_ids
        )
        absent.update((pid, day) for pid in absences.values_list("person_id", flat=True))
    zone = dates.zone_of(establishment)
    wanted: list[CareTask] = []
    for line in lines:
        times = line.times_of_day
        for day in _days(first_day, last_day):
            if (line.person_id, day) in absent or not _stay_on(line.stay, day):
                continue
            if not schedule.runs_on(
                day, weekdays=line.weekdays, starts_on=line.starts_on, ends_on=line.ends_on
            ):
                continue
            for at in times:
                due = datetime.combine(day, at).replace(tzinfo=zone).astimezone(UTC)
                if not (since <= due < until and line.valid_from <= due):
                    continue
                if line.valid_until is not None and due >= line.valid_until:
                    continue
                wanted.append(
                    CareTask(
                        line=line,
                        person_id=line.person_id,
                        establishment_id=line.stay.establishment_id,
                        unit_id=line.stay.unit_id,
                        due_at=due,
                    )
                )
    existing = set(
        CareTask.objects.filter(
            line__in=[line.pk for line in lines],
            due_at__gte=since,
            due_at__lt=until,
            postponed_from__isnull=True,
        ).values_list("line_id", "due_at")
    )
    missing = [task for task in wanted if (task.line_id, task.due_at) not in existing]
    CareTask.objects.bulk_create(missing, ignore_conflicts=True, batch_size=1000)
    if absent:
        _cancel_absent(absent, since=since, until=until, establishment=establishment)
    return len(missing)


def _cancel_absent(absent: set, *, since, until, establishment) -> None:
    """Occurrences planned before an absence was recorded: cancelled if nobody recorded them."""
    by_person: dict[int, list[date]] = {}
    for pid, day in absent:
        by_person.setdefault(pid, []).append(day)
    condition = Q()
    for pid, days in by_person.items():
        for day in days:
            start = dates.start_of_day(day, establishment)
            condition |= Q(person_id=pid, due_at__gte=start, due_at__lt=start + timedelta(days=1))
    CareTask.objects.planned().unrecorded().filter(
        condition, due_at__gte=since, due_at__lt=until
    ).update(cancelled_at=dates.now(), cancel_reason=_("Personne absente"))


# --- Records ---------------------------------------------------------------------------------


def _refuse_other_unit(acting_user, task: CareTask) -> None:
    """A carer of one unit records the tasks of her unit; an assignment to the whole
    establishment records any of its units."""
    mine = [
        a for a in active_assignments(acting_user) if a.establishment_id == task.establishment_id
    ]
    if any(a.unit_id is None or a.unit_id == task.unit_id for a in mine):
        return
    raise AccessDenied(OTHER_UNIT % {"unit": task.unit}, person=task.person, obj=task)


def _already(record: CareRecord, establishment) -> str:
    at = timezone.localtime(record.created_at, dates.zone_of(establishment))
    who = record.created_by.get_full_name() or record.created_by.username
    return _("Ce soin a déjà été tracé par %(who)s à %(h)sh%(m)s.") % {
        "who": who,
        "h": at.hour,
        "m": f"{at.minute:02d}",
    }


def _same(record: CareRecord, acting_user, outcome: str, reason: str) -> bool:
    return (
        record.created_by_id == acting_user.pk
        and record.outcome == outcome
        and record.reason == reason
    )


@transaction.atomic
def care_record_create(
    *,
    acting_user,
    task: CareTask,
    outcome: str,
    reason: str = "",
    performed_at: datetime | None = None,
    postponed_to: datetime | None = None,
    late_reason: str = "",
) -> CareRecord:
    """Record the one outcome of an occurrence. A second record is never written: the same
    one again (a double tap, a retry) returns the first; a different one is refused with who
    traced it and when."""
    task = (
        CareTask.objects.select_for_update().select_related("unit", "establishment").get(pk=task.pk)
    )
    person = task.line.person
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    _refuse_other_unit(acting_user, task)
    reason = (reason or "").strip()
    late_reason = (late_reason or "").strip()
    existing = CareRecord.objects.select_related("created_by").filter(task=task).first()
    if existing is not None:
        if _same(existing, acting_user, outcome, reason):
            return existing
        raise ValidationError(_already(existing, task.establishment), code="already_recorded")
    if task.cancelled_at is not None:
        raise ValidationError(
            _("Ce soin a été annulé (%(why)s) : il n'est plus à tracer.")
            % {"why": task.cancel_reason or _("plan modifié")}
        )
    now = dates.now()
    window = timedelta(minutes=shifts.care_settings(task.establishment).late_entry_minutes)
    if task.due_at - now > window:
        raise ValidationError(
            _("Ce soin est prévu plus tard : il ne peut être tracé plus de %(n)s min avant.")
            % {"n": int(window.total_seconds() // 60)}
        )
    if outcome not in CareRecordOutcome.values:
        raise ValidationError({"outcome": _("Choisissez un résultat.")})
    if outcome == CareRecordOutcome.NOT_DONE and not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi le soin n'a pas été fait.")})
    performed_at = performed_at or now
    if performed_at > now + timedelta(minutes=1):
        raise ValidationError({"performed_at": _("Un soin ne peut être tracé dans le futur.")})
    late = now - task.due_at > window
    if late and not late_reason:
        raise ValidationError(
            {
                "late_reason": _(
                    "Saisie tardive (plus de %(n)s min après l'heure prévue) : indiquez pourquoi."
                )
                % {"n": int(window.total_seconds() // 60)}
            }
        )
    if outcome == CareRecordOutcome.POSTPONED:
        if postponed_to is None:
            raise ValidationError(
                {"postponed_to": _("Indiquez à quelle heure le soin est reporté.")}
            )
        if postponed_to <= now:
            raise ValidationError({"postponed_to": _("L'heure du report doit être à venir.")})
        if postponed_to > now + timedelta(hours=24):
            raise ValidationError(
                {
                    "postponed_to": _(
                        "Un soin se reporte dans les 24 heures : sinon, modifiez le plan."
                    )
                }
            )
    else:
        postponed_to = None
    record = CareRecord(
        task=task,
        outcome=outcome,
        reason=reason,
        performed_at=performed_at,
        postponed_to=postponed_to,
        late=late,
        late_reason=late_reason if late else "",
    )
    writes.create(record, acting_user=acting_user, person=person)
    if postponed_to is not None:
        CareTask.objects.create(
            line=task.line,
            person_id=task.person_id,
            establishment_id=task.establishment_id,
            unit_id=task.unit_id,
            due_at=postponed_to,
            postponed_from=task,
        )
    return record


AMENDABLE = (CareRecordOutcome.DONE, CareRecordOutcome.NOT_DONE, CareRecordOutcome.REFUSED)


@transaction.atomic
def care_record_amend(
    *, acting_user, record: CareRecord, data: dict, reason: str, expected_version
) -> CareRecord:
    """Correct a record (wrong outcome, wrong time): a new version with its reason; the first
    stays in the history. A postponement is not undone here (its occurrence exists)."""
    person = record.task.person
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    _refuse_other_unit(acting_user, record.task)
    record = writes.lock(record, expected_version=expected_version, stale_message=STALE_RECORD)
    reason = writes.required_reason(reason, _("Indiquez pourquoi vous corrigez cette traçabilité."))
    outcome = data.get("outcome", record.outcome)
    if CareRecordOutcome.POSTPONED in (outcome, record.outcome) and outcome != record.outcome:
        raise ValidationError(
            {"outcome": _("Un report ne se corrige pas : tracez le soin reporté lui-même.")}
        )
    writes.assign(record, data, ("outcome", "reason", "performed_at"))
    if record.outcome == CareRecordOutcome.NOT_DONE and not record.reason:
        raise ValidationError({"reason": _("Indiquez pourquoi le soin n'a pas été fait.")})
    if record.performed_at > dates.now() + timedelta(minutes=1):
        raise ValidationError({"performed_at": _("Un soin ne peut être tracé dans le futur.")})
    writes.save(record, acting_user=acting_user, reason=_("Correction : %(r)s") % {"r": reason})
    journal.record(user=acting_user, action=AccessAction.AMEND, person=person, obj=record)
    return record
