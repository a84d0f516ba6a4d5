"""Assessment pages of a person's record: list, fill (live result), validate, correct."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dui.access.decorators import person_view, person_view_by
from dui.access.refusals import denied
from dui.core.forms import VersionedForm, add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.people.record_page import render_record

from . import services
from .forms import AssessmentForm, ReasonForm
from .instruments import get, latest_instruments
from .instruments.base import ADVERB_LABELS, ADVERBS
from .models import Assessment, AssessmentStatus
from .queue import draft_of, validated_by_label
from .selectors import assessments_page

NOT_CHANGED_ANY_MORE = gettext_lazy("Cette évaluation ne se modifie plus : corrigez-la.")


def _instrument_category(request, code, **kwargs) -> str:
    instrument = get(code)
    if instrument is None:
        raise Http404(_("Instrument inconnu."))
    return instrument.category


def _assessment_category(request, assessment_id, **kwargs) -> str:
    category = (
        Assessment.objects.filter(public_id=assessment_id)
        .values_list("category", flat=True)
        .first()
    )
    if category is None:
        raise Http404(_("Évaluation introuvable."))
    return category


def _assessment(request, assessment_id) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("assessed_by", "validated_by", "amends"),
        public_id=assessment_id,
        person=request.person,
    )


@login_required
@person_view()
def assessment_list(request, person_id):
    access = request.person_access
    page = assessments_page(person=request.person, access=access)
    fillable = [
        i
        for i in latest_instruments()
        if access.can_read(i.category) and services.may_fill(request.user, request.person, i)
    ]
    return render_record(
        request,
        "assessments/list.html",
        {"page": page, "fillable": fillable},
        section="assessments",
    )


def _fill_page(request, form, instrument, assessment=None, status=200):
    result = instrument.partial(form.answers()) if form.is_bound and form.is_valid() else None
    if result is None and assessment is not None:
        result = instrument.partial(assessment.answers)
    return render_record(
        request,
        "assessments/fill.html",
        {
            "form": form,
            "instrument": instrument,
            "assessment": assessment,
            "result": result,
            "may_validate": services.may_validate(request.user, request.person, instrument),
            "validated_by": validated_by_label(instrument),
            "error_form": ReasonForm(prefix="erreur", initial={"version": assessment.version})
            if assessment is not None
            else None,
        },
        section="assessments",
        status=status,
    )


def _save_and_maybe_validate(request, form, instrument, assessment=None):
    """Save the draft; with the "valider" button, validate it in the same use case. A refusal
    (`AccessDenied`) is not caught: it is journaled and shown as a refusal, not as a form
    error."""
    validate = request.POST.get("action") == "validate"
    try:
        with transaction.atomic():
            saved = services.assessment_save_draft(
                acting_user=request.user,
                person=request.person,
                instrument=instrument,
                assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
                assessment=assessment,
                expected_version=form.cleaned_data.get("version"),
            )
            if validate:
                saved = services.assessment_validate(
                    acting_user=request.user, assessment=saved, expected_version=saved.version
                )
    except ValidationError as error:
        # Nothing was saved (one transaction): the form comes back with the answers as typed.
        if hasattr(error, "error_dict"):
            errors = dict(error.message_dict)
            if "assessed_on" in errors:
                form.add_error("assessed_on", errors.pop("assessed_on"))
            form.add_answer_errors(errors)
        else:
            add_service_errors(form, error)
        return None
    if validate:
        messages.success(
            request,
            _("%(name)s validée : %(result)s.")
            % {"name": instrument.name, "result": saved.result_label},
        )
    else:
        messages.success(request, _("Brouillon enregistré : il n'est pas encore validé."))
    return saved


@login_required
@person_view_by(_instrument_category, write=True)
@idempotent
def assessment_new(request, person_id, code):
    instrument = get(code)
    if not services.may_fill(request.user, request.person, instrument):
        return denied(request, services.NOT_FILLED, person=request.person)
    if request.method == "GET":
        draft = draft_of(person=request.person, code=instrument.code)
        if draft is not None:
            # A draft in progress is resumed, never doubled by a second blank form (issue 12).
            messages.info(
                request,
                _("Un brouillon du %(d)s est en cours (%(by)s) : reprenez-le.")
                % {
                    "d": draft.assessed_on.strftime("%d/%m/%Y"),
                    "by": draft.assessed_by.get_full_name(),
                },
            )
            return redirect(
                "assessments:detail", person_id=person_id, assessment_id=draft.public_id
            )
    form = AssessmentForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        saved = _save_and_maybe_validate(request, form, instrument)
        if saved is not None:
            return redirect(
                "assessments:detail", person_id=person_id, assessment_id=saved.public_id
            )
    return _fill_page(request, form, instrument, status=form_status(request))


@login_required
@person_view_by(_assessment_category)
@idempotent
def assessment_detail(request, person_id, assessment_id):
    """A draft is filled here; a validated assessment is shown with its correction history."""
    assessment = _assessment(request, assessment_id)
    instrument = assessment.instrument
    if instrument is None:
        raise Http404(_("La version de cet instrument n'est plus connue de cette installation."))
    if assessment.is_draft and services.may_fill(request.user, request.person, instrument):
        form = AssessmentForm(
            request.POST or None,
            instrument=instrument,
            answers=assessment.answers,
            initial={"assessed_on": assessment.assessed_on, "version": assessment.version},
            editing=True,
        )
        if request.method == "POST" and form.is_valid():
            saved = _save_and_maybe_validate(request, form, instrument, assessment)
            if saved is not None:
                return redirect(
                    "assessments:detail", person_id=person_id, assessment_id=saved.public_id
                )
        return _fill_page(request, form, instrument, assessment, status=form_status(request))
    if request.method == "POST":
        return denied(request, NOT_CHANGED_ANY_MORE, person=request.person, obj=assessment)
    return render_record(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "instrument": instrument,
            "answers": _answer_rows(instrument, assessment.answers),
            "may_correct": assessment.status == AssessmentStatus.VALIDATED
            and services.may_fill(request.user, request.person, instrument),
            "may_validate": assessment.is_draft
            and services.may_validate(request.user, request.person, instrument),
            "validated_by": validated_by_label(instrument),
            "validation_form": VersionedForm(initial={"version": assessment.version}),
            "correction_form": ReasonForm(
                prefix="correction", initial={"version": assessment.version}
            ),
            "error_form": ReasonForm(prefix="erreur", initial={"version": assessment.version}),
        },
        section="assessments",
    )


def _answer_rows(instrument, answers) -> list:
    rows = []
    for q in instrument.questions:
        value = answers.get(q.key)
        if value is None:
            shown = "—"
        elif q.kind == "choice":
            option = q.option(value)
            shown = option.label if option else value
        elif q.kind == "adverbs":
            shown = ", ".join(
                f"{ADVERB_LABELS[a]} : {'oui' if value.get(a) else 'non'}" for a in ADVERBS
            )
        elif q.kind == "boolean":
            shown = "oui" if value else "non"
        else:
            shown = str(value)
        rows.append((q.group, q.label, shown))
    return rows


@login_required
@require_POST
@person_view_by(_instrument_category, journal_reads=False)
def assessment_preview(request, person_id, code):
    """Live total while filling (htmx): computed here from the answers, written nowhere."""
    instrument = get(code)
    form = AssessmentForm(request.POST, instrument=instrument)
    result = instrument.partial(form.answers()) if form.is_valid() else None
    return render(request, "assessments/_result.html", {"result": result, "instrument": instrument})


def _refused_form(form, missing_reason: str) -> str:
    """The message of a reason form that came back invalid: the missing reason, or the
    version's own message (a form without it cannot be checked against another change)."""
    if "version" in form.errors:
        return " ".join(form.errors["version"])
    return missing_reason


