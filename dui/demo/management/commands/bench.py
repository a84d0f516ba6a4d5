"""`manage.py bench` (`make bench`): key pages timed at scale, median and p95, query counts.

Runs against the database of DATABASE_URL (PostgreSQL in real use), assumed migrated; seeds
the demo up to --persons first. Pages are requested in-process with Django's test client:
the figures are the application's and the database's time, without network or browser.
"""

import time
import warnings

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from dui.assessments.models import Assessment
from dui.demo.scenarios import BENCH_USERNAME, SCENARIOS, BenchContext, BenchError, measure
from dui.people.models import Person

# Issue 3: search and record pages must answer well under 100 ms on 50,000 persons.
DEFAULT_PERSONS = 50_000


class Command(BaseCommand):
    help = (
        "Mesure les pages clés (médiane, p95, nombre de requêtes SQL) sur un jeu de données "
        "à l'échelle."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons",
            type=int,
            default=DEFAULT_PERSONS,
            help=f"Usagers en base avant de mesurer (défaut : {DEFAULT_PERSONS}).",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=5,
            help="Années d'historique des séjours créés (défaut : 5).",
        )
        parser.add_argument(
            "--journal-per-person",
            type=int,
            default=5,
            help="Entrées du journal des accès par usager créé (défaut : 5).",
        )
        parser.add_argument(
            "--runs",
            type=int,
            default=30,
            help="Mesures par scénario, après les tours de chauffe (défaut : 30).",
        )
        parser.add_argument(
            "--warmups", type=int, default=3, help="Tours de chauffe non mesurés (défaut : 3)."
        )
        parser.add_argument(
            "--scenario",
            action="append",
            default=[],
            help="Ne mesurer que ce scénario (répétable).",
        )

    def handle(self, *args, persons, years, journal_per_person, runs, warmups, scenario, **options):
        if runs < 1 or warmups < 0:
            raise CommandError("--runs ≥ 1 et --warmups ≥ 0.")
        vendor = connection.vendor
        self.stdout.write(f"Base : {vendor} ({connection.settings_dict['NAME']})")
        if vendor == "sqlite":
            self.stdout.write(
                self.style.WARNING(
                    "Attention : base SQLite. Les chiffres de référence se mesurent sur PostgreSQL "
                    "(DATABASE_URL=postgres://…)."
                )
            )
        # Whitenoise warns when collectstatic has not run; irrelevant to these pages.
        warnings.filterwarnings("ignore", message="No directory at")
        self._seed(persons=persons, years=years, journal_per_person=journal_per_person)
        scenarios = [s for s in SCENARIOS if not scenario or s.name in scenario]
        if not scenarios:
            raise CommandError("Scénarios connus : " + ", ".join(s.name for s in SCENARIOS))
        # "testserver" is the test client's host. Demo mode: the demo logins skip the second
        # factor; what is measured is the pages, in this process only. DEBUG off, as in use.
        with override_settings(
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], DUI_DEMO_MODE=True, DEBUG=False
        ):
            try:
                context = BenchContext.build()
            except BenchError as exc:
                raise CommandError(str(exc)) from exc
            searches = ", ".join(f"{kind} « {q} »" for kind, q in context.searches.items())
            self.stdout.write(
                f"{Person.objects.count()} usagers ; mesures en tant que {BENCH_USERNAME}, "
                f"dossier {context.person.public_id} ; recherches : {searches} ; "
                f"{runs} mesures après {warmups} tours de chauffe."
            )
            results = [measure(s, context, runs=runs, warmups=warmups) for s in scenarios]
        self._table(results)
        if any(r.error for r in results):
            raise CommandError("Au moins un scénario a échoué (voir le tableau).")

    def _seed(self, *, persons: int, years: int, journal_per_person: int) -> None:
        seeded = get_user_model().objects.filter(username=BENCH_USERNAME).exists()
        # A database seeded before the assessments existed gets them (seed_demo adds them to
        # the persons who have none, and nothing else when the persons are there).
        if seeded and Person.objects.count() >= persons and Assessment.objects.exists():
            return
        self.stdout.write(f"Préparation des données : seed_demo --persons {persons} …")
        started = time.perf_counter()
        call_command(
            "seed_demo",
            persons=persons,
            years=years,
            journal_per_person=journal_per_person,
            verbosity=0,
        )
        self.stdout.write(f"seed_demo : {time.perf_counter() - started:.1f} s")

    def _table(self, results) -> None:
        headers = ("scénario", "médiane (ms)", "p95 (ms)", "requêtes")
        rows = []
        for r in results:
            if r.unavailable:
                rows.append((r.scenario.name, "—", "—", f"non mesuré : {r.unavailable}"))
            elif r.error:
                rows.append((r.scenario.name, "ÉCHEC", r.error, ""))
            else:
                rows.append((r.scenario.name, f"{r.median:.1f}", f"{r.p95:.1f}", str(r.queries)))
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(3)]
        self.stdout.write("")
        for row in [headers, *rows]:
            first = row[0].ljust(widths[0])
            numbers = "  ".join(
                cell.rjust(width) for cell, width in zip(row[1:3], widths[1:3], strict=True)
            )
            self.stdout.write(f"{first}  {numbers}  {row[3]:>8}".rstrip())
