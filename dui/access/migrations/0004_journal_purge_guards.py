"""Harden the retention purge: a journal entry may be deleted only when a purge anchor covers
it *and* it is older than the shortest retention allowed (182 days, settings.base); an anchor
may only be inserted on an existing entry of that age, with its exact hash, beyond the last
anchor. So a forged anchor cannot be used to erase recent entries."""

from django.db import migrations

MIN_AGE_DAYS = 182

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION access_journal_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'Le journal des accès ne peut pas être modifié.';
        END IF;
        IF OLD.occurred_at >= now() - interval '{MIN_AGE_DAYS} days'
           OR NOT EXISTS (SELECT 1 FROM access_journalanchor
                          WHERE purged_through_sequence >= OLD.sequence) THEN
            RAISE EXCEPTION 'Le journal des accès ne peut pas être supprimé hors purge de conservation.';
        END IF;
        RETURN OLD;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE OR REPLACE FUNCTION access_anchor_insert_guard() RETURNS trigger AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM access_accessevent
                       WHERE sequence = NEW.purged_through_sequence
                         AND hash = NEW.anchor_hash
                         AND occurred_at < now() - interval '{MIN_AGE_DAYS} days')
           OR EXISTS (SELECT 1 FROM access_journalanchor
                      WHERE purged_through_sequence >= NEW.purged_through_sequence) THEN
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
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS access_anchor_insert_guard ON access_journalanchor;",
    "DROP FUNCTION IF EXISTS access_anchor_insert_guard();",
]

SQLITE = [
    "DROP TRIGGER IF EXISTS access_journal_no_delete;",
    f"""
    CREATE TRIGGER access_journal_no_delete BEFORE DELETE ON access_accessevent
    WHEN OLD.occurred_at >= datetime('now', '-{MIN_AGE_DAYS} days')
      OR NOT EXISTS (SELECT 1 FROM access_journalanchor
                     WHERE purged_through_sequence >= OLD.sequence)
    BEGIN SELECT RAISE(ABORT, 'Le journal des accès ne peut pas être supprimé hors purge de conservation.'); END;
    """,
    f"""
    CREATE TRIGGER access_anchor_insert_guard BEFORE INSERT ON access_journalanchor
    WHEN NOT EXISTS (SELECT 1 FROM access_accessevent
                     WHERE sequence = NEW.purged_through_sequence
                       AND hash = NEW.anchor_hash
                       AND occurred_at < datetime('now', '-{MIN_AGE_DAYS} days'))
      OR EXISTS (SELECT 1 FROM access_journalanchor
                 WHERE purged_through_sequence >= NEW.purged_through_sequence)
    BEGIN SELECT RAISE(ABORT, 'Ancre de purge invalide : elle doit désigner une entrée existante assez ancienne.'); END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS access_anchor_insert_guard;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0003_journal_append_only")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
