"""Pages of the letters of an application, of the establishment's letter templates, and of the
contract (contrat de séjour / DIPC) of a current stay.

The letters page names the application, not the person: it resolves the application, then
applies `person_view` on its person (need-to-know check, journal), as views_requests.py does.
The template pages hold no one's data (the preview uses a fictitious person).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.decorators import person_data_view, person_view
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import active_assignments, persons_visible_to
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.documents.models import DocumentKind
from dui.people.record import render_record

from . import letters
from .forms_letters import (
    ContractAmendForm,
    ContractDeliverForm,
    ContractGenerateForm,
    ContractSignForm,
    LetterGenerateForm,
    LetterTemplateForm,
)
from .models import Contract, LetterKind, LetterTemplate

ADM = InformationCategory.ADMINISTRATIVE


def _denied(request, message, *, person=None, obj=None):
    if person is not None:
        journal.record_from_request(request, action=AccessAction.DENIED, person=person, obj=obj)
    return render(
        request,
        "access/denied.html",
        {
            "person_public_id": getattr(person, "public_id", ""),
            "message": message,
            "break_glass_possible": False,
        },
        status=403,
    )


def _journal_page_read(request, object_type):
    access = request.person_access
    journal.record_from_request(
        request,
        action=AccessAction.READ,
        person=request.person,
        obj=request.person,
        assignment=access.acting_assignment,
        break_glass=access.via_break_glass,
        object_type=object_type,
    )


# --- Letters of an application ----------------------------------------------------------------


def _by_application(view):
    """Resolve the application of the URL, then `person_view` on its person (category
    administrative: read for GET, write for POST)."""

    @wraps(view)
    def wrapped(request, request_id):
        from .selectors import application_for

        application = application_for(request, request_id)
        request.application = application
        return person_view(category=ADM)(view)(request, application.person.public_id)

    wrapped.access_checked = True
    return wrapped


def _letters_page(request, form, *, status=200):
    application = request.application
    documents = request.person.documents.filter(kind=DocumentKind.LETTER, category=ADM).order_by(
        "-created_at", "-pk"
    )[:30]
    return render_record(
        request,
        "admissions/letters/page_letters.html",
        {
            "application": application,
            "form": form if request.person_access.can_write(ADM) else None,
            "letters": documents,
        },
        section="admissions",
        status=status,
    )


@login_required
@_by_application
@idempotent
def letters_page(request, person_id):
    """The letters of an application: those already generated, and a form to generate one."""
    if request.method != "POST":
        return _letters_page(request, LetterGenerateForm())
    form = LetterGenerateForm(request.POST)
    if form.is_valid():
        try:
            document = letters.letter_generate(
                acting_user=request.user,
                request=request.application,
                kind=form.cleaned_data["kind"],
            )
        except PermissionDenied as error:
            return _denied(request, str(error), person=request.person, obj=request.application)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Courrier « %(title)s » généré.") % {"title": document.title}
            )
            return redirect("admissions:letters", request_id=request.application.public_id)
    _journal_page_read(request, "page:admissions:letters")
    return _letters_page(request, form, status=400)


# --- Letter templates (no person data) --------------------------------------------------------


def _template_establishment(request):
    assignment = getattr(request, "assignment", None)
    establishment = getattr(assignment, "establishment", None) if assignment else None
    if establishment is None or not letters.may_edit_templates(request.user, establishment):
        return None
    return establishment


def _kind_or_404(kind: str) -> str:
    if kind not in LetterKind.values:
        raise Http404(_("Courrier inconnu."))
    return kind


REFUSED = _("Seules la direction et le secrétariat de l'établissement modifient les courriers.")


@login_required
def letter_template_list(request):
    establishment = _template_establishment(request)
    if establishment is None:
        return _denied(request, REFUSED)
    own = {t.kind: t for t in LetterTemplate.objects.filter(establishment=establishment)}
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
        return _denied(request, REFUSED)
    template = LetterTemplate.objects.filter(establishment=establishment, kind=kind).first()
    status = 200
    if request.method == "POST":
        form = LetterTemplateForm(request.POST)
        if form.is_valid():
            try:
                letters.letter_template_save(
                    acting_user=request.user,
                    establishment=establishment,
                    kind=kind,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    expected_version=form.cleaned_data["version"],
                )
            except PermissionDenied as error:
                return _denied(request, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Modèle de courrier enregistré."))
                return redirect("admissions:letter_template", kind=kind)
        status = 400
    else:
        title, body = letters._template_for(establishment, kind)
        form = LetterTemplateForm(
            initial={"title": title, "body": body, "version": letters.template_version(template)}
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
            "variables": letters.variables_for(kind).items(),
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
        return _denied(request, REFUSED)
    pdf = letters.render_preview_pdf(establishment=establishment, kind=kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="apercu.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Contract of the current stay -------------------------------------------------------------


def _current_stay(request):
    from dui.stays.models import Stay

    today = timezone.localdate()
    establishments = [a.establishment_id for a in active_assignments(request.user)]
    return (
        Stay.objects.filter(
            person=request.person,
            establishment_id__in=establishments,
            started_on__lte=today,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("establishment", "unit", "place")
        .order_by("-started_on", "-pk")
        .first()
    )


def _contract_page(request, *, bound=None, status=200):
    bound = bound or {}
    stay = _current_stay(request)
    contract = None
    if stay is not None:
        contract = (
            Contract.objects.filter(stay=stay)
            .select_related("document", "signed_by_representative")
            .prefetch_related("amendments__document")
            .first()
        )
    writes = request.person_access.can_write(ADM) and stay is not None
    contacts = request.person.contacts.filter(entered_in_error=False, ended_on__isnull=True)
    forms = {}
    if writes and contract is None:
        forms["generate"] = bound.get("generate") or ContractGenerateForm()
    if writes and contract is not None:
        if contract.signed_on is None:
            forms["deliver"] = bound.get("deliver") or ContractDeliverForm(
                initial={"version": contract.version}
            )
            forms["sign"] = bound.get("sign") or ContractSignForm(
                initial={"version": contract.version}, contacts=contacts
            )
        forms["amend"] = bound.get("amend") or ContractAmendForm()
    representative = letters.current_representative(request.person)
    return render_record(
        request,
        "admissions/letters/page_contract.html",
        {
            "stay": stay,
            "contract": contract,
            "kind_label": letters.ContractKind(letters.contract_kind_for(stay.establishment)).label
            if stay
            else "",
            "overdue": contract is not None
            and contract.signed_on is None
            and contract.due_by < timezone.localdate(),
            "representative": representative,
            "forms": forms,
        },
        section="contrat",
        status=status,
    )


@login_required
@person_view(category=ADM)
def contract_page(request, person_id):
    return _contract_page(request)


def _contract_of(request):
    stay = _current_stay(request)
    contract = Contract.objects.filter(stay=stay).first() if stay else None
    if contract is None:
        raise Http404(_("Aucun contrat pour le séjour en cours."))
    return contract


def _contract_form(request, action):
    if action == "sign":
        contacts = request.person.contacts.filter(entered_in_error=False, ended_on__isnull=True)
        return ContractSignForm(request.POST, contacts=contacts)
    return {
        "generate": ContractGenerateForm,
        "deliver": ContractDeliverForm,
        "amend": ContractAmendForm,
    }[action](request.POST)


def _contract_apply(request, action, data) -> str:
    """Call the service of `action`; returns the French confirmation."""
    if action == "generate":
        stay = _current_stay(request)
        if stay is None:
            raise ValidationError(_("Aucun séjour en cours : le contrat suit l'admission."))
        letters.contract_generate(
            acting_user=request.user, stay=stay, price_lines=data["price_lines"]
        )
        return _("Contrat généré : remettez-le et faites-le signer.")
    contract = _contract_of(request)
    if action == "deliver":
        letters.contract_deliver(
            acting_user=request.user,
            contract=contract,
            delivered_on=data["delivered_on"],
            expected_version=data["version"],
        )
        return _("Date de remise enregistrée.")
    if action == "sign":
        letters.contract_sign(
            acting_user=request.user,
            contract=contract,
            signed_on=data["signed_on"],
            by_person=data["by_person"],
            representative=data["representative"],
            expected_version=data["version"],
        )
        return _("Signature enregistrée.")
    letters.contract_amend(
        acting_user=request.user,
        contract=contract,
        effective_on=data["effective_on"],
        description=data["description"],
        price_lines=data["price_lines"],
    )
    return _("Avenant généré.")


CONTRACT_ACTIONS = ("generate", "deliver", "sign", "amend")


@login_required
@person_view(category=ADM)
@idempotent
def contract_action(request, person_id, action):
    """The writes of the contract page: generate, deliver, sign, amend."""
    if action not in CONTRACT_ACTIONS:
        raise Http404
    if request.method != "POST":
        return redirect("admissions:contract", person_id=person_id)
    form = _contract_form(request, action)
    if form.is_valid():
        try:
            done = _contract_apply(request, action, form.cleaned_data)
        except PermissionDenied as error:
            return _denied(request, str(error), person=request.person, obj=request.person)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("admissions:contract", person_id=person_id)
    _journal_page_read(request, "page:admissions:contract")
    return _contract_page(request, bound={action: form}, status=400)


# --- Contracts not signed in time -------------------------------------------------------------


@login_required
@person_data_view
def contracts_overdue_page(request):
    """Contracts of current stays not signed past their due date, in the user's establishment,
    for the persons the user may see."""
    assignment = getattr(request, "assignment", None)
    if not assignment:
        return _denied(request, _("Aucune affectation en cours."))
    contracts = letters.contracts_overdue(
        establishment=assignment.establishment,
        persons=persons_visible_to(user=request.user),
    )
    return render(
        request,
        "admissions/letters/page_overdue.html",
        {"establishment": assignment.establishment, "contracts": contracts},
    )
