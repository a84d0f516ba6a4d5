"""Exactly once (DESIGN §4.5): every write form carries an idempotency key; a replay of the
same key returns the first result instead of writing twice."""

import html
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from dui.access.models import AccessAction, AccessEvent, BreakGlass
from dui.core.models import IdempotencyKey
from tests.factories import professional

pytestmark = pytest.mark.django_db

REASON = "Chute dans le couloir la nuit, besoin des traitements en cours"


def open_break_glass(client, person, *, key, reason=REASON):
    data = {"reason": reason}
    if key is not None:
        data["idempotency_key"] = str(key)
    return client.post(
        reverse("access:break_glass_open", kwargs={"person_id": person.public_id}), data
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_replayed_submission_writes_once_and_returns_the_first_result(
    logged_in_client, nurse_b, resident_a
):
    client = logged_in_client(nurse_b)
    key = uuid.uuid4()

    first = open_break_glass(client, resident_a, key=key)
    again = open_break_glass(client, resident_a, key=key)

    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert BreakGlass.objects.count() == 1
    assert AccessEvent.objects.filter(action=AccessAction.BREAK_GLASS).count() == 1
    stored = IdempotencyKey.objects.get(key=key)
    assert (stored.user, stored.response_status) == (nurse_b, 302)


def test_the_replay_tells_the_user_nothing_was_added(logged_in_client, nurse_b, resident_a):
    client = logged_in_client(nurse_b)
    key = uuid.uuid4()
    open_break_glass(client, resident_a, key=key)
    client.get(reverse("people:record", kwargs={"person_id": resident_a.public_id}))

    replay = open_break_glass(client, resident_a, key=key)

    page = client.get(replay["Location"])
    assert "déjà été enregistrée : rien n'a été ajouté" in text(page)


def test_a_submission_without_a_key_is_refused_in_french_and_writes_nothing(
    logged_in_client, nurse_b, resident_a
):
    response = open_break_glass(logged_in_client(nurse_b), resident_a, key=None)

    assert response.status_code == 400
    assert "clé d'envoi manquante" in text(response)
    assert not BreakGlass.objects.exists()
    assert not IdempotencyKey.objects.exists()
    assert not AccessEvent.objects.filter(action=AccessAction.BREAK_GLASS).exists()


def test_a_malformed_key_is_refused_like_a_missing_one(logged_in_client, nurse_b, resident_a):
    response = open_break_glass(logged_in_client(nurse_b), resident_a, key="pas-une-clé")
    assert response.status_code == 400
    assert not BreakGlass.objects.exists()


def test_a_key_already_used_by_another_user_is_refused(
    logged_in_client, nurse_b, unit_b, resident_a
):
    colleague = professional(
        username="ide.b2", profession="ide", establishment=unit_b.establishment, unit=unit_b
    )
    key = uuid.uuid4()
    open_break_glass(logged_in_client(nurse_b), resident_a, key=key)

    response = open_break_glass(logged_in_client(colleague), resident_a, key=key)

    assert response.status_code == 400
    assert "Clé d'envoi déjà utilisée" in text(response)
    assert list(BreakGlass.objects.values_list("user__username", flat=True)) == ["ide.b"]


def test_a_refused_submission_does_not_use_up_its_key(logged_in_client, nurse_b, resident_a):
    """The form comes back with its error and the same key: once corrected, it goes through."""
    client = logged_in_client(nurse_b)
    key = uuid.uuid4()

    refused = open_break_glass(client, resident_a, key=key, reason="urgence")
    corrected = open_break_glass(client, resident_a, key=key)

    assert refused.status_code == 400
    assert corrected.status_code == 302
    assert BreakGlass.objects.count() == 1


def test_get_requests_need_no_key(logged_in_client, director_a):
    response = logged_in_client(director_a).get(reverse("access:category_matrix"))
    assert response.status_code == 200
    assert not IdempotencyKey.objects.exists()


def test_every_write_form_rendered_carries_a_fresh_key(logged_in_client, nurse_b, resident_a):
    client = logged_in_client(nurse_b)
    url = reverse("people:record", kwargs={"person_id": resident_a.public_id})
    first, second = text(client.get(url)), text(client.get(url))
    assert 'name="idempotency_key"' in first
    key_of = lambda page: page.split('name="idempotency_key" value="')[1].split('"')[0]  # noqa: E731
    assert uuid.UUID(key_of(first)) != uuid.UUID(key_of(second))


def test_a_key_used_on_one_form_is_refused_on_another(
    logged_in_client, nurse_b, resident_a, resident_b
):
    client = logged_in_client(nurse_b)
    key = uuid.uuid4()
    open_break_glass(client, resident_a, key=key)

    # Same user, same key, another person's form: refused, nothing replayed or written.
    response = open_break_glass(client, resident_b, key=key)

    assert response.status_code == 400
    assert "Clé d'envoi déjà utilisée" in text(response)
    assert BreakGlass.objects.count() == 1


def test_keys_past_their_retention_are_purged_and_recent_ones_kept(
    logged_in_client, nurse_b, resident_a
):
    client = logged_in_client(nurse_b)
    open_break_glass(client, resident_a, key=uuid.uuid4())
    assert IdempotencyKey.objects.count() == 1

    call_command("purge_idempotency_keys")
    assert IdempotencyKey.objects.count() == 1

    with freeze_time(timezone.now() + settings.IDEMPOTENCY_KEY_RETENTION + timedelta(hours=1)):
        call_command("purge_idempotency_keys")
    assert IdempotencyKey.objects.count() == 0
