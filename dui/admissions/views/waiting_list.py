"""The waiting list of the current establishment, its manual ranking and its priority rules
(set by the direction and the management)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dui.access.decorators import person_data_view
from dui.access.errors import AccessDenied
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent

from ..forms.waiting_list import WaitingListPolicyForm, WaitingRankForm
from ..models import AdmissionStatus, WaitingCriterion
from ..permissions import may_rank
from ..selectors import visible_applications, waiting_list_policy
from ..selectors import waiting_list as waiting_list_of
from ..services.waiting_list import (
    RANK_REFUSED,
    RULES_REFUSED,
    waiting_list_policy_set,
    waiting_list_rank_set,
)
from .common import current_establishment
from .pipeline import with_age


@login_required
@person_data_view
def waiting_list(request):
    establishment = current_establishment(request)
    entries = with_age(
        list(waiting_list_of(user=request.user, establishment=establishment)), establishment
    )
    return render(
        request,
        "admissions/waiting_list.html",
        {
            "establishment": establishment,
            "entries": entries,
            "can_rank": may_rank(request.user, establishment.pk),
            "criteria": [
                WaitingCriterion(c).label for c in waiting_list_policy(establishment).criteria
            ],
        },
    )


@login_required
@person_data_view
@idempotent
def waiting_rank(request, application_id):
    """A manual rank on the waiting list. The rank is the direction's and the management's
    (their role, not their profession's categories): the application is reached through the
    persons the user may see, in their own establishment."""
    establishment = current_establishment(request)
    application = (
        visible_applications(user=request.user, establishment=establishment)
        .filter(public_id=application_id, status=AdmissionStatus.WAITING_LIST)
        .select_related("person", "establishment")
        .first()
    )
    if application is None:
        raise Http404(_("Demande introuvable sur la liste d'attente."))
    if not may_rank(request.user, establishment.pk):
        raise AccessDenied(RANK_REFUSED, person=application.person)
    form = WaitingRankForm(
        request.POST or None,
        initial={"rank": application.waiting_rank, "version": application.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            waiting_list_rank_set(
                acting_user=request.user,
                application=application,
                rank=form.cleaned_data["rank"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rang sur la liste d'attente enregistré."))
            return redirect("admissions:waiting_list")
    return render(
        request,
        "admissions/waiting_list_rank.html",
        {"form": form, "application": application},
        status=form_status(request),
    )


@login_required
@idempotent
def waiting_list_policy_page(request):
    """The establishment's priority rules for its waiting list (direction, management)."""
    establishment = current_establishment(request)
    if not may_rank(request.user, establishment.pk):
        raise AccessDenied(RULES_REFUSED)
    policy = waiting_list_policy(establishment)
    initial = {"local_postcodes": policy.local_postcodes, "version": policy.version}
    initial.update({f"criterion_{n}": c for n, c in enumerate(policy.criteria, start=1)})
    form = WaitingListPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            waiting_list_policy_set(
                acting_user=request.user,
                establishment=establishment,
                criteria=form.criteria(),
                local_postcodes=form.cleaned_data["local_postcodes"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Règles de la liste d'attente enregistrées."))
            return redirect("admissions:waiting_list")
    return render(
        request,
        "admissions/waiting_list_policy.html",
        {"form": form, "establishment": establishment},
        status=form_status(request),
    )


# No person's data: the establishment's rules.
waiting_list_policy_page.access_checked = True
