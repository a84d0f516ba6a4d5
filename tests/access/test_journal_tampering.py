"""Tampering with the access journal (issue 10, finding 1). Each attack below went unnoticed
before: `verify_journal` said « intègre » and exited 0. Each now makes it fail, naming what
happened in French.

The attacker here holds the database: the owner of the tables (or a superuser) can disable
the guard triggers; the application's own role cannot (see the role test at the end)."""

import hashlib
import json
import shutil
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from freezegun import freeze_time

from dui.access import checkpoints, journal
from dui.access.models import AccessAction, AccessEvent, JournalAnchor, JournalChain
from tests.journal_guards import empty_the_journal_for_the_flush

pytestmark = pytest.mark.django_db


def read(user, person, count=1):
    return [
        journal.record(user=user, action=AccessAction.READ, person=person, obj=person)
        for _ in range(count)
    ]


def verify() -> str:
    out = StringIO()
    call_command("verify_journal", stdout=out, stderr=out)
    return out.getvalue()


def verify_refuses(*explanations) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="Journal des accès altéré"):
        call_command("verify_journal", stdout=StringIO(), stderr=err)
    text = err.getvalue()
    for explanation in explanations:
        assert explanation in text, text
    return text


def owner_disables_the_guards():
    """What the owner of the tables can do: switch the guard triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The foreign keys' deferred checks must run first (ALTER TABLE waits for none).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE access_accessevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE access_journalanchor DISABLE TRIGGER USER")
        else:
            for trigger in (
                "access_journal_no_update",
                "access_journal_no_delete",
                "access_anchor_insert_guard",
            ):
                cursor.execute(f"DROP TRIGGER {trigger}")


@pytest.fixture
def attested_reads(nurse_a, resident_a):
    """Six reads, then the periodic checkpoint (journal_checkpoint, every 5 minutes)."""
    events = read(nurse_a, resident_a, count=6)
    call_command("journal_checkpoint", stdout=StringIO())
    return events


# --- The chains ---------------------------------------------------------------------------------


def test_a_read_goes_to_the_reads_chain_and_a_write_to_the_writes_chain(nurse_a, resident_a):
    alone = journal.record(user=nurse_a, action=AccessAction.READ, person=resident_a)
    with transaction.atomic():
        inside = journal.record(user=nurse_a, action=AccessAction.UPDATE, person=resident_a)

    assert (alone.chain, alone.sequence) == (JournalChain.READS, 1)
    assert (inside.chain, inside.sequence) == (JournalChain.WRITES, 1)
    assert "2 entrées vérifiées (1 consultations et refus, 1 écritures)" in verify()


def test_the_hashes_are_keyed_with_a_secret_that_is_not_in_the_database(nurse_a, resident_a):
    event = read(nurse_a, resident_a)[0]
    with override_key("another-key-of-the-same-length-0123456789abcdefghijkl"):
        assert journal.entry_hash(event) != event.hash
    assert journal.entry_hash(event) == event.hash


class override_key:
    def __init__(self, key):
        self.key = key

    def __enter__(self):
        self.saved = settings.DUI_JOURNAL_KEY
        settings.DUI_JOURNAL_KEY = self.key

    def __exit__(self, *exc):
        settings.DUI_JOURNAL_KEY = self.saved


# --- Emptying the journal ---------------------------------------------------------------------


def test_the_database_refuses_to_empty_the_journal(attested_reads):
    with (
        pytest.raises(DatabaseError, match="ne peut pas être"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if connection.vendor == "postgresql":
            # Row triggers do not fire on TRUNCATE: a statement trigger refuses it. (The
            # foreign keys' deferred checks of this test's inserts run first.)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE access_accessevent CASCADE")
        else:
            cursor.execute("DELETE FROM access_accessevent")
    assert AccessEvent.objects.count() == 6


def test_an_emptied_journal_is_detected_by_the_checkpoint(attested_reads):
    owner_disables_the_guards()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE access_accessevent CASCADE")
        else:
            cursor.execute("DELETE FROM access_accessevent")

    verify_refuses(
        "chaîne « consultations et refus » : elle s'arrête à l'entrée 0 alors que le point de "
        "contrôle du",
        "attestait l'entrée 6 : les dernières entrées ont été supprimées (ou la table vidée)",
    )


# --- Deleting the newest entries ---------------------------------------------------------------


def test_deleting_the_newest_entries_is_detected_by_the_checkpoint(attested_reads):
    owner_disables_the_guards()
    AccessEvent.objects.filter(chain=JournalChain.READS, sequence__gte=5).delete()

    assert list(journal.verify_chain()) == []  # the chain alone cannot tell
    verify_refuses("elle s'arrête à l'entrée 4 alors que le point de contrôle du")


def test_entries_written_after_the_checkpoint_may_come_and_still_verify(
    attested_reads, nurse_a, resident_a
):
    read(nurse_a, resident_a, count=3)
    assert "Journal des accès intègre : 9 entrées vérifiées" in verify()


# --- Editing an entry and recomputing every later hash --------------------------------------


def test_an_entry_edited_with_every_later_hash_recomputed_is_detected(attested_reads):
    """Without the key, the attacker recomputes with the only hash he can: a plain SHA-256
    (the journal's former, unkeyed hash) — or HMAC with a key he guesses."""
    owner_disables_the_guards()
    events = list(AccessEvent.objects.filter(chain=JournalChain.READS).order_by("sequence"))
    previous = events[1].previous_hash
    for event in events[1:]:
        if event.sequence == 2:
            event.ip_address = "203.0.113.66"
        event.previous_hash = previous
        event.hash = hashlib.sha256(f"{event.sequence}|{event.previous_hash}".encode()).hexdigest()
        AccessEvent.objects.filter(pk=event.pk).update(
            ip_address=event.ip_address, previous_hash=event.previous_hash, hash=event.hash
        )
        previous = event.hash

    verify_refuses(
        "chaîne « consultations et refus », entrée 2 : le contenu de l'entrée a été modifié",
        "l'entrée 6 ne correspond plus au point de contrôle du",
    )


# --- A forged purge anchor ------------------------------------------------------------------------


def test_a_forged_purge_anchor_followed_by_deleting_the_oldest_half_is_detected(
    nurse_a, resident_a
):
    with freeze_time(timezone.now() - settings.ACCESS_JOURNAL_RETENTION - timedelta(days=30)):
        read(nurse_a, resident_a, count=6)
    call_command("journal_checkpoint", stdout=StringIO())
    owner_disables_the_guards()
    third = AccessEvent.objects.get(chain=JournalChain.READS, sequence=3)
    JournalAnchor.objects.create(
        chain=JournalChain.READS,
        purged_through_sequence=3,
        anchor_hash=third.hash,
        purged_count=3,
    )
    AccessEvent.objects.filter(chain=JournalChain.READS, sequence__lte=3).delete()

    assert list(journal.verify_chain()) == []  # the chain restarts "validly" at the anchor
    verify_refuses(
        "la purge jusqu'à l'entrée 3 n'est attestée par aucun point de contrôle "
        "(ancre de purge falsifiée ?)"
    )


def test_a_genuine_purge_is_attested_and_still_verifies(nurse_a, resident_a):
    with freeze_time(timezone.now() - settings.ACCESS_JOURNAL_RETENTION - timedelta(days=30)):
        read(nurse_a, resident_a, count=4)
    read(nurse_a, resident_a, count=2)
    call_command("journal_checkpoint", stdout=StringIO())

    call_command("purge_journal", stdout=StringIO())

    assert JournalAnchor.objects.get().purged_through_sequence == 4
    assert "Journal des accès intègre : 2 entrées vérifiées" in verify()


# --- Forged checkpoints ------------------------------------------------------------------------


def test_a_checkpoint_line_written_without_the_key_is_reported(attested_reads):
    path = checkpoints.default_path()
    forged = {
        "at": timezone.now().isoformat(timespec="seconds"),
        "reason": "périodique",
        "heads": {"reads": {"sequence": 2, "hash": "0" * 64, "count": 2}},
        "anchors": [],
        "signature": "f" * 64,
    }
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(forged) + "\n")

    verify_refuses("le point de contrôle de la ligne 2 du fichier a une signature invalide")


