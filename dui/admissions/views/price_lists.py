"""The establishment's price list (grille tarifaire): the dated lists and their lines, read by
the administrative professions, edited by the direction (`services.price_lists`). No person's
data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dui.access.errors import AccessDenied
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent

from ..forms.contracts import PriceLineFormSet, PriceListForm
from ..models import PriceList
from ..permissions import is_director_of, may_edit_templates
from ..selectors import price_lists_of
from ..services.price_lists import PRICES_REFUSED, price_list_create, price_list_update
from .common import current_establishment

READ_REFUSED = _(
    "La grille tarifaire est consultée par les professions qui gèrent les dossiers "
    "administratifs de l'établissement."
)


@login_required
def price_lists_page(request):
    establishment = current_establishment(request)
    if not may_edit_templates(request.user, establishment):
        raise AccessDenied(READ_REFUSED)
    return render(
        request,
        "admissions/price_lists.html",
        {
            "establishment": establishment,
            "price_lists": price_lists_of(establishment)[:50],
            "may_edit": is_director_of(request.user, establishment),
        },
    )


def _lines_data(formset) -> list[dict]:
    return [
        {k: form.cleaned_data.get(k) for k in ("label", "amount", "unit", "kind")}
        for form in formset.forms
        if form.cleaned_data.get("label") or form.cleaned_data.get("amount") is not None
    ]


@login_required
@idempotent
def price_list_edit(request, price_list_id=None):
    establishment = current_establishment(request)
    if not is_director_of(request.user, establishment):
        raise AccessDenied(PRICES_REFUSED)
    price_list = None
    if price_list_id is not None:
        price_list = PriceList.objects.filter(
            establishment=establishment, public_id=price_list_id
        ).first()
        if price_list is None:
            raise Http404
    initial = {"version": 0}
    lines = []
    if price_list is not None:
        initial = {
            "valid_from": price_list.valid_from,
            "valid_until": price_list.valid_until,
            "absence_billing": price_list.absence_billing,
            "version": price_list.version,
        }
        lines = [
            {"label": line.label, "amount": line.amount, "unit": line.unit, "kind": line.kind}
            for line in price_list.lines.all()
        ]
    form = PriceListForm(request.POST or None, initial=initial)
    formset = PriceLineFormSet(request.POST or None, initial=lines, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        arguments = {
            "acting_user": request.user,
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "absence_billing": data["absence_billing"],
            "lines": _lines_data(formset),
        }
        try:
            if price_list is None:
                price_list_create(establishment=establishment, **arguments)
            else:
                price_list_update(
                    price_list=price_list, expected_version=data["version"], **arguments
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Grille tarifaire enregistrée."))
            return redirect("admissions:price_lists")
    return render(
        request,
        "admissions/price_list_edit.html",
        {
            "establishment": establishment,
            "form": form,
            "formset": formset,
            "price_list": price_list,
        },
        status=form_status(request),
    )


# No person's data: the establishment's prices.
price_lists_page.access_checked = True
price_list_edit.access_checked = True
