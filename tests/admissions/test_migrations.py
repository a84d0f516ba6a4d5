"""Existing data migrates without loss (issue 11): an orientation recorded as free text gets its
national type when its text names one, keeping the text; an application made from an inquiry
gets the inquiry's requester as applicant; an opinion gets its author's profession."""

from datetime import date

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dui.admissions.models import AdmissionRequest, EvaluationOpinion, Orientation, RequesterKind
from tests.factories import EstablishmentFactory, PersonFactory, UserFactory

BEFORE = [("admissions", "0006_name_rule")]
AFTER = [("admissions", "0009_fill_orientation_types_applicants_authors")]


def test_old_orientations_applications_and_opinions_migrate_without_loss(migration_executor):
    establishment = EstablishmentFactory(category="mas")
    person = PersonFactory()
    doctor = UserFactory(username="medco.migration", profession="medecin_coordonnateur")
    executor = migration_executor
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldOrientation = old.get_model("admissions", "Orientation")
    OldInquiry = old.get_model("admissions", "Inquiry")
    OldRequest = old.get_model("admissions", "AdmissionRequest")
    OldOpinion = old.get_model("admissions", "EvaluationOpinion")
    day = date(2025, 3, 1)
    typed = OldOrientation.objects.create(
        person_id=person.pk,
        decided_on=day,
        establishment_type="MAS",
        valid_from=day,
        valid_to=date(2030, 2, 28),
    )
    doubtful = OldOrientation.objects.create(
        person_id=person.pk,
        decided_on=day,
        establishment_type="FAM ou MAS",
        valid_from=day,
        valid_to=date(2030, 2, 28),
    )
    inquiry = OldInquiry.objects.create(
        establishment_id=establishment.pk,
        received_at="2025-03-01T10:00:00+01:00",
        channel="phone",
        requester_kind="hospital",
        requester_name="Mme Durand",
        requester_organisation="CHU de Lyon",
        prospect_birth_name="X",
        status="converted",
        person_id=person.pk,
    )
    from_inquiry = OldRequest.objects.create(
        establishment_id=establishment.pk,
        person_id=person.pk,
        inquiry=inquiry,
        source="hospital",
        place_kind="permanent",
        received_on=day,
        status="evaluation",
    )
    direct = OldRequest.objects.create(
        establishment_id=establishment.pk,
        person_id=person.pk,
        source="direct",
        place_kind="permanent",
        received_on=day,
        status="received",
    )
    opinion = OldOpinion.objects.create(
        application=from_inquiry,
        kind="medical",
        category="medical",
        value="favourable",
        given_on=day,
        author_id=doctor.pk,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    typed = Orientation.objects.get(pk=typed.pk)
    assert typed.kind == "13.3" and typed.detail == "MAS"
    doubtful = Orientation.objects.get(pk=doubtful.pk)
    assert doubtful.kind == "" and doubtful.detail == "FAM ou MAS"  # nothing lost
    migrated = AdmissionRequest.objects.get(pk=from_inquiry.pk)
    assert migrated.applicant_kind == RequesterKind.HOSPITAL
    assert migrated.applicant_name == "Mme Durand"
    assert migrated.applicant_organisation == "CHU de Lyon"
    assert AdmissionRequest.objects.get(pk=direct.pk).applicant_kind == RequesterKind.PERSON
    assert EvaluationOpinion.objects.get(pk=opinion.pk).author_profession == (
        "medecin_coordonnateur"
    )
