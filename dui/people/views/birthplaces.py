"""Birthplace autocomplete: INSEE COG communes and countries, for the identity forms."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..birthplaces import search_birthplaces

LIMIT = 15


@login_required
@require_GET
def birthplace_options(request):
    """`?q=` a name (accents and case ignored) or the start of a code → up to 15 places, as the
    <option>s of the identity form's datalist."""
    query = request.GET.get("q", "").strip()
    places = search_birthplaces(query, limit=LIMIT) if query else []
    return render(request, "people/_birthplace_options.html", {"query": query, "places": places})


# Reference data (INSEE COG), no person's data: being logged in is the whole check. The URL
# coverage test (tests/access/test_url_coverage.py) asks every view of dui.people to say how
# it checks access; this one has nothing more to check.
birthplace_options.access_checked = True
