"""« Ma journée »: the home page is made of panels that bricks register in their
AppConfig.ready(), like the navigation entries and the record's tabs: the shell never imports
a brick. A panel is a template and the context it needs, or nothing to show for this user.

Each panel reads what it shows through its own brick's selectors, scoped by the access layer
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


_panels: list[Panel] = []


def register_panel(panel: Panel) -> None:
    if any(p.key == panel.key for p in _panels):
        return
    _panels.append(panel)
    _panels.sort(key=lambda p: (p.order, p.key))


def panels_for(request) -> list[dict]:
    shown = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown
