"""Page numbers typed in the address bar: every paginated list answers 404 or its last page,
never a server error (`?page=99999999999999999999` once reached the database as an OFFSET)."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from dui.core.pagination import page_of, requested_page
from tests.factories import CareTeamMembershipFactory

HUGE = "99999999999999999999"


def ask(page: str | None):
    return RequestFactory().get("/", {} if page is None else {"page": page})


@pytest.mark.parametrize(
    ("typed", "number"), [(None, 1), ("", 1), ("1", 1), ("7", 7), (" 3 ", 3), ("1000000", 10**6)]
)
def test_a_page_number_is_a_whole_number_from_one(typed, number):
    assert requested_page(ask(typed)) == number


@pytest.mark.parametrize("typed", [HUGE, "-1", "0", "abc", "1.5", "1e3", "٣", "2 3", "1000001"])
def test_anything_else_is_not_a_page(typed):
    with pytest.raises(Http404):
        requested_page(ask(typed))


def test_a_page_past_the_end_is_the_last_page():
    page = page_of(ask("40"), list(range(30)), 25)

    assert page.number == 2 and list(page) == list(range(25, 30))


def test_an_empty_list_has_its_one_empty_page():
    page = page_of(ask("3"), [], 25)

    assert page.number == 1 and list(page) == []


# --- Every paginated view of the record and of the lists --------------------------------------


@pytest.fixture
def pages(resident_a, nurse_a, secretary_a, director_a):
    """(name, user, url) of every paginated view of the bricks."""
    person = resident_a.public_id
    return {
        "search": (nurse_a, reverse("people:list")),
        "history": (secretary_a, reverse("people:history", args=[person])),
        "documents": (secretary_a, reverse("documents:list", args=[person])),
        "instrument_history": (
            nurse_a,
            reverse("assessments:instrument_history", args=[person, "braden"]),
        ),
        "due_assessments": (nurse_a, reverse("assessments:due")),
        "partners": (nurse_a, reverse("coordination:partner_list")),
        "inquiries": (secretary_a, reverse("admissions:inquiry_list")),
        "applications": (secretary_a, reverse("admissions:pipeline_list")),
        "break_glass_review": (director_a, reverse("access:break_glass_review_list")),
        "person_journal": (director_a, reverse("access:person_journal", args=[person])),
        "professionals": (director_a, reverse("access:professional_list")),
    }


VIEWS = [
    "search",
    "history",
    "documents",
    "instrument_history",
    "due_assessments",
    "partners",
    "inquiries",
    "applications",
    "break_glass_review",
    "person_journal",
    "professionals",
]


@pytest.mark.parametrize("typed", [HUGE, "-1", "abc"])
@pytest.mark.parametrize("view", VIEWS)
def test_a_page_number_no_link_makes_is_not_found(view, typed, pages, logged_in_client):
    user, url = pages[view]

    assert logged_in_client(user).get(url, {"page": typed}).status_code == 404


def test_the_history_past_its_oldest_change_is_not_found(logged_in_client, secretary_a, resident_a):
    url = reverse("people:history", args=[resident_a.public_id])
    client = logged_in_client(secretary_a)

    assert client.get(url).status_code == 200
    assert client.get(url, {"page": "2"}).status_code == 404


def test_the_search_past_its_end_shows_its_last_results(logged_in_client, nurse_a, unit_a):
    CareTeamMembershipFactory.create_batch(30, unit=unit_a)
    response = logged_in_client(nurse_a).get(reverse("people:list"), {"page": "3"})

    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == page.paginator.num_pages == 2
    assert "Page 2 sur 2" in response.content.decode()
