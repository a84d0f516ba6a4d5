"""The application page (step 2): status, timeline, pieces, MDPH orientation, opinions, visit
and the committee's decision, each write through its service in `evaluation.py`.

The URL names the request, not the person: each view resolves the request, then applies
`person_view` on the request's person (need-to-know check, journal) with the category of what
it shows or writes, as dui/documents/views.py does for categories known at request time.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dui.access import journal
from dui.access.decorators import person_view
from dui.access.models import AccessAction, InformationCategory
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.people.record import render_record

from . import evaluation
from .forms_requests import (
    DecisionForm,
    OpinionForm,
    OrientationForm,
    PieceExpectForm,
    PieceReceiveForm,
    TransitionForm,
    VisitPlanForm,
    VisitReportForm,
)
from .models import (
    AdmissionRequest,
    AdmissionStatus,
    DecisionOutcome,
    OpinionKind,
)
from .pipeline import NOTE_REQUIRED, allowed_next

ADM = InformationCategory.ADMINISTRATIVE


def _application(request_id, user, http_request=None) -> AdmissionRequest:
    from .selectors import application_for

    return application_for(http_request, request_id)


def _documents(request):
    """The person's documents the user reads (to attach to a piece), newest first."""
    access = request.person_access
    readable = [c for c in InformationCategory.values if access.can_read(c)]
    return list(
        request.person.documents.filter(category__in=readable, entered_in_error=False).order_by(
            "-document_date", "-pk"
        )[:50]
    )


def _page(request, application, *, bound=None, status=200):
    """Render the page; `bound` = {form key: bound form} shows a refused form with its errors."""
    bound = bound or {}
    access = request.person_access
    user = request.user
    writes = access.can_write(ADM)
    is_open = bool(allowed_next(application.status))
    events = list(application.events.select_related("by").order_by("at", "pk"))
    pieces = list(application.pieces.select_related("document").order_by("pk"))
    rows = evaluation.checklist(application, pieces)
    readable_opinion_categories = {
        k: access.can_read(c) for k, c in evaluation.OPINION_CATEGORY.items()
    }
    opinions = [
        o
        for o in application.opinions.select_related("author")
        if readable_opinion_categories.get(o.kind)
    ]
    visits = list(application.visits.order_by("planned_at"))
    decisions = list(application.decisions.select_related("decided_by"))
    orientation = application.person.orientations.order_by("-valid_to", "-pk").first()
    warning = evaluation.orientation_warning(orientation)
    disability = application.establishment.category in evaluation.DISABILITY_CATEGORIES
    if warning and request.method == "GET":
        messages.warning(request, warning)

    nexts = allowed_next(application.status)
    documents = _documents(request) if writes and is_open else []
    transitions = []
    if writes:
        for target in AdmissionStatus.values:
            if target in nexts and target not in evaluation.DEDICATED_TARGETS:
                form = bound.get(f"transition:{target}") or TransitionForm(
                    initial={"to_status": target, "version": application.version},
                    auto_id=f"id_{target}_%s",
                )
                if target == AdmissionStatus.INCOMPLETE and "note" not in form.data:
                    form.initial["note"] = "\n".join(evaluation.missing_pieces(rows))
                transitions.append(
                    {
                        "status": target,
                        "label": AdmissionStatus(target).label,
                        "note_required": target in NOTE_REQUIRED,
                        "form": form,
                    }
                )
    for row in rows:
        if writes and is_open and (row["piece"] is None or row["piece"].received_on is None):
            row["form"] = bound.get(f"piece:{row['kind']}") or PieceReceiveForm(
                initial={"kind": row["kind"]}, documents=documents, prefix=f"piece-{row['kind']}"
            )
    opinion_forms = []
    if application.status in evaluation.OPINION_STATUSES:
        for kind in OpinionKind.values:
            if evaluation.may_give_opinion(user, access, kind):
                opinion_forms.append(
                    {
                        "kind": kind,
                        "label": OpinionKind(kind).label,
                        "form": bound.get(f"opinion:{kind}")
                        or OpinionForm(initial={"kind": kind}, prefix=f"opinion-{kind}"),
                    }
                )
    outcomes = [o for o in DecisionOutcome.values if o in nexts]
    decision_form = None
    if outcomes and evaluation.is_director_of(user, application.establishment) and writes:
        decision_form = bound.get("decision") or DecisionForm(
            outcomes=outcomes, initial={"version": application.version}
        )
    context = {
        "application": application,
        "events": events,
        "rows": rows,
        "missing": evaluation.missing_pieces(rows)
        if application.status == AdmissionStatus.INCOMPLETE
        else [],
        "piece_expect_form": (bound.get("piece_expect") or PieceExpectForm())
        if writes and is_open
        else None,
        "orientation": orientation,
        "orientation_warning": warning,
        "show_orientation": disability or orientation is not None,
        "orientation_form": (bound.get("orientation") or OrientationForm()) if writes else None,
        "opinions": opinions,
        "medical_hidden": not access.can_read("medical"),
        "opinion_forms": opinion_forms,
        "visits": visits,
        "visit_plan_form": (
            bound.get("visit_plan") or VisitPlanForm(initial={"version": application.version})
        )
        if writes and AdmissionStatus.VISIT_PLANNED in nexts
        else None,
        "visit_report_form": (bound.get("visit_report") or VisitReportForm())
        if writes and application.status == AdmissionStatus.VISIT_PLANNED
        else None,
        "decisions": decisions,
        "decision_form": decision_form,
        "transitions": transitions,
    }
    return render_record(
        request, "admissions/request_detail.html", context, section="admissions", status=status
    )


