"""Demo falls and wounds (issue 13, item 7): among the current residents aged 60 and more, about
one in four fell in the last two years, one in ten twice in the last twelve months (HAS/SFGG
2009 « chutes répétées »: their open alert `repeated_falls` is written as the service would);
about one in eight has a pressure ulcer followed by weekly assessments over a few weeks (the
wound shrinking, its category never going back — NPUAP/EPUAP — and for some the last
assessment older than 7 days, so « Plaies en cours » shows overdue ones); a few healed skin
tears. No photos (no binary file in the repository).

The choices derive from the stay's public id (stable across seeds) and the seeder's random
generator; the rows go through `seeder.bulk_create` (COPY on PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from dui.care.incidents.models import Fall, Wound, WoundAssessment
from dui.care.observations.models import AlertKind, CareAlert
from dui.core import dates

CIRCUMSTANCES = (
    "Retrouvée assise au pied du lit, voulait aller aux toilettes seule la nuit.",
    "A glissé en se levant du fauteuil, chaussons non attachés.",
    "Chute dans le couloir en allant à la salle à manger, sans déambulateur.",
    "Perte d'équilibre dans la salle de bain pendant la toilette.",
    "Trouvé au sol au passage de la ronde, ne se souvient pas de la chute.",
)
PLACES = ("room", "room", "bathroom", "corridor", "dining_room")
CONSEQUENCES = (["none"], ["pain"], ["bruise"], ["pain", "bruise"], ["wound"])
FOLLOW_UPS = (
    "Surveillance neurologique 24 h : rien à signaler.",
    "Médecin traitant prévenu, radio non jugée nécessaire.",
    "Kinésithérapie de rééducation à la marche demandée.",
    "",
)
ULCER_SITES = ("sacrum", "heel_left", "heel_right", "hip_right", "ischium_left")
TISSUES = ("necrosis", "slough", "slough", "granulation", "granulation", "epithelial")


def _at(day, hour, minute, establishment):
    return dates.start_of_day(day, establishment) + timedelta(hours=hour, minutes=minute)


def seed_incidents(seeder, stays: list, *, carers: dict) -> None:
    """Falls, wounds and the repeated-falls alerts of the current stays among `stays`
    (already saved). `carers`: establishment key → the demo carer who records them."""
    authors = {
        seeded.establishment.pk: carers[key]
        for key, seeded in seeder.establishments.items()
        if key in carers
    }
    rng = seeder.rng
    today = seeder.today
    now = dates.now()
    falls: list[Fall] = []
    wounds: list[Wound] = []
    assessments: list[tuple[Wound, WoundAssessment]] = []
    alerts: list[tuple[CareAlert, Fall]] = []
    for stay in stays:
        person = stay.person
        if stay.ended_on is not None or stay.started_on > today or person.age < 60:
            continue
        author = authors.get(stay.establishment_id)
        establishment = stay.establishment
        n = stay.public_id.int
        since = max(stay.started_on, today - timedelta(days=730))
        span = (today - since).days

        def fall(days_ago, *, person=person, establishment=establishment, author=author):
            day = today - timedelta(days=days_ago)
            occurred = min(
                _at(day, rng.choice((2, 7, 11, 16, 22)), rng.randrange(60), establishment),
                now - timedelta(hours=1),
            )
            row = Fall(
                person=person,
                establishment=establishment,
                occurred_at=occurred,
                place=rng.choice(PLACES),
                circumstances=rng.choice(CIRCUMSTANCES),
                witnessed=rng.random() < 0.3,
                minutes_on_floor=rng.choice((None, 5, 10, 30, 90)),
                got_up_alone=rng.choice((None, True, False)),
                consequences=rng.choice(CONSEQUENCES),
                nurse_alerted_at=occurred + timedelta(minutes=rng.randrange(5, 30)),
                follow_up=rng.choice(FOLLOW_UPS),
                created_by=author,
                updated_by=author,
            )
            falls.append(row)
            return row

        if n % 10 == 3 and span > 60:
            # Two falls in twelve months: the repeated-falls alert is open.
            fall(rng.randrange(40, min(span, 330)))
            second = fall(rng.randrange(1, 30))
            alerts.append(
                (
                    CareAlert(
                        person=person,
                        establishment=establishment,
                        kind=AlertKind.REPEATED_FALLS,
                        raised_at=second.occurred_at,
                        detail=(
                            f"2 chutes en 12 mois (dernière le "
                            f"{dates.date_of(second.occurred_at, establishment):%d/%m/%Y}) : "
                            "chutes répétées (HAS/SFGG 2009). Évaluer le risque de chute "
                            "(« chutes_has », TUG, Tinetti)."
                        ),
                        source_type=Fall._meta.label,
                        created_by=author,
                        updated_by=author,
                    ),
                    second,
                )
            )
        elif n % 4 == 1 and span > 10:
            fall(rng.randrange(1, span))
        if n % 8 == 5 and span > 35:
            # Opened 4 weeks ago or more: three weekly assessments at least, even when the last
            # one is 10 days old.
            opened = today - timedelta(days=rng.randrange(28, min(span, 70)))
            wound = Wound(
                person=person,
                establishment=establishment,
                kind="pressure_ulcer",
                body_site=rng.choice(ULCER_SITES),
                acquired_here=rng.random() < 0.5,
                opened_on=opened,
                created_by=author,
                updated_by=author,
            )
            wounds.append(wound)
            stage = rng.choice(("2", "2", "3", "3", "4", "unstageable"))
            length, width = rng.randrange(20, 70), rng.randrange(15, 50)
            # Weekly; for one in three the last one is 10 days old (overdue).
            last_gap = 10 if n % 3 == 0 else rng.randrange(0, 6)
            day = today - timedelta(days=last_gap)
            weeks = []
            while day >= opened:
                weeks.append(day)
                day -= timedelta(days=7)
            for index, when in enumerate(reversed(weeks)):
                if stage == "unstageable" and index >= 2:
                    stage = "3"  # debrided: the bed is seen (a numbered category from now on)
                shrink = max(0.35, 1 - 0.12 * index)
                assessments.append(
                    (
                        wound,
                        WoundAssessment(
                            assessed_at=min(_at(when, 10, 15, establishment), now),
                            stage=stage,
                            length_mm=round(length * shrink),
                            width_mm=round(width * shrink),
                            tissue=TISSUES[min(index, len(TISSUES) - 1)],
                            exudate=rng.choice(("low", "moderate", "heavy")),
                            pain=rng.randrange(0, 6),
                            notes="Pansement refait, matelas à air vérifié.",
                            created_by=author,
                            updated_by=author,
                        ),
                    )
                )
        if n % 12 == 7 and span > 40:
            opened = today - timedelta(days=rng.randrange(30, min(span, 300)))
            wounds.append(
                Wound(
                    person=person,
                    establishment=establishment,
                    kind="skin_tear",
                    body_site=rng.choice(("forearm_left", "forearm_right", "shin_left")),
                    acquired_here=True,
                    opened_on=opened,
                    healed_on=opened + timedelta(days=rng.randrange(7, 21)),
                    created_by=author,
                    updated_by=author,
                )
            )
    seeder.bulk_create(Fall, falls, "falls")
    seeder.bulk_create(Wound, wounds, "wounds")
    rows = []
    for wound, assessment in assessments:
        assessment.wound_id = wound.pk
        rows.append(assessment)
    seeder.bulk_create(WoundAssessment, rows, "wound assessments")
    for alert, source in alerts:
        alert.source_id = source.public_id
    seeder.bulk_create(CareAlert, [alert for alert, _source in alerts], "repeated falls alerts")
