"""Demo care plans and their traceability (issue 13, item 5): every current resident gets a
plan (toilette in the morning, changes, hydration, help with meals for some, repositioning every
3 hours for the bedridden ones, a nurse's watch for some), with the records of the last weeks
(mostly done, some not done with a reason, a few refused, a few entered late), and today's
occurrences planned by the service itself.

The volume is bounded: records cover at most the last 90 days, fewer when the seed is large
(about `TASK_BUDGET` occurrences in all), so that `seed_demo --persons 5000` stays fast; the
rows go through `dui.demo.bulk` (COPY on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db.models import F

from dui.accounts.models import Profession
from dui.care.plan import schedule
from dui.care.plan.models import CareKind, CarePlanLine, CareRecord, CareTask
from dui.care.plan.services import GENERATION_HOURS, care_tasks_generate
from dui.core import dates

MAX_DAYS = 90
TASK_BUDGET = 250_000
LATE_MINUTES = 180

NOT_DONE_REASONS = (
    "Personne endormie, soin reporté au poste suivant",
    "Personne en consultation à l'extérieur",
    "Matériel manquant (protections de la bonne taille)",
    "Personne agitée, soin non réalisable en sécurité",
)
REFUSED_REASONS = ("", "Ne souhaite pas ce matin", "Préfère sa fille pour la toilette")
LATE_REASONS = ("Urgence dans l'unité (chute en chambre voisine)", "Panne de tablette")


def _plan_of(stay) -> list[dict]:
    """The lines of one resident's plan, chosen from the stay's id (stable across seeds)."""
    n = stay.public_id.int
    lines = [
        dict(
            kind=CareKind.HYGIENE,
            label="Toilette complète",
            times=["08:00"],
            profession="as",
            instructions="Au lavabo si possible ; stimuler l'autonomie.",
        ),
        dict(
            kind=CareKind.HYDRATION,
            label="Proposer à boire",
            times=["10:00", "15:00", "20:00"],
            profession="as",
            instructions="Noter les refus ; eau gélifiée si troubles de déglutition.",
        ),
    ]
    if n % 2 == 0:
        lines.append(
            dict(
                kind=CareKind.CHANGE,
                label="Change",
                times=["06:00", "12:00", "18:00", "23:00"],
                profession="as",
                instructions="Vérifier l'état cutané du siège.",
            )
        )
    if n % 3 == 0:
        lines.append(
            dict(
                kind=CareKind.MEAL_HELP,
                label="Aide au repas",
                times=["12:00", "19:00"],
                profession="as",
                instructions="Texture mixée ; installer assise à 90°.",
            )
        )
    if n % 5 == 0:  # bedridden: HAS 2001, every 2 to 3 hours
        lines.append(
            dict(
                kind=CareKind.REPOSITIONING,
                label="Repositionnement",
                times=["06:00"],
                every_hours=3,
                profession="as",
                instructions="Alterner décubitus dorsal et latéral 30° ; matelas à air.",
            )
        )
    if n % 4 == 1:
        lines.append(
            dict(
                kind=CareKind.MONITORING,
                label="Surveillance cutanée et douleur",
                times=["09:00"],
                profession="ide",
                instructions="Échelle Algoplus si besoin.",
            )
        )
    return lines


def seed_care_plans(seeder, stays, carers: dict) -> None:
    """Plans, past records and today's occurrences for the current residents of `stays`."""
    current = [s for s in stays if s.ended_on is None and s.place_id is not None]
    if not current:
        return
    now = seeder.now
    today = seeder.today
    professions = {p.code: p for p in Profession.objects.filter(code__in=("as", "ide"))}
    lines: list[CarePlanLine] = []
    for stay in current:
        author = carers.get(_key_of(seeder, stay))
        for spec in _plan_of(stay):
            starts_on = max(stay.started_on, today - timedelta(days=MAX_DAYS))
            line = CarePlanLine(
                public_id=seeder._uuid(),
                person_id=stay.person_id,
                stay=stay,
                kind=spec["kind"],
                label=spec["label"],
                instructions=spec["instructions"],
                profession=professions[spec["profession"]],
                times=spec["times"],
                every_hours=spec.get("every_hours"),
                weekdays=schedule.ALL_WEEKDAYS,
                starts_on=starts_on,
                valid_from=datetime.combine(starts_on, time.min, tzinfo=UTC),
                status_changed_by=author,
                status_changed_at=now,
                created_by=author,
                updated_by=author,
            )
            lines.append(line)
    seeder.bulk_create(CarePlanLine, lines, "care plan lines")
    per_day = sum(len(line.times_of_day) for line in lines) or 1
    # The test settings ask for a short history (DUI_DEMO_CARE_DAYS): the suite seeds the
    # demo many times.
    days = max(1, min(MAX_DAYS, settings.DUI_DEMO_CARE_DAYS, TASK_BUDGET // per_day))
    _seed_records(seeder, lines, days=days, carers=carers)
    for establishment in {stay.establishment for stay in current}:
        seeder.report["care tasks planned"] += care_tasks_generate(
            establishment=establishment,
            since=dates.start_of_day(today, establishment),
            until=now + timedelta(hours=GENERATION_HOURS),
        )


def _key_of(seeder, stay) -> str:
    for key, seeded in seeder.establishments.items():
        if seeded.establishment.pk == stay.establishment_id:
            return key
    return ""


def _seed_records(seeder, lines, *, days: int, carers: dict) -> None:
    """Occurrences of the last `days` days (today's before the late window included) and
    their records."""
    rng = seeder.rng
    now = seeder.now
    today = seeder.today
    tasks, records, late = [], [], []
    for line in lines:
        stay = line.stay
        author = carers.get(_key_of(seeder, stay))
        zone = dates.zone_of(stay.establishment)
        first = max(line.starts_on, today - timedelta(days=days))
        day = first
        while day <= today:
            for at in line.times_of_day:
                due = datetime.combine(day, at).replace(tzinfo=zone).astimezone(UTC)
                if due > now - timedelta(minutes=150):
                    continue  # today's recent ones: the generator plans them, unrecorded
                task = CareTask(
                    public_id=seeder._uuid(),
                    line=line,
                    person_id=line.person_id,
                    establishment_id=stay.establishment_id,
                    unit_id=stay.unit_id,
                    due_at=due,
                )
                tasks.append(task)
                draw = rng.random()
                outcome, reason = "done", ""
                if draw < 0.04:
                    outcome, reason = "not_done", rng.choice(NOT_DONE_REASONS)
                elif draw < 0.06:
                    outcome, reason = "refused", rng.choice(REFUSED_REASONS)
                record = CareRecord(
                    public_id=seeder._uuid(),
                    task=task,
                    outcome=outcome,
                    reason=reason,
                    performed_at=due + timedelta(minutes=rng.randint(0, 40)),
                    created_by=author,
                    updated_by=author,
                )
                if rng.random() < 0.03:
                    record.late, record.late_reason = True, rng.choice(LATE_REASONS)
                    late.append(record)
                records.append(record)
            day += timedelta(days=1)
    seeder.bulk_create(CareTask, tasks, "care tasks")
    for record in records:
        record.task_id = record.task.pk
    seeder.bulk_create(CareRecord, records, "care records")
    # Entered when performed (auto_now_add stamped the seed's moment); the late ones hours after.
    ids = [r.pk for r in records]
    for start in range(0, len(ids), 20000):
        CareRecord.objects.filter(pk__in=ids[start : start + 20000]).update(
            created_at=F("performed_at"), updated_at=F("performed_at")
        )
    late_ids = [r.pk for r in late]
    for start in range(0, len(late_ids), 20000):
        CareRecord.objects.filter(pk__in=late_ids[start : start + 20000]).update(
            created_at=F("performed_at") + timedelta(minutes=LATE_MINUTES),
            updated_at=F("performed_at") + timedelta(minutes=LATE_MINUTES),
        )