# --- Backups -------------------------------------------------------------------------------------


def test_a_restored_backup_verifies_against_the_checkpoints_saved_with_it(
    attested_reads, nurse_a, resident_a, tmp_path
):
    call_command("journal_checkpoint", "--reason", "sauvegarde", stdout=StringIO())
    backup = tmp_path / "sauvegarde-checkpoints.jsonl"
    shutil.copy(checkpoints.default_path(), backup)
    read(nurse_a, resident_a, count=3)  # the day goes on after the backup…
    call_command("journal_checkpoint", stdout=StringIO())
    # …then the database is restored from the backup: the three later reads are gone.
    owner_disables_the_guards()
    AccessEvent.objects.filter(chain=JournalChain.READS, sequence__gt=6).delete()

    verify_refuses("elle s'arrête à l'entrée 6 alors que le point de contrôle du")
    out = StringIO()
    call_command("verify_journal", "--checkpoints", str(backup), stdout=out)
    assert "Journal des accès intègre : 6 entrées vérifiées" in out.getvalue()


def test_the_checkpoint_command_refuses_to_attest_a_broken_chain(
    attested_reads, nurse_a, resident_a
):
    """The periodic checkpoint checks what came since the previous one before attesting it
    (verify_journal checks the whole chains)."""
    read(nurse_a, resident_a, count=2)
    owner_disables_the_guards()
    AccessEvent.objects.filter(chain=JournalChain.READS, sequence=7).update(object_id="falsifié")
    lines_before = checkpoints.default_path().read_text().count("\n")

    err = StringIO()
    with pytest.raises(CommandError, match="Point de contrôle refusé"):
        call_command("journal_checkpoint", stdout=StringIO(), stderr=err)
    assert "entrée 7 : le contenu de l'entrée a été modifié" in err.getvalue()
    assert checkpoints.default_path().read_text().count("\n") == lines_before


