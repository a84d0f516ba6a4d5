"""manage.py verify_journal and purge_journal (retention of the access journal)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from freezegun import freeze_time

from dui.access import journal
from dui.access.journal import verify_chain
from dui.access.models import AccessAction, AccessEvent, JournalAnchor

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - settings.ACCESS_JOURNAL_RETENTION - timedelta(days=30)
RECENTLY = timezone.now() - timedelta(days=10)


def run(command, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    return out.getvalue()


def read_at(when, user, person, count=1):
    with freeze_time(when):
        return [
            journal.record(user=user, action=AccessAction.READ, person=person) for _ in range(count)
        ]


def test_verify_journal_reports_an_intact_journal(nurse_a, resident_a):
    read_at(RECENTLY, nurse_a, resident_a, count=3)
    assert "Journal des accès intègre : 3 entrées vérifiées" in run("verify_journal")


def test_verify_journal_on_an_empty_journal_says_so(db):
    assert "Journal des accès intègre : 0 entrées vérifiées" in run("verify_journal")


def test_verify_journal_names_the_broken_entry_and_fails(nurse_a, resident_a):
    read_at(RECENTLY, nurse_a, resident_a, count=4)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER access_journal_guard ON access_accessevent")
        else:
            cursor.execute("DROP TRIGGER access_journal_no_update")
    AccessEvent.objects.filter(sequence=2).update(object_id="falsifié")

    err = StringIO()
    with pytest.raises(CommandError, match="1 problème"):
        call_command("verify_journal", stdout=StringIO(), stderr=err)
    assert (
        "Problème : chaîne « consultations et refus », entrée 2 : le contenu de l'entrée a été "
        "modifié" in err.getvalue()
    )


def test_purge_removes_entries_older_than_the_retention_and_the_chain_still_verifies(
    nurse_a, resident_a
):
    old = read_at(LONG_AGO, nurse_a, resident_a, count=3)
    recent = read_at(RECENTLY, nurse_a, resident_a, count=2)

    output = run("purge_journal")

    assert "3 entrée(s) purgée(s)" in output
    assert list(AccessEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        e.sequence for e in recent
    ]
    anchor = JournalAnchor.objects.get()
    assert anchor.purged_through_sequence == old[-1].sequence
    assert anchor.anchor_hash == old[-1].hash
    assert anchor.purged_count == 3
    assert list(verify_chain()) == []
    assert "intègre : 2 entrées vérifiées" in run("verify_journal")


def test_the_chain_continues_from_the_anchor_when_everything_was_purged(nurse_a, resident_a):
    old = read_at(LONG_AGO, nurse_a, resident_a, count=2)
    run("purge_journal")
    assert not AccessEvent.objects.exists()

    following = journal.record(user=nurse_a, action=AccessAction.READ, person=resident_a)

    assert following.sequence == old[-1].sequence + 1
    assert following.previous_hash == old[-1].hash
    assert list(verify_chain()) == []


def test_a_dry_run_deletes_nothing(nurse_a, resident_a):
    read_at(LONG_AGO, nurse_a, resident_a, count=3)
    output = run("purge_journal", "--dry-run")
    assert "3 entrée(s) seraient purgées" in output
    assert AccessEvent.objects.count() == 3
    assert not JournalAnchor.objects.exists()


def test_nothing_within_the_retention_period_is_purged(nurse_a, resident_a):
    read_at(RECENTLY, nurse_a, resident_a, count=2)
    assert "Aucune entrée" in run("purge_journal")
    assert AccessEvent.objects.count() == 2
    assert not JournalAnchor.objects.exists()


def test_an_entry_just_inside_the_retention_period_is_kept(nurse_a, resident_a):
    read_at(LONG_AGO, nurse_a, resident_a)
    now = timezone.now()
    kept = read_at(
        now - settings.ACCESS_JOURNAL_RETENTION + timedelta(minutes=5), nurse_a, resident_a
    )
    with freeze_time(now):
        run("purge_journal")
    assert list(AccessEvent.objects.values_list("sequence", flat=True)) == [kept[0].sequence]


def test_the_purge_takes_a_prefix_of_the_chain_never_a_hole(nurse_a, resident_a):
    """An old-dated entry after a recent one (clock skew between servers) stays, and so does
    every entry after the first recent one."""
    first = read_at(LONG_AGO, nurse_a, resident_a)
    read_at(RECENTLY, nurse_a, resident_a)
    read_at(LONG_AGO, nurse_a, resident_a)

    run("purge_journal")

    assert list(AccessEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        2,
        3,
    ]
    assert JournalAnchor.objects.get().purged_through_sequence == first[0].sequence
    assert list(verify_chain()) == []


def test_a_second_purge_later_moves_the_anchor_forward(nurse_a, resident_a):
    # The database only lets entries older than 182 days (its own clock) go: both batches are.
    read_at(LONG_AGO - timedelta(days=20), nurse_a, resident_a, count=2)
    read_at(LONG_AGO, nurse_a, resident_a, count=2)
    with freeze_time(LONG_AGO - timedelta(days=10) + settings.ACCESS_JOURNAL_RETENTION):
        run("purge_journal")

    run("purge_journal")

    assert not AccessEvent.objects.exists()
    assert list(
        JournalAnchor.objects.order_by("purged_through_sequence").values_list(
            "purged_through_sequence", "purged_count"
        )
    ) == [(2, 2), (4, 2)]
    assert list(verify_chain()) == []


def test_the_purge_refuses_to_run_on_a_broken_chain(nurse_a, resident_a):
    read_at(LONG_AGO, nurse_a, resident_a, count=3)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER access_journal_guard ON access_accessevent")
        else:
            cursor.execute("DROP TRIGGER access_journal_no_update")
    AccessEvent.objects.filter(sequence=2).update(object_id="falsifié")

    with pytest.raises(CommandError, match="rupture"):
        run("purge_journal")
    assert AccessEvent.objects.count() == 3
    assert not JournalAnchor.objects.exists()


def test_the_database_refuses_a_deletion_not_covered_by_an_anchor(nurse_a, resident_a):
    read_at(LONG_AGO, nurse_a, resident_a, count=3)
    first = AccessEvent.objects.get(sequence=1)
    JournalAnchor.objects.create(
        chain="reads", purged_through_sequence=1, anchor_hash=first.hash, purged_count=1
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(sequence__lte=2).delete()
    assert AccessEvent.objects.count() == 3


def test_a_forged_anchor_is_refused_so_it_cannot_open_the_journal_to_deletion(nurse_a, resident_a):
    read_at(LONG_AGO, nurse_a, resident_a, count=2)
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalAnchor.objects.create(
            chain="reads", purged_through_sequence=2, anchor_hash="x" * 64, purged_count=2
        )
    assert not JournalAnchor.objects.exists()


def test_recent_entries_cannot_be_anchored_nor_deleted(nurse_a, resident_a):
    """Even with a well-formed anchor, entries younger than the shortest retention stay."""
    read_at(RECENTLY, nurse_a, resident_a, count=2)
    last = AccessEvent.objects.get(sequence=2)
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalAnchor.objects.create(
            chain="reads", purged_through_sequence=2, anchor_hash=last.hash, purged_count=2
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.count() == 2


def test_a_purge_anchor_cannot_be_altered_or_removed(nurse_a, resident_a):
    read_at(LONG_AGO, nurse_a, resident_a)
    run("purge_journal")
    anchor = JournalAnchor.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalAnchor.objects.filter(pk=anchor.pk).update(purged_through_sequence=99)
    with pytest.raises(DatabaseError), transaction.atomic():
        anchor.delete()
    assert JournalAnchor.objects.get().purged_through_sequence == 1