def _refused(request, application, form_key, form, error):
    """A service refused: show the page again with the form and the French message; the
    re-rendered page is a read of the record, journaled as such."""
    if isinstance(error, PermissionDenied):
        journal.record_from_request(
            request, action=AccessAction.DENIED, person=request.person, obj=application
        )
        return render(
            request,
            "access/denied.html",
            {
                "person_public_id": request.person.public_id,
                "message": str(error) or _("Action refusée."),
                "break_glass_possible": False,
            },
            status=403,
        )
    add_service_errors(form, error)
    for message in error.messages:
        messages.error(request, message)
    access = request.person_access
    journal.record_from_request(
        request,
        action=AccessAction.READ,
        person=request.person,
        obj=request.person,
        assignment=access.acting_assignment,
        break_glass=access.via_break_glass,
        object_type="page:admissions:request_detail",
    )
    return _page(request, application, bound={form_key: form}, status=400)


def _done(request, application, message):
    messages.success(request, message)
    return redirect("admissions:request_detail", request_id=application.public_id)


# --- The page ----------------------------------------------------------------------------------


def _detail(request, person_id, *, application):
    return _page(request, application)


@login_required
def request_detail(request, request_id):
    if request.method != "GET" and request.method != "HEAD":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    application = _application(request_id, request.user, request)
    return person_view(category=ADM)(_detail)(
        request, application.person.public_id, application=application
    )


request_detail.access_checked = True


# --- Writes ------------------------------------------------------------------------------------


def _submit(request, application, key, form, call, message, *, invalid=None):
    """Every write of the page: a valid form goes to its service (`call(cleaned_data)`); a
    refusal or invalid input shows the page again with the message next to that form."""
    if not form.is_valid():
        error = invalid or ValidationError(_("Vérifiez la saisie."))
        return _refused(request, application, key, form, error)
    try:
        result = call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, application, key, form, error)
    return _done(request, application, message(form.cleaned_data, result))


def _prefixed(form_class, request, name, **kwargs):
    """A form of the page repeated per kind (pieces, opinions): its fields carry a prefix,
    the kind travels unprefixed since it names the form."""
    kind = request.POST.get("kind", "")
    form = form_class(request.POST, prefix=f"{name}-{kind}" if kind else None, **kwargs)
    form.data = form.data.copy()
    form.data[form.add_prefix("kind")] = kind
    return kind, form


def _transition(request, person_id, *, application):
    form = TransitionForm(request.POST)
    return _submit(
        request,
        application,
        f"transition:{request.POST.get('to_status', '')}",
        form,
        lambda d: evaluation.request_transition(
            acting_user=request.user,
            request=application,
            to_status=d["to_status"],
            note=d["note"],
            expected_version=d["version"],
        ),
        lambda d, _r: (
            _("Demande passée à « %(s)s ».") % {"s": AdmissionStatus(d["to_status"]).label}
        ),
        invalid=ValidationError(form.errors.as_text()) if not form.is_valid() else None,
    )


