"""« Ma journée »: each professional's home page is a to-do list that the bricks feed, like the
navigation entries and the record's tabs: the shell never imports a brick (DESIGN §5).

Three registries, all filled in the bricks' AppConfig.ready():

- `register_todo(key, provider)`: provider(request) -> list[Todo]. Each Todo is a count and
  the link to the screen that settles it (« 3 évaluations à valider », « 2 contrats à
  signer »). The home page shows every provider's items together, in one « À faire » list.
- `register_panel(Panel)`: a template and its context (or None: nothing for this user), for
  what is more than a count — the unit's persons of the day, the figures of the day. A panel
  may `replace` another (the unit's day list replaces the plain list of persons).
- `register_person_facts(key, provider)`: provider(request, persons, establishment) ->
  {person id: [Fact]} — what a brick says about each person of a list in ONE query for the
  whole list (allergies, alerts, assessments due). A panel listing persons asks
  `person_facts(...)`; the brick that lists them does not import the bricks that know them.

Each provider reads through its own brick's selectors, scoped by the access layer
(`persons_visible_to`), and runs a bounded number of queries whatever the data size.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # request -> the template's context, or None when the panel has nothing for this user.
    context: Callable
    order: int = 50
    # The key of a panel this one replaces when it has something to show.
    replaces: str = ""


@dataclass(frozen=True)
class Todo:
    """One line of « À faire »: `count` things, settled at `url`."""

    label: str  # already agreed with the count (ngettext)
    count: int
    url: str
    level: str = "neutral"  # ok / warn / danger / neutral (CSS classes of .badge)
    order: int = 50


@dataclass(frozen=True)
class Fact:
    """What a brick says about a person in a list (a badge: allergies, alert, due)."""

    label: str
    level: str = "neutral"
    url: str = ""
    title: str = ""


_panels: list[Panel] = []
_todos: list[tuple[str, Callable]] = []
_facts: list[tuple[str, Callable]] = []


def register_panel(panel: Panel) -> None:
    if any(p.key == panel.key for p in _panels):
        return
    _panels.append(panel)
    _panels.sort(key=lambda p: (p.order, p.key))


def register_todo(key: str, provider: Callable) -> None:
    if any(k == key for k, _p in _todos):
        return
    _todos.append((key, provider))


def register_person_facts(key: str, provider: Callable) -> None:
    if any(k == key for k, _p in _facts):
        return
    _facts.append((key, provider))


def panels_for(request) -> list[dict]:
    """The panels with something to show, in their order. The panels that replace another
    are asked first: a replaced panel's context is not computed at all (the unit's day list
    spares the plain list of persons its query)."""
    contexts = {}
    for panel in sorted(_panels, key=lambda p: not p.replaces):
        if panel.key in {p.replaces for p in _panels if p.key in contexts}:
            continue
        context = panel.context(request)
        if context is not None:
            contexts[panel.key] = context
    return [
        {
            "key": panel.key,
            "template": panel.template,
            "context": contexts[panel.key],
            "replaces": panel.replaces,
        }
        for panel in _panels
        if panel.key in contexts
    ]


def todos_for(request) -> list[Todo]:
    """Every brick's items for this user, the empty ones left out, in their order."""
    items = []
    for _key, provider in _todos:
        items.extend(t for t in provider(request) if t.count)
    return sorted(items, key=lambda t: t.order)


def person_facts(request, persons, establishment) -> dict[int, list[Fact]]:
    """{person id: facts} about these persons (already read through the access layer, with
    their pk and public_id) from every provider: one query (or two) per provider whatever
    the number of persons."""
    facts: dict[int, list[Fact]] = {p.pk: [] for p in persons}
    if not facts:
        return facts
    for _key, provider in _facts:
        for pk, found in provider(request, persons, establishment).items():
            facts.setdefault(pk, []).extend(found)
    return facts
