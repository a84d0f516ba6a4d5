"""« Évaluations à faire »: the assessments overdue or due soon in the user's current unit (or
establishment, for staff assigned to the whole establishment)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dui.access.decorators import person_data_view
from dui.core.pagination import page_of

from .queue import QUEUE_PAGE_SIZE, drafts_by_pair, to_validate
from .reviews import DUE_SOON_DAYS, due_assessments, user_rights_in

PAGE_SIZE = 50


def _profession_code(user) -> str:
    profession = getattr(user, "profession", None)
    return profession.code if profession else ""


def _fillable_codes(user, establishment, instruments) -> set[str]:
    """Instruments this user's profession may fill in this establishment (no query: the
    rights are cached for the request)."""
    rights = user_rights_in(user, establishment)
    profession = _profession_code(user)
    return {
        i.code
        for i in instruments
        if rights.get(i.category, (False, False))[1]
        and (i.fill_professions is None or profession in i.fill_professions)
    }


@login_required
@person_data_view
def due_list(request):
    """Persons come from `persons_visible_to` (through `due_assessments`): the page lists only
    persons the user may open, and only instruments whose category the user reads."""
    assignment = request.assignment
    items = []
    if assignment:
        items = due_assessments(
            user=request.user,
            unit=assignment.unit if assignment.unit_id else None,
            establishment=assignment.establishment,
        )
    instruments = {i.instrument.code: i.instrument for i in items}
    late_only = request.GET.get("retard") == "1"
    code = request.GET.get("instrument", "")
    overdue_count = sum(1 for i in items if i.overdue)
    shown = [
        i for i in items if (not late_only or i.overdue) and (not code or i.instrument.code == code)
    ]
    page = page_of(request, shown, PAGE_SIZE)
    # The drafts of the page's rows (one query): « Reprendre le brouillon », not a second form.
    drafts = drafts_by_pair(
        persons=[i.person.pk for i in page], codes={i.instrument.code for i in page}
    )
    rows = [(item, drafts.get((item.person.pk, item.instrument.code))) for item in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/due.html",
        {
            "assignment": assignment,
            "page": page,
            "rows": rows,
            "total": len(items),
            "overdue_count": overdue_count,
            "instruments": sorted(instruments.values(), key=lambda i: i.name),
            "instrument_code": code,
            "late_only": late_only,
            "fillable": _fillable_codes(
                request.user, assignment.establishment, instruments.values()
            )
            if assignment
            else set(),
            "due_soon_days": DUE_SOON_DAYS,
            "querystring": query.urlencode(),
        },
    )


@login_required
@person_data_view
def validation_queue(request):
    """« À valider »: the drafts waiting for the user's validation (`queue.to_validate`, which
    reads persons through `persons_visible_to`), each one tap from its validation."""
    drafts = to_validate(user=request.user)
    page = page_of(request, drafts, QUEUE_PAGE_SIZE)
    for draft in page:
        instrument = draft.instrument
        result = instrument.partial(draft.answers) if instrument else None
        draft.complete = bool(result and result.complete)
    return render(
        request,
        "assessments/to_validate.html",
        {"page": page, "querystring": ""},
    )
