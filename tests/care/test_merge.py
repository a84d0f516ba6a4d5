"""Merging two records of one person (identity vigilance) keeps every care entry: the alerts
and the « aucune allergie connue » statements move to the kept record without breaking their
one-open rules, and nothing contradictory stays current."""

from datetime import timedelta

import pytest

from dui.care import services as care_services
from dui.care.background import services as background
from dui.care.background.models import AllergyStatement
from dui.care.observations.models import CareAlert
from dui.core import dates
from dui.people import services
from dui.people.models import Person
from tests.care.observations.factories import CareAlertFactory
from tests.factories import CareTeamMembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(ehpad_a, unit_a):
    persons = []
    for first_names in ("Jeanne", "Jeanne Marie"):
        person = PersonFactory(birth_name="Dumas", first_names=first_names)
        CareTeamMembershipFactory(person=person, establishment=ehpad_a, unit=unit_a)
        persons.append(person)
    return persons


def merge(director, kept, merged):
    services.person_merge(
        acting_user=director,
        kept=kept,
        merged=merged,
        reason="Doublon d'accueil",
        expected_version=Person.objects.values_list("version", flat=True).get(pk=kept.pk),
    )


def test_two_open_alerts_of_one_kind_leave_one_open_and_the_other_closed_by_the_merge(
    pair, director_a
):
    kept, merged = pair
    own = CareAlertFactory(person=kept, kind="fever")
    twin = CareAlertFactory(person=merged, kind="fever")
    other = CareAlertFactory(person=merged, kind="hypoglycaemia")
    settled = CareAlertFactory(
        person=merged, kind="fever", acknowledged_at=dates.now(), action_taken="Vu."
    )

    merge(director_a, kept, merged)

    assert set(CareAlert.objects.filter(person=kept)) == {own, twin, other, settled}
    open_alerts = CareAlert.objects.filter(person=kept, acknowledged_at__isnull=True)
    assert set(open_alerts) == {own, other}
    twin.refresh_from_db()
    assert twin.acknowledged_by == director_a
    assert "Fusion des dossiers" in twin.action_taken


def test_of_two_no_known_allergy_statements_the_latest_check_stands(pair, director_a, nurse_a):
    kept, merged = pair
    older = background.allergy_statement_record(
        acting_user=nurse_a, person=kept, checked_on=dates.today() - timedelta(days=30)
    )
    newer = background.allergy_statement_record(acting_user=nurse_a, person=merged)

    merge(director_a, kept, merged)

    current = AllergyStatement.objects.get(person=kept, ended_at__isnull=True)
    assert current == newer
    older.refresh_from_db()
    assert older.person == kept and older.ended_at is not None


def test_an_allergy_on_the_other_record_ends_the_no_known_allergy_statement(
    pair, director_a, nurse_a
):
    kept, merged = pair
    background.allergy_statement_record(acting_user=nurse_a, person=kept)
    care_services.allergy_create(
        acting_user=nurse_a,
        person=merged,
        data={
            "substance": "Pénicilline",
            "kind": "drug",
            "severity": "severe",
            "reaction": "Urticaire",
        },
    )

    merge(director_a, kept, merged)

    assert kept.allergies.count() == 1
    assert not AllergyStatement.objects.filter(person=kept, ended_at__isnull=True).exists()
    statement = AllergyStatement.objects.get(person=kept)
    assert "allergie" in statement.history.latest().history_change_reason
