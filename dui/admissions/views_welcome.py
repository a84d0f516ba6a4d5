"""The welcome checklist page of a person's stay (issue 4, step 3)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.access.decorators import person_view
from dui.access.models import InformationCategory
from dui.access.policy import assigned_establishment_ids
from dui.core.forms import DateInput
from dui.core.idempotency import idempotent
from dui.people.record import render_record

from .models import WelcomeItem
from .welcome import personal_plan_due, welcome_checklist, welcome_item_tick

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
SECTION = "accueil"


class WelcomeTickForm(forms.Form):
    item = forms.ChoiceField(choices=WelcomeItem.choices, widget=forms.HiddenInput)
    done_on = forms.DateField(label=gettext_lazy("Fait le"), widget=DateInput(), required=False)
    note = forms.CharField(label=gettext_lazy("Précision"), max_length=300, required=False)


def welcome_stay(*, person, user, stay_id=None):
    """The stay whose welcome is shown: the one asked for, else the current or planned stay
    in the user's organisations, else the last one."""
    from dui.stays.models import Stay

    stays = Stay.objects.filter(
        person=person, establishment_id__in=assigned_establishment_ids(user)
    ).select_related("establishment", "unit", "place", "referent")
    if stay_id:
        return stays.filter(public_id=stay_id).first()
    today = timezone.localdate()
    return (
        stays.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .order_by("-started_on")
        .first()
        or stays.order_by("-started_on").first()
    )


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
        form = WelcomeTickForm(request.POST)
        if stay is None or not can_write:
            raise PermissionDenied(_("Vous ne pouvez pas compléter l'accueil de cette personne."))
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
            "today": timezone.localdate(),
        },
        section=SECTION,
        status=status,
    )
