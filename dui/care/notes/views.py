"""Screens of the targeted notes: the person's timeline (a tab of the record), the note form
(from the unit's handover or the record), a note's versions, and the handover (relève) of a
unit and shift, which is also the unit's screen « Transmissions de l'unité »."""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dui.access.decorators import (
    no_person_data,
    person_data_view,
    person_view,
    person_view_by,
)
from dui.access.errors import AccessDenied
from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.access.refusals import denied
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.core.redirects import safe_next
from dui.organisation.models import Unit
from dui.people.record_page import render_record

from ..observations.selectors import handover_alerts
from . import selectors, services
from .forms import (
    FocusEditForm,
    FocusForm,
    NoteAmendForm,
    NoteErrorForm,
    NoteForm,
    TimelineFilterForm,
)
from .models import Note, NoteCategory, NoteFocus

SECTION = "transmissions"
TIMELINE_PER_PAGE = 20
HANDOVER_MAX = 200  # notes « Tout marquer comme lu » takes at once
HANDOVER_PER_PAGE = 30
HANDOVER_READ_SHOWN = 20
HANDOVER_ALERTS_SHOWN = 10  # open care alerts listed first; the rest on « Alertes de l'unité »
UNIT_PERSONS_PER_PAGE = 40
NO_NOTE_CATEGORY = _("Votre profession n'a accès à aucune catégorie de transmissions.")
NO_ESTABLISHMENT = _("Choisissez d'abord l'établissement où vous travaillez (en haut de page).")


def _write_gate(request, **kwargs) -> str:
    """The category the record access checks for the note form: the posted one when the
    profession writes it in the acting establishment, else the first it writes (care first).
    A category the profession may not write is then refused next to its field by the form."""
    assignment = getattr(request, "assignment", None) or None
    writable = []
    if assignment is not None:
        rights = user_rights_in(request.user, assignment.establishment_id)
        writable = [c for c in NoteCategory.values if rights[c][1]]
    posted = request.POST.get("category") if request.method == "POST" else None
    if posted in writable:
        return posted
    return writable[0] if writable else InformationCategory.CARE


def _note_category(request, note_id=None, **kwargs) -> str:
    category = Note.objects.filter(public_id=note_id).values_list("category", flat=True).first()
    if category is None:
        raise Http404(_("Transmission introuvable."))
    return category


def _timeline_url(person) -> str:
    return reverse("care:notes_timeline", kwargs={"person_id": person.public_id})


# -- the person's timeline -------------------------------------------------------------------


