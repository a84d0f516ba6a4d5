"""`manage.py seed_demo`: the demo organisation, its staff logins and its persons.

Idempotent: a second run adds nothing. `--persons N --years Y` scales the persons up for
benchmarks (N in total, stays spread over Y years).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dui.accounts.models import Profession, ProfessionCode
from dui.demo import data
from dui.demo.admissions import seed_admissions
from dui.demo.assessments import seed_assessments
from dui.demo.contracts import seed_price_lists
from dui.demo.seeding import DEFAULT_SEED, DemoSeeder, staff_table

DEFAULT_PERSONS = sum(plan.demo_persons for plan in data.ESTABLISHMENTS)


class Command(BaseCommand):
    help = "Crée (ou complète) l'organisation de démonstration, ses comptes et ses usagers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons",
            type=int,
            default=DEFAULT_PERSONS,
            help=f"Nombre total d'usagers visé (défaut : {DEFAULT_PERSONS}).",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=3,
            help="Années sur lesquelles s'étalent les débuts de séjour (défaut : 3).",
        )
        parser.add_argument(
            "--journal-per-person",
            type=int,
            default=0,
            help="Entrées du journal des accès à créer par nouvel usager (défaut : 0).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Graine du générateur : même graine, mêmes usagers.",
        )

    def handle(self, *args, persons, years, journal_per_person, seed, **options):
        if persons < 0 or years < 1 or journal_per_person < 0:
            raise CommandError("--persons et --journal-per-person ≥ 0, --years ≥ 1.")
        # The professions come from a data migration: without them, the database is not migrated.
        if Profession.objects.count() < len(ProfessionCode.values):
            raise CommandError("Professions absentes : lancez d'abord « manage.py migrate ».")
        started = time.perf_counter()
        seeder = DemoSeeder(seed=seed)
        # One transaction: an interrupted seed leaves nothing half-built behind.
        with transaction.atomic():
            seeder.seed_organisation()
            seeder.seed_staff()
            seeder.seed_persons(target=persons, years=years, journal_per_person=journal_per_person)
            # Also for persons seeded before: only those without any assessment get some.
            seed_assessments(seeder)
            seed_admissions(seeder)
            seed_price_lists(seeder)
        if seeder.report["persons"] or seeder.report["assessments"]:
            seeder.analyse_tables()
        if options["verbosity"] >= 1:
            self._summary(seeder.report, time.perf_counter() - started)
            self._logins()

    def _summary(self, report, elapsed: float) -> None:
        labels = [
            ("organisations", "organisme gestionnaire"),
            ("establishments", "établissements"),
            ("units", "unités"),
            ("places", "places"),
            ("capacities", "capacités autorisées"),
            ("users", "comptes"),
            ("assignments", "affectations"),
            ("persons", "usagers"),
            ("memberships", "appartenances aux équipes"),
            ("journal entries", "entrées du journal des accès"),
            ("partners", "partenaires"),
            ("stays", "séjours"),
            ("absences", "absences"),
            ("identity evidence", "justificatifs d'identité"),
            ("contacts", "proches"),
            ("legal protections", "mesures de protection"),
            ("administrative files", "dossiers administratifs"),
            ("social aids", "aides sociales"),
            ("allergies", "allergies"),
            ("alerts", "alertes"),
            ("documents", "documents"),
            ("assessments", "évaluations"),
            ("admission_requests", "demandes d'admission"),
        ]
        added = [f"{report[key]} {label}" for key, label in labels if report[key]]
        if report["documents skipped"]:
            self.stdout.write(
                self.style.WARNING(
                    "Documents des usagers de démonstration non créés : le service de dépôt "
                    "(dui.documents.services.document_upload) est absent."
                )
            )
        if added:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Démonstration complétée en {elapsed:.1f} s : " + ", ".join(added) + "."
                )
            )
        else:
            self.stdout.write("Démonstration déjà en place : rien à ajouter.")

    def _logins(self) -> None:
        headers = ("Identifiant", "Profession", "Établissement / unité", "Rôle")
        rows = staff_table()
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                f"Comptes de démonstration (mot de passe : {data.DEMO_PASSWORD})"
            )
        )
        for row in [headers, tuple("-" * w for w in widths), *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
