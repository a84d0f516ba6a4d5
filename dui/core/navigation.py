"""Navigation by the seven steps of the pathway. Each brick registers its own entries.

A step with no entry yet is not shown: no placeholder pages.
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


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    # Predicate on the request: whether this user sees the entry.
    visible: object = field(default=lambda request: True)


_entries: dict[str, list[Entry]] = {}
_tools: list[Entry] = []


def register(step: str, entry: Entry) -> None:
    if step not in dict(STEPS):
        raise ValueError(f"Unknown pathway step {step!r}")
    _entries.setdefault(step, []).append(entry)


def register_tool(entry: Entry) -> None:
    """Entries outside the pathway (journal, reviews, administration)."""
    _tools.append(entry)


def menu_for(request) -> dict:
    steps = []
    for code, label in STEPS:
        entries = [e for e in _entries.get(code, []) if e.visible(request)]
        if entries:
            steps.append({"code": code, "label": label, "entries": entries})
    return {"steps": steps, "tools": [e for e in _tools if e.visible(request)]}