@login_required
@person_view()
def timeline(request, person_id):
    person = request.person
    access = request.person_access
    categories = selectors.readable_categories(access)
    if not categories:
        return denied(request, NO_NOTE_CATEGORY, person=person)
    establishment, _stay, _unit = services.placement_of(person)
    focuses = selectors.establishment_focuses(establishment) if establishment else []
    authors = selectors.timeline_authors(person, categories)
    form = TimelineFilterForm(
        request.GET or None, categories=categories, focuses=focuses, authors=authors
    )
    notes = selectors.person_notes(person=person, categories=categories)
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        focus = next((f for f in focuses if f.public_id.hex == data["cible"]), None)
        author = next((u for u in authors if u.public_id.hex == data["auteur"]), None)
        notes = selectors.filter_timeline(
            notes,
            establishment=establishment,
            category=data["categorie"],
            focus=focus,
            author=author,
            start=data["du"],
            end=data["au"],
        )
        filtered = any(data.values())
    page = page_of(request, notes, TIMELINE_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render_record(
        request,
        "care/notes/timeline.html",
        {
            "form": form,
            "page": page,
            "filtered": filtered,
            "querystring": query.urlencode(),
            "can_write": bool(selectors.writable_categories(access)),
        },
        section=SECTION,
    )


@login_required
@person_view()
def note_versions(request, person_id, note_id):
    person = request.person
    categories = selectors.readable_categories(request.person_access)
    note = get_object_or_404(Note, person=person, public_id=note_id)
    if note.category not in categories:
        return denied(request, NO_NOTE_CATEGORY, person=person, obj=note)
    versions = selectors.note_versions(note, categories=categories)
    return render_record(
        request,
        "care/notes/versions.html",
        {"note": note, "versions": list(reversed(versions))},
        section=SECTION,
    )


# -- writing ---------------------------------------------------------------------------------


def _note_form_context(request, form, *, establishment, unit):
    return {
        "form": form,
        "next": safe_next(request, ""),
        "establishment": establishment,
    }


@login_required
@person_view_by(_write_gate, write=True)
@idempotent
def note_create(request, person_id):
    person = request.person
    establishment, _stay, unit = services.placement_of(person)
    if establishment is None:
        # Raised, not rendered: handler403 journals it outside @idempotent's transaction.
        raise AccessDenied(services.NOT_WRITTEN, person=person)
    form = NoteForm(
        request.POST or None,
        focus_choices=selectors.focus_choices(establishment, unit=unit),
        categories=selectors.writable_categories(request.person_access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = services.note_create(
                acting_user=request.user, person=person, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Transmission enregistrée : %(focus)s.") % {"focus": note.focus_label},
            )
            return redirect(safe_next(request, _timeline_url(person)))
    return render_record(
        request,
        "care/notes/note_form.html",
        {**_note_form_context(request, form, establishment=establishment, unit=unit)},
        section=SECTION,
        status=form_status(request),
    )


def _amend_initial(note) -> dict:
    return {
        "focus_key": note.focus.public_id.hex if note.focus_id else "",
        "focus_text": note.focus_text,
        "data": note.data,
        "actions": note.actions,
        "results": note.results,
        "important": note.important,
        "category": note.category,
        "occurred_at": note.occurred_at,
        "version": note.version,
    }


@login_required
@person_view_by(_note_category, write=True)
@idempotent
def note_amend(request, person_id, note_id):
    person = request.person
    note = get_object_or_404(
        Note.objects.select_related("focus", "establishment"), person=person, public_id=note_id
    )
    if note.superseded or note.entered_in_error:
        messages.info(request, _("Cette transmission a déjà été modifiée ou annulée."))
        return redirect(_timeline_url(person))
    choices = selectors.focus_choices(note.establishment, unit=note.unit)
    if note.focus_id and note.focus.public_id.hex not in {c.key for c in choices}:
        choices = [
            selectors.FocusChoice(note.focus.public_id.hex, note.focus.label, note.category),
            *choices,
        ]
    form = NoteAmendForm(
        request.POST or None,
        initial=_amend_initial(note),
        focus_choices=choices,
        categories=selectors.writable_categories(request.person_access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.note_amend(
                acting_user=request.user,
                note=note,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Transmission modifiée : l'originale reste lisible."))
            return redirect(_timeline_url(person))
    return render_record(
        request,
        "care/notes/note_form.html",
        {
            **_note_form_context(request, form, establishment=note.establishment, unit=note.unit),
            "amending": note,
        },
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view_by(_note_category, write=True)
@idempotent
def note_error(request, person_id, note_id):
    person = request.person
    note = get_object_or_404(Note.objects.select_related("focus"), person=person, public_id=note_id)
    if note.superseded or note.entered_in_error:
        messages.info(request, _("Cette transmission a déjà été modifiée ou annulée."))
        return redirect(_timeline_url(person))
    form = NoteErrorForm(request.POST or None, initial={"version": note.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.note_mark_entered_in_error(
                acting_user=request.user,
                note=note,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La transmission est marquée comme saisie par erreur."))
            return redirect(_timeline_url(person))
    return render_record(
        request,
        "care/notes/note_error.html",
        {"form": form, "note": note},
        section=SECTION,
        status=form_status(request),
    )


# -- the handover ----------------------------------------------------------------------------


def _handover_scope(request):
    """(establishment, unit, units to choose from) of the handover: the acting assignment's
    unit, or — assigned to the whole establishment — the unit chosen (« unite ») among the
    establishment's, or all of them."""
    assignment = getattr(request, "assignment", None) or None
    if assignment is None:
        return None, None, []
    establishment = assignment.establishment
    if assignment.unit_id:
        return establishment, assignment.unit, []
    units = list(Unit.objects.filter(establishment=establishment).order_by("name"))
    chosen = request.GET.get("unite") or request.POST.get("unite") or ""
    unit = next((u for u in units if str(u.public_id) == chosen or u.public_id.hex == chosen), None)
    return establishment, unit, units


def _handover_url(unit, *, chosen: bool) -> str:
    url = reverse("care:notes_handover")
    return f"{url}?{urlencode({'unite': unit.public_id.hex})}" if (unit and chosen) else url


@login_required
@person_data_view
def handover(request):
    establishment, unit, units = _handover_scope(request)
    if establishment is None:
        return denied(request, NO_ESTABLISHMENT)
    categories = selectors.categories_read_in(request.user, establishment.pk)
    if not categories:
        return denied(request, NO_NOTE_CATEGORY)
    window = selectors.handover_window(establishment)
    notes = selectors.handover_notes(
        user=request.user,
        establishment=establishment,
        unit=unit,
        since=window.since,
        categories=categories,
    )
    # Unread first, a page at a time (important first, then newest); the read ones fold
    # away below, the latest few only; the unit's persons a page at a time too.
    unread = page_of(
        request, notes.filter(read=False).values_list("pk", flat=True), HANDOVER_PER_PAGE
    )
    unread.object_list = selectors.handover_rows(unread.object_list, read=False)
    read = selectors.handover_rows(
        notes.filter(read=True).values_list("pk", flat=True)[:HANDOVER_READ_SHOWN], read=True
    )
    persons = page_of(
        request,
        selectors.unit_persons(user=request.user, establishment=establishment, unit=unit),
        UNIT_PERSONS_PER_PAGE,
        parameter="personnes",
    )
    rights = user_rights_in(request.user, establishment.pk)
    alerts, alerts_count = [], 0
    if rights[InformationCategory.CARE][0]:
        alerts, alerts_count = handover_alerts(
            user=request.user, establishment=establishment, unit=unit, limit=HANDOVER_ALERTS_SHOWN
        )
    return render(
        request,
        "care/notes/handover.html",
        {
            "alerts": alerts,
            "alerts_count": alerts_count,
            "establishment": establishment,
            "unit": unit,
            "units": units,
            "window": window,
            "unread": unread,
            "read": read,
            "persons": persons,
            "can_write": any(rights[c][1] for c in NoteCategory.values),
            "here": _handover_url(unit, chosen=bool(units)),
            "unit_query": urlencode({"unite": unit.public_id.hex}) if (unit and units) else "",
        },
    )


def _handover_readable(request, public_ids):
    """The notes named in the POST that this user's handover shows (visible persons,
    readable categories, the current window) — others are ignored, never marked."""
    establishment, unit, _units = _handover_scope(request)
    if establishment is None:
        raise AccessDenied(NO_ESTABLISHMENT)
    categories = selectors.categories_read_in(request.user, establishment.pk)
    window = selectors.handover_window(establishment)
    return (
        list(
            selectors.handover_notes(
                user=request.user,
                establishment=establishment,
                unit=unit,
                since=window.since,
                categories=categories,
            ).filter(public_id__in=public_ids)
        ),
        unit,
        bool(_units),
    )


@login_required
@person_data_view
@require_POST
@idempotent
def note_mark_read(request, note_id):
    notes, unit, chosen = _handover_readable(request, [note_id])
    if not notes:
        raise Http404(_("Transmission introuvable."))
    services.note_mark_read(acting_user=request.user, notes=notes)
    note = notes[0]
    note.read = True
    if getattr(request, "htmx", False):
        return render(request, "care/notes/_handover_note.html", {"note": note, "folded": True})
    return redirect(_handover_url(unit, chosen=chosen))


@login_required
@person_data_view
@require_POST
@idempotent
def notes_mark_all_read(request):
    ids = request.POST.getlist("note")[:HANDOVER_MAX]
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    notes, unit, chosen = _handover_readable(request, valid)
    count = services.note_mark_read(acting_user=request.user, notes=notes)
    messages.success(request, _("%(n)s transmission(s) marquée(s) comme lue(s).") % {"n": count})
    return redirect(_handover_url(unit, chosen=chosen))


# -- the focus list --------------------------------------------------------------------------


def _managed_establishment(request):
    assignment = getattr(request, "assignment", None) or None
    if assignment is None or not services.may_manage_focuses(
        request.user, assignment.establishment
    ):
        return None
    return assignment.establishment


def _focus_manager_required(view):
    """Refuse (journaled) before @idempotent's transaction: a refusal inside it would be
    rolled back with the key, and vanish from the journal."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        establishment = _managed_establishment(request)
        if establishment is None:
            return denied(request, services.FOCUS_NOT_MANAGED)
        request.focus_establishment = establishment
        return view(request, *args, **kwargs)

    return wrapped


@login_required
@no_person_data
@_focus_manager_required
@idempotent
def focuses(request):
    establishment = request.focus_establishment
    rows = selectors.establishment_focuses(establishment)
    add_form = FocusForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                if add_form.is_valid():
                    services.note_focus_create(
                        acting_user=request.user,
                        establishment=establishment,
                        data=add_form.cleaned_data,
                    )
                    messages.success(request, _("Cible ajoutée."))
                    return redirect("care:notes_focuses")
            elif action == "defaults":
                services.note_focus_adopt_defaults(
                    acting_user=request.user, establishment=establishment
                )
                messages.success(
                    request, _("La liste proposée est maintenant celle de l'établissement.")
                )
                return redirect("care:notes_focuses")
            else:
                focus = get_object_or_404(
                    NoteFocus, establishment=establishment, public_id=request.POST.get("focus")
                )
                if action == "rename":
                    form = FocusEditForm(request.POST)
                    if not form.is_valid():
                        raise ValidationError([m for ms in form.errors.values() for m in ms])
                    services.note_focus_update(
                        acting_user=request.user,
                        focus=focus,
                        data=form.cleaned_data,
                        expected_version=form.cleaned_data["version"],
                    )
                    messages.success(request, _("Cible modifiée."))
                elif action in ("deactivate", "activate"):
                    services.note_focus_set_active(
                        acting_user=request.user,
                        focus=focus,
                        active=action == "activate",
                        expected_version=request.POST.get("version"),
                    )
                    messages.success(
                        request,
                        _("Cible proposée de nouveau.")
                        if action == "activate"
                        else _(
                            "Cible retirée de la liste (elle reste sur les anciennes transmissions)."
                        ),
                    )
                elif action in ("up", "down"):
                    services.note_focus_move(
                        acting_user=request.user, focus=focus, up=action == "up"
                    )
                else:
                    raise Http404
                return redirect("care:notes_focuses")
        except ValidationError as error:
            if action == "add":
                add_service_errors(add_form, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("care:notes_focuses")
    return render(
        request,
        "care/notes/focuses.html",
        {
            "establishment": establishment,
            "rows": rows,
            "add_form": add_form,
            "defaults": selectors.DEFAULT_FOCUSES if not rows else (),
            "categories": NoteCategory.choices,
        },
        status=form_status(request),
    )


def may_manage_focuses(request) -> bool:
    return _managed_establishment(request) is not None


def reads_notes(request) -> bool:
    assignment = getattr(request, "assignment", None) or None
    if assignment is None:
        return False
    return bool(selectors.categories_read_in(request.user, assignment.establishment_id))
