"""For the tests whose database is flushed after them (`transactional_db`, `live_server`): the
journal's guards refuse to delete or truncate entries, so the journal is emptied first, with
its guards lifted for a moment, then the guards are put back as the latest migration defines
them (an empty journal may then be flushed)."""

import importlib

from django.db import connection, transaction

GUARDS = importlib.import_module("dui.access.migrations.0006_journal_two_keyed_chains")
SQLITE_DELETE_GUARDS = ("access_journal_no_delete", "access_anchor_no_delete")


def empty_the_journal_for_the_flush() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in ("access_accessevent", "access_journalanchor"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute("DELETE FROM access_accessevent")
            cursor.execute("DELETE FROM access_journalanchor")
            for table in ("access_accessevent", "access_journalanchor"):
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        for name in SQLITE_DELETE_GUARDS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DELETE FROM access_accessevent")
        cursor.execute("DELETE FROM access_journalanchor")
        for statement in GUARDS.CREATE["sqlite"]:
            if any(f"CREATE TRIGGER {name} " in statement for name in SQLITE_DELETE_GUARDS):
                cursor.execute(statement)
