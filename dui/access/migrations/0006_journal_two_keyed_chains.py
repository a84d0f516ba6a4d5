"""The access journal becomes two keyed hash chains (issue 10).

- `chain`: entries written inside a use case's transaction go to "writes", the others to
  "reads" (a read never waits behind a write's lock); existing entries form the "writes" chain.
- The hashes become HMACs with `settings.DUI_JOURNAL_KEY` (a secret outside the database): the
  existing entries are re-hashed in place, in chain order, once — the guard triggers are
  dropped for that and created again, stricter:
  * PostgreSQL refuses TRUNCATE of the journal and of its purge anchors (statement triggers:
    row triggers do not fire on TRUNCATE), even for a role that owns the tables;
  * a deletion needs an anchor of the same chain covering the entry, and an age of 182 days.
- A first signed checkpoint attests the re-hashed heads and the existing purge anchors
  (dui.access.checkpoints), so that `verify_journal` accepts them.
"""

import hashlib
import hmac
import json
import os
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

MIN_AGE_DAYS = 182

DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS access_journal_guard ON access_accessevent;",
        "DROP TRIGGER IF EXISTS access_anchor_guard ON access_journalanchor;",
        "DROP TRIGGER IF EXISTS access_anchor_insert_guard ON access_journalanchor;",
        "DROP TRIGGER IF EXISTS access_journal_no_truncate ON access_accessevent;",
        "DROP TRIGGER IF EXISTS access_anchor_no_truncate ON access_journalanchor;",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS access_journal_no_update;",
        "DROP TRIGGER IF EXISTS access_journal_no_delete;",
        "DROP TRIGGER IF EXISTS access_anchor_no_update;",
        "DROP TRIGGER IF EXISTS access_anchor_no_delete;",
        "DROP TRIGGER IF EXISTS access_anchor_insert_guard;",
    ],
}

