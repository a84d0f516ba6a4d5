"""The person's record page: a header on every page of the person, and one tab per section.

Bricks register their sections (`register_section`) and header badges (`register_badges`) in
their AppConfig.ready(), like the navigation: the people brick never imports them. A tab only
appears to a user whose profession reads its information category. Where the person stays
today comes the same way, from the pathway (`placement.register_header_placement`).

This module holds the registries only and imports no model: bricks import it from their
AppConfig.ready() and at module level alike. The page itself is `record_page.render_record`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str  # takes the person's public id as `person_id`
    category: str | None  # None: visible to anyone who may open the record
    order: int = 50


@dataclass(frozen=True)
class Badge:
    label: str
    level: str = "neutral"  # ok / warn / danger / neutral (CSS classes of .badge)
    title: str = ""
    url: str = ""


_sections: list[Section] = []
# Each provider: (person, access) -> list[Badge]; one query at most, whatever the data size.
_badge_providers: list[tuple[str, Callable]] = []


def register_section(section: Section) -> None:
    if any(s.key == section.key for s in _sections):
        return
    _sections.append(section)
    _sections.sort(key=lambda s: (s.order, s.key))


def register_badges(key: str, provider: Callable) -> None:
    if any(k == key for k, _ in _badge_providers):
        return
    _badge_providers.append((key, provider))


def sections_for(access) -> list[Section]:
    return [s for s in _sections if s.category is None or access.can_read(s.category)]


def header_badges(person, access) -> list[Badge]:
    badges: list[Badge] = []
    for _key, provider in _badge_providers:
        badges.extend(provider(person, access))
    return badges
