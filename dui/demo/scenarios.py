"""The benchmark scenarios of `manage.py bench`: one page each, timed in-process.

To measure a new page, append a `Scenario` to `SCENARIOS`. Its `prepare` function receives the
`BenchContext` (a client logged in as ide.tilleuls, a person of her unit, the searches to type)
and returns the request to time; whatever it does before returning is not timed. A page whose
URL does not exist (yet) raises `Unavailable`: it is listed as such, and does not fail the bench.
"""

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from dui.access.policy import persons_visible_to
from dui.core import dates
from dui.people import names
from dui.people.models import AdministrativeFile, Person
from dui.people.nir import format_nir
from dui.stays.models import Stay

from . import data

BENCH_USERNAME = "ide.tilleuls"
SHOWCASE_PERSON = data.SHOWCASE_PERSONS[0]


class BenchError(Exception):
    """The bench cannot run (missing demo data, refused login…)."""


class Unavailable(Exception):
    """The scenario has nothing to measure here (page not built yet, no such data)."""


# Kinds of searches a professional types, timed one by one (see `search_queries`).
PREFIX, FULL_NAME, BIRTH_DATE, NIR, ROOM = (
    "3 lettres",
    "nom complet",
    "date de naissance",
    "NIR",
    "chambre",
)


@dataclass
class BenchContext:
    client: Client
    user: object
    person: Person
    search_prefix: str
    # Search kind → what is typed; all but PREFIX find `person`.
    searches: dict[str, str]

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
                birth_name=names.family_name(SHOWCASE_PERSON.birth_name),
                first_names=names.first_names(SHOWCASE_PERSON.first_names),
            ).first()
            or visible.order_by("pk").first()
        )
        if person is None:
            raise BenchError(f"Aucun usager visible par {BENCH_USERNAME}.")
        prefix = common_prefix(visible)
        return cls(
            client=client,
            user=user,
            person=person,
            search_prefix=prefix,
            searches=search_queries(person, prefix),
        )


def search_queries(person: Person, prefix: str) -> dict[str, str]:
    """What a nurse types to find this person, by kind of search."""
    queries = {
        PREFIX: prefix,
        FULL_NAME: f"{person.used_name or person.birth_name} {person.first_first_name}",
        BIRTH_DATE: person.birth_date.strftime("%d/%m/%Y"),
    }
    number = (
        person.ins_number
        or AdministrativeFile.objects.filter(person=person)
        .values_list("insured_number", flat=True)
        .first()
    )
    if number:
        queries[NIR] = format_nir(number)
    stay = (
        Stay.objects.current()
        .filter(person=person, place__isnull=False)
        .select_related("place")
        .first()
    )
    if stay:
        queries[ROOM] = f"ch {stay.place.label}"
    return queries


def login(client: Client, username: str = BENCH_USERNAME) -> HttpResponse:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": data.DEMO_PASSWORD}
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
    # The response must name the bench person (a search that finds nobody is no measure).
    finds_person: bool = False


def _get(path_of: Callable[[BenchContext], str], headers: dict | None = None):
    def prepare(ctx: BenchContext):
        path = path_of(ctx)
        return lambda: ctx.client.get(path, headers=headers or {})

    return prepare


def _search(kind: str, *, htmx: bool = False):
    def prepare(ctx: BenchContext):
        if kind not in ctx.searches:
            raise Unavailable(f"pas de {kind} pour l'usager mesuré")
        path = f"{reverse('people:list')}?{urlencode({'q': ctx.searches[kind]})}"
        headers = {"HX-Request": "true"} if htmx else {}
        return lambda: ctx.client.get(path, headers=headers)

    return prepare


def _record_page(url_name: str):
    """A page of the record; Unavailable while its brick has not defined the URL."""

    def path_of(ctx: BenchContext) -> str:
        try:
            return reverse(url_name, kwargs={"person_id": ctx.person.public_id})
        except NoReverseMatch as exc:
            raise Unavailable(f"URL {url_name} non définie") from exc

    return _get(path_of)


def _instrument_history(code: str):
    """The history page (list and chart) of one instrument for the bench person."""

    def path_of(ctx: BenchContext) -> str:
        try:
            return reverse(
                "assessments:instrument_history",
                kwargs={"person_id": ctx.person.public_id, "code": code},
            )
        except NoReverseMatch as exc:
            raise Unavailable("URL assessments:instrument_history non définie") from exc

    return _get(path_of)


