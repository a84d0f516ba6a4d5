"""The main navigation (issue 12, item 1): the pathway's steps as groups, each a button that
opens its entries; the group of the current page marked; only what the profession may use."""

import re
from html import unescape

import pytest
from django.urls import reverse

from dui.core import navigation
from dui.core.navigation import DIRECTION, RECORDS, Entry, menu_for

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return unescape(response.content.decode())


def menu(rf, user, url="/"):
    from django.urls import resolve

    request = rf.get(url)
    request.user = user
    request.assignment = user.assignments.first()
    request.resolver_match = resolve(url)
    return menu_for(request)


def group_buttons(page: str) -> list[str]:
    return re.findall(r'class="mainnav-group-button"[^>]*>([^<]+)</button>', page)


def test_the_groups_follow_the_pathway_then_the_persons_then_the_direction(rf, director_a):
    codes = [g["code"] for g in menu(rf, director_a)["groups"]]

    steps = [c for c, _ in navigation.STEPS]
    pathway = [c for c in codes if c in steps]
    assert pathway == sorted(pathway, key=steps.index)
    assert codes[-2:] == [RECORDS, DIRECTION]


def test_the_nurse_sees_the_steps_she_works_in_and_not_the_direction_tools(
    logged_in_client, nurse_a
):
    page = page_of(logged_in_client(nurse_a).get(reverse("core:home")))

    buttons = group_buttons(page)
    assert "Évaluer" in buttons
    assert "Usagers et partenaires" in buttons
    assert "Direction et administration" not in buttons
    assert reverse("assessments:due") in page
    assert reverse("access:professional_list") not in page


def test_the_director_finds_the_gmp_and_the_journal_in_the_direction_group(rf, director_a):
    groups = {g["code"]: g for g in menu(rf, director_a)["groups"]}

    direction = [e.url_name for e in groups[DIRECTION]["entries"]]
    assert "reporting:gmp" in direction
    assert "access:professional_list" in direction
    assert "access:break_glass_review_list" in direction
    assert [e.url_name for e in groups[RECORDS]["entries"]] == [
        "people:list",
        "coordination:partner_list",
    ]


def test_each_group_is_a_button_that_opens_its_entries_by_keyboard_or_touch(
    logged_in_client, nurse_a
):
    page = page_of(logged_in_client(nurse_a).get(reverse("core:home")))

    # A disclosure: a real button, closed at first, controlling the list of its entries.
    assert (
        '<button type="button" class="mainnav-group-button" aria-expanded="false" '
        'aria-controls="menu-assess">Évaluer</button>' in page
    )
    assert '<ul class="mainnav-entries" id="menu-assess" hidden>' in page
    # On a tablet in portrait or a phone, one « Menu » button opens the groups.
    assert 'class="mainnav-toggle" aria-expanded="false" aria-controls="mainnav-groups"' in page


def test_the_group_of_the_current_page_is_marked_and_its_entry_is_the_current_page(
    logged_in_client, nurse_a
):
    page = page_of(logged_in_client(nurse_a).get(reverse("assessments:due")))

    assert 'aria-controls="menu-assess" aria-current="true">Évaluer</button>' in page
    assert f'<a href="{reverse("assessments:due")}" aria-current="page">' in page
    # « Ma journée » is not the current page any more.
    assert 'aria-current="page">Ma journée</a>' not in page


def test_the_menu_has_no_inline_script_or_style_for_the_strict_csp(logged_in_client, nurse_a):
    page = page_of(logged_in_client(nurse_a).get(reverse("core:home")))

    assert "<script>" not in page
    assert " onclick=" not in page
    assert " style=" not in page


def test_an_entry_of_an_unknown_group_is_refused():
    with pytest.raises(ValueError):
        navigation.register("nowhere", Entry("X", "core:home"))
    with pytest.raises(ValueError):
        navigation.register_tool(Entry("X", "core:home"), group="nowhere")
