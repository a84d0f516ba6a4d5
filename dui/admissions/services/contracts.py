"""The contract of a stay (contrat de séjour, DIPC, contrat de soutien et d'aide par le travail;
CASF L311-4, D311, D311-0-1): generated as a PDF document of the person with the prices of the
price list frozen into it, handed over, signed by the parties `who_signs` names and by the
director, turned into a DIPC when the person or her representative refuses to sign it, amended.
Also the attestation of the information on the personne de confiance and the interview seeking
the person's consent (D311-0-4, L311-4 al. 5). Written by the establishment of the stay, by a
profession writing the administrative part."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.core import dates
from dui.documents.models import DocumentKind
from dui.documents.services import document_upload
from dui.people.majority import Majority
from dui.people.models import Contact
from dui.people.protection import Act, Role, check_signatures, who_signs
from dui.stays.models import Stay

from ..contract_terms import contract_due_by, contract_kind_of_stay
from ..models import (
    AdmissionInterview,
    ConsentOutcome,
    Contract,
    ContractAmendment,
    ContractKind,
    ContractRefusalBy,
    ContractSignatory,
    InterviewAttendee,
    PriceListLine,
    SignatoryRole,
    TrustedPersonInfoExemption,
)
from ..pdf import pdf_file
from ..permissions import is_director_of
from ..rendering import day_text, render_amendment_pdf, render_contract_pdf
from ..selectors import price_lines_in_force

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
NOT_WRITTEN = _("Votre profession ne peut pas établir de contrat ici.")
NOT_DIRECTOR = _(
    "Le document est signé pour l'établissement par sa direction (CASF D311 I et II) : "
    "seul un directeur de l'établissement enregistre cette signature."
)
STALE = _(
    "Ce contrat a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
STALE_INTERVIEW = _(
    "Cette fiche a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
# D311-0-4: the information is given « huit jours au moins avant l'entretien ».
INFORMATION_NOTICE_DAYS = 8


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
        related=("stay__person", "stay__establishment", "stay__unit", "stay__place"),
    )


def _not_in_the_future(day, field: str, establishment) -> None:
    if day is None:
        raise ValidationError({field: _("Indiquez la date.")})
    if day > dates.today(establishment):
        raise ValidationError({field: _("La date ne peut être dans le futur.")})


def _frozen_lines(stay, lines, *, on, field="price_lines") -> list[dict]:
    """The chosen lines of the price list in force on `on`, as the contract keeps them (a
    copy: a later price change does not alter it). A line of another list is refused."""
    lines = list(lines or [])
    allowed = {line.pk for line in price_lines_in_force(stay.establishment, on)}
    for line in lines:
        if not isinstance(line, PriceListLine) or line.pk not in allowed:
            raise ValidationError(
                {
                    field: _(
                        "Ce tarif n'est pas celui de la grille en vigueur le %(day)s : "
                        "rechargez la page."
                    )
                    % {"day": day_text(on)}
                },
                code="not_in_force",
            )
    return [line.frozen() for line in sorted(lines, key=lambda line: (line.position, line.pk))]


def _store_pdf(acting_user, stay, title, pdf):
    return document_upload(
        acting_user=acting_user,
        person=stay.person,
        kind=DocumentKind.CONTRACT,
        title=title[:200],
        document_date=dates.today(stay.establishment),
        category=ADMINISTRATIVE,
        uploaded_file=pdf_file(f"{title} {stay.person.birth_name}", pdf),
    )


@transaction.atomic
def contract_generate(*, acting_user, stay, price_lines=()) -> Contract:
    """Generate the document of a current or planned stay (a future admission gets its
    contract before the entry day) as a PDF document of the person: its kind follows D311 I–II
    and D311-0-1 (`contract_terms.contract_kind_for`), its prices are the chosen lines of the
    price list in force on the entry day, frozen."""
    _require_contract_writer(acting_user, stay)
    # The stay is locked while its one contract is made: two clicks make one contract.
    stay = (
        Stay.objects.select_for_update(of=("self",))
        .select_related("person", "establishment", "unit", "place")
        .get(pk=stay.pk)
    )
    if not Stay.objects.not_ended(dates.today(stay.establishment)).filter(pk=stay.pk).exists():
        raise ValidationError(
            _("Aucun séjour en cours ou prévu : le contrat suit l'admission."),
            code="no_active_stay",
        )
    if Contract.objects.filter(stay=stay).exists():
        raise ValidationError(
            _("Ce séjour a déjà son contrat : modifiez-le par un avenant."), code="has_contract"
        )
    lines = _frozen_lines(stay, price_lines, on=stay.started_on)
    kind = contract_kind_of_stay(stay)
    due_by = contract_due_by(kind, stay.started_on)
    contract = Contract(stay=stay, kind=kind, price_lines=lines, due_by=due_by)
    title, pdf = render_contract_pdf(contract=contract, signer=acting_user)
    contract.document = _store_pdf(acting_user, stay, title, pdf)
    return writes.create(contract, acting_user=acting_user, person=stay.person)


@transaction.atomic
def contract_deliver(*, acting_user, contract, delivered_on, expected_version) -> Contract:
    """Record the day the document was handed to the person or her representative (D311 III:
    at the latest 15 days after the admission). A planned stay's contract may be handed over
    before the entry day, not before it was generated."""
    _require_contract_writer(acting_user, contract.stay)
    contract = _lock(contract, expected_version)
    stay = contract.stay
    _not_in_the_future(delivered_on, "delivered_on", stay.establishment)
    if delivered_on < dates.date_of(contract.created_at, stay.establishment):
        raise ValidationError(
            {"delivered_on": _("Le document ne peut avoir été remis avant d'avoir été établi.")}
        )
    contract.delivered_on = delivered_on
    writes.save(contract, acting_user=acting_user, reason=_("remise"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=stay.person, obj=contract)
    return contract


@transaction.atomic
def contract_refusal(
    *, acting_user, contract, refused_on, refused_by: str, note: str = "", expected_version
) -> Contract:
    """The person or her representative refuses to sign the contract: a DIPC is drawn up
    instead (CASF D311 I al. 2), generated anew with the same frozen prices; the director then
    signs it (D311 II). Journaled; the contract's history keeps the refused contract."""
    _require_contract_writer(acting_user, contract.stay)
    contract = _lock(contract, expected_version)
    stay = contract.stay
    if contract.kind == ContractKind.DIPC:
        raise ValidationError(
            _("Ce document est déjà un DIPC : il n'est pas soumis à la signature de la personne."),
            code="already_dipc",
        )
    if contract.signed_on is not None:
        raise ValidationError(
            _(
                "Ce contrat est signé : il ne peut plus être refusé (voir le délai de rétractation)."
            ),
            code="already_signed",
        )
    _not_in_the_future(refused_on, "refused_on", stay.establishment)
    if refused_by not in ContractRefusalBy.values:
        raise ValidationError({"refused_by": _("Indiquez qui refuse de signer.")})
    contract.refused_on = refused_on
    contract.refused_by = refused_by
    contract.refusal_note = (note or "").strip()
    contract.kind = contract_kind_of_stay(stay, refused=True)
    contract.due_by = contract_due_by(contract.kind, stay.started_on)
    title, pdf = render_contract_pdf(contract=contract, signer=acting_user)
    contract.document = _store_pdf(acting_user, stay, title, pdf)
    writes.save(contract, acting_user=acting_user, reason=_("refus de signer : DIPC établi"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=stay.person, obj=contract)
    return contract


@transaction.atomic
def contract_director_sign(*, acting_user, contract, signed_on, expected_version) -> Contract:
    """The director signs the document for the establishment (D311 I: the contract is
    concluded with the establishment's representative; D311 II: the DIPC is « établi et signé
    par le directeur »). The acting director is recorded as the signatory."""
    _require_contract_writer(acting_user, contract.stay)
    contract = _lock(contract, expected_version)
    stay = contract.stay
    if not is_director_of(acting_user, stay.establishment):
        raise AccessDenied(NOT_DIRECTOR, person=stay.person)
    if contract.director_signed_on is not None:
        raise ValidationError(
            _("La direction a déjà signé ce document."), code="already_signed_by_director"
        )
    _not_in_the_future(signed_on, "director_signed_on", stay.establishment)
    contract.director_signed_on = signed_on
    contract.director_signed_by = acting_user
    if contract.kind == ContractKind.DIPC and contract.delivered_on is None:
        contract.delivered_on = signed_on
    writes.save(contract, acting_user=acting_user, reason=_("signature de la direction"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=stay.person, obj=contract)
    return contract


@transaction.atomic
def contract_minor_opinion(
    *,
    acting_user,
    contract,
    opinion_on=None,
    opinion: str = "",
    not_sought: str = "",
    expected_version,
) -> Contract:
    """The minor's opinion on her contract or DIPC (CASF D311 III « L'avis du mineur doit être
    recueilli » ; C. civ. 371-1 al. 4: the child is associated « selon son âge et son degré de
    maturité »): the day and a summary, or why it could not be sought."""
    _require_contract_writer(acting_user, contract.stay)
    contract = _lock(contract, expected_version)
    stay = contract.stay
    opinion = (opinion or "").strip()
    not_sought = (not_sought or "").strip()
    if opinion_on is None and not not_sought:
        raise ValidationError(
            {
                "minor_opinion_on": _(
                    "Indiquez quand l'avis de l'enfant a été recueilli, ou pourquoi il n'a pu "
                    "l'être (CASF D311 III)."
                )
            }
        )
    if opinion_on is not None:
        _not_in_the_future(opinion_on, "minor_opinion_on", stay.establishment)
        if not opinion:
            raise ValidationError({"minor_opinion": _("Résumez l'avis exprimé par l'enfant.")})
    contract.minor_opinion_on = opinion_on
    contract.minor_opinion = opinion if opinion_on else ""
    contract.minor_opinion_not_sought = "" if opinion_on else not_sought
    writes.save(contract, acting_user=acting_user, reason=_("avis du mineur"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=stay.person, obj=contract)
    return contract


# The parties' roles as the contract keeps them (one TDDUI Consent each).
SIGNATORY_ROLES = {
    Role.SIGNS: SignatoryRole.SIGNS,
    Role.CO_SIGNS: SignatoryRole.CO_SIGNS,
    Role.REPRESENTS: SignatoryRole.REPRESENTS,
}


def _party_fields(party) -> dict:
    if isinstance(party, Contact):
        return {"contact": party}
    return {"partner": party}


@transaction.atomic
def contract_sign(
    *,
    acting_user,
    contract,
    signed_on,
    person_signed: bool,
    signed_by=(),
    written_agreement_of=(),
    expected_version,
) -> Contract:
    """Record the signature of the parties, one row each, as `who_signs(person, "contract",
    on=signed_on)` says they sign (CASF L311-4 al. 2: the rights of a protected person are
    exercised as title XI of book I of the Code civil provides): the person alone; the person
    and her curator beside her (C. civ. 467 al. 2 — a curator never signs alone, 469); the
    representative in her name (473, 494-1…); for a minor the holders of parental authority
    (371-1, 372), one of two joint holders only with the other's written agreement
    (`written_agreement_of`). A minor's contract needs her opinion first (D311 III). A DIPC is
    the director's document (D311 II): the person or her representative may countersign it,
    nobody else."""
    _require_contract_writer(acting_user, contract.stay)
    contract = _lock(contract, expected_version)
    stay = contract.stay
    person = stay.person
    if contract.signed_on is not None:
        raise ValidationError(_("Ce contrat est déjà signé."), code="already_signed")
    _not_in_the_future(signed_on, "signed_on", stay.establishment)
    if signed_on < dates.date_of(contract.created_at, stay.establishment):
        raise ValidationError(
            {"signed_on": _("Le document ne peut avoir été signé avant d'avoir été établi.")}
        )
    signed_by = list(dict.fromkeys(signed_by or []))
    agreed = list(dict.fromkeys(written_agreement_of or []))
    for party in [*signed_by, *agreed]:
        if getattr(party, "person_id", person.pk) != person.pk or getattr(
            party, "entered_in_error", False
        ):
            raise ValidationError(
                {"signed_by": _("Le signataire doit faire partie de l'entourage de la personne.")},
                code="not_a_contact",
            )
    signing = who_signs(person, Act.CONTRACT, on=signed_on)
    if not person_signed and not signed_by:
        raise ValidationError(
            {"signed_by": _("Indiquez qui a signé : %(who)s") % {"who": signing.sentence}},
            code="no_signatory",
        )
    if contract.kind == ContractKind.DIPC:
        # D311 II: « peut être contresigné par la personne accueillie ou son représentant
        # légal » — only the parties who_signs names may countersign.
        strangers = [p for p in signed_by if signing.role_of(p) not in SIGNATORY_ROLES]
        if strangers:
            raise ValidationError(
                {
                    "signed_by": _(
                        "Seuls la personne ou son représentant légal contresignent le DIPC "
                        "(CASF D311 II) : %(who)s."
                    )
                    % {"who": signing.sentence}
                },
                code="wrong_signatories",
            )
        roles = {id(p): SignatoryRole.COUNTERSIGNS for p in signed_by}
        person_role = SignatoryRole.COUNTERSIGNS
    else:
        if signing.minor_opinion_required and not contract.minor_opinion_recorded:
            raise ValidationError(
                {
                    "signed_by": _(
                        "Recueillez d'abord l'avis de l'enfant sur son contrat, ou dites pourquoi "
                        "il n'a pu l'être (CASF D311 III ; C. civ. 371-1 al. 4)."
                    )
                },
                code="minor_opinion_missing",
            )
        check_signatures(
            signing,
            person_signed=bool(person_signed),
            signed_by=signed_by,
            written_agreement_of=agreed,
            field="signed_by",
        )
        roles = {id(p): SIGNATORY_ROLES[signing.role_of(p)] for p in signed_by}
        person_role = SignatoryRole.SIGNS if signing.person_signs else SignatoryRole.COUNTERSIGNS
    capacities = {
        id(p): next(
            (s.capacity for s in signing.signatories if s.party is not None and s.party == p),
            "",
        )
        for p in [*signed_by, *agreed]
    }
    rows = []
    if person_signed:
        rows.append(
            ContractSignatory(
                contract=contract,
                role=person_role,
                is_the_person=True,
                capacity=str(_("la personne accueillie")),
                signed_on=signed_on,
            )
        )
    for party in signed_by:
        rows.append(
            ContractSignatory(
                contract=contract,
                role=roles[id(party)],
                capacity=str(capacities[id(party)])[:120],
                signed_on=signed_on,
                **_party_fields(party),
            )
        )
    for party in agreed:
        rows.append(
            ContractSignatory(
                contract=contract,
                role=SignatoryRole.AGREES_IN_WRITING,
                capacity=str(capacities[id(party)])[:120],
                signed_on=signed_on,
                **_party_fields(party),
            )
        )
    for row in rows:
        writes.save(row, acting_user=acting_user, created=True)
    contract.signed_on = signed_on
    if contract.delivered_on is None:
        contract.delivered_on = signed_on
    writes.save(contract, acting_user=acting_user, reason=_("signature"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=contract)
    return contract


@transaction.atomic
def contract_amend(
    *,
    acting_user,
    contract,
    effective_on,
    description: str,
    price_lines=(),
    sets_objectives: bool = False,
) -> ContractAmendment:
    """An amendment (avenant) to the contract, with its own PDF; `sets_objectives`: the avenant
    that sets the objectives and services (D311 V, within six months, then every year). Its
    prices are chosen lines of the price list in force on `effective_on`, frozen. The contract
    row itself does not change: it is locked only while its amendment is added."""
    _require_contract_writer(acting_user, contract.stay)
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("stay__person", "stay__establishment", "stay__unit", "stay__place")
        .get(pk=contract.pk)
    )
    stay = contract.stay
    description = (description or "").strip()
    if effective_on is None:
        raise ValidationError({"effective_on": _("Indiquez la date d'effet.")})
    if effective_on < stay.started_on:
        raise ValidationError(
            {"effective_on": _("Un avenant ne peut prendre effet avant l'entrée.")}
        )
    if not description:
        raise ValidationError({"description": _("Indiquez l'objet de l'avenant.")})
    lines = _frozen_lines(stay, price_lines, on=effective_on)
    pdf = render_amendment_pdf(
        contract=contract,
        effective_on=effective_on,
        description=description,
        price_lines=lines,
        sets_objectives=sets_objectives,
        signer=acting_user,
    )
    title = (
        _("Avenant objectifs et prestations du %(day)s")
        if sets_objectives
        else _("Avenant du %(day)s")
    ) % {"day": day_text(effective_on)}
    document = _store_pdf(acting_user, stay, title, pdf)
    amendment = ContractAmendment(
        contract=contract,
        effective_on=effective_on,
        description=description,
        sets_objectives=bool(sets_objectives),
        price_lines=lines,
        document=document,
    )
    return writes.create(amendment, acting_user=acting_user, person=stay.person)


# --- Personne de confiance information and consent interview ---------------------------------


def _interview_row(stay, expected_version) -> AdmissionInterview:
    """The stay's row, locked at the version the form was read at (0: none yet)."""
    current = AdmissionInterview.objects.filter(stay=stay).first()
    if expected_version is None or expected_version == "":
        raise ValidationError(writes.NO_VERSION, code="missing_version")
    if current is not None:
        return writes.lock(
            current, expected_version=expected_version, stale_message=STALE_INTERVIEW
        )
    if int(expected_version) != 0:
        raise ValidationError(STALE_INTERVIEW, code="stale_version")
    return AdmissionInterview(stay=stay)


def _locked_stay(stay):
    return (
        Stay.objects.select_for_update(of=("self",))
        .select_related("person", "establishment")
        .get(pk=stay.pk)
    )


def trusted_person_designated_on(person):
    trusted = Contact.objects.trusted_person_of(person).first()
    return trusted.trusted_person_designated_on if trusted else None


@transaction.atomic
def trusted_person_information_record(
    *,
    acting_user,
    stay,
    informed_on=None,
    signed_by_person: bool = False,
    representative=None,
    exemption: str = "",
    expected_version,
) -> AdmissionInterview:
    """The dated attestation that the person (and her representative) was told she may
    designate a personne de confiance (CASF D311-0-4, notice of annexe 4-10), signed by the
    director or his representative — the acting user — and by the person and/or her
    representative; or why it is not required: a minor (L311-5-1 « personne majeure »; CSP
    L1111-6), a personne de confiance already designated, or the information given by another
    establishment (D311-0-4 1° and 2°)."""
    _require_contract_writer(acting_user, stay)
    stay = _locked_stay(stay)
    row = _interview_row(stay, expected_version)
    minor = stay.person.majority_on(max(stay.started_on, dates.today(stay.establishment)))
    if exemption == TrustedPersonInfoExemption.MINOR and minor != Majority.MINOR:
        raise ValidationError(
            {"exemption": _("La personne est majeure : l'information lui est due.")}
        )
    if (
        exemption == TrustedPersonInfoExemption.ALREADY_DESIGNATED
        and trusted_person_designated_on(stay.person) is None
    ):
        raise ValidationError(
            {
                "exemption": _(
                    "Aucune personne de confiance n'est désignée dans l'entourage de la personne."
                )
            }
        )
    if not exemption and minor == Majority.MINOR:
        raise ValidationError(
            {
                "informed_on": _(
                    "La personne de confiance n'est proposée qu'aux personnes majeures (CASF "
                    "L311-5-1, CSP L1111-6) : indiquez « Personne mineure »."
                )
            }
        )
    if exemption:
        if exemption not in TrustedPersonInfoExemption.values:
            raise ValidationError({"exemption": _("Motif inconnu.")})
        row.information_exemption = exemption
        row.informed_on = None
        row.informed_by = None
        row.attestation_signed_by_person = False
        row.attestation_signed_by_representative = None
    else:
        _not_in_the_future(informed_on, "informed_on", stay.establishment)
        if representative is not None and (
            representative.person_id != stay.person_id or representative.entered_in_error
        ):
            raise ValidationError(
                {
                    "representative": _(
                        "Le représentant doit faire partie de l'entourage de la personne."
                    )
                }
            )
        if not signed_by_person and representative is None:
            raise ValidationError(
                {
                    "signed_by_person": _(
                        "L'attestation est signée par la personne et, le cas échéant, son "
                        "représentant légal (CASF D311-0-4)."
                    )
                }
            )
        if (
            row.interview_on is not None
            and not _designated_between(stay.person, informed_on, row.interview_on)
            and row.interview_on < informed_on + timedelta(days=INFORMATION_NOTICE_DAYS)
        ):
            raise ValidationError(
                {
                    "informed_on": _(
                        "L'information doit précéder d'au moins huit jours l'entretien du "
                        "%(day)s (CASF D311-0-4)."
                    )
                    % {"day": day_text(row.interview_on)}
                }
            )
        row.information_exemption = ""
        row.informed_on = informed_on
        row.informed_by = acting_user
        row.attestation_signed_by_person = bool(signed_by_person)
        row.attestation_signed_by_representative = representative
    writes.save(row, acting_user=acting_user, reason=_("information personne de confiance"))
    journal.record(
        user=acting_user,
        action=AccessAction.CREATE if row.version == 1 else AccessAction.UPDATE,
        person=stay.person,
        obj=row,
    )
    return row


def _designated_between(person, start, end) -> bool:
    """D311-0-4: the eight-day delay « cesse de s'appliquer dès lors que la personne accueillie
    désigne sa personne de confiance »."""
    designated = trusted_person_designated_on(person)
    return designated is not None and start <= designated <= end


@transaction.atomic
def consent_interview_record(
    *,
    acting_user,
    stay,
    interview_on,
    attendees,
    outcome: str,
    notes: str = "",
    expected_version,
) -> AdmissionInterview:
    """The interview in which the director or his designee seeks the person's consent to be
    admitted (CASF L311-4 al. 5), held « hors de la présence de toute autre personne, sauf si
    la personne accueillie choisit de se faire accompagner par la personne de confiance », with
    the médecin coordonnateur when needed. At least eight days after the information on the
    personne de confiance (D311-0-4), unless she designated one meanwhile or the information
    was not required. The acting user is recorded as having held it."""
    _require_contract_writer(acting_user, stay)
    stay = _locked_stay(stay)
    row = _interview_row(stay, expected_version)
    _not_in_the_future(interview_on, "interview_on", stay.establishment)
    attendees = list(dict.fromkeys(attendees or []))
    if any(a not in InterviewAttendee.values for a in attendees):
        raise ValidationError({"attendees": _("Présent inconnu.")})
    if InterviewAttendee.PERSON not in attendees or InterviewAttendee.DIRECTOR not in attendees:
        raise ValidationError(
            {
                "attendees": _(
                    "L'entretien réunit la personne et le directeur ou la personne qu'il a "
                    "désignée (CASF L311-4)."
                )
            }
        )
    if outcome not in ConsentOutcome.values:
        raise ValidationError({"outcome": _("Indiquez l'issue de l'entretien.")})
    if not row.information_exemption:
        if row.informed_on is None:
            raise ValidationError(
                {
                    "interview_on": _(
                        "Enregistrez d'abord l'information sur la personne de confiance, donnée "
                        "huit jours au moins avant l'entretien (CASF D311-0-4), ou pourquoi elle "
                        "n'est pas requise."
                    )
                }
            )
        earliest = row.informed_on + timedelta(days=INFORMATION_NOTICE_DAYS)
        if interview_on < earliest and not _designated_between(
            stay.person, row.informed_on, interview_on
        ):
            raise ValidationError(
                {
                    "interview_on": _(
                        "L'entretien a lieu huit jours au moins après l'information sur la "
                        "personne de confiance (donnée le %(informed)s) : pas avant le "
                        "%(earliest)s, sauf si la personne l'a désignée entre-temps (CASF "
                        "D311-0-4)."
                    )
                    % {"informed": day_text(row.informed_on), "earliest": day_text(earliest)}
                }
            )
    row.interview_on = interview_on
    row.interview_by = acting_user
    row.attendees = attendees
    row.outcome = outcome
    row.notes = (notes or "").strip()
    writes.save(row, acting_user=acting_user, reason=_("entretien de recherche du consentement"))
    journal.record(
        user=acting_user,
        action=AccessAction.CREATE if row.version == 1 else AccessAction.UPDATE,
        person=stay.person,
        obj=row,
    )
    return row
