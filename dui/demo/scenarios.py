"""The benchmark scenarios of `manage.py bench`: one page each, timed in-process.

To measure a new page, append a `Scenario` to `SCENARIOS`. Its `prepare` function receives the
`BenchContext` (a client logged in as ide.tilleuls, a person of her unit, a common name prefix)
and returns the request to time; whatever it does before returning is not timed.
"""

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dui.access.policy import persons_visible_to
from dui.people.models import Person

from . import data

BENCH_USERNAME = "ide.tilleuls"
SHOWCASE_PERSON = data.SHOWCASE_PERSONS[0]


class BenchError(Exception):
    """The bench cannot run (missing demo data, refused login…)."""


@dataclass
class BenchContext:
    client: Client
    user: object
    person: Person
    search_prefix: str

    @classmethod
    def build(cls) -> "BenchContext":
        user = get_user_model().objects.filter(username=BENCH_USERNAME).first()
        if user is None:
            raise BenchError(f"Compte {BENCH_USERNAME} absent : lancez « manage.py seed_demo ».")
        client = Client()
        response = login(client)
        if response.status_code != 302 or "second-facteur" in response.get("Location", ""):
            raise BenchError(
                f"Connexion de {BENCH_USERNAME} refusée ou second facteur demandé "
                f"(statut {response.status_code}) : le mode démonstration est-il actif ?"
            )
        visible = persons_visible_to(user=user)
        person = (
            visible.filter(
                birth_name=SHOWCASE_PERSON.birth_name, first_names=SHOWCASE_PERSON.first_names
            ).first()
            or visible.order_by("pk").first()
        )
        if person is None:
            raise BenchError(f"Aucun usager visible par {BENCH_USERNAME}.")
        return cls(client=client, user=user, person=person, search_prefix=common_prefix(visible))


def login(client: Client) -> HttpResponse:
    return client.post(
        reverse("accounts:login"), {"username": BENCH_USERNAME, "password": data.DEMO_PASSWORD}
    )


def common_prefix(persons) -> str:
    """The most frequent first three letters of a birth name among these persons: a search
    an IDE types every day, with many matches."""
    names = persons.values_list("search_name", flat=True)[:5000]
    prefixes = Counter(name[:3] for name in names if len(name) >= 3)
    return prefixes.most_common(1)[0][0] if prefixes else "mar"


@dataclass(frozen=True)
class Scenario:
    name: str
    # Untimed set-up; returns the timed call.
    prepare: Callable[[BenchContext], Callable[[], HttpResponse]]
    expected_status: int = 200


def _get(path_of: Callable[[BenchContext], str], headers: dict | None = None):
    def prepare(ctx: BenchContext):
        path = path_of(ctx)
        return lambda: ctx.client.get(path, headers=headers or {})

    return prepare


def _fresh_login(ctx: BenchContext):
    # A new browser each time: no session yet, so the full login path runs.
    client = Client()
    return lambda: login(client)


SCENARIOS: list[Scenario] = [
    Scenario("connexion", _fresh_login, expected_status=302),
    Scenario("page d'accueil", _get(lambda ctx: reverse("core:home"))),
    Scenario(
        "recherche d'usager", _get(lambda ctx: f"{reverse('people:list')}?q={ctx.search_prefix}")
    ),
    Scenario(
        "recherche d'usager (htmx)",
        _get(
            lambda ctx: f"{reverse('people:list')}?q={ctx.search_prefix}",
            headers={"HX-Request": "true"},
        ),
    ),
    Scenario(
        "dossier de l'usager",
        _get(lambda ctx: reverse("people:record", args=[ctx.person.public_id])),
    ),
]


@dataclass
class Measure:
    scenario: Scenario
    timings_ms: list[float]
    queries: int | None = None
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95(self) -> float:
        # Nearest rank: with 30 runs, the second slowest.
        ordered = sorted(self.timings_ms)
        return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def measure(scenario: Scenario, ctx: BenchContext, *, runs: int, warmups: int) -> Measure:
    """Warm-ups, then one run counting the SQL queries, then `runs` timed runs (no capture:
    recording the queries would slow what we time)."""
    result = Measure(scenario, [])
    try:
        for _ in range(warmups):
            _check(scenario, scenario.prepare(ctx)())
        call = scenario.prepare(ctx)
        with CaptureQueriesContext(connection) as queries:
            _check(scenario, call())
        result.queries = len(queries)
        for _ in range(runs):
            call = scenario.prepare(ctx)
            started = time.perf_counter()
            response = call()
            result.timings_ms.append((time.perf_counter() - started) * 1000)
            _check(scenario, response)
    except Exception as exc:  # a broken page is reported in the table, the others still run
        result.error = f"{type(exc).__name__}: {exc}"[:200]
    return result


def _check(scenario: Scenario, response: HttpResponse) -> None:
    if response.status_code != scenario.expected_status:
        location = response.get("Location", "")
        raise BenchError(
            f"statut {response.status_code} au lieu de {scenario.expected_status}"
            + (f" (vers {location})" if location else "")
        )
