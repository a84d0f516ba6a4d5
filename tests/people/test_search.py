"""The global search box: names, birth dates, NIR and rooms, only among persons the user sees."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from dui.core import dates
from dui.people import nir
from dui.people.models import AdministrativeFile, IdentityStatus, InsOid, Person
from dui.people.search import DateSpan, SearchTerms, normalise_name, parse_search
from dui.people.selectors import parse_french_date, person_search, search_terms_q
from dui.stays.models import Stay
from tests.factories import (
    CareTeamMembershipFactory,
    EstablishmentFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    UnitFactory,
)

TODAY = date(2026, 3, 15)
# INSEE's example NIR (« Le numéro d'inscription au répertoire », insee.fr): a man born in
# December 1984 in commune 451 of Seine-Maritime (76), order 089, key 46.
INSEE_EXAMPLE_NIR = "184127645108946"


def parse(query: str) -> SearchTerms:
    return parse_search(query, today=TODAY)


def day(value: str) -> DateSpan:
    d = date.fromisoformat(value)
    return DateSpan(d, d)


# -- reading the query (no database) ---------------------------------------------------------


def test_names_are_compared_without_accents_case_ligatures_or_hyphens():
    assert normalise_name("Dupré-Lefèvre Hélène") == "dupre lefevre helene"
    assert normalise_name("LÆTITIA Œuvray") == "laetitia oeuvray"
    assert normalise_name("Michał Strauß") == "michal strauss"


def test_words_of_a_name_are_searched_as_prefixes():
    assert parse("Dupré lef") == SearchTerms(words=("dupre", "lef"))


def test_a_french_date_is_a_birth_date():
    assert parse("12/04/1936") == SearchTerms(birth_dates=(day("1936-04-12"),))
    assert parse("12.4.1936") == SearchTerms(birth_dates=(day("1936-04-12"),))
    assert parse("1936-04-12") == SearchTerms(birth_dates=(day("1936-04-12"),))


def test_a_two_digit_year_in_the_future_is_read_in_the_last_century():
    assert parse("12/04/36").birth_dates == (day("1936-04-12"),)


def test_a_two_digit_year_that_may_be_either_century_searches_both():
    assert parse("12/04/15").birth_dates == (day("2015-04-12"), day("1915-04-12"))


def test_an_unknown_day_or_month_searches_the_whole_month_or_year():
    assert parse("00/04/1936").birth_dates == (DateSpan(date(1936, 4, 1), date(1936, 4, 30)),)
    assert parse("00/00/1936").birth_dates == (DateSpan(date(1936, 1, 1), date(1936, 12, 31)),)


def test_a_year_alone_is_a_birth_year_or_a_room_number():
    terms = parse("1938")
    assert terms.birth_dates == (DateSpan(date(1938, 1, 1), date(1938, 12, 31)),)
    assert terms.room_labels == ("1938",)


def test_impossible_or_future_dates_are_not_birth_dates():
    assert parse("31/02/1936").birth_dates == ()
    assert parse("12/04/2099").birth_dates == ()
    assert parse("12/04/1850").birth_dates == ()


def test_a_name_and_a_birth_date_are_searched_together():
    assert parse("dupont 12/04/1936") == SearchTerms(
        words=("dupont",), birth_dates=(day("1936-04-12"),)
    )


@pytest.mark.parametrize(
    "typed", [INSEE_EXAMPLE_NIR, "1 84 12 76 451 089 46", "1.84.12.76.451.089.46", "1841276451089"]
)
def test_a_nir_is_recognised_with_spaces_dots_or_without_its_key(typed):
    assert parse(typed) == SearchTerms(nir=INSEE_EXAMPLE_NIR)


def test_a_corsican_nir_is_recognised():
    first_13 = "2900620004123"
    corsican = first_13[:5] + "2A" + first_13[7:]
    assert parse(corsican).nir == f"{corsican}{nir.nir_key(corsican):02d}"


@pytest.mark.parametrize(
    ("typed", "labels"),
    [
        ("ch 12", ("ch 12", "12")),
        ("chambre 12", ("chambre 12", "12")),
        ("Ch.12", ("Ch.12", "12")),
        ("lit 3", ("lit 3", "3")),
        ("12", ("12",)),
        ("AJ 1", ("AJ 1",)),
        ("12 b", ("12 b",)),
    ],
)
def test_a_short_query_with_a_number_is_a_room(typed, labels):
    assert parse(typed) == SearchTerms(room_labels=labels)


def test_a_name_beginning_like_a_room_word_is_still_a_name():
    assert parse("Chabert") == SearchTerms(words=("chabert",))


def test_punctuation_alone_searches_nothing():
    assert parse(" - / ").is_empty
    assert parse("").is_empty


def test_parse_french_date_reads_complete_dates_only():
    assert parse_french_date("12/04/1936") == date(1936, 4, 12)
    assert parse_french_date("00/04/1936") is None
    assert parse_french_date("Dupont") is None


# -- searching (database) --------------------------------------------------------------------


def resident(unit, **traits):
    person = PersonFactory(**traits)
    CareTeamMembershipFactory(person=person, establishment=unit.establishment, unit=unit)
    return person


def settle(person, unit, label: str, *, ended: bool = False) -> Stay:
    place = PlaceFactory(unit=unit, label=label)
    started = dates.today() - timedelta(days=200)
    return Stay.objects.create(
        person=person,
        establishment=unit.establishment,
        unit=unit,
        place=place,
        kind=place.kind,
        started_on=started,
        ended_on=dates.today() - timedelta(days=2) if ended else None,
    )


def found(user, query: str) -> set:
    return set(person_search(user=user, query=query).values_list("pk", flat=True))


@pytest.fixture
def helene(unit_a):
    return resident(
        unit_a,
        birth_name="Dupré-Lefèvre",
        first_names="Hélène Marie",
        used_name="Girard",
        birth_date=date(1936, 4, 12),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["dupre", "DUPRÉ", "lefev", "girard", "marie", "hel dup"])
def test_it_finds_a_person_by_the_prefix_of_any_word_of_her_names(nurse_a, helene, typed):
    assert found(nurse_a, typed) == {helene.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["upre", "efevre", "dupre jeanne"])
def test_it_does_not_find_a_person_by_the_middle_of_a_word_or_a_wrong_word(nurse_a, helene, typed):
    assert found(nurse_a, typed) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["12/04/1936", "12/04/36", "1936-04-12", "dupre 12/04/1936"])
def test_it_finds_a_person_by_birth_date(nurse_a, helene, unit_a, typed):
    resident(unit_a, birth_name="Autre", birth_date=date(1936, 4, 13))

    assert found(nurse_a, typed) == {helene.pk}


@pytest.mark.django_db
def test_it_finds_the_persons_born_in_a_year(nurse_a, helene, unit_a):
    resident(unit_a, birth_name="Autre", birth_date=date(1937, 1, 1))

    assert found(nurse_a, "1936") == {helene.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("typed", [INSEE_EXAMPLE_NIR, "1 84 12 76 451 089 46", "1841276451089"])
def test_it_finds_a_person_by_her_ins(nurse_a, helene, typed):
    helene.ins_number, helene.ins_oid = INSEE_EXAMPLE_NIR, InsOid.TEST
    helene.identity_status = IdentityStatus.RETRIEVED
    helene.save()

    assert found(nurse_a, typed) == {helene.pk}


@pytest.mark.django_db
def test_it_finds_a_person_by_the_insured_number_of_her_administrative_file(nurse_a, helene):
    AdministrativeFile.objects.create(person=helene, insured_number=INSEE_EXAMPLE_NIR)

    assert found(nurse_a, "1 84 12 76 451 089 46") == {helene.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["ch 12", "chambre 12", "Ch.12", "12"])
def test_it_finds_a_person_by_the_room_of_her_current_stay(nurse_a, helene, unit_a, typed):
    settle(helene, unit_a, "12")
    settle(resident(unit_a, birth_name="Voisin"), unit_a, "13")

    assert found(nurse_a, typed) == {helene.pk}


@pytest.mark.django_db
def test_a_room_label_is_compared_without_case(nurse_a, helene, unit_a):
    settle(helene, unit_a, "AJ 1")

    assert found(nurse_a, "aj 1") == {helene.pk}


@pytest.mark.django_db
def test_a_room_left_is_not_the_persons_room_any_more(nurse_a, helene, unit_a):
    settle(helene, unit_a, "12", ended=True)

    assert found(nurse_a, "ch 12") == set()


@pytest.mark.django_db
def test_a_room_of_another_organisation_is_not_a_room_the_user_means(nurse_a, helene):
    elsewhere = UnitFactory(establishment=EstablishmentFactory(organisation=OrganisationFactory()))
    settle(helene, elsewhere, "12")

    assert found(nurse_a, "ch 12") == set()


@pytest.mark.django_db
def test_a_year_finds_the_persons_born_then_and_the_person_in_that_room(nurse_a, helene, unit_a):
    roomer = resident(unit_a, birth_name="Chambre", birth_date=date(1950, 1, 1))
    settle(roomer, unit_a, "1936")

    assert found(nurse_a, "1936") == {helene.pk, roomer.pk}


@pytest.mark.django_db
def test_merged_records_are_left_out(nurse_a, helene, unit_a):
    duplicate = resident(unit_a, birth_name="Dupré-Lefèvre", first_names="Hélène")
    duplicate.merged_into = helene
    duplicate.merged_at = dates.now()
    duplicate.save()

    assert found(nurse_a, "dupre") == {helene.pk}


@pytest.mark.django_db
def test_no_kind_of_search_reaches_a_person_the_user_may_not_see(nurse_a, helene, unit_b):
    other = resident(
        unit_b,
        birth_name="Dupré-Lefèvre",
        first_names="Hélène",
        birth_date=date(1936, 4, 12),
        ins_number=INSEE_EXAMPLE_NIR,
        ins_oid=InsOid.TEST,
        identity_status=IdentityStatus.RETRIEVED,
    )
    AdministrativeFile.objects.create(person=other, insured_number=INSEE_EXAMPLE_NIR)
    settle(other, unit_b, "12")

    for typed in ("dupre", "12/04/1936", INSEE_EXAMPLE_NIR, "ch 12", "1936"):
        assert other.pk not in found(nurse_a, typed), typed


@pytest.mark.django_db
def test_punctuation_alone_finds_nobody(nurse_a, helene):
    assert found(nurse_a, " - ") == set()


@pytest.mark.django_db
def test_an_empty_query_lists_the_visible_persons(nurse_a, helene, resident_b):
    assert found(nurse_a, "") == {helene.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["dup", "12/04/1936", "1936", INSEE_EXAMPLE_NIR, "ch 12", "dupre 1936"]
)
def test_a_search_is_one_query_whatever_the_number_of_persons(
    nurse_a, unit_a, django_assert_num_queries, typed
):
    for index in range(12):
        person = resident(unit_a, birth_name=f"Dupont{index}", birth_date=date(1936, 4, 12))
        settle(person, unit_a, str(index))
    # The user's assignments and rights are read once per request, then cached on the user.
    list(person_search(user=nurse_a, query="warm-up"))

    with django_assert_num_queries(1):
        list(person_search(user=nurse_a, query=typed))


@pytest.mark.django_db
def test_the_search_page_finds_a_person_by_room_for_the_nurse(
    logged_in_client, nurse_a, helene, unit_a
):
    settle(helene, unit_a, "12")

    response = logged_in_client(nurse_a).get(
        reverse("people:list"), {"q": "ch 12"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert str(helene.public_id) in response.content.decode()


@pytest.mark.django_db
def test_the_trigram_index_exists_on_postgresql_only():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_name_trgm'"
            )
            (definition,) = cursor.fetchone()
            assert "gin" in definition.lower() and "gin_trgm_ops" in definition
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'person_search_name_trgm'"
            )
            assert cursor.fetchone() == (0,)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="index PostgreSQL seulement")
def test_on_postgresql_a_name_search_can_use_the_trigram_index(helene):
    names = Person.objects.filter(search_terms_q(parse("lef"))).order_by().values("pk")
    sql, params = names.query.sql_with_params()
    with connection.cursor() as cursor:
        # Tiny test tables: forbid the sequential scan to see whether the index applies.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_search_name_trgm" in plan, plan
