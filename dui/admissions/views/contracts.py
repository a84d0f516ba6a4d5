"""The contract page of a person (the document of her current or next planned stay: contrat de
séjour, DIPC or contrat de soutien et d'aide par le travail), with its delays, the information
on the personne de confiance and the consent interview; the list of contracts past a delay."""

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
from dui.core.pagination import page_of
from dui.people.models import ParentalAuthority
from dui.people.protection import Act, who_signs
from dui.people.record_page import render_record

from ..contract_terms import contract_deadlines, contract_kind_of_stay
from ..forms.contracts import (
    ConsentInterviewForm,
    ContractAmendForm,
    ContractDeliverForm,
    ContractDirectorSignForm,
    ContractGenerateForm,
    ContractMinorOpinionForm,
    ContractRefuseForm,
    ContractSignForm,
    TrustedPersonInformationForm,
)
from ..models import ContractKind, InterviewAttendee, PriceListLine
from ..permissions import is_director_of
from ..selectors import (
    admission_interview_of,
    contacts_who_may_sign,
    contract_of,
    contract_stay,
    contracts_overdue,
    price_lines_in_force,
)
from ..services import contracts as services
from .common import ADMINISTRATIVE, current_establishment

OVERDUE_PER_PAGE = 50
CONTRACT_ACTIONS = (
    "generate",
    "deliver",
    "refuse",
    "director_sign",
    "minor_opinion",
    "sign",
    "amend",
    "information",
    "interview",
)
FORM_TITLES = {
    "generate": _("Établir le document"),
    "deliver": _("Remise"),
    "refuse": _("Refus de signer le contrat (CASF D311 I : un DIPC est établi)"),
    "director_sign": _("Signature de la direction"),
    "minor_opinion": _("Avis de l'enfant (CASF D311 III)"),
    "sign": _("Signature des parties"),
    "amend": _("Avenant"),
    "information": _("Information sur la personne de confiance (CASF D311-0-4)"),
    "interview": _("Entretien de recherche du consentement (CASF L311-4)"),
}


def _key(party) -> str:
    return f"{type(party).__name__.lower()}:{party.public_id}"


def signing_parties(person, on):
    """The parties offered on the signature form: those `who_signs` names first, with their
    capacity and role, then the person's other current contacts (the service refuses them if
    they may not sign). {key: (label, party)} and the keys of parental authority holders."""
    signing = who_signs(person, Act.CONTRACT, on=on)
    parties = {}
    holders = []
    for signatory in signing.signatories:
        party = signatory.party
        if party is None or signatory.is_the_person:
            continue
        key = _key(party)
        parties[key] = (f"{signatory.name} — {signatory.capacity} ({signatory.role.label})", party)
        if isinstance(signatory.source, ParentalAuthority):
            holders.append(key)
    for contact in contacts_who_may_sign(person):
        parties.setdefault(_key(contact), (contact.display_name, contact))
    return signing, parties, holders


def _forms(request, stay, contract, interview, signing_info, bound):
    person = request.person
    can_write = request.person_access.can_write(ADMINISTRATIVE) and stay is not None
    if not can_write:
        return {}
    forms = {}
    signing, parties, holders = signing_info
    if contract is None:
        forms["generate"] = bound.get("generate") or ContractGenerateForm(
            lines=price_lines_in_force(stay.establishment, stay.started_on)
        )
    else:
        version = {"version": contract.version}
        if contract.delivered_on is None:
            forms["deliver"] = bound.get("deliver") or ContractDeliverForm(initial=version)
        if contract.director_signed_on is None and is_director_of(request.user, stay.establishment):
            forms["director_sign"] = bound.get("director_sign") or ContractDirectorSignForm(
                initial=version
            )
        if contract.signed_on is None:
            if signing.minor_opinion_required:
                forms["minor_opinion"] = bound.get("minor_opinion") or ContractMinorOpinionForm(
                    initial={
                        **version,
                        "minor_opinion_on": contract.minor_opinion_on,
                        "minor_opinion": contract.minor_opinion,
                        "not_sought": contract.minor_opinion_not_sought,
                    }
                )
            forms["sign"] = bound.get("sign") or ContractSignForm(
                initial=version, parties=parties, holders=holders
            )
            if contract.kind != ContractKind.DIPC:
                forms["refuse"] = bound.get("refuse") or ContractRefuseForm(initial=version)
        forms["amend"] = bound.get("amend") or ContractAmendForm(
            lines=price_lines_in_force(stay.establishment, dates.today(stay.establishment))
        )
    interview_version = {"version": interview.version if interview else 0}
    forms["information"] = bound.get("information") or TrustedPersonInformationForm(
        initial=interview_version, contacts=contacts_who_may_sign(person)
    )
    forms["interview"] = bound.get("interview") or ConsentInterviewForm(
        initial={
            **interview_version,
            "attendees": [InterviewAttendee.PERSON, InterviewAttendee.DIRECTOR],
        }
    )
    return forms


def _contract_page(request, *, bound=None, status=200):
    bound = bound or {}
    stay = contract_stay(person=request.person, user=request.user)
    contract = contract_of(stay) if stay is not None else None
    interview = admission_interview_of(stay) if stay is not None else None
    today = dates.today(stay.establishment) if stay else dates.today()
    signing_info = signing_parties(request.person, max(today, stay.started_on)) if stay else None
    forms = _forms(request, stay, contract, interview, signing_info, bound) if stay else {}
    kind = contract.kind if contract else (contract_kind_of_stay(stay) if stay else "")
    return render_record(
        request,
        "admissions/letters/page_contract.html",
        {
            "stay": stay,
            "contract": contract,
            "interview": interview,
            "kind_label": ContractKind(kind).label if kind else "",
            "planned": stay is not None and stay.started_on > today,
            "signing": signing_info[0] if signing_info else None,
            "deadlines": contract_deadlines(contract, today=today) if contract else [],
            "forms": forms,
            "form_titles": FORM_TITLES,
        },
        section="contrat",
        status=status,
    )