CREATE = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION access_journal_guard() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                RAISE EXCEPTION 'Le journal des accès ne peut pas être modifié.';
            END IF;
            IF OLD.occurred_at >= now() - interval '{MIN_AGE_DAYS} days'
               OR NOT EXISTS (SELECT 1 FROM access_journalanchor
                              WHERE chain = OLD.chain
                                AND purged_through_sequence >= OLD.sequence) THEN
                RAISE EXCEPTION 'Le journal des accès ne peut pas être supprimé hors purge de conservation.';
            END IF;
            RETURN OLD;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE TRIGGER access_journal_guard BEFORE UPDATE OR DELETE ON access_accessevent
        FOR EACH ROW EXECUTE FUNCTION access_journal_guard();
        """,
        """
        CREATE OR REPLACE FUNCTION access_journal_refuse_truncate() RETURNS trigger AS $$
        BEGIN
            -- An empty table loses nothing: a test database's flush may truncate it.
            IF EXISTS (SELECT 1 FROM access_accessevent)
               OR EXISTS (SELECT 1 FROM access_journalanchor) THEN
                RAISE EXCEPTION 'Le journal des accès ne peut pas être vidé.';
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE TRIGGER access_journal_no_truncate BEFORE TRUNCATE ON access_accessevent
        FOR EACH STATEMENT EXECUTE FUNCTION access_journal_refuse_truncate();
        """,
        """
        CREATE TRIGGER access_anchor_no_truncate BEFORE TRUNCATE ON access_journalanchor
        FOR EACH STATEMENT EXECUTE FUNCTION access_journal_refuse_truncate();
        """,
        """
        CREATE TRIGGER access_anchor_guard BEFORE UPDATE OR DELETE ON access_journalanchor
        FOR EACH ROW EXECUTE FUNCTION access_anchor_guard();
        """,
        f"""
        CREATE OR REPLACE FUNCTION access_anchor_insert_guard() RETURNS trigger AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM access_accessevent
                           WHERE chain = NEW.chain
                             AND sequence = NEW.purged_through_sequence
                             AND hash = NEW.anchor_hash
                             AND occurred_at < now() - interval '{MIN_AGE_DAYS} days')
               OR EXISTS (SELECT 1 FROM access_journalanchor
                          WHERE chain = NEW.chain
                            AND purged_through_sequence >= NEW.purged_through_sequence) THEN
                RAISE EXCEPTION 'Ancre de purge invalide : elle doit désigner une entrée existante assez ancienne.';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE TRIGGER access_anchor_insert_guard BEFORE INSERT ON access_journalanchor
        FOR EACH ROW EXECUTE FUNCTION access_anchor_insert_guard();
        """,
    ],
    "sqlite": [
        """
        CREATE TRIGGER access_journal_no_update BEFORE UPDATE ON access_accessevent
        BEGIN SELECT RAISE(ABORT, 'Le journal des accès ne peut pas être modifié.'); END;
        """,
        f"""
        CREATE TRIGGER access_journal_no_delete BEFORE DELETE ON access_accessevent
        WHEN OLD.occurred_at >= datetime('now', '-{MIN_AGE_DAYS} days')
          OR NOT EXISTS (SELECT 1 FROM access_journalanchor
                         WHERE chain = OLD.chain AND purged_through_sequence >= OLD.sequence)
        BEGIN SELECT RAISE(ABORT, 'Le journal des accès ne peut pas être supprimé hors purge de conservation.'); END;
        """,
        """
        CREATE TRIGGER access_anchor_no_update BEFORE UPDATE ON access_journalanchor
        BEGIN SELECT RAISE(ABORT, 'Les purges du journal ne peuvent être ni modifiées ni supprimées.'); END;
        """,
        """
        CREATE TRIGGER access_anchor_no_delete BEFORE DELETE ON access_journalanchor
        BEGIN SELECT RAISE(ABORT, 'Les purges du journal ne peuvent être ni modifiées ni supprimées.'); END;
        """,
        f"""
        CREATE TRIGGER access_anchor_insert_guard BEFORE INSERT ON access_journalanchor
        WHEN NOT EXISTS (SELECT 1 FROM access_accessevent
                         WHERE chain = NEW.chain
                           AND sequence = NEW.purged_through_sequence
                           AND hash = NEW.anchor_hash
                           AND occurred_at < datetime('now', '-{MIN_AGE_DAYS} days'))
          OR EXISTS (SELECT 1 FROM access_journalanchor
                     WHERE chain = NEW.chain
                       AND purged_through_sequence >= NEW.purged_through_sequence)
        BEGIN SELECT RAISE(ABORT, 'Ancre de purge invalide : elle doit désigner une entrée existante assez ancienne.'); END;
        """,
    ],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def _keyed(message: str, purpose: str) -> str:
    # As dui.access.journal.keyed_hash at the time of this migration.
    key = settings.DUI_JOURNAL_KEY.encode()
    return hmac.new(key, f"{purpose}|{message}".encode(), hashlib.sha256).hexdigest()


def _entry_hash(event) -> str:
    # As dui.access.journal.entry_hash at the time of this migration.
    parts = [
        event.chain,
        str(event.sequence),
        event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        str(event.user_id or ""),
        str(event.assignment_id or ""),
        str(event.person_id or ""),
        event.object_type,
        event.object_id,
        event.action,
        event.ip_address or "",
        "1" if event.break_glass else "0",
        event.previous_hash,
    ]
    return _keyed("|".join(parts), "entry")


def rehash_and_attest(apps, schema_editor):
    AccessEvent = apps.get_model("access", "AccessEvent")
    JournalAnchor = apps.get_model("access", "JournalAnchor")
    db = schema_editor.connection.alias
    anchor = (
        JournalAnchor.objects.using(db).filter(chain="writes").order_by("-purged_through_sequence")
    ).first()
    previous = anchor.anchor_hash if anchor else "0" * 64
    head = {"sequence": anchor.purged_through_sequence, "hash": anchor.anchor_hash, "count": 0} if (
        anchor
    ) else {"sequence": 0, "hash": "", "count": 0}
    events = AccessEvent.objects.using(db).filter(chain="writes").order_by("sequence")
    if anchor:
        events = events.filter(sequence__gt=anchor.purged_through_sequence)
    for event in events.iterator(chunk_size=2000):
        event.previous_hash = previous
        event.hash = _entry_hash(event)
        AccessEvent.objects.using(db).filter(pk=event.pk).update(
            previous_hash=event.previous_hash, hash=event.hash
        )
        previous = event.hash
        head = {"sequence": event.sequence, "hash": event.hash, "count": head["count"] + 1}
    if not head["sequence"]:
        return  # an empty journal: nothing to attest yet
    payload = {
        "at": timezone.now().isoformat(timespec="seconds"),
        "reason": "migration",
        "heads": {"reads": {"sequence": 0, "hash": "", "count": 0}, "writes": head},
        "anchors": [
            {"chain": a.chain, "sequence": a.purged_through_sequence, "hash": a.anchor_hash}
            for a in JournalAnchor.objects.using(db).order_by("purged_through_sequence")
        ],
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    line = json.dumps(
        {**payload, "signature": _keyed(canonical, "checkpoint")},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    path = Path(settings.DUI_JOURNAL_CHECKPOINT_DIR) / "checkpoints.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


class Migration(migrations.Migration):
    # The re-hash runs with the guard triggers dropped; its own transaction keeps it all or
    # nothing.
    dependencies = [
        ("access", "0005_membership_reason_registration"),
        ("accounts", "0004_versions"),
        ("people", "0007_administrative_insured_number_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_run(DROP), migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="accessevent",
            options={
                "ordering": ["-occurred_at", "-pk"],
                "verbose_name": "événement du journal des accès",
                "verbose_name_plural": "journal des accès",
            },
        ),
        migrations.AddField(
            model_name="accessevent",
            name="chain",
            field=models.CharField(
                choices=[("reads", "consultations et refus"), ("writes", "écritures")],
                default="writes",
                max_length=8,
                verbose_name="chaîne",
            ),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="chain",
            field=models.CharField(
                choices=[("reads", "consultations et refus"), ("writes", "écritures")],
                default="reads",
                max_length=8,
                verbose_name="chaîne",
            ),
        ),
        migrations.AddField(
            model_name="journalanchor",
            name="chain",
            field=models.CharField(
                choices=[("reads", "consultations et refus"), ("writes", "écritures")],
                default="writes",
                max_length=8,
                verbose_name="chaîne",
            ),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="sequence",
            field=models.BigIntegerField(editable=False),
        ),
        migrations.AlterField(
            model_name="journalanchor",
            name="purged_through_sequence",
            field=models.BigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="accessevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "sequence"),
                name="journal_one_entry_per_place_in_its_chain",
                violation_error_message="Cette place de la chaîne du journal est déjà prise.",
            ),
        ),
        migrations.AddConstraint(
            model_name="journalanchor",
            constraint=models.UniqueConstraint(
                fields=("chain", "purged_through_sequence"),
                name="journal_anchor_once_per_place",
                violation_error_message="Cette purge du journal est déjà enregistrée.",
            ),
        ),
        migrations.RunPython(rehash_and_attest, migrations.RunPython.noop),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
