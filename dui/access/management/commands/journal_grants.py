"""Give the application's database role what it needs, and no more on the journal
(PostgreSQL; README « Sécurité »). Run it as the role that owns the tables (the one that runs
`migrate` and `purge_journal`) after each migration:

    DATABASE_URL=postgres://dui_owner:…@… manage.py journal_grants --app-role dui_app

The application's role (the one in the application's DATABASE_URL) may then read and write
every table but the journal, where it may only insert and read: it can neither update, delete
nor truncate an entry, nor disable the guard triggers (only a table's owner can).
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

JOURNAL_TABLES = ("access_accessevent", "access_journalanchor")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Command(BaseCommand):
    help = "Droits du rôle de l'application : tout sauf le journal, en insertion et lecture seules."

    def add_arguments(self, parser):
        parser.add_argument("--app-role", required=True, help="Rôle PostgreSQL de l'application.")

    def handle(self, *args, app_role, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(
                "Base SQLite : un seul utilisateur, rien à attribuer (les déclencheurs protègent "
                "le journal)."
            )
            return
        if not ROLE_NAME.match(app_role):
            raise CommandError(f"Nom de rôle invalide : {app_role!r}.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)",
                [app_role],
            )
            owner, exists = cursor.fetchone()
        if not exists:
            raise CommandError(f"Le rôle {app_role} n'existe pas : créez-le d'abord (CREATE ROLE).")
        if owner == app_role:
            raise CommandError(
                "Lancez cette commande avec le rôle propriétaire des tables, pas avec celui de "
                "l'application : le journal ne serait pas protégé."
            )
        role = connection.ops.quote_name(app_role)
        statements = [
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
            *(f"REVOKE ALL ON {table} FROM {role}" for table in JOURNAL_TABLES),
            f"GRANT SELECT, INSERT ON access_accessevent TO {role}",
            f"GRANT SELECT ON access_journalanchor TO {role}",
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"Rôle {app_role} : lecture et écriture sur les tables, journal des accès en "
            "insertion et lecture seules, purges en lecture seule."
        )