# The director of the bench nurse's EHPAD: management pages.
BENCH_DIRECTOR = "directeur.tilleuls"


def _as_user(username: str, path_of: Callable[[BenchContext], str]):
    """A page seen by another demo login (logged in once, before the timed runs)."""

    def prepare(ctx: BenchContext):
        clients = ctx.__dict__.setdefault("other_clients", {})
        if username not in clients:
            client = Client()
            response = login(client, username)
            if response.status_code != 302 or "second-facteur" in response.get("Location", ""):
                raise BenchError(f"Connexion de {username} refusée (statut {response.status_code})")
            clients[username] = client
        try:
            path = path_of(ctx)
        except NoReverseMatch as exc:
            raise Unavailable(str(exc)) from exc
        return lambda: clients[username].get(path)

    return prepare


def _fresh_login(ctx: BenchContext):
    # A new browser each time: no session yet, so the full login path runs.
    client = Client()
    return lambda: login(client)


SCENARIOS: list[Scenario] = [
    Scenario("connexion", _fresh_login, expected_status=302),
    Scenario("page d'accueil (infirmière)", _get(lambda ctx: reverse("core:home"))),
    *[
        Scenario(f"recherche d'usager : {kind}", _search(kind), finds_person=kind != PREFIX)
        for kind in (PREFIX, FULL_NAME, BIRTH_DATE, NIR, ROOM)
    ],
    *[
        Scenario(
            f"recherche d'usager (htmx) : {kind}",
            _search(kind, htmx=True),
            finds_person=kind != PREFIX,
        )
        for kind in (PREFIX, FULL_NAME)
    ],
    Scenario("dossier de l'usager", _record_page("people:record")),
    Scenario("dossier : entourage", _record_page("people:entourage")),
    Scenario("dossier : administratif", _record_page("people:administrative")),
    Scenario("dossier : documents", _record_page("documents:list")),
    Scenario("dossier : allergies", _record_page("care:allergies")),
    Scenario("évaluations à faire (unité)", _get(lambda ctx: reverse("assessments:due"))),
    Scenario("dossier : historique AGGIR", _instrument_history("aggir")),
    Scenario("GMP (direction)", _as_user(BENCH_DIRECTOR, lambda ctx: reverse("reporting:gmp"))),
]


@dataclass
class Measure:
    scenario: Scenario
    timings_ms: list[float]
    queries: int | None = None
    error: str = ""
    # Why the scenario was not measured (Unavailable); not a failure.
    unavailable: str = ""

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
            _check(scenario, scenario.prepare(ctx)(), ctx)
        call = scenario.prepare(ctx)
        with CaptureQueriesContext(connection) as queries:
            _check(scenario, call(), ctx)
        result.queries = len(queries)
        for _ in range(runs):
            call = scenario.prepare(ctx)
            started = time.perf_counter()
            response = call()
            result.timings_ms.append((time.perf_counter() - started) * 1000)
            _check(scenario, response, ctx)
    except Unavailable as exc:
        result.unavailable = str(exc)
    except Exception as exc:  # a broken page is reported in the table, the others still run
        result.error = f"{type(exc).__name__}: {exc}"[:200]
    return result


def _check(scenario: Scenario, response: HttpResponse, ctx: BenchContext) -> None:
    if response.status_code != scenario.expected_status:
        location = response.get("Location", "")
        raise BenchError(
            f"statut {response.status_code} au lieu de {scenario.expected_status}"
            + (f" (vers {location})" if location else "")
        )
    if scenario.finds_person and str(ctx.person.public_id) not in response.content.decode():
        raise BenchError("la recherche ne trouve pas l'usager mesuré")


# --- Issue 4, step 3: occupancy and welcome checklist (stays brick) ---------------------------
BENCH_SECRETARY = "secretaire.tilleuls"


def _occupancy_on(days_ahead: int):
    def path_of(ctx: BenchContext) -> str:
        day = dates.today() + timedelta(days=days_ahead)
        return f"{reverse('stays:occupancy')}?{urlencode({'date': day.isoformat()})}"

    return path_of


SCENARIOS += [
    Scenario("occupation (aujourd'hui)", _as_user(BENCH_SECRETARY, _occupancy_on(0))),
    Scenario("occupation (dans 30 jours)", _as_user(BENCH_SECRETARY, _occupancy_on(30))),
    Scenario(
        "dossier : accueil (check-list)",
        _as_user(
            BENCH_SECRETARY,
            lambda ctx: reverse("admissions:welcome", kwargs={"person_id": ctx.person.public_id}),
        ),
    ),
]