@login_required
@person_view(category=ADMINISTRATIVE)
def contract_page(request, person_id):
    return _contract_page(request)


def _stay_of_the_page(request):
    stay = contract_stay(person=request.person, user=request.user)
    if stay is None:
        raise ValidationError(_("Aucun séjour en cours ou prévu : le contrat suit l'admission."))
    return stay


def _contract_of_the_page(request):
    stay = contract_stay(person=request.person, user=request.user)
    contract = contract_of(stay) if stay is not None else None
    if contract is None:
        raise Http404(_("Aucun contrat pour le séjour en cours."))
    return contract


def _contract_form(request, action):
    stay = contract_stay(person=request.person, user=request.user)
    if stay is None and action != "generate":
        raise Http404
    if action == "sign":
        today = dates.today(stay.establishment)
        _signing, parties, holders = signing_parties(request.person, max(today, stay.started_on))
        return ContractSignForm(request.POST, parties=parties, holders=holders)
    if action == "generate":
        lines = (
            price_lines_in_force(stay.establishment, stay.started_on)
            if stay
            else PriceListLine.objects.none()
        )
        return ContractGenerateForm(request.POST, lines=lines)
    if action == "amend":
        return ContractAmendForm(
            request.POST,
            lines=price_lines_in_force(stay.establishment, dates.today(stay.establishment)),
        )
    if action == "information":
        return TrustedPersonInformationForm(
            request.POST, contacts=contacts_who_may_sign(request.person)
        )
    return {
        "deliver": ContractDeliverForm,
        "refuse": ContractRefuseForm,
        "director_sign": ContractDirectorSignForm,
        "minor_opinion": ContractMinorOpinionForm,
        "interview": ConsentInterviewForm,
    }[action](request.POST)


def _contract_apply(request, action, data) -> str:
    """Call the service of `action`; returns the French confirmation."""
    user = request.user
    if action == "generate":
        services.contract_generate(
            acting_user=user, stay=_stay_of_the_page(request), price_lines=data["price_lines"]
        )
        return _("Document généré : remettez-le et faites-le signer.")
    if action == "information":
        services.trusted_person_information_record(
            acting_user=user,
            stay=_stay_of_the_page(request),
            informed_on=data["informed_on"],
            signed_by_person=data["signed_by_person"],
            representative=data["representative"],
            exemption=data["exemption"],
            expected_version=data["version"],
        )
        return _("Information sur la personne de confiance enregistrée.")
    if action == "interview":
        services.consent_interview_record(
            acting_user=user,
            stay=_stay_of_the_page(request),
            interview_on=data["interview_on"],
            attendees=data["attendees"],
            outcome=data["outcome"],
            notes=data["notes"],
            expected_version=data["version"],
        )
        return _("Entretien enregistré.")
    contract = _contract_of_the_page(request)
    common = {"acting_user": user, "contract": contract}
    if action == "deliver":
        services.contract_deliver(
            **common, delivered_on=data["delivered_on"], expected_version=data["version"]
        )
        return _("Date de remise enregistrée.")
    if action == "refuse":
        services.contract_refusal(
            **common,
            refused_on=data["refused_on"],
            refused_by=data["refused_by"],
            note=data["note"],
            expected_version=data["version"],
        )
        return _("Refus enregistré : un DIPC a été établi, à signer par la direction.")
    if action == "director_sign":
        services.contract_director_sign(
            **common, signed_on=data["director_signed_on"], expected_version=data["version"]
        )
        return _("Signature de la direction enregistrée.")
    if action == "minor_opinion":
        services.contract_minor_opinion(
            **common,
            opinion_on=data["minor_opinion_on"],
            opinion=data["minor_opinion"],
            not_sought=data["not_sought"],
            expected_version=data["version"],
        )
        return _("Avis de l'enfant enregistré.")
    if action == "sign":
        services.contract_sign(
            **common,
            signed_on=data["signed_on"],
            person_signed=data["person_signed"],
            signed_by=data["signed_by_parties"],
            written_agreement_of=data["agreed_parties"],
            expected_version=data["version"],
        )
        return _("Signature enregistrée.")
    services.contract_amend(
        **common,
        effective_on=data["effective_on"],
        description=data["description"],
        price_lines=data["price_lines"],
        sets_objectives=data["sets_objectives"],
    )
    return _("Avenant généré.")


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def contract_action(request, person_id, action):
    """The writes of the contract page."""
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
    """Contracts of current and planned stays past a delay, in the user's establishment, for
    the persons the user may see, with the delays past."""
    establishment = current_establishment(request)
    today = dates.today(establishment)
    contracts = contracts_overdue(
        establishment=establishment, persons=persons_visible_to(user=request.user), today=today
    )
    page = page_of(request, contracts, OVERDUE_PER_PAGE)
    rows = [
        (contract, [d for d in contract_deadlines(contract, today=today) if d.late])
        for contract in page.object_list
    ]
    return render(
        request,
        "admissions/letters/page_overdue.html",
        {"establishment": establishment, "rows": rows, "page": page, "querystring": ""},
    )
