"""The access journal (DESIGN §4.3): identifiers only, append-only, hash-chained."""

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, models, transaction

from dui.access import journal
from dui.access.journal import verify_chain
from dui.access.models import AccessAction, AccessEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_events(nurse_a, resident_a):
    return [
        journal.record(
            user=nurse_a,
            action=AccessAction.READ,
            person=resident_a,
            obj=resident_a,
            ip_address="192.0.2.10",
        )
        for _ in range(5)
    ]


def drop_append_only_triggers():
    """What an attacker with database superpowers would do first."""
    statements = {
        "sqlite": [
            "DROP TRIGGER access_journal_no_update",
            "DROP TRIGGER access_journal_no_delete",
        ],
        "postgresql": ["DROP TRIGGER access_journal_guard ON access_accessevent"],
    }[connection.vendor]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_each_entry_links_to_the_previous_one_and_the_chain_verifies(five_events):
    assert [e.sequence for e in five_events] == [1, 2, 3, 4, 5]
    for previous, event in itertools.pairwise(five_events):
        assert event.previous_hash == previous.hash
    assert five_events[0].previous_hash == journal.GENESIS_HASH
    assert list(verify_chain()) == []


def test_an_entry_records_who_acted_under_which_assignment_on_whom_from_where(nurse_a, resident_a):
    assignment = nurse_a.assignments.get()
    event = journal.record(
        user=nurse_a,
        action=AccessAction.READ,
        person=resident_a,
        obj=resident_a,
        assignment=assignment,
        ip_address="192.0.2.10",
        break_glass=True,
    )
    event.refresh_from_db()
    assert (event.user, event.assignment, event.person) == (nurse_a, assignment, resident_a)
    assert event.object_type == "people.Person"
    assert event.object_id == str(resident_a.public_id)
    assert event.ip_address == "192.0.2.10"
    assert event.break_glass is True


def test_an_unknown_action_is_refused(nurse_a):
    with pytest.raises(ValueError):
        journal.record(user=nurse_a, action="peek")
    assert not AccessEvent.objects.exists()


def test_a_journal_line_rolls_back_with_the_use_case_it_records(nurse_a, resident_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        journal.record(user=nurse_a, action=AccessAction.UPDATE, person=resident_a)
        raise RuntimeError("the write failed")
    assert not AccessEvent.objects.exists()


def test_the_database_refuses_to_update_a_journal_entry(five_events):
    event = five_events[1]
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(ip_address="203.0.113.66")
    with pytest.raises(DatabaseError), transaction.atomic():
        event.break_glass = True
        event.save()
    event.refresh_from_db()
    assert event.ip_address == "192.0.2.10"
    assert event.break_glass is False


def test_the_database_refuses_to_delete_a_journal_entry(five_events):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=five_events[2].pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.count() == 5


def test_an_altered_entry_is_found_by_the_verification(five_events):
    drop_append_only_triggers()
    AccessEvent.objects.filter(sequence=3).update(ip_address="203.0.113.66")

    breaks = list(verify_chain())
    assert [(b.sequence, b.problem) for b in breaks] == [
        (3, "le contenu de l'entrée a été modifié")
    ]
    with pytest.raises(CommandError):
        call_command("verify_journal")


def test_a_deleted_entry_is_found_by_the_verification(five_events):
    drop_append_only_triggers()
    AccessEvent.objects.filter(sequence=3).delete()

    breaks = list(verify_chain())
    assert {b.sequence for b in breaks} == {4}
    assert any("manquante" in b.problem for b in breaks)


def test_an_entry_rewritten_with_a_recomputed_hash_still_breaks_the_chain(five_events):
    drop_append_only_triggers()
    forged = AccessEvent.objects.get(sequence=2)
    forged.ip_address = "203.0.113.66"
    forged.hash = journal.entry_hash(forged)
    AccessEvent.objects.filter(pk=forged.pk).update(ip_address=forged.ip_address, hash=forged.hash)

    assert [b.sequence for b in verify_chain()] == [3]


def test_the_last_entry_removed_is_not_detectable_by_the_chain_alone(five_events):
    """Documents the limit of a hash chain: truncating the tail leaves a valid chain. The
    signed checkpoints kept outside the database are what reveal it
    (test_journal_tampering.py)."""
    drop_append_only_triggers()
    AccessEvent.objects.filter(sequence=5).delete()
    assert list(verify_chain()) == []


def test_the_journal_holds_identifiers_only_never_clinical_content():
    fields = {f.name: f for f in AccessEvent._meta.get_fields() if f.concrete}
    assert set(fields) == {
        "id",
        "chain",
        "sequence",
        "occurred_at",
        "user",
        "assignment",
        "person",
        "object_type",
        "object_id",
        "action",
        "ip_address",
        "break_glass",
        "previous_hash",
        "hash",
    }
    for field in fields.values():
        assert not isinstance(field, models.TextField | models.JSONField | models.BinaryField), (
            field.name
        )
        if isinstance(field, models.CharField):
            assert field.max_length <= 64, field.name
    assert fields["action"].choices


@pytest.mark.parametrize(
    "address", ["192.0.2.1", "2001:db8::1", "2001:DB8:0:0::1", "::ffff:192.0.2.1"]
)
def test_an_entry_from_any_ip_address_form_still_verifies_once_stored(nurse_a, address):
    journal.record(user=nurse_a, action=AccessAction.READ, ip_address=address)
    assert list(verify_chain()) == []


def test_a_malformed_client_address_is_left_out_rather_than_failing_the_use_case(nurse_a):
    event = journal.record(user=nurse_a, action=AccessAction.READ, ip_address="unknown, 10.0.0.1")
    assert event.ip_address is None
    assert list(verify_chain()) == []
