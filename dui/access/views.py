import csv
from functools import wraps

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dui.core.idempotency import idempotent
from dui.core.pagination import page_of

from . import journal, services
from .decorators import no_person_data, person_data_view, person_view
from .errors import AccessDenied
from .forms import LEVEL_CHOICES, BreakGlassForm, BreakGlassReviewForm, JournalFilterForm
from .matrix import MEDICAL_ELIGIBLE, PSYCHOLOGICAL_ELIGIBLE
from .models import AccessAction, AccessEvent, InformationCategory
from .policy import establishment_matrix, management_establishment_ids, person_model
from .selectors import break_glasses_for_review, journal_events, professionals_reviewable_by

JOURNAL_PAGE_SIZE = 50


@login_required
@require_POST
@idempotent
def break_glass_open(request, person_id):
    """Emergency access. The person is outside the user's rules by definition, so this view
    does not go through `person_view`; the service checks organisation and reason."""
    person = person_model().objects.filter(public_id=person_id).first()
    if person is None:
        raise Http404(_("Personne introuvable."))
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            services.break_glass_open(
                acting_user=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                ip_address=journal.client_ip(request),
            )
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        except AccessDenied as denied:
            # The refused attempt is journaled (the service's transaction was rolled back).
            journal.record_from_request(
                request, action=AccessAction.DENIED, person=person, obj=person, break_glass=True
            )
            form.add_error(None, denied.message)
        else:
            messages.warning(
                request,
                _("Accès exceptionnel ouvert : il est tracé et sera revu par la direction."),
            )
            return redirect("people:record", person_id=person.public_id)
    return render(
        request,
        "access/denied.html",
        {
            "person_public_id": person.public_id,
            "break_glass_possible": True,
            "form": form,
            "message": _("Vous n'avez pas accès au dossier de cette personne."),
        },
        status=400,
    )


break_glass_open.access_checked = True  # resolved and checked by services.break_glass_open


MANAGEMENT_ONLY = gettext_lazy("Réservé à la direction et au délégué à la protection des données.")
DIRECTION_ONLY = gettext_lazy("Réservé à la direction de l'établissement.")


def _require_management(request):
    """Journal and review pages: the direction and the DPO only. A refusal is raised, so that
    the 403 handler journals it and shows its reason."""
    if not management_establishment_ids(request.user):
        raise AccessDenied(MANAGEMENT_ONLY)


@login_required
@person_data_view
def break_glass_review_list(request):
    _require_management(request)
    pending_only = request.GET.get("tous") != "1"
    grants = break_glasses_for_review(user=request.user, pending_only=pending_only)
    page = page_of(request, grants, 30)
    return render(
        request,
        "access/break_glass_review.html",
        {"page": page, "pending_only": pending_only, "form": BreakGlassReviewForm()},
    )


@login_required
@require_POST
@idempotent
@person_data_view
def break_glass_review(request, grant_id):
    _require_management(request)
    grant = get_object_or_404(break_glasses_for_review(user=request.user), public_id=grant_id)
    form = BreakGlassReviewForm(request.POST)
    if form.is_valid():
        try:
            services.break_glass_review(
                acting_user=request.user, grant=grant, note=form.cleaned_data["note"]
            )
        except (ValidationError, AccessDenied) as error:
            messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
        else:
            messages.success(request, _("Accès exceptionnel marqué comme revu."))
    return redirect("access:break_glass_review_list")


