"""The contract of a stay (contrat de séjour, or DIPC for services; CASF L311-4): generated as
a PDF document of the person, delivered, signed by the person or a contact of theirs, amended.
Written by the establishment of the stay, by a profession writing the administrative part."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory
from dui.core import dates
from dui.documents.models import DocumentKind
from dui.documents.services import document_upload
from dui.stays.models import Stay

from ..contract_terms import clean_price_lines, contract_due_by, contract_kind_for
from ..models import Contract, ContractAmendment
from ..pdf import pdf_file
from ..rendering import day_text, render_amendment_pdf, render_contract_pdf

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
NOT_WRITTEN = _("Votre profession ne peut pas établir de contrat ici.")
STALE = _(
    "Ce contrat a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


def _require_contract_writer(acting_user, stay) -> None:
    writes.require_write_in(
        acting_user, stay.establishment, ADMINISTRATIVE, NOT_WRITTEN, person=stay.person
    )
    writes.require_write(acting_user, stay.person, ADMINISTRATIVE, NOT_WRITTEN)


def _lock(contract, expected_version) -> Contract:
    return writes.lock(
        contract,
        expected_version=expected_version,
        stale_message=STALE,
        related=("stay__person", "stay__establishment"),
    )


def _not_in_the_future(day, field: str, establishment) -> None:
    if day > dates.today(establishment):
        raise ValidationError({field: _("La date ne peut être dans le futur.")})


@transaction.atomic
def contract_generate(*, acting_user, stay, price_lines) -> Contract:
    """Generate the contract (or DIPC) of a current stay, as a PDF document of the person."""
    _require_contract_writer(acting_user, stay)
    # The stay is locked while its one contract is made: two clicks make one contract.
    stay = (
        Stay.objects.select_for_update(of=("self",))
        .select_related("person", "establishment", "unit", "place")
        .get(pk=stay.pk)
    )
    if not Stay.objects.current(dates.today(stay.establishment)).filter(pk=stay.pk).exists():
        raise ValidationError(
            _("Aucun séjour en cours : le contrat suit l'admission."), code="no_active_stay"
        )
    if Contract.objects.filter(stay=stay).exists():
        raise ValidationError(
            _("Ce séjour a déjà son contrat : modifiez-le par un avenant."), code="has_contract"
        )
    lines = clean_price_lines(price_lines)
    kind = contract_kind_for(stay.establishment)
    due_by = contract_due_by(kind, stay.started_on)
    title, pdf = render_contract_pdf(
        stay=stay, kind=kind, price_lines=lines, due_by=due_by, signer=acting_user
    )
    document = document_upload(
        acting_user=acting_user,
        person=stay.person,
        kind=DocumentKind.CONTRACT,
        title=title[:200],
        document_date=dates.today(stay.establishment),
        category=ADMINISTRATIVE,
        uploaded_file=pdf_file(f"{title} {stay.person.birth_name}", pdf),
    )
    contract = Contract(stay=stay, kind=kind, document=document, price_lines=lines, due_by=due_by)
    return writes.create(contract, acting_user=acting_user, person=stay.person)


@transaction.atomic
def contract_deliver(*, acting_user, contract, delivered_on, expected_version) -> Contract:
    """Record the day the contract was handed to the person or their representative."""
    _require_contract_writer(acting_user, contract.stay)
    contract = _lock(contract, expected_version)
    stay = contract.stay
    _not_in_the_future(delivered_on, "delivered_on", stay.establishment)
    if delivered_on < stay.started_on:
        raise ValidationError(
            {"delivered_on": _("Le contrat ne peut avoir été remis avant l'entrée.")}
        )
    contract.delivered_on = delivered_on
    writes.save(contract, acting_user=acting_user, reason=_("remise"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=stay.person, obj=contract)
    return contract


@transaction.atomic
def contract_sign(
    *,
    acting_user,
    contract,
    signed_on,
    by_person: bool,
    representative=None,
    expected_version,
) -> Contract:
    """Record the signature: by the person and/or their representative (a contact of theirs)."""
    _require_contract_writer(acting_user, contract.stay)
    contract = _lock(contract, expected_version)
    person = contract.stay.person
    if contract.signed_on is not None:
        raise ValidationError(_("Ce contrat est déjà signé."), code="already_signed")
    _not_in_the_future(signed_on, "signed_on", contract.stay.establishment)
    if representative is not None and (
        representative.person_id != person.pk
        or representative.entered_in_error
        or (representative.ended_on is not None and representative.ended_on <= signed_on)
    ):
        raise ValidationError(
            {
                "representative": _(
                    "Le représentant qui signe doit faire partie de l'entourage de la personne."
                )
            },
            code="not_a_contact",
        )
    if not by_person and representative is None:
        raise ValidationError(
            _("Indiquez qui a signé : la personne, son représentant, ou les deux."),
            code="no_signatory",
        )
    contract.signed_on = signed_on
    contract.signed_by_person = bool(by_person)
    contract.signed_by_representative = representative
    if contract.delivered_on is None:
        contract.delivered_on = signed_on
    writes.save(contract, acting_user=acting_user, reason=_("signature"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=contract)
    return contract


@transaction.atomic
def contract_amend(
    *, acting_user, contract, effective_on, description: str, price_lines=None
) -> ContractAmendment:
    """An amendment (avenant) to the contract, with its own PDF. The contract row itself does
    not change: it is locked only while its amendment is added."""
    _require_contract_writer(acting_user, contract.stay)
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("stay__person", "stay__establishment", "stay__unit", "stay__place")
        .get(pk=contract.pk)
    )
    stay = contract.stay
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Indiquez l'objet de l'avenant.")})
    lines = clean_price_lines(price_lines) if price_lines else []
    pdf = render_amendment_pdf(
        contract=contract,
        effective_on=effective_on,
        description=description,
        price_lines=lines,
        signer=acting_user,
    )
    document = document_upload(
        acting_user=acting_user,
        person=stay.person,
        kind=DocumentKind.CONTRACT,
        title=_("Avenant du %(day)s") % {"day": day_text(effective_on)},
        document_date=dates.today(stay.establishment),
        category=ADMINISTRATIVE,
        uploaded_file=pdf_file(f"avenant {stay.person.birth_name}", pdf),
    )
    amendment = ContractAmendment(
        contract=contract, effective_on=effective_on, description=description, document=document
    )
    return writes.create(amendment, acting_user=acting_user, person=stay.person)
