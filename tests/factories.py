"""Factories for the test suite (factory_boy + Faker fr_FR).

Professions are not built by a factory: they come from a data migration; use `profession(code)`.
"""

from datetime import date, datetime, timedelta

import factory
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dui.access.models import CareTeamMembership, MembershipReason
from dui.accounts import middleware as session_policy
from dui.accounts.models import Assignment, AssignmentRole, Profession, ProfessionCode, User
from dui.core import dates
from dui.organisation.models import (
    Establishment,
    EstablishmentCategory,
    Organisation,
    Place,
    PlaceKind,
    Unit,
)
from dui.people.models import Person, Sex

PASSWORD = "Mot-de-passe-solide-2026"


# --- Days and moments ---------------------------------------------------------------------------
# Fixtures and expectations speak in the establishment's days (dui.core.dates): a fixture
# "200 days ago" starts at the beginning of that day, so that a count of days made by the code
# (date differences) finds 200 whatever the hour the suite runs at — 23:30 UTC is already
# tomorrow in Paris, and a daylight-saving change makes a day of 23 or 25 hours. Computed when
# called, never at import: a module-level "today" goes stale when the suite crosses midnight.


def today() -> date:
    """Today, in the establishment's time zone (the test settings' Europe/Paris)."""
    return dates.today()


def days_ago(n: int) -> date:
    return dates.today() - timedelta(days=n)


def days_ahead(n: int) -> date:
    return dates.today() + timedelta(days=n)


def start_of_day_ago(n: int) -> datetime:
    """The moment the day `n` days ago began (00:00 in Paris): a stored moment whose day is
    exactly `days_ago(n)`."""
    return dates.start_of_day(days_ago(n))


def profession(code: str) -> Profession:
    """The Profession row of a code (created by migration; re-created after a flush)."""
    obj, _created = Profession.objects.get_or_create(
        code=code, defaults={"label": ProfessionCode(code).label}
    )
    return obj


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Association gestionnaire {n}")
    siren = factory.Sequence(lambda n: f"{775000000 + n:09d}")


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"EHPAD Les Tilleuls {n}")
    # Rhône department (69) + 7 digits: a valid FINESS format, unique per sequence.
    finess = factory.Sequence(lambda n: f"69{n:07d}")
    category = EstablishmentCategory.EHPAD
    city = factory.Faker("city", locale="fr_FR")
    postal_code = "69000"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Unité {n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    unit = factory.SubFactory(UnitFactory)
    establishment = factory.SelfAttribute("unit.establishment")
    label = factory.Sequence(lambda n: f"Chambre {100 + n}")
    kind = PlaceKind.PERMANENT


class UserFactory(factory.django.DjangoModelFactory):
    """A professional. `profession` takes a code: UserFactory(profession="ide")."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pro{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"{o.username}@exemple.fr")
    is_demo = False
    profession = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        code = kwargs.get("profession")
        if isinstance(code, str):
            kwargs["profession"] = profession(code)
        password = kwargs.pop("password", PASSWORD)
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        return user


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An active assignment, by default to one unit."""

    class Meta:
        model = Assignment

    user = factory.SubFactory(UserFactory, profession="ide")
    unit = factory.SubFactory(UnitFactory)
    establishment = factory.LazyAttribute(
        lambda o: o.unit.establishment if o.unit else EstablishmentFactory()
    )
    role = AssignmentRole.STAFF
    start_date = factory.LazyFunction(lambda: days_ago(365))
    end_date = None

    class Params:
        ended = factory.Trait(
            start_date=factory.LazyFunction(lambda: days_ago(400)),
            end_date=factory.LazyFunction(lambda: days_ago(1)),
        )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    birth_name = factory.Faker("last_name", locale="fr_FR")
    first_names = factory.Faker("first_name", locale="fr_FR")
    birth_date = factory.Faker("date_of_birth", locale="fr_FR", minimum_age=60, maximum_age=100)
    sex = factory.Iterator([Sex.FEMALE, Sex.MALE])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        person.refresh_search_name()
        person.save()
        return person


class CareTeamMembershipFactory(factory.django.DjangoModelFactory):
    """A person followed by a unit (current stay by default)."""

    class Meta:
        model = CareTeamMembership

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    establishment = factory.LazyAttribute(
        lambda o: o.unit.establishment if o.unit else EstablishmentFactory()
    )
    reason = MembershipReason.STAY
    # Since the start of a day: the team's first day is exactly 200 days ago, at any hour.
    valid_from = factory.LazyFunction(lambda: start_of_day_ago(200))
    valid_to = None

    class Params:
        # Discharged a few days ago: still readable by the team within the access window.
        ended = factory.Trait(
            valid_to=factory.LazyFunction(lambda: start_of_day_ago(3)),
        )
        # Discharged long ago: beyond the access window (a duration from the moment it ended,
        # so moments here, not days).
        long_ended = factory.Trait(
            valid_from=factory.LazyFunction(
                lambda: dates.now() - settings.ACCESS_WINDOW_AFTER_END - timedelta(days=400)
            ),
            valid_to=factory.LazyFunction(
                lambda: dates.now() - settings.ACCESS_WINDOW_AFTER_END - timedelta(days=1)
            ),
        )
        # An application not yet placed in a unit: establishment-wide staff only.
        application = factory.Trait(
            reason=MembershipReason.APPLICATION,
            unit=None,
            establishment=factory.SubFactory(EstablishmentFactory),
        )


# --- Helpers: personas and logged-in clients -----------------------------------------------


def professional(
    *,
    username: str,
    profession: str,
    establishment,
    unit=None,
    role=AssignmentRole.STAFF,
    first_name: str = "",
    last_name: str = "",
):
    """A user with one active assignment (unit, or the whole establishment when unit is None)."""
    extra = {k: v for k, v in {"first_name": first_name, "last_name": last_name}.items() if v}
    user = UserFactory(username=username, profession=profession, **extra)
    AssignmentFactory(user=user, establishment=establishment, unit=unit, role=role)
    return user


def login(client: Client, user) -> Client:
    """Log `user` in on `client` as after password + TOTP: session policy keys set, device verified.

    After moving the clock (freezegun) beyond the idle lock, call it again to start a fresh session.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Téléphone de test", confirmed=True)
    client.force_login(user)
    session = client.session
    now = dates.now().timestamp()
    session[session_policy.AUTH_AT] = now
    session[session_policy.LAST_SEEN] = now
    session[session_policy.LOCKED] = False
    session[session_policy.GENERATION] = user.session_generation
    session[session_policy.SECOND_FACTOR_REQUIRED] = True
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
