"""One page of a person's record: the header (identity, placement, badges) and the tabs the
user's profession reads, around a brick's section (registries in `record.py`)."""

from django.shortcuts import render

from .placement import header_placement
from .record import header_badges, sections_for
from .selectors import record_header


def render_record(request, template: str, context: dict | None = None, *, section: str, status=200):
    """Render one section of the record of `request.person` (set by `person_view`)."""
    person = request.person
    access = request.person_access
    full = {
        "person": person,
        "access": access,
        "header": {
            **record_header(person=person, access=access),
            "placement": header_placement(person=person, user=request.user),
            "badges": header_badges(person, access),
        },
        "sections": sections_for(access),
        "current_section": section,
    }
    full.update(context or {})
    return render(request, template, full, status=status)
