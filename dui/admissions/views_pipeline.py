"""Step 2 screens (« Pré-admettre »): the pipeline board and list of the current
establishment, the waiting list and its manual ranking. Persons through `persons_visible_to`;
a fixed number of queries whatever the number of applications."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access.decorators import person_data_view
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.organisation.models import PlaceKind

from . import selectors
from .forms_inquiries import WaitingRankForm
from .models import AdmissionSource, AdmissionStatus, WaitingCriterion
from .views_inquiries import request_url
from .waiting_list import may_rank, policy_for, waiting_list_policy_set, waiting_list_rank_set

PAGE_SIZE = 50


def _establishment(request):
    assignment = getattr(request, "assignment", None)
    if not assignment:
        raise PermissionDenied(_("Vous n'avez aucune affectation active."))
    return assignment.establishment


def _with_age(requests, today):
    for r in requests:
        r.age_days = (today - r.received_on).days
        r.url = request_url(r)
    return requests


@login_required
@person_data_view
def pipeline_board(request):
    establishment = _establishment(request)
    today = timezone.localdate()
    columns = selectors.pipeline_board(user=request.user, establishment=establishment)
    for column in columns:
        _with_age(column["cards"], today)
    return render(
        request,
        "admissions/pipeline_board.html",
        {
            "establishment": establishment,
            "columns": columns,
            "counts": _counts(request.user, establishment),
        },
    )


def _counts(user, establishment):
    counts = selectors.pipeline_counts(user=user, establishment=establishment)
    return [{"status": s, "label": AdmissionStatus(s).label, "n": counts[s]} for s in counts]


@login_required
@person_data_view
def pipeline_list(request):
    establishment = _establishment(request)
    get = request.GET
    status = get.get("statut", "") if get.get("statut") in AdmissionStatus.values else ""
    place_kind = get.get("accueil", "") if get.get("accueil") in PlaceKind.values else ""
    source = get.get("origine", "") if get.get("origine") in AdmissionSource.values else ""
    urgent = get.get("urgent") == "1"
    oldest_first = get.get("tri") == "ancien"
    requests = selectors.pipeline_list(
        user=request.user,
        establishment=establishment,
        status=status,
        place_kind=place_kind,
        source=source,
        urgent=urgent,
        newest_first=not oldest_first,
    )
    page = Paginator(requests, PAGE_SIZE).get_page(get.get("page"))
    _with_age(page.object_list, timezone.localdate())
    query = get.copy()
    query.pop("page", None)
    sort_query = get.copy()
    sort_query.pop("page", None)
    sort_query["tri"] = "recent" if oldest_first else "ancien"
    return render(
        request,
        "admissions/pipeline_list.html",
        {
            "establishment": establishment,
            "page": page,
            "counts": _counts(request.user, establishment),
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


@login_required
@person_data_view
def waiting_list(request):
    establishment = _establishment(request)
    entries = list(selectors.waiting_list(user=request.user, establishment=establishment))
    _with_age(entries, timezone.localdate())
    return render(
        request,
        "admissions/waiting_list.html",
        {
            "establishment": establishment,
            "entries": entries,
            "can_rank": may_rank(request.user, establishment.pk),
            "criteria": [WaitingCriterion(c).label for c in policy_for(establishment).criteria],
        },
    )


@login_required
@person_data_view
@idempotent
def waiting_rank(request, request_id):
    establishment = _establishment(request)
    admission_request = (
        selectors.visible_requests(user=request.user, establishment=establishment)
        .filter(public_id=request_id, status=AdmissionStatus.WAITING_LIST)
        .select_related("person")
        .first()
    )
    if admission_request is None:
        raise Http404(_("Demande introuvable sur la liste d'attente."))
    if not may_rank(request.user, establishment.pk):
        raise PermissionDenied(
            _(
                "Seules la direction et l'encadrement peuvent modifier le rang sur la liste d'attente."
            )
        )
    form = WaitingRankForm(request.POST or None, initial={"rank": admission_request.waiting_rank})
    if request.method == "POST" and form.is_valid():
        try:
            waiting_list_rank_set(
                acting_user=request.user,
                request=admission_request,
                rank=form.cleaned_data["rank"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rang sur la liste d'attente enregistré."))
            return redirect("admissions:waiting_list")
    return render(
        request,
        "admissions/waiting_list_rank.html",
        {"form": form, "admission_request": admission_request},
        status=400 if request.method == "POST" else 200,
    )


class WaitingListPolicyForm(forms.Form):
    """Criteria in the order they apply; empty positions are skipped."""

    local_postcodes = forms.CharField(
        label=_("Codes postaux du territoire"),
        required=False,
        max_length=200,
        help_text=_("Débuts de codes postaux séparés par des virgules, ex. : 69, 01700."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *WaitingCriterion.choices]
        for position in range(1, len(WaitingCriterion.values) + 1):
            self.fields[f"criterion_{position}"] = forms.ChoiceField(
                label=_("Critère n° %(n)s") % {"n": position}, choices=choices, required=False
            )
        self.order_fields([f"criterion_{n}" for n in range(1, 6)] + ["local_postcodes"])

    def criteria(self) -> list[str]:
        return [
            self.cleaned_data[f"criterion_{n}"]
            for n in range(1, len(WaitingCriterion.values) + 1)
            if self.cleaned_data.get(f"criterion_{n}")
        ]


@login_required
@idempotent
def waiting_list_policy(request):
    """The establishment's priority rules for its waiting list (direction, management)."""
    assignment = request.assignment
    if not assignment or not may_rank(request.user, assignment.establishment_id):
        raise PermissionDenied(
            _("Seules la direction et l'encadrement fixent les règles de la liste d'attente.")
        )
    policy = policy_for(assignment.establishment)
    initial = {"local_postcodes": policy.local_postcodes}
    initial.update({f"criterion_{n}": c for n, c in enumerate(policy.criteria, start=1)})
    form = WaitingListPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            waiting_list_policy_set(
                acting_user=request.user,
                establishment=assignment.establishment,
                criteria=form.criteria(),
                local_postcodes=form.cleaned_data["local_postcodes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Règles de la liste d'attente enregistrées."))
            return redirect("admissions:waiting_list")
    return render(
        request,
        "admissions/waiting_list_policy.html",
        {"form": form, "establishment": assignment.establishment},
        status=400 if request.method == "POST" else 200,
    )