# --- PostgreSQL: roles and locks ----------------------------------------------------------------

APP_ROLE = "dui_ci_app"


def _app_role_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [APP_ROLE, APP_ROLE],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def test_the_application_role_may_only_insert_and_read_the_journal(attested_reads):
    if not _app_role_available():
        pytest.skip(f"PostgreSQL avec le rôle {APP_ROLE} (créé par .ci/run) seulement")
    out = StringIO()
    call_command("journal_grants", "--app-role", APP_ROLE, stdout=out)
    assert "journal des accès en insertion et lecture seules" in out.getvalue()

    refused = [
        "UPDATE access_accessevent SET object_id = 'x'",
        "DELETE FROM access_accessevent",
        "TRUNCATE access_accessevent CASCADE",
        "ALTER TABLE access_accessevent DISABLE TRIGGER USER",
        "INSERT INTO access_journalanchor (chain, purged_through_sequence, anchor_hash, "
        "purged_at, purged_count) VALUES ('reads', 1, 'x', now(), 1)",
    ]
    for statement in refused:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
            cursor.execute(statement)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cursor.execute("SELECT count(*) FROM access_accessevent")
        assert cursor.fetchone()[0] == 6
    assert AccessEvent.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_read_does_not_wait_for_a_long_write(nurse_a, resident_a):
    """A write's use case holds the writes chain's lock until it commits (a PDF may take a
    second); a read, meanwhile, appends to the reads chain at once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer of the database: PostgreSQL only")
    writing = threading.Event()
    finish = threading.Event()

    def long_write():
        try:
            with transaction.atomic():
                journal.record(user=nurse_a, action=AccessAction.UPDATE, person=resident_a)
                writing.set()
                finish.wait(10)
        finally:
            connections.close_all()

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert writing.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        started = timezone.now()
        event = journal.record(user=nurse_a, action=AccessAction.READ, person=resident_a)
        waited = timezone.now() - started
    finally:
        finish.set()
        writer.join()
        empty_the_journal_for_the_flush()
    assert event.chain == JournalChain.READS
    assert waited < timedelta(seconds=1)


# --- The checkpoint mailed to the DPO ------------------------------------------------------------


def test_the_daily_checkpoint_is_mailed_to_the_dpo(attested_reads, mail_server, settings):
    settings.DUI_JOURNAL_CHECKPOINT_MAIL = ["dpo@les-tilleuls.example"]

    call_command("journal_checkpoint", "--mail", "--reason", "quotidien", stdout=StringIO())

    [mail] = mail_server.messages
    assert mail.recipients == ["dpo@les-tilleuls.example"]
    assert mail.subject.startswith("DUI — point de contrôle du journal des accès")
    line = json.loads(mail.body.strip().splitlines()[-1])
    assert line["reason"] == "quotidien"
    assert line["heads"]["reads"]["sequence"] == 6
    # The mailed copy is the signed line itself: it verifies like the file's.
    assert checkpoints.read().latest == {k: v for k, v in line.items() if k != "signature"}
