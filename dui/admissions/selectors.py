"""Reads of the pipeline screens: inquiries to follow up, applications per status, the
waiting list. Persons always come through `persons_visible_to` (one subquery, no loop)."""

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When

from dui.access.policy import persons_visible_to

from .models import AdmissionRequest, AdmissionStatus, Inquiry, InquiryStatus
from .pipeline import OPEN_STATUSES

# Open statuses in the order of the pipeline (the board's columns).
BOARD_STATUSES = [s for s in AdmissionStatus.values if s in OPEN_STATUSES]


def open_inquiries(*, user, establishment):
    """Open inquiries of the establishment, the follow-up date first (none last). An inquiry
    about an existing person shows only if the user may see that person."""
    visible = persons_visible_to(user=user)
    return (
        Inquiry.objects.filter(establishment=establishment, status=InquiryStatus.OPEN)
        .filter(Q(person__isnull=True) | Q(person__in=visible))
        .select_related("person")
        .order_by(F("follow_up_on").asc(nulls_last=True), "received_at", "pk")
    )


def visible_inquiry(*, user, establishment, inquiry_id):
    """One inquiry of the establishment the user may handle, or None."""
    visible = persons_visible_to(user=user)
    return (
        Inquiry.objects.filter(establishment=establishment, public_id=inquiry_id)
        .filter(Q(person__isnull=True) | Q(person__in=visible))
        .select_related("person", "establishment")
        .first()
    )


def visible_requests(*, user, establishment):
    return AdmissionRequest.objects.filter(
        establishment=establishment, person__in=persons_visible_to(user=user)
    )


def pipeline_counts(*, user, establishment) -> dict[str, int]:
    """{status: count} over every status (zero included), in one query."""
    counts = dict.fromkeys(AdmissionStatus.values, 0)
    rows = (
        visible_requests(user=user, establishment=establishment)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def pipeline_board(*, user, establishment, per_column: int = 50) -> list[dict]:
    """Columns of open statuses with their cards (oldest application first), in one query."""
    requests = (
        visible_requests(user=user, establishment=establishment)
        .filter(status__in=BOARD_STATUSES)
        .select_related("person")
        .order_by("-urgent", "received_on", "pk")
    )
    columns = {s: [] for s in BOARD_STATUSES}
    for r in requests:
        columns[r.status].append(r)
    return [
        {
            "status": s,
            "label": AdmissionStatus(s).label,
            "count": len(columns[s]),
            "cards": columns[s][:per_column],
        }
        for s in BOARD_STATUSES
    ]


def pipeline_list(
    *, user, establishment, status="", place_kind="", source="", urgent=False, newest_first=True
):
    requests = visible_requests(user=user, establishment=establishment).select_related("person")
    if status:
        requests = requests.filter(status=status)
    if place_kind:
        requests = requests.filter(place_kind=place_kind)
    if source:
        requests = requests.filter(source=source)
    if urgent:
        requests = requests.filter(urgent=True)
    order = ("-received_on", "-pk") if newest_first else ("received_on", "pk")
    return requests.order_by(*order)


def waiting_list(*, user, establishment):
    """The waiting list ordered by the establishment's priority rules (WaitingListPolicy; by
    default: urgent first, then the manual rank, then the date of reception). Every criterion
    is an SQL ordering: the list pages in the database whatever its length."""
    from .waiting_list import policy_for

    policy = policy_for(establishment)
    requests = (
        visible_requests(user=user, establishment=establishment)
        .filter(status=AdmissionStatus.WAITING_LIST)
        .select_related("person")
    )
    ordering = []
    for criterion in policy.criteria:
        if criterion == "urgent":
            ordering.append(F("urgent").desc())
        elif criterion == "manual":
            ordering.append(F("waiting_rank").asc(nulls_last=True))
        elif criterion == "local" and policy.postcode_prefixes:
            local = Q()
            for prefix in policy.postcode_prefixes:
                local |= Q(person__administrative_file__previous_postcode__startswith=prefix)
            requests = requests.annotate(
                is_local=Case(
                    When(local, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            ordering.append(F("is_local").asc())
        elif criterion == "dependency":
            from dui.assessments.models import Assessment
            from dui.assessments.models import AssessmentStatus as Status

            last_gir = (
                Assessment.objects.filter(
                    person=OuterRef("person"), instrument_code="aggir", status=Status.VALIDATED
                )
                .order_by("-assessed_on", "-pk")
                .values("score")[:1]
            )
            requests = requests.annotate(last_gir=Subquery(last_gir))
            ordering.append(F("last_gir").asc(nulls_last=True))
        elif criterion == "date":
            ordering.append(F("received_on").asc())
    return requests.order_by(*ordering, "received_on", "pk")


def application_for(http_request, request_id):
    """The application of the URL, if it belongs to one of the user's establishments; another
    establishment following the same person is refused (403, journaled) — it has its own file."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.utils.translation import gettext as _

    from dui.access import journal
    from dui.access.models import AccessAction
    from dui.access.policy import assigned_establishment_ids

    application = (
        AdmissionRequest.objects.select_related("establishment", "person")
        .filter(public_id=request_id)
        .first()
    )
    if application is None:
        raise Http404(_("Demande introuvable."))
    if application.establishment_id not in assigned_establishment_ids(http_request.user):
        journal.record_from_request(
            http_request, action=AccessAction.DENIED, person=application.person, obj=application
        )
        raise PermissionDenied(_("Cette demande est instruite par un autre établissement."))
    return application
