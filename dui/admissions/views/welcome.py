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

from ..forms.welcome import WelcomeTickForm
from ..selectors import personal_plan_due, welcome_checklist, welcome_stay
from ..services.welcome import NOT_WRITTEN, welcome_item_tick
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
        form = WelcomeTickForm(request.POST)
        if form.is_valid():
            try:
                entry = welcome_item_tick(
                    acting_user=request.user,
                    stay=stay,
                    item=form.cleaned_data["item"],
                    done_on=form.cleaned_data["done_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                messages.success(
                    request, _("« %(item)s » : coché.") % {"item": entry.get_item_display()}
                )
                return redirect(f"{request.path}?sejour={stay.public_id}")
        else:
            messages.error(request, _("Saisie invalide : vérifiez la date."))
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
            "today": dates.today(stay.establishment) if stay else dates.today(),
        },
        section=SECTION,
        status=status,
    )
