"""The contract page of a person (contrat de séjour / DIPC of their current stay) and the list
of contracts not signed in time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dui.access.decorators import journal_read, person_data_view, person_view
from dui.access.policy import persons_visible_to
from dui.core import dates
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.people.record_page import render_record

from ..contract_terms import contract_kind_for
from ..forms.contracts import (
    ContractAmendForm,
    ContractDeliverForm,
    ContractGenerateForm,
    ContractSignForm,
)
from ..models import ContractKind
from ..selectors import (
    contacts_who_may_sign,
    contract_of,
    contract_stay,
    contracts_overdue,
    current_representative,
)
from ..services import contracts as services
from .common import ADMINISTRATIVE, current_establishment

CONTRACT_ACTIONS = ("generate", "deliver", "sign", "amend")


def _contract_page(request, *, bound=None, status=200):
    bound = bound or {}
    stay = contract_stay(person=request.person, user=request.user)
    contract = contract_of(stay) if stay is not None else None
    can_write = request.person_access.can_write(ADMINISTRATIVE) and stay is not None
    forms = {}
    if can_write and contract is None:
        forms["generate"] = bound.get("generate") or ContractGenerateForm()
    if can_write and contract is not None:
        version = {"version": contract.version}
        if contract.signed_on is None:
            forms["deliver"] = bound.get("deliver") or ContractDeliverForm(initial=version)
            forms["sign"] = bound.get("sign") or ContractSignForm(
                initial=version, contacts=contacts_who_may_sign(request.person)
            )
        forms["amend"] = bound.get("amend") or ContractAmendForm()
    today = dates.today(stay.establishment) if stay else dates.today()
    return render_record(
        request,
        "admissions/letters/page_contract.html",
        {
            "stay": stay,
            "contract": contract,
            "kind_label": ContractKind(contract_kind_for(stay.establishment)).label if stay else "",
            "overdue": contract is not None
            and contract.signed_on is None
            and contract.due_by < today,
            "representative": current_representative(request.person),
            "forms": forms,
        },
        section="contrat",
        status=status,
    )


@login_required
@person_view(category=ADMINISTRATIVE)
def contract_page(request, person_id):
    return _contract_page(request)


def _contract_of_the_page(request):
    stay = contract_stay(person=request.person, user=request.user)
    contract = contract_of(stay) if stay is not None else None
    if contract is None:
        raise Http404(_("Aucun contrat pour le séjour en cours."))
    return contract


def _contract_form(request, action):
    if action == "sign":
        return ContractSignForm(request.POST, contacts=contacts_who_may_sign(request.person))
    return {
        "generate": ContractGenerateForm,
        "deliver": ContractDeliverForm,
        "amend": ContractAmendForm,
    }[action](request.POST)


def _contract_apply(request, action, data) -> str:
    """Call the service of `action`; returns the French confirmation."""
    if action == "generate":
        stay = contract_stay(person=request.person, user=request.user)
        if stay is None:
            raise ValidationError(_("Aucun séjour en cours : le contrat suit l'admission."))
        services.contract_generate(
            acting_user=request.user, stay=stay, price_lines=data["price_lines"]
        )
        return _("Contrat généré : remettez-le et faites-le signer.")
    contract = _contract_of_the_page(request)
    if action == "deliver":
        services.contract_deliver(
            acting_user=request.user,
            contract=contract,
            delivered_on=data["delivered_on"],
            expected_version=data["version"],
        )
        return _("Date de remise enregistrée.")
    if action == "sign":
        services.contract_sign(
            acting_user=request.user,
            contract=contract,
            signed_on=data["signed_on"],
            by_person=data["by_person"],
            representative=data["representative"],
            expected_version=data["version"],
        )
        return _("Signature enregistrée.")
    services.contract_amend(
        acting_user=request.user,
        contract=contract,
        effective_on=data["effective_on"],
        description=data["description"],
        price_lines=data["price_lines"],
    )
    return _("Avenant généré.")


@login_required
@person_view(category=ADMINISTRATIVE)
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
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("admissions:contract", person_id=person_id)
    journal_read(
        request,
        person=request.person,
        access=request.person_access,
        object_type="page:admissions:contract",
    )
    return _contract_page(request, bound={action: form}, status=400)


@login_required
@person_data_view
def contracts_overdue_page(request):
    """Contracts of current stays not signed past their due date, in the user's establishment,
    for the persons the user may see."""
    establishment = current_establishment(request)
    contracts = contracts_overdue(
        establishment=establishment, persons=persons_visible_to(user=request.user)
    )
    return render(
        request,
        "admissions/letters/page_overdue.html",
        {"establishment": establishment, "contracts": contracts},
    )
