"""Break-glass from search (issue 12, item 4; DESIGN §4.2): the search says only that a match
exists in the organisation, offers the emergency access to professions that may open one
(`access.policy.may_break_glass_in`: those reading care or medical data), and grants it only on
the exact identity (birth name, first birth first name, birth date) and a reason."""

import html
import uuid

import pytest
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent, BreakGlass
from dui.people.views.search_break_glass import NO_EXACT_MATCH, NOT_ALLOWED
from tests.factories import CareTeamMembershipFactory, PersonFactory
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

REASON = "Chute la nuit, le SAMU demande ses traitements"
SEARCH = reverse("people:list")
BREAK_GLASS = reverse("people:break_glass_by_identity")


def text(response) -> str:
    return html.unescape(response.content.decode())


def identity(person, **changes) -> dict:
    data = {
        "birth_name": person.birth_name,
        "first_name": person.first_names.split()[0],
        "birth_date": person.birth_date.isoformat(),
        "reason": REASON,
        "idempotency_key": str(uuid.uuid4()),
    }
    return data | changes


def test_a_search_matching_a_person_of_another_ehpad_reveals_only_that_a_match_exists(
    resident_b, nurse_a, logged_in_client
):
    page = text(logged_in_client(nurse_a).get(SEARCH, {"q": "Moreau"}))

    assert 'data-testid="hidden-match"' in page
    assert "demander un accès exceptionnel" in page
    assert "Henri" not in page
    assert resident_b.birth_date.strftime("%d/%m/%Y") not in page
    assert str(resident_b.public_id) not in page


def test_the_htmx_results_reveal_the_match_the_same_way(resident_b, nurse_a, logged_in_client):
    page = text(logged_in_client(nurse_a).get(SEARCH, {"q": "Moreau"}, HTTP_HX_REQUEST="true"))

    assert 'data-testid="hidden-match"' in page
    assert "Aucune personne trouvée parmi celles que vous pouvez consulter" not in page
    assert str(resident_b.public_id) not in page


def test_no_match_elsewhere_offers_nothing(resident_b, nurse_a, logged_in_client):
    page = text(logged_in_client(nurse_a).get(SEARCH, {"q": "Zzyzx"}))

    assert 'data-testid="hidden-match"' not in page


def test_a_person_of_another_organisation_is_not_revealed(nurse_a, logged_in_client):
    elsewhere = PersonFactory(birth_name="Lointain")
    CareTeamMembershipFactory(person=elsewhere)  # another organisation's EHPAD

    page = text(logged_in_client(nurse_a).get(SEARCH, {"q": "Lointain"}))

    assert 'data-testid="hidden-match"' not in page


def test_a_secretary_is_not_offered_the_emergency_access(resident_b, secretary_a, logged_in_client):
    client = logged_in_client(secretary_a)

    assert 'data-testid="hidden-match"' not in text(client.get(SEARCH, {"q": "Moreau"}))
    assert_refused(client.get(BREAK_GLASS), str(NOT_ALLOWED), user=secretary_a)


def test_the_exact_identity_and_a_reason_open_the_record(resident_b, nurse_a, logged_in_client):
    client = logged_in_client(nurse_a)

    response = client.post(BREAK_GLASS, identity(resident_b))

    assert response["Location"] == reverse("people:record", args=[resident_b.public_id])
    grant = BreakGlass.objects.get(user=nurse_a, person=resident_b)
    assert grant.reason == REASON
    assert AccessEvent.objects.filter(
        action=AccessAction.BREAK_GLASS, user=nurse_a, person=resident_b, break_glass=True
    ).exists()
    assert client.get(response["Location"]).status_code == 200


def test_a_wrong_birth_date_opens_nothing_and_the_refusal_is_journaled(
    resident_b, nurse_a, logged_in_client
):
    wrong_day = resident_b.birth_date.replace(day=1 if resident_b.birth_date.day != 1 else 2)

    response = logged_in_client(nurse_a).post(
        BREAK_GLASS, identity(resident_b, birth_date=wrong_day.isoformat())
    )

    assert_refused(response, str(NO_EXACT_MATCH), user=nurse_a)
    assert not BreakGlass.objects.exists()


def test_a_first_name_that_is_not_the_first_birth_first_name_opens_nothing(
    resident_b, nurse_a, logged_in_client
):
    response = logged_in_client(nurse_a).post(BREAK_GLASS, identity(resident_b, first_name="Hen"))

    assert_refused(response, str(NO_EXACT_MATCH), user=nurse_a)
    assert not BreakGlass.objects.exists()


def test_without_a_reason_nothing_is_opened_and_the_identity_stays_typed(
    resident_b, nurse_a, logged_in_client
):
    response = logged_in_client(nurse_a).post(BREAK_GLASS, identity(resident_b, reason="vite"))

    assert response.status_code == 400
    page = text(response)
    assert "Indiquez le motif de l'accès exceptionnel" in page
    assert f'value="{resident_b.birth_name}"' in page
    assert not BreakGlass.objects.exists()


def test_a_person_already_visible_opens_without_an_emergency_access(
    resident_a, nurse_a, logged_in_client
):
    response = logged_in_client(nurse_a).post(BREAK_GLASS, identity(resident_a))

    assert response["Location"] == reverse("people:record", args=[resident_a.public_id])
    assert not BreakGlass.objects.exists()
