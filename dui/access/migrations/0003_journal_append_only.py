"""The access journal refuses UPDATE, and DELETE except rows covered by a retention purge
recorded first as a JournalAnchor (see access.journal and the purge_journal command)."""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION access_journal_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'Le journal des accès ne peut pas être modifié.';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM access_journalanchor
                       WHERE purged_through_sequence >= OLD.sequence) THEN
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
    CREATE OR REPLACE FUNCTION access_anchor_guard() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'Les purges du journal ne peuvent être ni modifiées ni supprimées.';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER access_anchor_guard BEFORE UPDATE OR DELETE ON access_journalanchor
    FOR EACH ROW EXECUTE FUNCTION access_anchor_guard();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS access_journal_guard ON access_accessevent;",
    "DROP FUNCTION IF EXISTS access_journal_guard();",
    "DROP TRIGGER IF EXISTS access_anchor_guard ON access_journalanchor;",
    "DROP FUNCTION IF EXISTS access_anchor_guard();",
]
SQLITE = [
    """
    CREATE TRIGGER access_journal_no_update BEFORE UPDATE ON access_accessevent
    BEGIN SELECT RAISE(ABORT, 'Le journal des accès ne peut pas être modifié.'); END;
    """,
    """
    CREATE TRIGGER access_journal_no_delete BEFORE DELETE ON access_accessevent
    WHEN NOT EXISTS (SELECT 1 FROM access_journalanchor
                     WHERE purged_through_sequence >= OLD.sequence)
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
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS access_journal_no_update;",
    "DROP TRIGGER IF EXISTS access_journal_no_delete;",
    "DROP TRIGGER IF EXISTS access_anchor_no_update;",
    "DROP TRIGGER IF EXISTS access_anchor_no_delete;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
