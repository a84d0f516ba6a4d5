"""Management pages (« Pilotage »). They show counts; the GMP page also names, to those who
may see them, the hosted persons whose GIR is still to be validated."""

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from dui.access.decorators import person_data_view
from dui.access.refusals import denied
from dui.core import dates
from dui.core.pagination import page_of
from dui.organisation.models import Establishment

from .gmp import GIR_POINTS
from .selectors import gmp, gmp_establishment_ids, persons_to_evaluate

TO_EVALUATE_PAGE_SIZE = 50

NOT_MANAGEMENT = gettext_lazy("Le GMP est réservé à la direction et à l'encadrement.")


def _day(request, establishment) -> date:
    """The day asked for (`?date=`), or today where the establishment is."""
    today = dates.today(establishment)
    value = request.GET.get("date", "")
    if not value:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        messages.error(
            request, _("Date invalide : le GMP est calculé au %(d)s.") % {"d": f"{today:%d/%m/%Y}"}
        )
        return today
    if day > today:
        messages.error(
            request,
            _("Le GMP se calcule pour aujourd'hui ou une date passée : calculé au %(d)s.")
            % {"d": f"{today:%d/%m/%Y}"},
        )
        return today
    return day


def _establishment(request, establishments: list):
    chosen = request.GET.get("etablissement", "")
    for establishment in establishments:
        if str(establishment.public_id) == chosen:
            return establishment
    if request.assignment:
        for establishment in establishments:
            if establishment.pk == request.assignment.establishment_id:
                return establishment
    return establishments[0]


@login_required
@require_safe
@person_data_view
def gmp_page(request):
    """GIR distribution and GMP of an establishment at a date, for its management (director,
    cadre, DPO, médecin coordonnateur, IDEC, cadre de santé); others get a 403. While some
    hosted persons have no validated GIR, the GMP is provisional: the page says how many and
    names those the user may see (`persons_visible_to`). `?format=csv` exports the counts
    only: no person's data, so it is not journaled."""
    ids = gmp_establishment_ids(request.user)
    if not ids:
        return denied(request, NOT_MANAGEMENT)
    establishments = list(Establishment.objects.filter(pk__in=ids).order_by("name"))
    establishment = _establishment(request, establishments)
    day = _day(request, establishment)
    result = gmp(establishment=establishment, on=day)
    if request.GET.get("format") == "csv":
        return _csv(result)
    to_evaluate = (
        page_of(
            request,
            persons_to_evaluate(user=request.user, establishment=establishment, on=day),
            TO_EVALUATE_PAGE_SIZE,
        )
        if result.without_gir
        else None
    )
    shown = to_evaluate.paginator.count if to_evaluate is not None else 0
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/gmp.html",
        {
            "result": result,
            "establishments": establishments,
            "establishment": establishment,
            "day": day,
            "rows": [(g, n, p, GIR_POINTS[g]) for g, n, p in result.figures.rows()],
            "page": to_evaluate,
            "not_shown": result.without_gir - shown,
            "querystring": query.urlencode(),
        },
    )


def _decimal(value) -> str:
    return "" if value is None else str(value).replace(".", ",")


def _csv(result) -> HttpResponse:
    establishment, figures = result.establishment, result.figures
    filename = f"gmp-{establishment.finess}-{result.on:%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # BOM: spreadsheets then read the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["etablissement", "finess", "date", "gir", "personnes", "points_par_personne", "points"]
    )
    base = [establishment.name, establishment.finess, result.on.isoformat()]
    for gir, persons, points in figures.rows():
        writer.writerow([*base, f"GIR {gir}", persons, GIR_POINTS[gir], points])
    writer.writerow(
        [
            *base,
            "sans GIR validé (à évaluer : 0 point, compté au dénominateur)",
            figures.without_gir,
            0,
            0,
        ]
    )
    writer.writerow([*base, "hébergés", figures.hosted, "", figures.points])
    status = "provisoire" if figures.provisional else "définitif"
    writer.writerow([*base, f"GMP {status}", figures.hosted, "", _decimal(figures.gmp)])
    return response
