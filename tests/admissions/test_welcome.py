"""The welcome checklist of a stay: each item ticked once, with its date and who, several in
one go and undone with a reason (issue 12); the personal plan is due six months after the
admission."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.admissions.models import WelcomeChecklistItem, WelcomeItem
from dui.admissions.selectors import personal_plan_due
from dui.admissions.services.admission import stay_admit
from dui.admissions.services.welcome import welcome_item_tick, welcome_item_untick
from dui.core import dates
from tests.admissions.helpers import TO_ACCEPTED, key, new_application
from tests.factories import PlaceFactory
from tests.refusals import assert_refused, assert_service_refused


@pytest.fixture
def stay(secretary_a, ehpad_a, unit_a, today):
    application = new_application(secretary_a, ehpad_a, statuses=TO_ACCEPTED)
    place = PlaceFactory(unit=unit_a, label="101")
    return stay_admit(
        acting_user=secretary_a,
        application=application,
        unit=unit_a,
        place=place,
        started_on=today,
        expected_version=application.version,
    )


def test_an_item_is_ticked_with_its_date_and_who(stay, secretary_a, today):
    entry = welcome_item_tick(
        acting_user=secretary_a,
        stay=stay,
        item=WelcomeItem.LIVRET,
        done_on=today - timedelta(days=1),
    )
    assert entry.done_by == secretary_a and entry.done_on == today - timedelta(days=1)


def test_an_item_is_ticked_once(stay, secretary_a):
    welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.CHARTE)
    with pytest.raises(ValidationError) as error:
        welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.CHARTE)
    assert "déjà cochée" in " ".join(error.value.messages)
    assert WelcomeChecklistItem.objects.filter(stay=stay).count() == 1


def test_a_date_in_the_future_is_refused(stay, secretary_a, today):
    with pytest.raises(ValidationError):
        welcome_item_tick(
            acting_user=secretary_a,
            stay=stay,
            item=WelcomeItem.INVENTORY,
            done_on=today + timedelta(days=1),
        )
    assert not WelcomeChecklistItem.objects.exists()


def test_a_professional_of_another_establishment_cannot_tick(stay, nurse_b):
    with pytest.raises(AccessDenied) as refused:
        welcome_item_tick(acting_user=nurse_b, stay=stay, item=WelcomeItem.LIVRET)
    assert_service_refused(refused, "Ce séjour est suivi par un autre établissement.")
    assert refused.value.person == stay.person
    assert not WelcomeChecklistItem.objects.exists()


def test_the_personal_plan_is_due_six_months_after_the_admission(stay):
    assert personal_plan_due(stay) == dates.add_months(stay.started_on, 6)
    assert dates.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_welcome_page_shows_done_and_pending_items(
    stay, secretary_a, logged_in_client, django_assert_max_num_queries
):
    welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.LIVRET)
    client = logged_in_client(secretary_a)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("admissions:welcome", args=[stay.person.public_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="welcome-item"') == len(WelcomeItem.values)
    assert "1</strong> étape faite sur 8" in body
    assert f"{personal_plan_due(stay):%d/%m/%Y}" in body


def test_the_welcome_page_keeps_its_path_under_the_stays(stay):
    url = reverse("admissions:welcome", args=[stay.person.public_id])
    assert url == f"/sejours/{stay.person.public_id}/accueil/"


def test_the_welcome_page_ticks_an_item_once_even_when_sent_twice(
    stay, secretary_a, logged_in_client, today
):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:welcome", args=[stay.person.public_id])
    data = {
        "stay": str(stay.public_id),
        "items": [WelcomeItem.REGLEMENT],
        "done_on": today.isoformat(),
        "idempotency_key": key(),
    }
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert WelcomeChecklistItem.objects.filter(stay=stay, item=WelcomeItem.REGLEMENT).count() == 1
    other_key = client.post(url, {**data, "idempotency_key": key()})
    assert other_key.status_code == 400
    assert "déjà cochée" in other_key.content.decode()


def test_a_reader_who_does_not_write_the_administrative_part_is_refused_the_tick(
    stay, nurse_a, logged_in_client, today
):
    client = logged_in_client(nurse_a)
    url = reverse("admissions:welcome", args=[stay.person.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "Cocher" not in page.content.decode()
    response = client.post(
        url,
        {
            "stay": str(stay.public_id),
            "items": [WelcomeItem.LIVRET],
            "done_on": today.isoformat(),
            "idempotency_key": key(),
        },
    )
    assert_refused(
        response,
        "Votre profession ne peut pas modifier cette partie du dossier",
        user=nurse_a,
        person=stay.person,
    )
    assert not WelcomeChecklistItem.objects.exists()


# --- Several in one go, undone with a reason (issue 12, item 5) ---------------------------------


def test_several_items_are_ticked_in_one_submit(stay, secretary_a, logged_in_client, today):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:welcome", args=[stay.person.public_id])

    response = client.post(
        url,
        {
            "stay": str(stay.public_id),
            "items": [WelcomeItem.LIVRET, WelcomeItem.REGLEMENT, WelcomeItem.CHARTE],
            "done_on": today.isoformat(),
            "idempotency_key": key(),
        },
    )

    assert response.status_code == 302
    assert set(WelcomeChecklistItem.objects.filter(stay=stay).values_list("item", flat=True)) == {
        WelcomeItem.LIVRET,
        WelcomeItem.REGLEMENT,
        WelcomeItem.CHARTE,
    }
    page = client.get(url).content.decode()
    assert "3</strong> étapes faites sur 8" in page


def test_one_item_already_ticked_leaves_the_others_unticked(
    stay, secretary_a, logged_in_client, today
):
    welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.LIVRET)
    response = logged_in_client(secretary_a).post(
        reverse("admissions:welcome", args=[stay.person.public_id]),
        {
            "stay": str(stay.public_id),
            "items": [WelcomeItem.CHARTE, WelcomeItem.LIVRET],
            "done_on": today.isoformat(),
            "idempotency_key": key(),
        },
    )

    assert response.status_code == 400
    assert "déjà cochée" in response.content.decode()
    assert not WelcomeChecklistItem.objects.filter(item=WelcomeItem.CHARTE).exists()


def test_a_tick_is_undone_with_a_reason_and_keeps_its_history(stay, secretary_a, logged_in_client):
    entry = welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.INVENTORY)
    client = logged_in_client(secretary_a)
    url = reverse("admissions:welcome", args=[stay.person.public_id])

    response = client.post(
        url,
        {
            "stay": str(stay.public_id),
            "action": "untick",
            "item": WelcomeItem.INVENTORY,
            "reason": "Inventaire à refaire : la famille apporte ses meubles samedi",
            "idempotency_key": key(),
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.undone_by == secretary_a and entry.undo_reason.startswith("Inventaire à refaire")
    assert AccessEvent.objects.filter(
        action=AccessAction.AMEND, user=secretary_a, person=stay.person
    ).exists()
    page = client.get(url).content.decode()
    assert "0</strong> étapes faites sur 8" in page
    assert "décochée le" in page and "la famille apporte ses meubles samedi" in page
    # Ticked again: a new row; the undone one stays.
    welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.INVENTORY)
    assert WelcomeChecklistItem.objects.filter(item=WelcomeItem.INVENTORY).count() == 2


def test_undoing_a_tick_needs_a_reason(stay, secretary_a):
    entry = welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.LIVRET)

    with pytest.raises(ValidationError, match="pourquoi"):
        welcome_item_untick(acting_user=secretary_a, entry=entry, reason="  ")

    entry.refresh_from_db()
    assert entry.undone_on is None


def test_a_nurse_who_does_not_write_the_administrative_part_cannot_undo(stay, secretary_a, nurse_a):
    entry = welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.LIVRET)

    with pytest.raises(AccessDenied) as refused:
        welcome_item_untick(acting_user=nurse_a, entry=entry, reason="erreur")

    assert_service_refused(refused, "Vous ne pouvez pas compléter l'accueil")
