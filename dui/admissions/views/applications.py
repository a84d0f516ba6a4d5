"""The application page (step 2): status, timeline, pieces, MDPH orientation, opinions, visit
and the committee's decision, each write through its service.

The URL names the application, not the person: `application_view` (the access layer's
`object_view`) checks access to its person in the category of what the page shows or
writes, from one of the establishment's own assignments, and journals the read or the
refusal.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dui.access.decorators import journal_read
from dui.access.models import InformationCategory
from dui.core import dates
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.people.record_page import render_record

from ..forms.applications import (
    ApplicantForm,
    DecisionForm,
    OpinionForm,
    OrientationForm,
    OrientationOverrideForm,
    PieceExpectForm,
    PieceReceiveForm,
    TransitionForm,
    VisitPlanForm,
    VisitReportForm,
)
from ..models import AdmissionStatus, DecisionOutcome, OpinionKind
from ..orientations import DISABILITY_CATEGORIES
from ..permissions import OPINION_CATEGORY, is_director_of, may_give_opinion
from ..pipeline import ADMISSIBLE_STATUSES, DEDICATED_TARGETS, NOTE_REQUIRED, OPINION_STATUSES
from ..selectors import (
    acceptance_day,
    application_file,
    coordinator_opinion,
    mdph_notice_owed,
    missing_pieces,
    needs_coordinator_opinion,
    next_statuses,
    orientation_check,
    orientation_warning,
    readable_documents,
    visit_required,
)
from ..services import applications as application_services
from ..services import evaluation
from .common import ADMINISTRATIVE, application_view

PAGE = "page:admissions:application_detail"


def _documents(request):
    return readable_documents(person=request.person, access=request.person_access)


def _transition_forms(application, rows, bound, nexts) -> list[dict]:
    transitions = []
    for target in AdmissionStatus.values:
        if target not in nexts or target in DEDICATED_TARGETS:
            continue
        form = bound.get(f"transition:{target}") or TransitionForm(
            initial={"to_status": target, "version": application.version},
            auto_id=f"id_{target}_%s",
        )
        if target == AdmissionStatus.INCOMPLETE and "note" not in form.data:
            form.initial["note"] = "\n".join(missing_pieces(rows))
        transitions.append(
            {
                "status": target,
                "label": AdmissionStatus(target).label,
                "note_required": target in NOTE_REQUIRED,
                "form": form,
            }
        )
    return transitions


def _applicant_initial(application) -> dict:
    return {
        "applicant_kind": application.applicant_kind,
        "applicant_name": application.applicant_name,
        "applicant_organisation": application.applicant_organisation,
        "applicant_address": application.applicant_address,
        "applicant_postcode": application.applicant_postcode,
        "applicant_city": application.applicant_city,
        "version": application.version,
    }


def _page(request, *, bound=None, status=200):
    """Render the page; `bound` = {form key: bound form} shows a refused form with its errors."""
    bound = bound or {}
    application = request.application
    access = request.person_access
    user = request.user
    can_write = access.can_write(ADMINISTRATIVE)
    visit_is_required = visit_required(application.establishment)
    nexts = next_statuses(application, visit_is_required=visit_is_required)
    is_open = bool(nexts)
    file = application_file(application=application, access=access)
    warning = orientation_warning(file.orientation)
    if warning and request.method == "GET":
        messages.warning(request, warning)
    today = dates.today(application.establishment)
    director = is_director_of(user, application.establishment)
    # What an acceptance would meet today (the same checks as decision_record).
    check = orientation_check(application, acceptance_day(application, today))
    coordinator = (
        coordinator_opinion(application) if needs_coordinator_opinion(application) else None
    )
    missing_coordinator = needs_coordinator_opinion(application) and coordinator is None

    if can_write and is_open:
        documents = _documents(request)
        for row in file.rows:
            if row["piece"] is None or row["piece"].received_on is None:
                row["form"] = bound.get(f"piece:{row['kind']}") or PieceReceiveForm(
                    initial={"kind": row["kind"]},
                    documents=documents,
                    prefix=f"piece-{row['kind']}",
                )
    opinion_forms = []
    if application.status in OPINION_STATUSES:
        # An opinion given is shown as given, never as a blank form reset to « Favorable »
        # (issue 12): changing it is giving a new one, the latest counts and the former stays.
        latest = {}
        for opinion in sorted(file.opinions, key=lambda o: (o.given_on, o.pk)):
            latest[opinion.kind] = opinion
        for kind in OpinionKind.values:
            if may_give_opinion(user, access, kind):
                given = latest.get(kind)
                initial = {"kind": kind}
                if given is not None:
                    # The given conclusion is preselected; the comment, already shown with the
                    # opinion, is written anew.
                    initial["value"] = given.value
                opinion_forms.append(
                    {
                        "kind": kind,
                        "label": OpinionKind(kind).label,
                        "given": given,
                        "form": bound.get(f"opinion:{kind}")
                        or OpinionForm(initial=initial, prefix=f"opinion-{kind}"),
                    }
                )
    outcomes = [o for o in DecisionOutcome.values if o in nexts]
    decision_form = None
    if outcomes and can_write and director:
        decision_form = bound.get("decision") or DecisionForm(
            outcomes=outcomes,
            initial={"version": application.version},
            ask_medical=missing_coordinator and DecisionOutcome.ACCEPTED in outcomes,
            ask_orientation=check.blocking and DecisionOutcome.ACCEPTED in outcomes,
        )
    override_form = None
    if check.blocking and can_write and director and is_open:
        override_form = bound.get("orientation_override") or OrientationOverrideForm(
            initial={"on": check.on}
        )
    version = {"version": application.version}
    context = {
        "application": application,
        "admissible": application.status in ADMISSIBLE_STATUSES,
        "events": file.events,
        "rows": file.rows,
        "missing": missing_pieces(file.rows)
        if application.status == AdmissionStatus.INCOMPLETE
        else [],
        "piece_expect_form": (bound.get("piece_expect") or PieceExpectForm())
        if can_write and is_open
        else None,
        "applicant_form": (
            bound.get("applicant") or ApplicantForm(initial=_applicant_initial(application))
        )
        if can_write and is_open
        else None,
        "orientation": file.orientation,
        "orientation_warning": warning,
        "orientation_check": check,
        "orientation_overrides": file.overrides,
        "override_form": override_form,
        "show_orientation": application.establishment.category in DISABILITY_CATEGORIES
        or file.orientation is not None,
        "orientation_form": (bound.get("orientation") or OrientationForm()) if can_write else None,
        "opinions": file.opinions,
        "conclusions": file.conclusions,
        "medical_hidden": not access.can_read(InformationCategory.MEDICAL),
        "missing_coordinator": missing_coordinator and is_open,
        "opinion_forms": opinion_forms,
        "visit_required": visit_is_required,
        "visits": file.visits,
        "visit_plan_form": (bound.get("visit_plan") or VisitPlanForm(initial=version))
        if can_write and AdmissionStatus.VISIT_PLANNED in nexts
        else None,
        "visit_report_form": (bound.get("visit_report") or VisitReportForm(initial=version))
        if can_write and application.status == AdmissionStatus.VISIT_PLANNED
        else None,
        "decisions": file.decisions,
        "mdph_owed": mdph_notice_owed(file.decisions),
        "decision_form": decision_form,
        "transitions": _transition_forms(application, file.rows, bound, nexts) if can_write else [],
    }
    return render_record(
        request, "admissions/application_detail.html", context, section="admissions", status=status
    )


@login_required
@require_safe
@application_view()
def application_detail(request, application_id):
    return _page(request)


# --- Writes ------------------------------------------------------------------------------------


def _submit(request, key, form, call, message, *, invalid=None):
    """Every write of the page: a valid form goes to its service (`call(cleaned_data)`);
    invalid input, or input the service finds wrong, shows the page again with the message
    next to that form. A refusal (`AccessDenied`) is not caught: it is journaled and shown as
    such by the access layer."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as error:
            problem = error
        else:
            messages.success(request, message(form.cleaned_data, result))
            return redirect(
                "admissions:application_detail", application_id=request.application.public_id
            )
    else:
        problem = invalid or ValidationError(_("Vérifiez la saisie."))
    add_service_errors(form, problem)
    for text in problem.messages:
        messages.error(request, text)
    # The page shown again is a read of the record.
    journal_read(request, person=request.person, access=request.person_access, object_type=PAGE)
    return _page(request, bound={key: form}, status=400)


