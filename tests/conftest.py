"""Personas shared by the whole suite (DESIGN §5: nurse of unit A, nurse of another EHPAD,
psychologist, director, secretary…) and a logged-in client with the second factor satisfied.

One organisation runs two EHPAD: ehpad_a (units unit_a and unit_a2) and ehpad_b (unit_b).
Plain helpers (`login`, `professional`) live in tests/factories.py, importable by test modules,
and so do the day helpers (`today()`, `days_ago(n)`, `start_of_day_ago(n)`): days are the
establishment's (dui.core.dates), never a module-level constant computed at import.
"""

import pytest
from django.test import Client

from dui.accounts.models import AssignmentRole
from tests.factories import (
    CareTeamMembershipFactory,
    EstablishmentFactory,
    OrganisationFactory,
    PersonFactory,
    UnitFactory,
    login,
    professional,
)
from tests.factories import today as today_in_paris

# Fixtures shared as plugins: the data-migration tests' executor (tests/migrations.py).
pytest_plugins = ["tests.migrations"]


@pytest.fixture(autouse=True)
def journal_checkpoints(tmp_path, settings):
    """Each test writes the journal's signed checkpoints to its own directory: a checkpoint of
    another test would attest entries this test's database never held."""
    settings.DUI_JOURNAL_CHECKPOINT_DIR = tmp_path / "journal"
    return settings.DUI_JOURNAL_CHECKPOINT_DIR


@pytest.fixture
def logged_in_client(db):
    """`logged_in_client(user)` → a new django.test.Client logged in as `user`."""

    def make(user) -> Client:
        return login(Client(), user)

    return make


@pytest.fixture(name="login")
def login_fixture(db):
    """`login(client, user)`: log a user in on an existing client, second factor satisfied."""
    return login


@pytest.fixture
def today():
    """Today in the establishment's time zone, read once for the test: fixtures and
    expectations derived from it agree even if the test runs across midnight."""
    return today_in_paris()


# --- Places -----------------------------------------------------------------------------------


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Association Les Cèdres")


@pytest.fixture
def ehpad_a(organisation):
    return EstablishmentFactory(organisation=organisation, name="EHPAD Les Tilleuls")


@pytest.fixture
def unit_a(ehpad_a):
    return UnitFactory(establishment=ehpad_a, name="Les Glycines")


@pytest.fixture
def unit_a2(ehpad_a):
    return UnitFactory(establishment=ehpad_a, name="Les Hortensias")


@pytest.fixture
def ehpad_b(organisation):
    return EstablishmentFactory(organisation=organisation, name="EHPAD Le Val Fleuri")


@pytest.fixture
def unit_b(ehpad_b):
    return UnitFactory(establishment=ehpad_b, name="Les Lilas")


# --- Professionals ----------------------------------------------------------------------------


@pytest.fixture
def nurse_a(unit_a):
    return professional(
        username="ide.a",
        profession="ide",
        establishment=unit_a.establishment,
        unit=unit_a,
        first_name="Claire",
        last_name="Martin",
    )


@pytest.fixture
def nurse_b(unit_b):
    return professional(
        username="ide.b",
        profession="ide",
        establishment=unit_b.establishment,
        unit=unit_b,
        first_name="Julien",
        last_name="Bernard",
    )


@pytest.fixture
def aide_a(unit_a):
    return professional(
        username="as.a", profession="as", establishment=unit_a.establishment, unit=unit_a
    )


@pytest.fixture
def doctor_a(ehpad_a):
    return professional(
        username="medco.a", profession="medecin_coordonnateur", establishment=ehpad_a
    )


@pytest.fixture
def psychologist_a(ehpad_a):
    return professional(username="psy.a", profession="psychologue", establishment=ehpad_a)


@pytest.fixture
def director_a(ehpad_a):
    return professional(
        username="dir.a",
        profession="directeur",
        establishment=ehpad_a,
        role=AssignmentRole.DIRECTOR,
        first_name="Anne",
        last_name="Durand",
    )


@pytest.fixture
def director_b(ehpad_b):
    return professional(
        username="dir.b",
        profession="directeur",
        establishment=ehpad_b,
        role=AssignmentRole.DIRECTOR,
    )


@pytest.fixture
def secretary_a(ehpad_a):
    return professional(username="sec.a", profession="secretaire", establishment=ehpad_a)


# --- Persons ----------------------------------------------------------------------------------


@pytest.fixture
def resident_a(unit_a):
    """A resident currently living in unit A of EHPAD A."""
    person = PersonFactory(birth_name="Lefebvre", first_names="Marguerite Louise")
    CareTeamMembershipFactory(person=person, establishment=unit_a.establishment, unit=unit_a)
    return person


@pytest.fixture
def resident_b(unit_b):
    """A resident currently living in unit B of EHPAD B."""
    person = PersonFactory(birth_name="Moreau", first_names="Henri")
    CareTeamMembershipFactory(person=person, establishment=unit_b.establishment, unit=unit_b)
    return person


# --- Mail -------------------------------------------------------------------------------------


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on a free local port (tests/mailbox.py), with Django's SMTP backend
    pointed at it: `mail_server.messages` are the messages as delivered."""
    from tests.mailbox import smtp_server

    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield inbox


@pytest.fixture
def no_mail_server(settings):
    """Django's SMTP backend pointed at a local port where no server listens: mail is down."""
    from tests.mailbox import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2
