"""Navigation by the seven steps of the pathway, plus two groups outside it (the persons and
partners, the direction and administration). Each brick registers its own entries.

The menu is one registry: a group with no entry the user may use is not shown (no placeholder
pages), an entry is shown only when its predicate says this user may use it. The base template
renders each group as a disclosure button (aria-expanded) opening its entries, and the group
holding the current page is marked (aria-current) — issue 12, item 1.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

STEPS = [
    ("inform", _("Renseigner")),
    ("pre_admit", _("Pré-admettre")),
    ("admit", _("Admettre")),
    ("assess", _("Évaluer")),
    ("care", _("Soigner")),
    ("support", _("Accompagner")),
    ("discharge", _("Sortie")),
]
# Groups outside the pathway, after its steps: the records and the address book, then the
# direction's and the administrator's tools.
RECORDS = "records"
DIRECTION = "direction"
TOOL_GROUPS = [
    (RECORDS, _("Usagers et partenaires")),
    (DIRECTION, _("Direction et administration")),
]
GROUPS = STEPS + TOOL_GROUPS


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    # Predicate on the request: whether this user sees the entry.
    visible: object = field(default=lambda request: True)


@dataclass(frozen=True)
class MenuEntry:
    """An entry as the menu shows it to one request."""

    label: str
    url_name: str
    current: bool


_entries: dict[str, list[Entry]] = {}


def register(step: str, entry: Entry) -> None:
    """An entry of a pathway step (`inform`, `pre_admit`, … `discharge`)."""
    if step not in dict(STEPS):
        raise ValueError(f"Unknown pathway step {step!r}")
    _entries.setdefault(step, []).append(entry)


def register_tool(entry: Entry, group: str = DIRECTION) -> None:
    """Entries outside the pathway: the direction's tools by default (journal, reviews,
    administration), or `group=RECORDS` for the persons and partners lists."""
    if group not in dict(TOOL_GROUPS):
        raise ValueError(f"Unknown navigation group {group!r}")
    _entries.setdefault(group, []).append(entry)


def menu_for(request) -> dict:
    """The groups this user may use, in the order of the pathway, each with its entries; the
    group and the entry of the current page are flagged `current`. `steps` (the pathway's
    groups) and `tools` (the entries outside it) are the same entries, seen apart."""
    match = getattr(request, "resolver_match", None)
    current_name = match.view_name if match else ""
    groups = []
    for code, label in GROUPS:
        entries = [
            MenuEntry(e.label, e.url_name, e.url_name == current_name)
            for e in _entries.get(code, [])
            if e.visible(request)
        ]
        if entries:
            groups.append(
                {
                    "code": code,
                    "label": label,
                    "entries": entries,
                    "current": any(e.current for e in entries),
                }
            )
    step_codes = dict(STEPS)
    return {
        "groups": groups,
        "steps": [g for g in groups if g["code"] in step_codes],
        "tools": [e for g in groups if g["code"] not in step_codes for e in g["entries"]],
        "home_current": current_name == "core:home",
    }


def page_labels() -> dict[str, str]:
    """url name → the label of its menu entry (the journal names the pages it lists)."""
    return {e.url_name: e.label for entries in _entries.values() for e in entries}
