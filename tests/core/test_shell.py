"""The application shell: « Ma journée », navigation, search, user menu, demo banner, assets,
bounded queries and GET pages that never write."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dui.core.middleware import GetWroteError, ReadOnlyGetMiddleware
from dui.organisation.models import Organisation
from tests.accounts.closed_sessions import assert_closed_without_assignment
from tests.factories import CareTeamMembershipFactory, PersonFactory, PlaceFactory
from tests.stays.factories import StayFactory

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return unescape(response.content.decode())


def add_persons(unit, count: int) -> None:
    """Residents of the unit: a care-team membership and a stay under way there."""
    for _ in range(count):
        membership = CareTeamMembershipFactory(unit=unit, establishment=unit.establishment)
        live_in(membership.person, unit)


def live_in(person, unit):
    return StayFactory(
        person=person, place=PlaceFactory(establishment=unit.establishment, unit=unit)
    )


# --- « Ma journée » -----------------------------------------------------------------------------


def test_the_nurse_home_lists_the_persons_of_her_unit_only(
    logged_in_client, nurse_a, unit_a, unit_a2, resident_a, resident_b
):
    live_in(resident_a, unit_a)
    neighbour = PersonFactory(birth_name="Garnier", first_names="Odette")
    CareTeamMembershipFactory(person=neighbour, unit=unit_a2, establishment=unit_a2.establishment)
    live_in(neighbour, unit_a2)

    response = logged_in_client(nurse_a).get(reverse("core:home"))

    assert response.status_code == 200
    page = page_of(response)
    assert "Ma journée — Les Glycines" in page
    assert reverse("people:record", args=[resident_a.public_id]) in page
    assert reverse("people:record", args=[resident_b.public_id]) not in page
    assert reverse("people:record", args=[neighbour.public_id]) not in page
    assert "Personnes accompagnées de l'unité (1)" in page


def test_the_home_page_has_the_navigation_the_search_box_and_the_user_menu(
    logged_in_client, nurse_a
):
    page = page_of(logged_in_client(nurse_a).get(reverse("core:home")))

    assert 'aria-label="Navigation principale"' in page
    assert 'aria-current="page">Ma journée</a>' in page
    assert 'role="search"' in page
    assert f'action="{reverse("people:list")}"' in page
    assert 'placeholder="Rechercher une personne' in page
    assert 'class="user-menu"' in page
    assert "Claire Martin" in page
    assert "Se déconnecter" in page
    assert "Se déconnecter de tous les appareils" in page


def test_a_professional_without_an_active_assignment_is_told_so(logged_in_client, nurse_a):
    nurse_a.assignments.update(end_date="2020-01-01", start_date="2019-01-01")
    client = logged_in_client(nurse_a)

    response = client.get(reverse("core:home"), follow=True)

    # No session stays open without a current assignment (issue 10, finding 10).
    assert_closed_without_assignment(client, response, user=nurse_a)


def test_a_director_sees_the_management_tools_and_a_nurse_does_not(
    logged_in_client, nurse_a, director_a
):
    nurse_page = page_of(logged_in_client(nurse_a).get(reverse("core:home")))
    director_page = page_of(logged_in_client(director_a).get(reverse("core:home")))

    assert reverse("access:professional_list") in director_page
    assert reverse("access:professional_list") not in nurse_page


# --- Demo banner ------------------------------------------------------------------------------


def test_the_demo_banner_is_hidden_outside_demo_mode(client, logged_in_client, nurse_a):
    assert "Démonstration" not in page_of(logged_in_client(nurse_a).get(reverse("core:home")))
    assert "Démonstration" not in page_of(client.get(reverse("accounts:login")))


@override_settings(DUI_DEMO_MODE=True)
def test_the_demo_banner_shows_in_demo_mode(client, logged_in_client, nurse_a):
    home = page_of(logged_in_client(nurse_a).get(reverse("core:home")))
    login = page_of(client.get(reverse("accounts:login")))

    for page in (home, login):
        assert '<div class="demo-banner" role="status">' in page
        assert "<strong>Démonstration</strong>" in page


# --- Assets -----------------------------------------------------------------------------------


def test_every_asset_of_the_page_is_served_from_our_own_server(
    client, logged_in_client, director_a, resident_a
):
    pages = [
        page_of(logged_in_client(director_a).get(reverse("core:home"))),
        page_of(client.get(reverse("accounts:login"))),
    ]

    for page in pages:
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", page)
        assert "@import" not in page
        assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", page)
        assert len(assets) >= 3  # stylesheet, htmx, our script
        for asset in assets:
            assert finders.find(
                asset.removeprefix(
                    settings.STATIC_URL
                    if settings.STATIC_URL.startswith("/")
                    else "/" + settings.STATIC_URL
                )
            ), asset


def test_the_stylesheet_and_scripts_load_nothing_from_another_host():
    for path in ["dui/css/dui.css", "dui/js/dui.js"]:
        with open(finders.find(path), encoding="utf-8") as asset:
            content = asset.read()
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", content), path
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", content), path
        assert not re.search(r"""fetch\(\s*['"]https?://""", content), path


# --- Bounded work per request -----------------------------------------------------------------


# Session, user, device, assignments, persons (+ margin): none of them per person.
# Issue 12: the home page is a to-do list fed by every brick (rooms, absences, expected stays,
# allergies, alerts, assessments due, counts): still the same for 5 and 60 persons.
# Issue 13 adds the care record's items (the « aucune allergie connue » statements, important
# notes unread, tasks of the shift and overdue, care alerts, the care settings once): 22;
# falls in 12 months and open wounds (« 2 chutes en 12 mois », « Plaie stade 3 (sacrum) »), 2 more;
# external care, 2 more (today's appointments of the unit, and of the day list's persons): 26.
HOME_MAX_QUERIES = 26


@pytest.mark.parametrize("persons", [5, 60])
def test_the_home_page_query_count_does_not_grow_with_the_persons_of_the_unit(
    logged_in_client, nurse_a, unit_a, persons, django_assert_max_num_queries
):
    add_persons(unit_a, persons)
    nurse = logged_in_client(nurse_a)

    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = nurse.get(reverse("core:home"))

    assert response.status_code == 200
    day_list = next(p for p in response.context["panels"] if p["key"] == "stays.day_list")
    assert len(day_list["context"]["persons"]) == persons


def test_the_home_page_shows_at_most_sixty_persons_and_links_to_the_full_list(
    logged_in_client, nurse_a, unit_a
):
    add_persons(unit_a, 61)

    page = page_of(logged_in_client(nurse_a).get(reverse("core:home")))

    assert len(re.findall(r'href="/usagers/[0-9a-f-]{36}/"', page)) == 60
    assert "(60+)" in page
    assert "Voir toutes les personnes" in page


# --- GET never writes -------------------------------------------------------------------------


def test_the_read_only_get_guard_is_active_in_tests():
    assert settings.DUI_READ_ONLY_GET_GUARD is True


def test_the_guard_fails_loudly_when_a_get_writes():
    def writing_view(request):
        Organisation.objects.create(name="Écrite par un GET")

    guard = ReadOnlyGetMiddleware(writing_view)

    with pytest.raises(GetWroteError), transaction.atomic():
        guard(RequestFactory().get("/"))
    assert not Organisation.objects.filter(name="Écrite par un GET").exists()


def simple_url_names(patterns=None, namespace: str = "") -> list[str]:
    """Names of the application's URLs that take no argument (admin left aside)."""
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += simple_url_names(pattern.url_patterns, prefix)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and not pattern.pattern.converters
            and "<" not in str(pattern.pattern)
        ):
            names.append(namespace + pattern.name)
    return names


def test_the_shell_pages_are_all_found():
    names = simple_url_names()
    for expected in ["core:home", "accounts:login", "accounts:lock", "people:list"]:
        assert expected in names


@pytest.mark.parametrize("persona", ["nurse_a", "director_a", "secretary_a", "doctor_a"])
def test_a_get_of_every_simple_page_writes_nothing(request, logged_in_client, persona, resident_a):
    user = request.getfixturevalue(persona)
    browser = logged_in_client(user)
    urls = [reverse(name) for name in simple_url_names()]
    for name in ["people:record", "access:person_journal", "access:break_glass_open"]:
        urls.append(reverse(name, args=[resident_a.public_id]))
    urls.append(reverse("access:professional_journal", args=[user.public_id]))

    for url in urls:
        response = browser.get(url)  # a write would raise GetWroteError here
        assert response.status_code in {200, 302, 403, 404, 405}, (url, response.status_code)


def test_a_get_of_the_public_pages_writes_nothing(client):
    for name in ["accounts:login", "core:home", "people:list"]:
        assert client.get(reverse(name)).status_code in {200, 302}
