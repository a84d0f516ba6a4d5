"""Pages of the letters of an application and of the establishment's letter templates.

The letters page names the application: `application_view` checks access to its person. The
template pages hold no one's data (the preview uses a fictitious person): they are refused,
with a journaled reason, to whoever may not edit the establishment's wording.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dui.access.decorators import journal_read
from dui.access.refusals import denied
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.people.record_page import render_record

from ..forms.letters import LetterGenerateForm, LetterTemplateForm
from ..models import LetterKind
from ..permissions import may_edit_templates
from ..rendering import render_preview_pdf
from ..sandbox import variables_for
from ..selectors import generated_letters, letter_template_of, letter_templates_of, letter_wording
from ..services import letters as services
from .common import ADMINISTRATIVE, application_view

TEMPLATES_REFUSED = _(
    "Seules la direction et le secrétariat de l'établissement modifient les courriers."
)

# --- Letters of an application ----------------------------------------------------------------


def _letters_page(request, form, *, status=200):
    return render_record(
        request,
        "admissions/letters/page_letters.html",
        {
            "application": request.application,
            "form": form if request.person_access.can_write(ADMINISTRATIVE) else None,
            "letters": generated_letters(person=request.person, access=request.person_access),
        },
        section="admissions",
        status=status,
    )


@login_required
@application_view()
@idempotent
def letters_page(request, application_id):
    """The letters of an application: those already generated, and a form to generate one."""
    if request.method != "POST":
        return _letters_page(request, LetterGenerateForm())
    form = LetterGenerateForm(request.POST)
    if form.is_valid():
        try:
            document = services.letter_generate(
                acting_user=request.user,
                application=request.application,
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Courrier « %(title)s » généré.") % {"title": document.title}
            )
            return redirect("admissions:letters", application_id=application_id)
    journal_read(
        request,
        person=request.person,
        access=request.person_access,
        object_type="page:admissions:letters",
    )
    return _letters_page(request, form, status=400)


# --- Letter templates (no person data) --------------------------------------------------------


def _template_establishment(request):
    """The acting establishment, if the user edits its wording."""
    assignment = getattr(request, "assignment", None)
    establishment = getattr(assignment, "establishment", None) if assignment else None
    if establishment is None or not may_edit_templates(request.user, establishment):
        return None
    return establishment


def _kind_or_404(kind: str) -> str:
    if kind not in LetterKind.values:
        raise Http404(_("Courrier inconnu."))
    return kind


@login_required
def letter_template_list(request):
    establishment = _template_establishment(request)
    if establishment is None:
        return denied(request, TEMPLATES_REFUSED)
    own = letter_templates_of(establishment)
    kinds = [{"kind": k, "label": label, "template": own.get(k)} for k, label in LetterKind.choices]
    return render(
        request,
        "admissions/letter_template_list.html",
        {"establishment": establishment, "kinds": kinds},
    )


@login_required
@idempotent
def letter_template_edit(request, kind):
    kind = _kind_or_404(kind)
    establishment = _template_establishment(request)
    if establishment is None:
        return denied(request, TEMPLATES_REFUSED)
    template = letter_template_of(establishment, kind)
    status = 200
    if request.method == "POST":
        form = LetterTemplateForm(request.POST)
        if form.is_valid():
            try:
                services.letter_template_save(
                    acting_user=request.user,
                    establishment=establishment,
                    kind=kind,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Modèle de courrier enregistré."))
                return redirect("admissions:letter_template", kind=kind)
        status = 400
    else:
        title, body = letter_wording(establishment, kind)
        form = LetterTemplateForm(
            initial={"title": title, "body": body, "version": template.version if template else 0}
        )
    history = (
        template.history.select_related("history_user").order_by("-history_date")[:10]
        if template
        else []
    )
    return render(
        request,
        "admissions/letter_template_edit.html",
        {
            "establishment": establishment,
            "kind": kind,
            "kind_label": LetterKind(kind).label,
            "form": form,
            "template": template,
            "variables": variables_for(kind).items(),
            "history": history,
        },
        status=status,
    )


@login_required
def letter_template_preview(request, kind):
    """The stored wording rendered for a fictitious person, as a PDF (nothing is stored)."""
    kind = _kind_or_404(kind)
    establishment = _template_establishment(request)
    if establishment is None:
        return denied(request, TEMPLATES_REFUSED)
    try:
        pdf = render_preview_pdf(establishment=establishment, kind=kind)
    except ValidationError as error:
        # A stored template past its time or size budget: say so on the editing page.
        for message in error.messages:
            messages.error(request, message)
        return redirect("admissions:letter_template", kind=kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="apercu.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# No person's data on these pages: the establishment's wording, and a fictitious person.
letter_template_list.access_checked = True
letter_template_edit.access_checked = True
letter_template_preview.access_checked = True
