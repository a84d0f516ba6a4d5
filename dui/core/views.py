from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import ngettext

from dui.access.decorators import person_data_view
from dui.access.policy import management_establishment_ids
from dui.access.selectors import break_glasses_for_review
from dui.people.selectors import person_search

HOME_LIST_SIZE = 60


@login_required
@person_data_view
def home(request):
    """« Ma journée »: the persons of my unit and what is waiting for me."""
    assignment = request.assignment
    persons = person_search(user=request.user, unit_id=assignment.unit_id if assignment else None)
    if assignment and not assignment.unit_id:
        persons = persons.filter(
            care_team_memberships__establishment_id=assignment.establishment_id,
            care_team_memberships__valid_to__isnull=True,
        ).distinct()
    shown = list(persons[: HOME_LIST_SIZE + 1])
    due = []
    if management_establishment_ids(request.user):
        pending = break_glasses_for_review(user=request.user, pending_only=True).count()
        if pending:
            due.append(
                {
                    "label": ngettext(
                        "accès exceptionnel à revoir", "accès exceptionnels à revoir", pending
                    ),
                    "count": pending,
                    "url_name": "access:break_glass_review_list",
                }
            )
    return render(
        request,
        "core/home.html",
        {
            "assignment": assignment,
            "persons": shown[:HOME_LIST_SIZE],
            "more_persons": len(shown) > HOME_LIST_SIZE,
            "due": due,
        },
    )