def _piece_expect(request, person_id, *, application):
    return _submit(
        request,
        application,
        "piece_expect",
        PieceExpectForm(request.POST),
        lambda d: evaluation.piece_expect(
            acting_user=request.user, request=application, kind=d["kind"]
        ),
        lambda d, _r: _("Pièce ajoutée à la liste."),
        invalid=ValidationError(_("Choisissez une pièce.")),
    )


def _piece_receive(request, person_id, *, application):
    kind, form = _prefixed(PieceReceiveForm, request, "piece", documents=_documents(request))
    return _submit(
        request,
        application,
        f"piece:{kind}",
        form,
        lambda d: evaluation.piece_receive(
            acting_user=request.user,
            request=application,
            kind=d["kind"],
            received_on=d["received_on"],
            document=d["document"],
        ),
        lambda d, _r: _("Pièce marquée reçue."),
    )


def _orientation(request, person_id, *, application):
    def recorded(data, orientation):
        warning = evaluation.orientation_warning(orientation)
        if warning:
            messages.warning(request, warning)
        return _("Orientation MDPH enregistrée.")

    return _submit(
        request,
        application,
        "orientation",
        OrientationForm(request.POST),
        lambda d: evaluation.orientation_record(
            acting_user=request.user, person=request.person, **d
        ),
        recorded,
    )


def _opinion(request, person_id, *, application):
    kind, form = _prefixed(OpinionForm, request, "opinion")
    return _submit(
        request,
        application,
        f"opinion:{kind}",
        form,
        lambda d: evaluation.opinion_give(
            acting_user=request.user,
            request=application,
            kind=d["kind"],
            value=d["value"],
            text=d["text"],
        ),
        lambda d, _r: _("%(k)s enregistré.") % {"k": OpinionKind(kind).label},
    )


def _visit_plan(request, person_id, *, application):
    return _submit(
        request,
        application,
        "visit_plan",
        VisitPlanForm(request.POST),
        lambda d: evaluation.visit_plan(
            acting_user=request.user,
            request=application,
            planned_at=d["planned_at"],
            participants=d["participants"],
            expected_version=d["version"],
        ),
        lambda d, _r: _("Visite de pré-admission prévue."),
    )


def _visit_report(request, person_id, *, application):
    return _submit(
        request,
        application,
        "visit_report",
        VisitReportForm(request.POST),
        lambda d: evaluation.visit_report(
            acting_user=request.user,
            request=application,
            done_at=d["done_at"],
            report=d["report"],
            participants=d["participants"] or None,
        ),
        lambda d, _r: _("Compte rendu de visite enregistré."),
    )


def _decision(request, person_id, *, application):
    return _submit(
        request,
        application,
        "decision",
        DecisionForm(request.POST),
        lambda d: evaluation.decision_record(
            acting_user=request.user,
            request=application,
            outcome=d["outcome"],
            reason=d["reason"],
            committee=d["committee"],
            decided_on=d["decided_on"],
            expected_version=d["version"],
        ),
        lambda d, _r: (
            _("Décision enregistrée : %(o)s.") % {"o": DecisionOutcome(d["outcome"]).label}
        ),
    )


def _post_view(view, *, category=ADM, create=False):
    inner = idempotent(view) if create else view

    @login_required
    @require_POST
    def outer(request, request_id):
        application = _application(request_id, request.user, request)
        cat = category(request) if callable(category) else category
        return person_view(category=cat)(inner)(
            request, application.person.public_id, application=application
        )

    outer.access_checked = True
    outer.__name__ = outer.__qualname__ = f"request{view.__name__}"
    return outer


def _opinion_category(request):
    return evaluation.OPINION_CATEGORY.get(request.POST.get("kind", ""), ADM)


request_transition = _post_view(_transition)
request_piece_expect = _post_view(_piece_expect, create=True)
request_piece_receive = _post_view(_piece_receive)
request_orientation = _post_view(_orientation, create=True)
request_opinion = _post_view(_opinion, category=_opinion_category, create=True)
request_visit_plan = _post_view(_visit_plan, create=True)
request_visit_report = _post_view(_visit_report)
request_decision = _post_view(_decision, create=True)
