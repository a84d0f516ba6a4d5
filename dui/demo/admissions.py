"""Demo applications and inquiries: every person the demo follows under an application (care-
team membership "application") gets an AdmissionRequest, spread over the pipeline, made by a
relative with a postal address; an applicant to a disability establishment (the IME) comes
with the CDAPH orientation that designates it, and that establishment's settings name its MDPH.
Each establishment gets a few inquiries to follow up. Bulk inserts: it scales with --persons;
idempotent (persons who already have an application are skipped)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from dui.access.models import CareTeamMembership, MembershipReason
from dui.admissions.models import (
    AdmissionEvent,
    AdmissionRequest,
    AdmissionSettings,
    AdmissionSource,
    AdmissionStatus,
    Inquiry,
    InquiryChannel,
    Orientation,
    OrientationQualification,
    ReceptionTemporality,
    RequesterKind,
)
from dui.admissions.orientations import DISABILITY_CATEGORIES, fitting_kinds
from dui.core import dates
from dui.organisation.models import PlaceKind

if TYPE_CHECKING:
    from .seeding import DemoSeeder

# Where open applications stand (weights): most are being evaluated or waiting for a place.
STATUS_WEIGHTS = [
    (AdmissionStatus.RECEIVED, 2),
    (AdmissionStatus.INCOMPLETE, 2),
    (AdmissionStatus.EVALUATION, 3),
    (AdmissionStatus.VISIT_PLANNED, 1),
    (AdmissionStatus.VISIT_DONE, 1),
    (AdmissionStatus.WAITING_LIST, 4),
    (AdmissionStatus.POSTPONED, 1),
]
BATCH = 2000
STREETS = ["rue Garibaldi", "avenue Berthelot", "rue Paul Bert", "cours Gambetta", "rue Duguesclin"]


def seed_admissions(seeder: DemoSeeder) -> int:
    rng = random.Random(f"{seeder.seed}:admissions")
    secretary = seeder.users.get("secretaire.tilleuls") or next(iter(seeder.users.values()))
    already = set(AdmissionRequest.objects.values_list("person_id", flat=True))
    memberships = (
        CareTeamMembership.objects.filter(
            reason=MembershipReason.APPLICATION, valid_to__isnull=True
        )
        .exclude(person_id__in=already)
        .select_related("person", "establishment")
        .order_by("pk")
    )
    applications, orientations = [], []
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    for membership in memberships.iterator(chunk_size=BATCH):
        received = dates.date_of(membership.valid_from)
        category = membership.establishment.category
        disability = category in DISABILITY_CATEGORIES
        family = membership.person.birth_name
        street = rng.choice(STREETS)
        applications.append(
            AdmissionRequest(
                establishment_id=membership.establishment_id,
                person_id=membership.person_id,
                source=AdmissionSource.MDPH if disability else rng.choice(AdmissionSource.values),
                place_kind=PlaceKind.PERMANENT,
                received_on=received,
                wished_start=received + timedelta(days=rng.randint(20, 90)),
                status=rng.choices(statuses, weights)[0],
                status_changed_at=membership.valid_from,
                urgent=rng.random() < 0.1,
                applicant_kind=RequesterKind.LEGAL_REPRESENTATIVE
                if disability
                else RequesterKind.RELATIVE,
                applicant_name=f"{'M. et Mme' if disability else 'Famille'} {family}",
                applicant_address=f"{rng.randint(1, 120)} {street}",
                applicant_postcode="69003",
                applicant_city="Lyon",
                created_by=secretary,
                updated_by=secretary,
            )
        )
        if disability:
            # The CDAPH orientation that designates the establishment, valid five years.
            decided = received - timedelta(days=rng.randint(30, 300))
            orientations.append(
                Orientation(
                    person_id=membership.person_id,
                    decided_on=decided,
                    kind=sorted(fitting_kinds(category))[0],
                    qualification=OrientationQualification.TARGET,
                    temporality=ReceptionTemporality.PERMANENT,
                    valid_from=decided,
                    valid_to=dates.add_months(decided, 60),
                    reference=f"MDPH69-{decided:%Y}-{len(orientations) + 1:05d}",
                    created_by=secretary,
                    updated_by=secretary,
                )
            )
    AdmissionRequest.objects.bulk_create(applications, batch_size=BATCH)
    Orientation.objects.bulk_create(orientations, batch_size=BATCH)
    for seeded in seeder.establishments.values():
        if seeded.establishment.category in DISABILITY_CATEGORIES:
            AdmissionSettings.objects.get_or_create(
                establishment=seeded.establishment,
                defaults={
                    "mdph_name": "MDPH du Rhône (Maison départementale et métropolitaine)",
                    "mdph_address": "146 rue Pierre Corneille\n69003 Lyon",
                    "created_by": secretary,
                    "updated_by": secretary,
                },
            )
    AdmissionEvent.objects.bulk_create(
        [
            AdmissionEvent(application=a, by=secretary, to_status=AdmissionStatus.RECEIVED)
            for a in applications
        ],
        batch_size=BATCH,
    )
    if not Inquiry.objects.exists():
        inquiries = []
        for seeded in seeder.establishments.values():
            for n in range(4):
                inquiries.append(
                    Inquiry(
                        establishment=seeded.establishment,
                        received_at=seeder.now - timedelta(days=3 * n + 1),
                        channel=rng.choice(InquiryChannel.values),
                        requester_kind=RequesterKind.RELATIVE,
                        requester_name=f"Famille {['Lambert', 'Fontaine', 'Chevalier', 'Robin'][n]}",
                        requester_phone="06 00 00 00 0" + str(n),
                        prospect_birth_name=["LAMBERT", "FONTAINE", "CHEVALIER", "ROBIN"][n],
                        prospect_first_names=["Germaine", "Lucien", "Paulette", "René"][n],
                        place_kind=PlaceKind.PERMANENT,
                        explained="Tarifs, délais d'attente et dossier d'admission présentés.",
                        documents_sent=["livret_accueil", "tarifs"],
                        follow_up_on=seeder.today + timedelta(days=n * 3 - 2),
                        created_by=secretary,
                        updated_by=secretary,
                    )
                )
        Inquiry.objects.bulk_create(inquiries)
    seeder.report["admission_requests"] += len(applications)
    return len(applications)
