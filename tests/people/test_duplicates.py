"""Probable duplicates of an identity being entered (dui/people/duplicates.py)."""

from datetime import date

import pytest

from dui.people.duplicates import probable_duplicates
from dui.people.models import BirthDatePrecision, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BORN = date(1950, 3, 12)


def find(**entered):
    entered.setdefault("candidates", Person.objects.all())
    entered.setdefault("birth_date", BORN)
    entered.setdefault("first_names", "")
    return probable_duplicates(**entered)


def test_it_finds_the_same_person_whatever_the_accents_and_case():
    elodie = PersonFactory(birth_name="DUPONT", first_names="Élodie Marie", birth_date=BORN)

    [match] = find(birth_name="dupont", first_names="elodie")

    assert match.person == elodie
    assert match.reasons == [
        "même date de naissance",
        "même nom de naissance",
        "même premier prénom",
    ]


def test_it_finds_a_birth_name_spelt_differently_for_the_same_sound():
    dupont = PersonFactory(birth_name="DUPONT", first_names="Jean", birth_date=BORN)

    [match] = find(birth_name="Dupond", first_names="Paul")

    assert match.person == dupont
    assert "nom de naissance proche (phonétique)" in match.reasons


@pytest.mark.parametrize(
    ("theirs", "typed"),
    [
        ("DUPONT", "Fupont"),  # a neighbouring key on the first letter
        ("MARTIN", "Matrin"),  # two letters swapped
        ("LEFEBVRE", "Lefèvre"),  # a letter left out (not the same Soundex2 key)
        ("BERTRANDIER", "Betrnadier"),  # a long name: two errors tolerated
    ],
)
def test_it_finds_a_birth_name_with_a_typo(theirs, typed):
    person = PersonFactory(birth_name=theirs, first_names="Jean", birth_date=BORN)

    [match] = find(birth_name=typed, first_names="Paul")

    assert match.person == person
    assert "nom de naissance proche (faute de frappe probable)" in match.reasons


def test_a_different_birth_date_is_not_a_duplicate():
    PersonFactory(birth_name="DUPONT", first_names="Élodie", birth_date=date(1950, 3, 13))

    assert find(birth_name="Dupont", first_names="Élodie") == []


def test_the_same_birth_date_with_different_names_is_not_a_duplicate():
    PersonFactory(birth_name="DURAND", first_names="Paul", birth_date=BORN)

    assert find(birth_name="Dupont", first_names="Élodie") == []


def test_short_first_names_one_letter_apart_are_different_names():
    PersonFactory(birth_name="DURAND", first_names="Léa", birth_date=BORN)

    assert find(birth_name="Dupont", first_names="Lou") == []


def test_a_married_woman_entered_under_her_used_name_is_found():
    """Her record: born MARTIN, uses DUPONT. Entered again with DUPONT typed as birth name."""
    elodie = PersonFactory(
        birth_name="MARTIN", used_name="DUPONT", first_names="Élodie", birth_date=BORN
    )

    [match] = find(birth_name="Dupont", first_names="Elodie")

    assert match.person == elodie
    assert match.reasons == ["même date de naissance", "même nom utilisé", "même premier prénom"]


def test_the_same_first_name_is_enough_when_the_names_differ():
    elodie = PersonFactory(birth_name="MARTIN", first_names="Élodie", birth_date=BORN)

    [match] = find(birth_name="Dupont", first_names="Élodie Jeanne")

    assert match.person == elodie
    assert match.reasons == ["même date de naissance", "même premier prénom"]


def test_the_used_name_entered_is_compared_too():
    elodie = PersonFactory(birth_name="MARTIN", first_names="Anne", birth_date=BORN)

    [match] = find(birth_name="Dupont", used_name="Martin", first_names="Paul")

    assert match.person == elodie
    assert "même nom de naissance" in match.reasons


def test_the_used_first_name_is_compared_too():
    person = PersonFactory(
        birth_name="MARTIN", first_names="Marie Louise", used_first_name="Malou", birth_date=BORN
    )

    [match] = find(birth_name="Durand", first_names="Malou")

    assert match.person == person
    assert "même prénom utilisé" in match.reasons


