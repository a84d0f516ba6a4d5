"""For the tests of a data migration: they migrate the test database back to an old state,
write old rows, then migrate forward. The `migration_executor` fixture hands them the executor
and, whatever happens, leaves the database at the latest migration of every app — later tests
(the browser tests run after the transactional ones) expect today's schema — then empties the
journal so that the database can be flushed (tests/journal_guards.py)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.journal_guards import empty_the_journal_for_the_flush


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def migration_executor(transactional_db):
    yield MigrationExecutor(connection)
    migrate_to_latest()
    empty_the_journal_for_the_flush()