@login_required
@require_POST
@person_view_by(_assessment_category)
@idempotent
def assessment_validate(request, person_id, assessment_id):
    assessment = _assessment(request, assessment_id)
    form = VersionedForm(request.POST)
    form.is_valid()  # a missing version is refused by the service with its own message
    try:
        services.assessment_validate(
            acting_user=request.user,
            assessment=assessment,
            expected_version=form.cleaned_data.get("version"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        assessment.refresh_from_db()
        messages.success(request, _("Évaluation validée : %(r)s.") % {"r": assessment.result_label})
    return redirect("assessments:detail", person_id=person_id, assessment_id=assessment_id)


@login_required
@require_POST
@person_view_by(_assessment_category)
@idempotent
def assessment_correct(request, person_id, assessment_id):
    assessment = _assessment(request, assessment_id)
    form = ReasonForm(request.POST, prefix="correction")
    if not form.is_valid():
        messages.error(request, _refused_form(form, _("Indiquez le motif de la correction.")))
        return redirect("assessments:detail", person_id=person_id, assessment_id=assessment_id)
    try:
        draft = services.assessment_amend(
            acting_user=request.user,
            assessment=assessment,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:detail", person_id=person_id, assessment_id=assessment_id)
    messages.info(request, _("Correction commencée : modifiez les réponses puis validez."))
    return redirect("assessments:detail", person_id=person_id, assessment_id=draft.public_id)


@login_required
@require_POST
@person_view_by(_assessment_category)
@idempotent
def assessment_error(request, person_id, assessment_id):
    assessment = _assessment(request, assessment_id)
    form = ReasonForm(request.POST, prefix="erreur")
    if not form.is_valid():
        messages.error(
            request, _refused_form(form, _("Indiquez pourquoi cette évaluation est une erreur."))
        )
    else:
        try:
            services.assessment_mark_entered_in_error(
                acting_user=request.user,
                assessment=assessment,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Évaluation marquée comme saisie par erreur."))
    return redirect("assessments:list", person_id=person_id)