def test_merged_records_are_not_proposed():
    kept = PersonFactory(birth_name="DUPONT", first_names="Élodie", birth_date=BORN)
    merged = PersonFactory(birth_name="DUPONT", first_names="Élodie", birth_date=BORN)
    Person.objects.filter(pk=merged.pk).update(merged_into=kept)

    assert [m.person for m in find(birth_name="Dupont", first_names="Élodie")] == [kept]


def test_the_person_being_edited_can_be_left_out():
    elodie = PersonFactory(birth_name="DUPONT", first_names="Élodie", birth_date=BORN)

    assert find(birth_name="Dupont", first_names="Élodie", exclude_pk=elodie.pk) == []


def test_only_the_candidates_given_by_the_caller_are_searched():
    PersonFactory(birth_name="DUPONT", first_names="Élodie", birth_date=BORN)

    found = find(candidates=Person.objects.none(), birth_name="Dupont", first_names="Élodie")

    assert found == []


def test_the_strongest_matches_come_first_and_the_list_is_limited():
    same_first_name = PersonFactory(birth_name="MARTIN", first_names="Élodie", birth_date=BORN)
    phonetic = PersonFactory(birth_name="DUPOND", first_names="Paul", birth_date=BORN)
    same_both = PersonFactory(birth_name="DUPONT", first_names="Élodie", birth_date=BORN)

    found = find(birth_name="Dupont", first_names="Élodie")

    assert [m.person for m in found] == [same_both, same_first_name, phonetic]
    assert [m.person for m in find(birth_name="Dupont", first_names="Élodie", limit=1)] == [
        same_both
    ]


def test_it_runs_one_query_whatever_the_number_of_candidates(django_assert_num_queries):
    for n in range(12):
        PersonFactory(birth_name=f"DUPONT{'E' * n}", first_names="Élodie", birth_date=BORN)
    PersonFactory.create_batch(5, birth_date=date(1960, 1, 1))

    with django_assert_num_queries(1):
        found = find(birth_name="Dupont", first_names="Élodie", limit=20)

    assert len(found) == 12


# --- Partial birth dates (RNIV: unknown day or month, stored as the first day of the period) ---


def test_a_full_date_finds_a_record_whose_day_and_month_are_unknown():
    unknown = PersonFactory(
        birth_name="DIALLO",
        first_names="Aminata",
        birth_date=date(1950, 1, 1),
        birth_date_precision=BirthDatePrecision.YEAR,
    )

    [match] = find(birth_name="Diallo", first_names="Aminata")

    assert match.person == unknown
    assert match.reasons[0] == "même année de naissance (jour et mois inconnus)"


def test_a_full_date_finds_a_record_whose_day_is_unknown():
    unknown = PersonFactory(
        birth_name="DIALLO",
        first_names="Aminata",
        birth_date=date(1950, 3, 1),
        birth_date_precision=BirthDatePrecision.MONTH,
    )

    [match] = find(birth_name="Diallo", first_names="Aminata")

    assert match.person == unknown
    assert match.reasons[0] == "même mois de naissance (jour inconnu)"


def test_a_year_only_date_compares_on_the_year():
    in_1950 = PersonFactory(birth_name="DIALLO", first_names="Aminata", birth_date=BORN)
    PersonFactory(birth_name="DIALLO", first_names="Aminata", birth_date=date(1951, 1, 1))

    found = find(
        birth_name="Diallo",
        first_names="Aminata",
        birth_date=date(1950, 1, 1),
        birth_date_precision=BirthDatePrecision.YEAR,
    )

    assert [m.person for m in found] == [in_1950]
    assert found[0].reasons[0] == "même année de naissance (jour et mois inconnus)"


def test_a_month_only_date_compares_on_the_month():
    in_march = PersonFactory(birth_name="DIALLO", first_names="Aminata", birth_date=BORN)
    PersonFactory(birth_name="DIALLO", first_names="Aminata", birth_date=date(1950, 4, 12))

    found = find(
        birth_name="Diallo",
        first_names="Aminata",
        birth_date=date(1950, 3, 1),
        birth_date_precision=BirthDatePrecision.MONTH,
    )

    assert [m.person for m in found] == [in_march]
    assert found[0].reasons[0] == "même mois de naissance (jour inconnu)"


def test_a_name_of_fewer_than_8_letters_tolerates_one_typo_only():
    PersonFactory(birth_name="MARTIN", first_names="Jean", birth_date=BORN)

    assert find(birth_name="Matrni", first_names="Paul") == []
