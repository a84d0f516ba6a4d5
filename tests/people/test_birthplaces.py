"""Birthplace autocomplete (people:birthplaces): INSEE COG communes and countries."""

import re

import pytest
from django.urls import reverse

from dui.people.birthplaces import birthplace, search_birthplaces

URL = reverse("people:birthplaces")


def option_codes(response) -> list[str]:
    return re.findall(r'data-birthplace-code="(\w+)"', response.content.decode())


@pytest.fixture
def nurse(logged_in_client, nurse_a):
    return logged_in_client(nurse_a)


def test_the_url_is_under_the_persons():
    assert URL == "/usagers/lieux-de-naissance/"


def test_saint_etienne_typed_without_accent_finds_saint_etienne_42218_first(nurse):
    response = nurse.get(URL, {"q": "saint-etienne"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert option_codes(response)[0] == "42218"
    assert 'data-birthplace-label="Saint-Étienne (42, 42218)"' in response.content.decode()


def test_it_lists_fifteen_places_at_most(nurse):
    response = nurse.get(URL, {"q": "saint"})

    assert len(option_codes(response)) == 15


def test_99_lists_countries(nurse):
    response = nurse.get(URL, {"q": "99"})

    codes = option_codes(response)
    assert codes and all(code.startswith("99") for code in codes)
    assert all(birthplace(code).is_abroad for code in codes)
    assert "né·e à l&#x27;étranger" in response.content.decode()


def test_a_country_is_found_by_its_name(nurse):
    response = nurse.get(URL, {"q": "algerie"})

    assert option_codes(response)[0] == "99352"


def test_a_corsican_commune_is_found_by_its_2a_code(nurse):
    response = nurse.get(URL, {"q": "2a004"})

    assert option_codes(response) == ["2A004"]  # Ajaccio


def test_an_unknown_place_gives_an_empty_list_with_a_message(nurse):
    response = nurse.get(URL, {"q": "zzzquville"})

    assert response.status_code == 200
    assert option_codes(response) == []
    assert "Aucune commune ni aucun pays ne correspond à « zzzquville »." in (
        response.content.decode()
    )


def test_an_empty_query_gives_nothing_at_all(nurse):
    response = nurse.get(URL, {"q": "  "})

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_query_is_escaped(nurse):
    response = nurse.get(URL, {"q": "<script>"})

    assert "<script>" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL, {"q": "lyon"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_reads_no_person_data_and_journals_nothing(nurse, django_assert_max_num_queries):
    from dui.access.models import AccessEvent

    before = AccessEvent.objects.count()
    # Session, user and assignment, loaded by the middleware (4 today), plus the session save
    # the session policy makes when more than 20 s passed since the last one (a loaded test
    # machine); the list itself is in memory.
    with django_assert_max_num_queries(6):
        nurse.get(URL, {"q": "lyon"})

    assert AccessEvent.objects.count() == before


def test_it_only_answers_get(nurse):
    assert nurse.post(URL, {"q": "lyon"}).status_code == 405


def test_the_search_itself_puts_current_communes_before_delegated_ones():
    kinds = [p.kind for p in search_birthplaces("saint-etienne")]

    assert kinds == sorted(kinds, key=lambda kind: kind not in ("COM", "ARM", "PAYS"))
