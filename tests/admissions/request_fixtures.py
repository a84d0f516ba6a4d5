"""Fixtures shared by test_evaluation.py and test_request_page.py (imported by both)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dui.admissions import evaluation, services
from dui.admissions.models import AdmissionStatus
from tests.factories import EstablishmentFactory, PersonFactory, professional

S = AdmissionStatus
TODAY = timezone.localdate()


def new_application(secretary, establishment, **extra):
    person = extra.pop("person", None) or PersonFactory(birth_name="MARTIN", first_names="Jeanne")
    return services.admission_request_create(
        acting_user=secretary,
        establishment=establishment,
        person=person,
        source=extra.pop("source", "direct"),
        place_kind="permanent",
        received_on=extra.pop("received_on", TODAY - timedelta(days=10)),
        **extra,
    )


def move(user, request, *statuses, note="motif"):
    for status in statuses:
        request = services.admission_request_transition(
            acting_user=user, request=request, to_status=status, note=note
        )
    return request


@pytest.fixture
def application(secretary_a, ehpad_a):
    return new_application(secretary_a, ehpad_a)


@pytest.fixture
def in_evaluation(application, secretary_a):
    return move(secretary_a, application, S.EVALUATION)


@pytest.fixture
def visited(in_evaluation, secretary_a):
    evaluation.visit_plan(
        acting_user=secretary_a,
        request=in_evaluation,
        planned_at=timezone.now() - timedelta(days=1),
    )
    evaluation.visit_report(
        acting_user=secretary_a,
        request=in_evaluation,
        done_at=timezone.now() - timedelta(hours=20),
        report="Visite avec sa fille ; souhaite une chambre au rez-de-chaussée.",
    )
    in_evaluation.refresh_from_db()
    return in_evaluation


@pytest.fixture
def mas(organisation):
    return EstablishmentFactory(organisation=organisation, name="MAS Les Cèdres", category="mas")


@pytest.fixture
def secretary_mas(mas):
    return professional(username="sec.mas", profession="secretaire", establishment=mas)


@pytest.fixture
def social_worker_a(ehpad_a):
    return professional(
        username="ass.a", profession="assistant_service_social", establishment=ehpad_a
    )


@pytest.fixture
def secretary_b(ehpad_b):
    return professional(username="sec.b", profession="secretaire", establishment=ehpad_b)


@pytest.fixture
def nurse_ehpad_a(ehpad_a):
    """A nurse of the whole establishment (sees the applicants, reads "medical", writes "care")."""
    return professional(username="ide.ehpad.a", profession="ide", establishment=ehpad_a)


def upload_document(user, person, title="Dossier Cerfa 14732"):
    from dui.access.models import InformationCategory
    from dui.documents import services as documents
    from dui.documents.models import DocumentKind
    from tests.documents.samples import minimal_pdf, uploaded

    return documents.document_upload(
        acting_user=user,
        person=person,
        kind=DocumentKind.IDENTITY,
        title=title,
        document_date=TODAY,
        category=InformationCategory.ADMINISTRATIVE,
        uploaded_file=uploaded(minimal_pdf(), "cerfa.pdf"),
    )