# Issue 4: the admission pipeline of the establishment (board, list, waiting list).
SCENARIOS += [
    Scenario(
        "demandes d'admission : tableau",
        _as_user(BENCH_SECRETARY, lambda ctx: reverse("admissions:pipeline_board")),
    ),
    Scenario(
        "demandes d'admission : liste",
        _as_user(BENCH_SECRETARY, lambda ctx: reverse("admissions:pipeline_list")),
    ),
    Scenario(
        "liste d'attente",
        _as_user(BENCH_SECRETARY, lambda ctx: reverse("admissions:waiting_list")),
    ),
    Scenario(
        "demandes de renseignement à relancer",
        _as_user(BENCH_SECRETARY, lambda ctx: reverse("admissions:inquiry_list")),
    ),
]

# Issue 12: each profession's home page (its to-do list) and the médecin coordonnateur's queue.
BENCH_COORDINATOR = "medco.tilleuls"

SCENARIOS += [
    Scenario(
        "page d'accueil (médecin coordonnateur)",
        _as_user(BENCH_COORDINATOR, lambda ctx: reverse("core:home")),
    ),
    Scenario(
        "page d'accueil (secrétariat)",
        _as_user(BENCH_SECRETARY, lambda ctx: reverse("core:home")),
    ),
    Scenario(
        "page d'accueil (direction)", _as_user(BENCH_DIRECTOR, lambda ctx: reverse("core:home"))
    ),
    Scenario(
        "évaluations à valider (médecin coordonnateur)",
        _as_user(BENCH_COORDINATOR, lambda ctx: reverse("assessments:to_validate")),
    ),
]

# Issue 13, item 1: the background of the care record (the nurse reads medical, writes care).
SCENARIOS += [
    Scenario("dossier : antécédents", _record_page("care:background_medical")),
    Scenario("dossier : appareils, régime, directives", _record_page("care:background_care")),
]

# Issue 13: the targeted notes — the bench nurse's handover (her unit, two shifts of notes)
# and the timeline of the bench person (months of notes, first page).
SCENARIOS += [
    Scenario("relève (unité)", _get(lambda ctx: reverse("care:notes_handover"))),
    Scenario("dossier : transmissions", _record_page("care:notes_timeline")),
]

# Issue 13, item 5: the demo aide-soignante's list of the care tasks of her shift and unit.
BENCH_CARER = "as.tilleuls"

SCENARIOS += [
    Scenario(
        "tâches du jour (unité)",
        _as_user(BENCH_CARER, lambda ctx: reverse("care:plan_tasks")),
    ),
]

# Issue 13 (observations): a resident's « Constantes » tab and its charts (12 months), and the
# monthly weighing round of the nurse's unit.
SCENARIOS += [
    Scenario("dossier : constantes", _record_page("care:obs_list")),
    Scenario(
        "dossier : constantes (courbes 12 mois)",
        _get(
            lambda ctx: (
                reverse("care:obs_charts", kwargs={"person_id": ctx.person.public_id}) + "?mois=12"
            )
        ),
    ),
    Scenario(
        "tournée de pesée (unité)",
        _get(lambda ctx: reverse("care:obs_round") + "?measure=weight"),
    ),
]

# Issue 13, item 5: the plan of the day printed as a PDF before the network fails (bar: ≤ 1 s).
SCENARIOS += [
    Scenario(
        "plan du jour (PDF, unité)",
        _as_user(BENCH_CARER, lambda ctx: reverse("care:plan_day_pdf")),
    ),
]

# Issue 13, item 7: a resident's falls and wounds, and the nurse's unit list of open wounds.
SCENARIOS += [
    Scenario("dossier : chutes et plaies", _record_page("care:incidents")),
    Scenario(
        "plaies en cours (unité)",
        _get(lambda ctx: reverse("care:incidents_open_wounds")),
    ),
]

# Issue 13, item 6: external care — the unit's agenda of the bench nurse (today and the next
# 7 days) and the bench person's « Rendez-vous » tab.
SCENARIOS += [
    Scenario("agenda (unité)", _get(lambda ctx: reverse("care:appointments_agenda"))),
    Scenario("dossier : rendez-vous", _record_page("care:appointments_list")),
]
