"""The welcome checklist page of a person's stay (step 3: admettre)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from dui.access.decorators import person_view
from dui.access.errors import AccessDenied
from dui.core import dates
from dui.core.idempotency import idempotent
from dui.people.record_page import render_record

from ..forms.welcome import WelcomeTickForm, WelcomeUntickForm
from ..selectors import personal_plan_due, welcome_checklist, welcome_item_done, welcome_stay
from ..services.welcome import NOT_WRITTEN, welcome_item_untick, welcome_items_tick
from .common import ADMINISTRATIVE

SECTION = "accueil"


@login_required
@person_view(category=ADMINISTRATIVE)
@idempotent
def welcome(request, person_id):
    stay = welcome_stay(
        person=request.person,
        user=request.user,
        stay_id=request.POST.get("stay") or request.GET.get("sejour"),
    )
    can_write = request.person_access.can_write(ADMINISTRATIVE)
    status = 200
    if request.method == "POST":
        if stay is None or not can_write:
            raise AccessDenied(NOT_WRITTEN, person=request.person)
        if request.POST.get("action") == "untick":
            done = _untick(request, stay)
        else:
            done = _tick(request, stay)
        if done:
            return redirect(f"{request.path}?sejour={stay.public_id}")
        status = 400
    lines = welcome_checklist(stay=stay) if stay else []
    return render_record(
        request,
        "admissions/welcome.html",
        {
            "stay": stay,
            "lines": lines,
            "done_count": sum(1 for line in lines if line.done),
            "plan_due": personal_plan_due(stay) if stay else None,
            "can_write": can_write and stay is not None,
            "pending": [line for line in lines if not line.done],
            "today": dates.today(stay.establishment) if stay else dates.today(),
        },
        section=SECTION,
        status=status,
    )


def _tick(request, stay) -> bool:
    """Several items ticked in one submit, all or none (`welcome_items_tick`)."""
    form = WelcomeTickForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return False
    try:
        entries = welcome_items_tick(
            acting_user=request.user,
            stay=stay,
            items=form.cleaned_data["items"],
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(
        request,
        _("Coché : %(items)s.")
        % {"items": ", ".join(f"« {e.get_item_display()} »" for e in entries)},
    )
    return True


def _untick(request, stay) -> bool:
    form = WelcomeUntickForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return False
    entry = welcome_item_done(stay=stay, item=form.cleaned_data["item"])
    if entry is None:
        messages.error(request, _("Cette étape n'est pas cochée."))
        return False
    try:
        welcome_item_untick(
            acting_user=request.user, entry=entry, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, _("« %(item)s » : décoché.") % {"item": entry.get_item_display()})
    return True
