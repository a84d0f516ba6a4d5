"""The inquiry's « search a known person » keeps what was typed (issue 12, item 5: it reloaded
the page and wiped the form)."""

import html
import re
import uuid

import pytest
from django.urls import reverse

from dui.admissions.models import Inquiry

pytestmark = pytest.mark.django_db

NEW = reverse("admissions:inquiry_new")


def typed(**extra) -> dict:
    return {
        "channel": "phone",
        "requester_kind": "hospital",
        "requester_name": "M. Durand, assistant social",
        "requester_phone": "03 21 00 00 00",
        "explained": "Tarifs, délais, visite possible.",
        "documents_sent": ["livret_accueil", "tarifs"],
        "idempotency_key": str(uuid.uuid4()),
        **extra,
    }


def test_searching_a_known_person_keeps_everything_typed_and_saves_nothing(
    logged_in_client, secretary_a, resident_a
):
    client = logged_in_client(secretary_a)

    response = client.post(NEW, typed(action="search", person_search=resident_a.birth_name))

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert 'value="M. Durand, assistant social"' in page
    assert 'value="03 21 00 00 00"' in page
    assert "Tarifs, délais, visite possible." in page
    assert re.search(r'<input[^>]*value="livret_accueil"[^>]*checked', page)
    assert f'value="{resident_a.birth_name}"' in page
    assert resident_a.display_name in page  # found, to be chosen
    assert 'class="errorlist"' not in page  # a search is not a submission
    assert not Inquiry.objects.exists()


def test_the_person_found_is_then_chosen_and_the_inquiry_saved(
    logged_in_client, secretary_a, resident_a
):
    client = logged_in_client(secretary_a)
    client.post(NEW, typed(action="search", person_search=resident_a.birth_name))

    response = client.post(NEW, typed(person=str(resident_a.public_id)))

    assert response.status_code == 302
    assert Inquiry.objects.get().person == resident_a


def test_the_search_finds_no_one_the_secretary_may_not_see(
    logged_in_client, secretary_a, resident_b
):
    page = logged_in_client(secretary_a).post(
        NEW, typed(action="search", person_search=resident_b.birth_name)
    )

    assert resident_b.display_name not in html.unescape(page.content.decode())
