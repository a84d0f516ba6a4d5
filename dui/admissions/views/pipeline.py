"""Step 2 screens (« Pré-admettre »): the pipeline board and list of the current
establishment. Persons through `persons_visible_to`; a fixed number of queries whatever the
number of applications."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from dui.access.decorators import person_data_view
from dui.core import dates
from dui.core.pagination import page_of
from dui.organisation.models import PlaceKind

from ..models import AdmissionSource, AdmissionStatus
from ..selectors import pipeline_board as board_of
from ..selectors import pipeline_counts
from ..selectors import pipeline_list as list_of
from .common import current_establishment

PAGE_SIZE = 50


def with_age(applications, establishment):
    """Each application with its age in days and the link to its page."""
    today = dates.today(establishment)
    for application in applications:
        application.age_days = dates.days_between(application.received_on, today)
        application.url = reverse("admissions:application_detail", args=[application.public_id])
    return applications


def counts(user, establishment) -> list[dict]:
    by_status = pipeline_counts(user=user, establishment=establishment)
    return [{"status": s, "label": AdmissionStatus(s).label, "n": n} for s, n in by_status.items()]


@login_required
@person_data_view
def pipeline_board(request):
    establishment = current_establishment(request)
    columns = board_of(user=request.user, establishment=establishment)
    for column in columns:
        with_age(column["cards"], establishment)
    return render(
        request,
        "admissions/pipeline_board.html",
        {
            "establishment": establishment,
            "columns": columns,
            "counts": counts(request.user, establishment),
        },
    )


@login_required
@person_data_view
def pipeline_list(request):
    establishment = current_establishment(request)
    get = request.GET
    status = get.get("statut", "") if get.get("statut") in AdmissionStatus.values else ""
    place_kind = get.get("accueil", "") if get.get("accueil") in PlaceKind.values else ""
    source = get.get("origine", "") if get.get("origine") in AdmissionSource.values else ""
    urgent = get.get("urgent") == "1"
    oldest_first = get.get("tri") == "ancien"
    applications = list_of(
        user=request.user,
        establishment=establishment,
        status=status,
        place_kind=place_kind,
        source=source,
        urgent=urgent,
        newest_first=not oldest_first,
    )
    page = page_of(request, applications, PAGE_SIZE)
    with_age(page.object_list, establishment)
    query = get.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query["tri"] = "recent" if oldest_first else "ancien"
    return render(
        request,
        "admissions/pipeline_list.html",
        {
            "establishment": establishment,
            "page": page,
            "counts": counts(request.user, establishment),
            "statuses": AdmissionStatus.choices,
            "place_kinds": PlaceKind.choices,
            "sources": AdmissionSource.choices,
            "status": status,
            "place_kind": place_kind,
            "source": source,
            "urgent": urgent,
            "oldest_first": oldest_first,
            "querystring": query.urlencode(),
            "sort_querystring": sort_query.urlencode(),
        },
    )