def _prefixed(form_class, request, name, **kwargs):
    """A form of the page repeated per kind (pieces, opinions): its fields carry a prefix,
    the kind travels unprefixed since it names the form."""
    kind = request.POST.get("kind", "")
    form = form_class(request.POST, prefix=f"{name}-{kind}" if kind else None, **kwargs)
    form.data = form.data.copy()
    form.data[form.add_prefix("kind")] = kind
    return kind, form


@login_required
@require_POST
@application_view()
def application_transition(request, application_id):
    form = TransitionForm(request.POST)
    return _submit(
        request,
        f"transition:{request.POST.get('to_status', '')}",
        form,
        lambda d: application_services.application_move(
            acting_user=request.user,
            application=request.application,
            to_status=d["to_status"],
            note=d["note"],
            expected_version=d["version"],
        ),
        lambda d, _r: (
            _("Demande passée à « %(s)s ».") % {"s": AdmissionStatus(d["to_status"]).label}
        ),
        invalid=ValidationError(form.errors.as_text()) if not form.is_valid() else None,
    )


@login_required
@require_POST
@application_view()
@idempotent
def application_piece_expect(request, application_id):
    return _submit(
        request,
        "piece_expect",
        PieceExpectForm(request.POST),
        lambda d: evaluation.piece_expect(
            acting_user=request.user,
            application=request.application,
            kind=d["kind"],
            detail=d["detail"],
        ),
        lambda d, _r: _("Pièce ajoutée à la liste."),
    )


