from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode

from dui.access.decorators import person_data_view, person_view
from dui.access.models import InformationCategory
from dui.access.policy import management_establishment_ids
from dui.core.pagination import page_of

from ..break_glass_search import hidden_match_exists
from ..record_page import render_record
from ..selectors import person_memberships, person_search
from ..services import may_create_person

PAGE_SIZE = 25


@login_required
@person_data_view
def person_list(request):
    """Search box results and the list of persons the user may see."""
    query = request.GET.get("q", "")
    unit_id = None
    if request.GET.get("unite") == "courante" and request.assignment and request.assignment.unit_id:
        unit_id = request.assignment.unit_id
    persons = person_search(user=request.user, query=query, unit_id=unit_id)
    page = page_of(request, persons, PAGE_SIZE)
    # Persons of the organisation the user may not see: only the fact that one matches, and
    # the emergency access for professions that may open it (issue 12, item 4).
    hidden_match = hidden_match_exists(user=request.user, query=query) if query else False
    template = "people/_results.html" if request.htmx else "people/person_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "hidden_match": hidden_match,
            "querystring": urlencode({"q": query}) if query else "",
            "can_create": may_create_person(
                request.user, request.assignment.establishment if request.assignment else None
            ),
        },
    )


@login_required
@person_view()
def person_record(request, person_id):
    """The record's first page: where the person is followed and what the user may do."""
    access = request.person_access
    return render_record(
        request,
        "people/record.html",
        {
            "memberships": person_memberships(person=request.person, user=request.user),
            "categories": [
                (code, label, access.can_read(code), access.can_write(code))
                for code, label in InformationCategory.choices
            ],
            "can_see_journal": bool(management_establishment_ids(request.user)),
        },
        section="summary",
    )