def _journal_response(request, *, scope: dict, title: str, filename: str, extra: dict):
    """Journal list or CSV export for a person or a professional (`scope`), filtered."""
    form = JournalFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = AccessEvent.objects.none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        events = journal_events(
            user=request.user,
            **scope,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            action=filters.get("action", ""),
        )
    if request.GET.get("format") == "csv":
        journal.record_from_request(
            request,
            action=AccessAction.EXPORT,
            person=extra.get("person"),
            object_type="access.journal",
            object_id=filename,
        )
        return _csv(events, filename)
    page = page_of(request, events, JOURNAL_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "access/journal.html",
        {
            "title": title,
            "page": page,
            "form": form,
            "querystring": query.urlencode(),
            **extra,
        },
    )


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Neutralise spreadsheet formulas in free-text cells (OWASP « CSV injection »)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(events, filename: str):
    writer = csv.writer(_Echo(), delimiter=";")
    header = [
        "date_heure_utc",
        "date_heure_paris",
        "professionnel",
        "profession",
        "etablissement",
        "personne",
        "objet",
        "identifiant_objet",
        "action",
        "adresse_ip",
        "acces_exceptionnel",
        "chaine",
        "sequence",
        "empreinte",
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.occurred_at.isoformat(),
                    timezone.localtime(e.occurred_at).strftime("%d/%m/%Y %H:%M:%S"),
                    _cell(e.user.get_full_name()) if e.user else "",
                    e.user.profession.label if e.user and e.user.profession else "",
                    _cell(e.assignment.establishment.name) if e.assignment else "",
                    str(e.person.public_id) if e.person else "",
                    e.object_type,
                    e.object_id,
                    e.get_action_display(),
                    e.ip_address or "",
                    "oui" if e.break_glass else "non",
                    e.chain,
                    e.sequence,
                    e.hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _management_only(view):
    """Refuse non-managers before `person_view` journals a read of the person's record; the
    refusal is journaled on that person (her list of accesses shows who tried)."""

    @wraps(view)
    def wrapped(request, person_id, *args, **kwargs):
        if not management_establishment_ids(request.user):
            raise AccessDenied(
                MANAGEMENT_ONLY, person=person_model().objects.filter(public_id=person_id).first()
            )
        return view(request, person_id, *args, **kwargs)

    return wrapped


@login_required
@_management_only
@person_view()
def person_journal(request, person_id):
    """Who accessed this person's record (RGPD right of access, art. 15)."""
    return _journal_response(
        request,
        scope={"person": request.person},
        title=_("Journal des accès au dossier"),
        filename=f"journal-usager-{person_id}",
        extra={"person": request.person},
    )


@login_required
@person_data_view
def professional_journal(request, user_id):
    _require_management(request)
    professional = get_object_or_404(
        professionals_reviewable_by(user=request.user), public_id=user_id
    )
    return _journal_response(
        request,
        scope={"professional": professional},
        title=_("Journal des accès de %(p)s") % {"p": professional},
        filename=f"journal-professionnel-{user_id}",
        extra={"professional": professional},
    )


@login_required
@person_data_view
def professional_list(request):
    _require_management(request)
    users = professionals_reviewable_by(user=request.user).select_related("profession")
    page = page_of(request, users.order_by("last_name", "first_name"), 50)
    return render(request, "access/professional_list.html", {"page": page})


def _locked(profession, category: str) -> bool:
    """Cells no director may open: medical and psychological data outside their professions."""
    return (
        category == InformationCategory.MEDICAL and profession.code not in MEDICAL_ELIGIBLE
    ) or (
        category == InformationCategory.PSYCHOLOGICAL
        and profession.code not in PSYCHOLOGICAL_ELIGIBLE
    )


@login_required
@idempotent
@no_person_data
def category_matrix(request):
    """The director adjusts who reads/writes which category in their establishment."""
    assignment = request.assignment
    if not assignment or assignment.role != "director":
        raise AccessDenied(DIRECTION_ONLY)
    establishment = assignment.establishment
    professions = list(apps.get_model("accounts", "Profession").objects.order_by("label"))
    categories = InformationCategory.choices
    levels = establishment_matrix(establishment_id=establishment.pk, professions=professions)
    levels = {
        code: {cat: "rw" if w else ("r" if r else "") for cat, (r, w) in row.items()}
        for code, row in levels.items()
    }
    errors = {}
    if request.method == "POST":
        for profession in professions:
            for category, _label in categories:
                name = f"{profession.code}__{category}"
                # Locked cells have no field on the page: absent means unchanged. A value
                # sent anyway is checked by the service like any other.
                if name in request.POST or not _locked(profession, category):
                    levels[profession.code][category] = request.POST.get(name, "")
        wanted = {
            (code, category): (level in ("r", "rw"), level == "rw")
            for code, row in levels.items()
            for category, level in row.items()
        }
        try:
            changed = services.category_matrix_set(
                acting_user=request.user,
                establishment=establishment,
                professions=professions,
                wanted=wanted,
            )
        except ValidationError as error:
            errors = {cell: " ".join(msgs) for cell, msgs in error.message_dict.items()}
            messages.error(request, _("Rien n'a été enregistré : corrigez les droits signalés."))
        else:
            if changed:
                messages.success(request, _("%(n)s droit(s) modifié(s).") % {"n": changed})
            else:
                messages.info(request, _("Aucun changement."))
            return redirect("access:category_matrix")
    rows = [
        {
            "profession": profession,
            "cells": [
                {
                    "name": f"{profession.code}__{category}",
                    "level": levels[profession.code][category],
                    "locked": _locked(profession, category),
                    "error": errors.get(f"{profession.code}__{category}"),
                }
                for category, _label in categories
            ],
        }
        for profession in professions
    ]
    return render(
        request,
        "access/category_matrix.html",
        {
            "establishment": establishment,
            "categories": categories,
            "rows": rows,
            "levels": LEVEL_CHOICES,
        },
    )