@login_required
@require_POST
@application_view()
def application_piece_receive(request, application_id):
    kind, form = _prefixed(PieceReceiveForm, request, "piece", documents=_documents(request))
    return _submit(
        request,
        f"piece:{kind}",
        form,
        lambda d: evaluation.piece_receive(
            acting_user=request.user,
            application=request.application,
            kind=d["kind"],
            received_on=d["received_on"],
            document=d["document"],
        ),
        lambda d, _r: _("Pièce marquée reçue."),
    )


@login_required
@require_POST
@application_view()
@idempotent
def application_orientation(request, application_id):
    def recorded(data, orientation):
        warning = orientation_warning(orientation)
        if warning:
            messages.warning(request, warning)
        return _("Orientation MDPH enregistrée.")

    return _submit(
        request,
        "orientation",
        OrientationForm(request.POST),
        lambda d: evaluation.orientation_record(
            acting_user=request.user, person=request.person, **d
        ),
        recorded,
    )


@idempotent
def _give_opinion(request, application_id):
    kind, form = _prefixed(OpinionForm, request, "opinion")
    return _submit(
        request,
        f"opinion:{kind}",
        form,
        lambda d: evaluation.opinion_give(
            acting_user=request.user,
            application=request.application,
            kind=d["kind"],
            value=d["value"],
            text=d["text"],
        ),
        lambda d, _r: _("%(k)s enregistré.") % {"k": OpinionKind(kind).label},
    )


# The opinion is written in its own category (medical or social): the access check is the
# application's, under the category of the kind of opinion sent.
_OPINION_VIEWS = {
    category: application_view(category=category)(_give_opinion)
    for category in {*OPINION_CATEGORY.values(), ADMINISTRATIVE}
}


@login_required
@require_POST
def application_opinion(request, application_id):
    category = OPINION_CATEGORY.get(request.POST.get("kind", ""), ADMINISTRATIVE)
    return _OPINION_VIEWS[category](request, application_id=application_id)


application_opinion.access_checked = True


@login_required
@require_POST
@application_view()
@idempotent
def application_visit_plan(request, application_id):
    return _submit(
        request,
        "visit_plan",
        VisitPlanForm(request.POST),
        lambda d: evaluation.visit_plan(
            acting_user=request.user,
            application=request.application,
            planned_at=d["planned_at"],
            participants=d["participants"],
            expected_version=d["version"],
        ),
        lambda d, _r: _("Visite de pré-admission prévue."),
    )


@login_required
@require_POST
@application_view()
def application_visit_report(request, application_id):
    return _submit(
        request,
        "visit_report",
        VisitReportForm(request.POST),
        lambda d: evaluation.visit_report(
            acting_user=request.user,
            application=request.application,
            done_at=d["done_at"],
            report=d["report"],
            participants=d["participants"] or None,
            expected_version=d["version"],
        ),
        lambda d, _r: _("Compte rendu de visite enregistré."),
    )


@login_required
@require_POST
@application_view()
def application_applicant(request, application_id):
    return _submit(
        request,
        "applicant",
        ApplicantForm(request.POST),
        lambda d: application_services.application_applicant_set(
            acting_user=request.user,
            application=request.application,
            data=d,
            expected_version=d["version"],
        ),
        lambda d, _r: _("Demandeur enregistré."),
    )


@login_required
@require_POST
@application_view()
@idempotent
def application_orientation_override(request, application_id):
    return _submit(
        request,
        "orientation_override",
        OrientationOverrideForm(request.POST),
        lambda d: evaluation.orientation_override(
            acting_user=request.user,
            application=request.application,
            on=d["on"],
            reason=d["reason"],
        ),
        lambda d, _r: _("La direction passe outre à l'orientation CDAPH : motif enregistré."),
    )


@login_required
@require_POST
@application_view()
@idempotent
def application_decision(request, application_id):
    # Both reasons travel: the service uses them only when the acceptance needs them.
    return _submit(
        request,
        "decision",
        DecisionForm(request.POST, ask_medical=True, ask_orientation=True),
        lambda d: evaluation.decision_record(
            acting_user=request.user,
            application=request.application,
            outcome=d["outcome"],
            reason=d["reason"],
            committee=d["committee"],
            decided_on=d["decided_on"],
            without_medical_opinion_reason=d["without_medical_opinion_reason"],
            orientation_override_reason=d["orientation_override_reason"],
            expected_version=d["version"],
        ),
        lambda d, _r: (
            _("Décision enregistrée : %(o)s.") % {"o": DecisionOutcome(d["outcome"]).label}
        ),
    )
