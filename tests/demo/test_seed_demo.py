"""`manage.py seed_demo`: a believable demo organisation, built once, scalable."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum

from dui.access import journal
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership
from dui.access.policy import persons_visible_to
from dui.accounts.models import Assignment, Profession, ProfessionCode
from dui.demo import data
from dui.organisation.finess import is_valid_finess
from dui.organisation.models import Establishment, EstablishmentCapacity, Place, Unit
from dui.people.models import Person
from dui.people.selectors import person_search

pytestmark = pytest.mark.django_db


def seed_demo(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def user(username: str):
    return get_user_model().objects.get(username=username)


def counts() -> dict[str, int]:
    models = [
        Establishment,
        EstablishmentCapacity,
        Unit,
        Place,
        get_user_model(),
        Assignment,
        Person,
        Person.history.model,
        CareTeamMembership,
        AccessEvent,
    ]
    return {model._meta.label: model.objects.count() for model in models}


def test_it_creates_the_three_establishments_with_their_units():
    seed_demo()

    establishments = {e.name: e for e in Establishment.objects.all()}
    assert set(establishments) == {
        "EHPAD Les Tilleuls",
        "EHPAD Le Clos des Vignes",
        "IME Les Sources",
    }
    assert establishments["IME Les Sources"].category == "ime"
    assert all(is_valid_finess(e.finess) for e in establishments.values())
    assert set(
        Unit.objects.filter(establishment=establishments["EHPAD Les Tilleuls"]).values_list(
            "name", flat=True
        )
    ) == {"Les Lilas", "Les Roses", "UVP Les Glycines"}


def test_the_places_of_each_establishment_match_its_authorised_capacity():
    seed_demo()

    for capacity in EstablishmentCapacity.objects.all():
        places = Place.objects.filter(establishment=capacity.establishment_id, kind=capacity.kind)
        assert places.count() == capacity.authorised_places, capacity
    kinds = set(EstablishmentCapacity.objects.values_list("kind", flat=True))
    assert kinds == {"permanent", "temporary", "day_care"}


def test_every_profession_has_a_demo_login():
    seed_demo()

    with_logins = set(
        Profession.objects.annotate(n=Count("users")).filter(n__gt=0).values_list("code", flat=True)
    )
    assert with_logins == set(ProfessionCode.values)
    assert not get_user_model().objects.filter(is_demo=False).exists()


@pytest.mark.parametrize(
    ("username", "profession", "establishment", "unit", "role"),
    [
        ("ide.tilleuls", "ide", "EHPAD Les Tilleuls", "Les Lilas", "staff"),
        ("as.tilleuls", "as", "EHPAD Les Tilleuls", "Les Lilas", "staff"),
        ("ide.vignes", "ide", "EHPAD Le Clos des Vignes", "Unité Bleue", "staff"),
        ("directeur.tilleuls", "directeur", "EHPAD Les Tilleuls", None, "director"),
        ("directeur.vignes", "directeur", "EHPAD Le Clos des Vignes", None, "director"),
        ("directrice.ime", "directeur", "IME Les Sources", None, "director"),
        ("secretaire.tilleuls", "secretaire", "EHPAD Les Tilleuls", None, "staff"),
        ("medco.tilleuls", "medecin_coordonnateur", "EHPAD Les Tilleuls", None, "staff"),
        ("psychologue.tilleuls", "psychologue", "EHPAD Les Tilleuls", None, "staff"),
        ("educateur.ime", "educateur_specialise", "IME Les Sources", "Groupe des Grands", "staff"),
    ],
)
def test_the_named_logins_have_their_profession_and_assignment(
    username, profession, establishment, unit, role
):
    seed_demo()

    login = user(username)
    assert login.is_demo
    assert login.check_password(data.DEMO_PASSWORD)
    assert login.profession.code == profession
    assignment = Assignment.objects.active().get(user=login)
    assert assignment.establishment.name == establishment
    assert (assignment.unit.name if assignment.unit else None) == unit
    assert assignment.role == role
    assert assignment.end_date is None


@pytest.mark.parametrize(("username", "role"), [("dpo", "dpo"), ("admin", "admin")])
def test_the_dpo_and_the_administrator_cover_the_three_establishments(username, role):
    seed_demo()

    assignments = Assignment.objects.filter(user__username=username)
    assert assignments.count() == 3
    assert set(assignments.values_list("role", flat=True)) == {role}
    assert user(username).profession.code == "administrateur"
    assert user("admin").is_superuser and user("admin").is_staff


def test_it_prints_the_demo_logins_with_the_password():
    out = seed_demo()

    assert "Comptes de démonstration (mot de passe : Demo-DUI-2026!)" in out
    assert "ide.tilleuls" in out and "Les Lilas" in out


def test_a_second_run_changes_nothing():
    seed_demo(journal_per_person=2)
    before = counts()

    out = seed_demo(journal_per_person=2)

    assert counts() == before
    assert "rien à ajouter" in out


def test_the_demo_has_residents_in_every_unit_applicants_and_discharged_persons():
    seed_demo()

    assert 70 <= Person.objects.count() <= 90
    current = CareTeamMembership.objects.filter(valid_to__isnull=True)
    assert set(current.exclude(unit=None).values_list("unit__name", flat=True)) == set(
        Unit.objects.values_list("name", flat=True)
    )
    assert current.filter(reason="application", unit=None).exists()
    assert CareTeamMembership.objects.filter(valid_to__isnull=False, reason="stay").exists()
    assert Person.objects.exclude(used_name="").exists()
    assert not Person.objects.filter(search_name="").exists()


def test_ide_tilleuls_finds_helene_dupre_lefevre_without_typing_the_accents():
    seed_demo()

    found = person_search(user=user("ide.tilleuls"), query="dupre lefevre")

    assert [p.first_names for p in found] == ["Hélène Marie"]


def test_ide_tilleuls_does_not_see_the_residents_of_the_other_ehpad():
    seed_demo()

    visible = persons_visible_to(user=user("ide.tilleuls"))

    assert visible.filter(birth_name="Dupré-Lefèvre").exists()
    assert not visible.filter(birth_name="Étienne").exists()
    assert persons_visible_to(user=user("ide.vignes")).filter(birth_name="Étienne").exists()


def test_persons_option_adds_persons_with_their_memberships_up_to_the_total():
    seed_demo()

    seed_demo(persons=300, years=2)

    assert Person.objects.count() == 300
    assert not Person.objects.filter(care_team_memberships=None).exists()
    assert Person.history.model.objects.count() == 300
    ages = {
        p.age for p in Person.objects.filter(care_team_memberships__establishment__category="ime")
    }
    assert min(ages) >= 6 and max(ages) <= 20


def test_persons_option_adds_nothing_once_the_total_is_reached():
    seed_demo(persons=300)
    before = counts()

    seed_demo(persons=300)
    seed_demo(persons=100)

    assert counts() == before


def test_the_same_seed_gives_the_same_persons():
    def seeded_persons():
        with transaction.atomic():
            seed_demo(persons=120)
            persons = list(
                Person.objects.order_by("public_id").values_list(
                    "public_id", "search_name", "birth_date"
                )
            )
            transaction.set_rollback(True)
        return persons

    first = seeded_persons()

    assert len(first) == 120
    assert seeded_persons() == first


def test_journal_entries_continue_the_hash_chain():
    seed_demo()
    # An entry written by the application first: the seeded ones must chain after it.
    journal.record(
        user=user("ide.tilleuls"), action=AccessAction.SESSION, object_type="accounts.login"
    )

    seed_demo(persons=150, journal_per_person=4)

    assert AccessEvent.objects.count() > 100
    assert list(journal.verify_chain()) == []
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, object_type="access.CareTeamMembership"
    ).exists()


def test_journal_entries_are_made_by_members_of_the_persons_team():
    seed_demo(journal_per_person=3)

    reads = AccessEvent.objects.filter(action=AccessAction.READ).select_related("assignment")
    assert reads.exists()
    for event in reads:
        covered = CareTeamMembership.objects.filter(
            person_id=event.person_id, establishment_id=event.assignment.establishment_id
        )
        if event.assignment.unit_id:
            covered = covered.filter(unit_id=event.assignment.unit_id)
        assert covered.exists(), event.pk


def test_capacities_add_up_to_the_planned_places():
    seed_demo()

    planned = sum(unit.places for plan in data.ESTABLISHMENTS for unit in plan.units)
    assert EstablishmentCapacity.objects.aggregate(n=Sum("authorised_places"))["n"] == planned


def test_bench_measures_every_scenario_on_the_seeded_demo():
    out = StringIO()

    call_command("bench", persons=100, runs=2, warmups=1, stdout=out)

    table = out.getvalue()
    assert "ÉCHEC" not in table
    for name in ("connexion", "page d'accueil", "recherche d'usager", "dossier de l'usager"):
        assert name in table
