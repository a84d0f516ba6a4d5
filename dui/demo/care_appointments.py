"""Demo external care (issue 13, item 6): about a third of the current residents go out in the
next ten days (a consultation, an exam, the dentist, a hospital day), with the transport and
the companion planned; each has one to three past appointments of the last months, most done
with their report and follow-up, some cancelled with their reason. The specialists they see are
added to the organisation's partner directory once. Rows and their history go in bulk
(`DemoSeeder.bulk_create`); the volume is bounded per resident whatever `--years`."""

from __future__ import annotations

from datetime import timedelta

from dui.access.models import InformationCategory
from dui.care.appointments.models import (
    Accompaniment,
    Appointment,
    AppointmentKind,
    TransportBooking,
    TransportMode,
)
from dui.coordination.models import Partner, PartnerKind
from dui.core import dates
from dui.support.models import Event, EventCancelReason, EventKind, EventStatus

# (name, address, kind of appointment, reason, report, follow-up). Fictional.
SPECIALISTS = (
    (
        "Dr Hélène Vasseur, cardiologue",
        "Clinique du Parc, 155 boulevard de Stalingrad, 69006 Lyon",
        AppointmentKind.CONSULTATION,
        "Suivi d'une fibrillation auriculaire sous anticoagulant.",
        "Fréquence contrôlée, pas de signe d'insuffisance cardiaque.",
        "Revoir dans 6 mois ; ECG avant la consultation.",
    ),
    (
        "Centre d'imagerie Lumière",
        "8 rue Lumière, 69008 Lyon",
        AppointmentKind.EXAM,
        "Radiographie du bassin après chute.",
        "Pas de fracture visible.",
        "Kinésithérapie de reprise de la marche.",
    ),
    (
        "Cabinet dentaire des Brotteaux",
        "31 rue Tête d'Or, 69006 Lyon",
        AppointmentKind.DENTAL,
        "Prothèse dentaire blessante.",
        "Ajustement de l'appareil, gencive saine.",
        "Bain de bouche 5 jours.",
    ),
    (
        "Hôpital de jour gériatrique — Hôpital des Charpennes",
        "27 rue Gabriel Péri, 69100 Villeurbanne",
        AppointmentKind.HOSPITAL_DAY,
        "Bilan de troubles cognitifs.",
        "Troubles neurocognitifs modérés, bilan complet remis au médecin traitant.",
        "Consultation mémoire dans 3 mois.",
    ),
)
DOCUMENTS = "Carte Vitale, ordonnance en cours, dernier compte rendu"


def _partners(organisation_ids) -> dict[int, list[Partner]]:
    """The specialists of each organisation's directory (added the first time)."""
    by_organisation: dict[int, list[Partner]] = {}
    for organisation_id in organisation_ids:
        found = []
        for name, address, *_rest in SPECIALISTS:
            kind = PartnerKind.HOSPITAL if "Hôpital" in name else PartnerKind.SPECIALIST
            partner, _created = Partner.objects.get_or_create(
                organisation_id=organisation_id,
                name=name,
                defaults={"kind": kind, "address": address},
            )
            found.append(partner)
        by_organisation[organisation_id] = found
    return by_organisation


def _logistics(n: int) -> dict:
    mode = (TransportMode.VSL, TransportMode.AMBULANCE, TransportMode.TAXI, TransportMode.FAMILY)[
        n % 4
    ]
    booking = (
        TransportBooking.FAMILY if mode == TransportMode.FAMILY else TransportBooking.ESTABLISHMENT
    )
    accompaniment = (Accompaniment.NONE, Accompaniment.PROFESSIONAL, Accompaniment.RELATIVE)[
        (n // 4) % 3
    ]
    companion = {
        Accompaniment.NONE: "",
        Accompaniment.PROFESSIONAL: "Aide-soignante de l'unité",
        Accompaniment.RELATIVE: "Un proche (fille ou fils)",
    }[accompaniment]
    return {
        "transport_mode": mode,
        "transport_booking": booking,
        "accompaniment": accompaniment,
        "companion": companion,
    }


def seed_appointments(seeder, stays: list, carers: dict) -> None:
    """Appointments of the current stays among `stays` (already saved). `carers`:
    establishment key → the demo professional who plans them."""
    today = seeder.today
    authors = {
        seeded.establishment.pk: carers[key]
        for key, seeded in seeder.establishments.items()
        if key in carers
    }
    current = [
        s for s in stays if s.ended_on is None and s.started_on <= today - timedelta(days=30)
    ]
    if not current:
        return
    partners = _partners({s.establishment.organisation_id for s in current})
    events: list[Event] = []
    details: list[tuple[Event, dict]] = []

    def add(stay, n, day, *, status, cancel=""):
        partner = partners[stay.establishment.organisation_id][n % len(SPECIALISTS)]
        name, address, kind, reason, report, follow_up = SPECIALISTS[n % len(SPECIALISTS)]
        author = authors.get(stay.establishment_id)
        hour = 8 + n % 8
        starts_at = dates.start_of_day(day, stay.establishment) + timedelta(
            hours=hour, minutes=30 * (n % 2)
        )
        event = Event(
            person=stay.person,
            stay=stay,
            kind=EventKind.EXTERNAL_CARE,
            label=f"{AppointmentKind(kind).label} — {name}",
            place=address,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=4 if kind == AppointmentKind.HOSPITAL_DAY else 1),
            status=status,
            status_changed_at=starts_at if status != EventStatus.PLANNED else seeder.now,
            status_changed_by=author,
            cancel_reason=cancel,
            category=InformationCategory.MEDICAL,
            reason=reason,
            report=report if status == EventStatus.DONE else "",
            created_by=author,
            updated_by=author,
        )
        events.append(event)
        details.append(
            (
                event,
                {
                    "kind": kind,
                    "partner": partner,
                    "documents_to_bring": DOCUMENTS,
                    "follow_up": follow_up if status == EventStatus.DONE else "",
                    "created_by": author,
                    "updated_by": author,
                    **_logistics(n),
                },
            )
        )

    for stay in current:
        n = stay.public_id.int
        if n % 3 == 0:  # goes out soon: today to ten days ahead
            add(stay, n, today + timedelta(days=n % 11), status=EventStatus.PLANNED)
        for i in range(1 + n % 3):  # the past months
            day = today - timedelta(days=12 + ((n >> (4 * i)) % 150))
            if day < stay.started_on:
                continue
            if (n >> i) % 7 == 0:
                add(
                    stay,
                    n + i,
                    day,
                    status=EventStatus.CANCELLED,
                    cancel=EventCancelReason.PERSON_UNWELL,
                )
            else:
                add(stay, n + i, day, status=EventStatus.DONE)
    seeder.bulk_create(Event, events, "events")
    seeder.bulk_create(
        Appointment,
        [Appointment(event=event, **values) for event, values in details],
        "appointments",
    )
