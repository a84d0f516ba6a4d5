"""Fixtures of the pathway tests: "today" (one value per test, shared by the fixtures and the
expectations), applications at each step, and the professions of the application page."""

from datetime import timedelta

import pytest

from dui.accounts.models import AssignmentRole
from dui.admissions.services import evaluation
from dui.core import dates
from tests.admissions.helpers import TO_ACCEPTED, S, move, new_application
from tests.factories import EstablishmentFactory, PersonFactory, PlaceFactory, professional


@pytest.fixture
def today():
    """The establishments' today (Europe/Paris), read once for the whole test."""
    return dates.today()


@pytest.fixture
def application(secretary_a, ehpad_a, today):
    return new_application(secretary_a, ehpad_a, received_on=today - timedelta(days=10))


@pytest.fixture
def in_evaluation(application, secretary_a):
    return move(secretary_a, application, S.EVALUATION)


@pytest.fixture
def visited(in_evaluation, secretary_a, doctor_a):
    """Evaluated (the médecin coordonnateur's favourable opinion, CASF D312-158 2°) and
    visited: ready for the committee."""
    evaluation.opinion_give(
        acting_user=doctor_a, application=in_evaluation, kind="medical", value="favourable"
    )
    evaluation.visit_plan(
        acting_user=secretary_a,
        application=in_evaluation,
        planned_at=dates.now() - timedelta(days=1),
        expected_version=in_evaluation.version,
    )
    in_evaluation.refresh_from_db()
    evaluation.visit_report(
        acting_user=secretary_a,
        application=in_evaluation,
        done_at=dates.now() - timedelta(hours=20),
        report="Visite avec sa fille ; souhaite une chambre au rez-de-chaussée.",
        expected_version=in_evaluation.version,
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


@pytest.fixture
def accepted(secretary_a, ehpad_a, today):
    """An application accepted by the committee, received 30 days ago."""
    return new_application(
        secretary_a,
        ehpad_a,
        person=PersonFactory(birth_name="Garnier", first_names="Paul"),
        received_on=today - timedelta(days=30),
        statuses=TO_ACCEPTED,
    )


@pytest.fixture
def room_101(unit_a):
    return PlaceFactory(unit=unit_a, label="101")


@pytest.fixture
def room_102(unit_a):
    return PlaceFactory(unit=unit_a, label="102")


# --- A disability establishment (CDAPH orientations) ------------------------------------------


@pytest.fixture
def ime(organisation):
    return EstablishmentFactory(organisation=organisation, name="IME Les Sources", category="ime")


@pytest.fixture
def secretary_ime(ime):
    return professional(username="sec.ime", profession="secretaire", establishment=ime)


@pytest.fixture
def director_ime(ime):
    return professional(
        username="dir.ime",
        profession="directeur",
        establishment=ime,
        role=AssignmentRole.DIRECTOR,
        first_name="Nathalie",
        last_name="Rey",
    )


@pytest.fixture
def sessad(organisation):
    return EstablishmentFactory(organisation=organisation, name="SESSAD Le Lien", category="sessad")


@pytest.fixture
def director_sessad(sessad):
    return professional(
        username="dir.sessad",
        profession="directeur",
        establishment=sessad,
        role=AssignmentRole.DIRECTOR,
    )
