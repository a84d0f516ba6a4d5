"""The contract's rules, each against its text: which document (CASF D311 I–II, D311-0-1), who
signs it (CASF L311-4 al. 2 → Code civil title XI, through `who_signs`), the minor's opinion
(D311 III; C. civ. 371-1 al. 4), the refusal to sign (D311 I al. 2), the director's signature
(D311 II), the delays (D311 III, V), the information on the personne de confiance and the
consent interview (D311-0-4; L311-4 al. 5), the mandatory content of the PDF (L311-4, D311,
L342-2, L311-4-1 II)."""

import io
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from dui.access.errors import AccessDenied
from dui.admissions.contract_terms import contract_deadlines, contract_kind_for
from dui.admissions.models import (
    AdmissionInterview,
    ContractAmendment,
    ContractKind,
    Orientation,
    SignatoryRole,
)
from dui.admissions.selectors import contracts_overdue
from dui.admissions.services import contracts as services
from dui.core import dates
from dui.organisation.models import EstablishmentCategory as C
from dui.people.models import ParentalAuthority
from dui.stays.models import Stay
from tests.admissions.helpers import key, text
from tests.admissions.test_contract import price_list
from tests.factories import (
    CareTeamMembershipFactory,
    EstablishmentFactory,
    PersonFactory,
    UnitFactory,
    professional,
)
from tests.people.entourage_factories import (
    ContactFactory,
    LegalProtectionFactory,
    ParentalAuthorityFactory,
)

E = type("Establishment", (), {})


def establishment_of(category):
    establishment = E()
    establishment.category = category
    return establishment


def pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def stay_in(unit, person, *, started_on, planned_end=None, kind="permanent"):
    CareTeamMembershipFactory(person=person, establishment=unit.establishment, unit=unit)
    return Stay.objects.create(
        person=person,
        establishment=unit.establishment,
        unit=unit,
        kind=kind,
        started_on=started_on,
        planned_end=planned_end,
    )


def years_ago(years: int) -> date:
    today = dates.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


# --- Which document (D311 I–II, D311-0-1) ------------------------------------------------------

START = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("category", "planned_end", "refused", "kind", "article"),
    [
        (C.EHPAD, None, False, ContractKind.CONTRACT, "D311 I: permanent stay"),
        (C.EHPAD, date(2026, 5, 10), False, ContractKind.DIPC, "D311 II: two months exactly"),
        (C.EHPAD, date(2026, 5, 11), False, ContractKind.CONTRACT, "D311 I: over two months"),
        (C.MAS, date(2026, 3, 24), False, ContractKind.DIPC, "D311 II: a 2-week stay"),
        (C.IME, None, False, ContractKind.CONTRACT, "D311 I"),
        (C.SESSAD, None, False, ContractKind.DIPC, "D311 II: service in ordinary settings"),
        (C.SSIAD, None, False, ContractKind.DIPC, "D311 II: service at home"),
        (C.SAVS, None, False, ContractKind.DIPC, "D311 II"),
        (C.SAMSAH, None, False, ContractKind.DIPC, "D311 II"),
        (C.ESAT, None, False, ContractKind.ESAT, "D311-0-1, annexe 3-9"),
        (C.EHPAD, None, True, ContractKind.DIPC, "D311 I al. 2: refusal to sign"),
        (C.ESAT, None, True, ContractKind.DIPC, "D311 I al. 2: refusal to sign"),
    ],
)
def test_the_document_follows_d311(category, planned_end, refused, kind, article):
    assert (
        contract_kind_for(
            establishment_of(category), started_on=START, planned_end=planned_end, refused=refused
        )
        == kind
    ), article


def test_a_temporary_stay_of_two_months_or_less_gets_a_dipc_signed_by_the_director(
    unit_a, secretary_a, director_a, today
):
    """D311 II: the DIPC is « établi et signé par le directeur »; the person may countersign."""
    person = PersonFactory(birth_name="Courtsejour", birth_date=years_ago(85))
    stay = stay_in(
        unit_a, person, started_on=today, planned_end=today + timedelta(days=21), kind="temporary"
    )
    contract = services.contract_generate(acting_user=secretary_a, stay=stay)
    assert contract.kind == ContractKind.DIPC
    assert contract.due_by == today + timedelta(days=15)
    content = pdf_text(contract.document)
    assert "Document individuel de prise en charge" in content
    assert "établi et signé par le directeur" in content
    assert "rétractation" not in content  # L311-4-1 II concerns the contract
    with pytest.raises(AccessDenied):
        services.contract_director_sign(
            acting_user=secretary_a, contract=contract, signed_on=today, expected_version=1
        )
    contract = services.contract_director_sign(
        acting_user=director_a, contract=contract, signed_on=today, expected_version=1
    )
    assert contract.director_signed_by == director_a and contract.delivered_on == today
    contract = services.contract_sign(
        acting_user=secretary_a,
        contract=contract,
        signed_on=today,
        person_signed=True,
        expected_version=contract.version,
    )
    assert contract.signatories.get().role == SignatoryRole.COUNTERSIGNS


def test_an_esat_worker_gets_a_contrat_de_soutien_et_d_aide_par_le_travail(organisation, today):
    """D311-0-1 and annexe 3-9 (one year, tacit renewal; rupture after a CDAPH decision)."""
    esat = EstablishmentFactory(
        organisation=organisation, name="ESAT Les Ateliers", category="esat"
    )
    unit = UnitFactory(establishment=esat, name="Atelier bois")
    secretary = professional(username="sec.esat", profession="secretaire", establishment=esat)
    worker = PersonFactory(birth_name="Travailleur", birth_date=years_ago(30))
    stay = stay_in(unit, worker, started_on=today)
    contract = services.contract_generate(acting_user=secretary, stay=stay)
    assert contract.kind == ContractKind.ESAT
    content = pdf_text(contract.document)
    assert "Contrat de soutien et d'aide par le travail" in content
    assert "renouvelable par tacite reconduction" in content and "CDAPH" in content


def test_a_refusal_to_sign_the_contract_turns_it_into_a_dipc(stay_a, secretary_a, today):
    """D311 I al. 2: « Lorsque la personne accueillie ou son représentant légal refuse la
    signature dudit contrat, il est procédé à l'établissement du document individuel de prise
    en charge »."""
    contract = services.contract_generate(acting_user=secretary_a, stay=stay_a)
    first_document = contract.document
    with pytest.raises(ValidationError) as error:
        services.contract_refusal(
            acting_user=secretary_a,
            contract=contract,
            refused_on=today,
            refused_by="",
            expected_version=1,
        )
    assert "qui refuse" in error.value.message_dict["refused_by"][0]
    contract = services.contract_refusal(
        acting_user=secretary_a,
        contract=contract,
        refused_on=today,
        refused_by="person",
        note="Ne souhaite pas s'engager",
        expected_version=1,
    )
    assert contract.kind == ContractKind.DIPC and contract.refused_on == today
    assert contract.document != first_document
    assert "refus de signer le contrat de séjour" in pdf_text(contract.document)
    assert contract.history.first().history_change_reason == "refus de signer : DIPC établi"
    with pytest.raises(ValidationError, match="déjà un DIPC"):
        services.contract_refusal(
            acting_user=secretary_a,
            contract=contract,
            refused_on=today,
            refused_by="person",
            expected_version=contract.version,
        )


@pytest.fixture
def stay_a(unit_a, today):
    person = PersonFactory(birth_name="Durand", first_names="Paul", birth_date=years_ago(82))
    return stay_in(unit_a, person, started_on=today - timedelta(days=3))


# --- Who signs (CASF L311-4 al. 2 → C. civ. title XI, `who_signs`) ------------------------------


def test_under_curatelle_the_curator_never_signs_alone_and_signs_beside_the_person(
    stay_a, secretary_a, today
):
    """C. civ. 467 al. 2: « l'assistance du curateur se manifeste par l'apposition de sa
    signature à côté de celle de la personne protégée »; 469: he does not act in her name."""
    curator = ContactFactory(person=stay_a.person, last_name="Curateur", first_name="Anne")
    LegalProtectionFactory(
        person=stay_a.person,
        kind="curatelle_renforcee",
        scope="both",
        representative_contact=curator,
    )
    contract = services.contract_generate(acting_user=secretary_a, stay=stay_a)
    for person_signed, signed_by, message in (
        (False, [curator], "ne signe pas seul"),
        (True, [], "sa signature manque"),
    ):
        with pytest.raises(ValidationError) as error:
            services.contract_sign(
                acting_user=secretary_a,
                contract=contract,
                signed_on=today,
                person_signed=person_signed,
                signed_by=signed_by,
                expected_version=1,
            )
        assert message in " ".join(error.value.message_dict["signed_by"])
    contract.refresh_from_db()
    assert contract.signed_on is None and not contract.signatories.exists()
    contract = services.contract_sign(
        acting_user=secretary_a,
        contract=contract,
        signed_on=today,
        person_signed=True,
        signed_by=[curator],
        expected_version=1,
    )
    roles = {(s.is_the_person, s.contact_id, s.role) for s in contract.signatories.all()}
    assert roles == {(True, None, SignatoryRole.SIGNS), (False, curator.pk, SignatoryRole.CO_SIGNS)}


def test_under_tutelle_the_tutor_signs_in_the_persons_name(stay_a, secretary_a, today):
    """C. civ. 473: « le tuteur la représente dans tous les actes de la vie civile »; the
    person still takes part and signs beside him (D311 III: her participation is required « à
    peine de nullité »; `who_signs`)."""
    tutor = ContactFactory(person=stay_a.person, last_name="Tuteur", first_name="Luc")
    LegalProtectionFactory(
        person=stay_a.person, kind="tutelle", scope="both", representative_contact=tutor
    )
    contract = services.contract_generate(acting_user=secretary_a, stay=stay_a)
    assert "TUTEUR Luc (tuteur) signe au nom de la personne" in pdf_text(contract.document)
    contract = services.contract_sign(
        acting_user=secretary_a,
        contract=contract,
        signed_on=today,
        person_signed=True,
        signed_by=[tutor],
        expected_version=1,
    )
    assert contract.signatories.get(contact=tutor).role == SignatoryRole.REPRESENTS


@pytest.fixture
def child_at_the_ime(ime, today):
    unit = UnitFactory(establishment=ime, name="Groupe des Lutins")
    child = PersonFactory(birth_name="Petit", first_names="Léo", birth_date=years_ago(9))
    Orientation.objects.create(
        person=child,
        decided_on=today - timedelta(days=60),
        kind="7.1",
        reference="MDPH69-2026-042",
        valid_from=today - timedelta(days=60),
        valid_to=today + timedelta(days=1000),
    )
    mother = ParentalAuthorityFactory(person=child).holder_contact
    father = ParentalAuthorityFactory(person=child, relation="father").holder_contact
    return stay_in(unit, child, started_on=today - timedelta(days=2)), mother, father


def test_a_minors_contract_is_signed_by_the_holders_of_parental_authority_after_her_opinion(
    child_at_the_ime, secretary_ime, today
):
    """C. civ. 371-1, 372 (joint authority: both parents; one with the other's written
    agreement), D311 III « L'avis du mineur doit être recueilli », C. civ. 371-1 al. 4."""
    stay, mother, father = child_at_the_ime
    contract = services.contract_generate(acting_user=secretary_ime, stay=stay)
    assert contract.kind == ContractKind.CONTRACT
    content = pdf_text(contract.document)
    assert "Décision de la CDAPH" in content and "MDPH69-2026-042" in content
    assert "signent pour l'enfant" in content
    sign = {
        "acting_user": secretary_ime,
        "contract": contract,
        "signed_on": today,
        "person_signed": False,
    }
    with pytest.raises(ValidationError) as error:
        services.contract_sign(**sign, signed_by=[mother, father], expected_version=1)
    assert "avis de l'enfant" in error.value.message_dict["signed_by"][0]
    with pytest.raises(ValidationError):
        services.contract_minor_opinion(
            acting_user=secretary_ime, contract=contract, expected_version=1
        )
    contract = services.contract_minor_opinion(
        acting_user=secretary_ime,
        contract=contract,
        opinion_on=today,
        opinion="Content d'aller au groupe des Lutins",
        expected_version=1,
    )
    with pytest.raises(ValidationError) as error:
        services.contract_sign(**sign, signed_by=[mother], expected_version=2)
    assert "manque" in " ".join(error.value.message_dict["signed_by"])
    contract = services.contract_sign(
        **sign, signed_by=[mother], written_agreement_of=[father], expected_version=2
    )
    roles = {(s.contact_id, s.role) for s in contract.signatories.all()}
    assert roles == {
        (mother.pk, SignatoryRole.REPRESENTS),
        (father.pk, SignatoryRole.AGREES_IN_WRITING),
    }


def test_a_parent_without_parental_authority_cannot_sign_for_the_child(
    child_at_the_ime, secretary_ime, today
):
    """C. civ. 373-2-1: the parent who does not exercise authority is informed, signs nothing."""
    stay, mother, father = child_at_the_ime
    authority = (
        father.parental_authorities.get() if hasattr(father, "parental_authorities") else None
    )

    ParentalAuthority.objects.filter(holder_contact=father).update(exercise="none")
    ParentalAuthority.objects.filter(holder_contact=mother).update(exercise="sole")
    del authority
    contract = services.contract_generate(acting_user=secretary_ime, stay=stay)
    contract = services.contract_minor_opinion(
        acting_user=secretary_ime,
        contract=contract,
        not_sought="Enfant non verbal ; avis recherché par l'observation, non exprimable",
        expected_version=1,
    )
    with pytest.raises(ValidationError) as error:
        services.contract_sign(
            acting_user=secretary_ime,
            contract=contract,
            signed_on=today,
            person_signed=False,
            signed_by=[father],
            expected_version=2,
        )
    assert "n'exerce pas l'autorité parentale" in " ".join(error.value.message_dict["signed_by"])
    assert not contract.signatories.exists()


# --- Delays (D311 III, V) ------------------------------------------------------------------------


def test_the_delays_count_from_the_entry_day(stay_a, secretary_a, today):
    contract = services.contract_generate(acting_user=secretary_a, stay=stay_a)
    started = stay_a.started_on
    lines = {d.code: d for d in contract_deadlines(contract, today=today)}
    assert lines["delivery"].due_by == started + timedelta(days=15)  # D311 III
    assert lines["signature"].due_by == dates.add_months(started, 1)  # D311 III
    assert lines["objectives"].due_by == dates.add_months(started, 6)  # D311 V
    assert "objectives_update" not in lines
    ContractAmendment.objects.create(
        contract=contract, effective_on=today, description="Objectifs", sets_objectives=True
    )
    lines = {d.code: d for d in contract_deadlines(contract, today=today, amendments=None)}
    assert lines["objectives"].done_on == today
    assert lines["objectives_update"].due_by == dates.add_months(today, 12)  # D311 V


def test_the_overdue_list_names_each_delay_past(
    unit_a, ehpad_a, secretary_a, director_a, logged_in_client, today
):
    late = PersonFactory(birth_name="Sixmois", birth_date=years_ago(88))
    contract = services.contract_generate(
        acting_user=secretary_a, stay=stay_in(unit_a, late, started_on=today - timedelta(days=200))
    )
    planned = PersonFactory(birth_name="Prevue", birth_date=years_ago(88))
    services.contract_generate(
        acting_user=secretary_a, stay=stay_in(unit_a, planned, started_on=today + timedelta(days=5))
    )
    assert list(contracts_overdue(establishment=ehpad_a, today=today)) == [contract]
    page = logged_in_client(director_a).get(reverse("admissions:contracts_overdue"))
    body = text(page)
    assert "SIXMOIS" in body and "PREVUE" not in body
    for delay in ("Remis à la personne", "Signé", "Avenant objectifs et prestations"):
        assert delay in body
    ContractAmendment.objects.create(
        contract=contract,
        effective_on=today - timedelta(days=10),
        description="Objectifs",
        sets_objectives=True,
    )
    services.contract_sign(
        acting_user=secretary_a,
        contract=contract,
        signed_on=today,
        person_signed=True,
        expected_version=1,
    )
    assert list(contracts_overdue(establishment=ehpad_a, today=today)) == []
    # A year after the last avenant on objectives, its update is late (D311 V « chaque année »).
    later = dates.add_months(today, 12) + timedelta(days=1)
    assert contract in contracts_overdue(establishment=ehpad_a, today=later)


# --- Personne de confiance information and consent interview (D311-0-4, L311-4) ----------------


def test_the_interview_comes_eight_days_at_least_after_the_information(stay_a, director_a, today):
    """D311-0-4: « Huit jours au moins avant l'entretien […] le directeur […] informe la
    personne accueillie […] qu'elle peut désigner une personne de confiance »; the attestation
    is « daté et signé par le directeur […] et la personne accueillie »."""
    informed_on = today - timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        services.trusted_person_information_record(
            acting_user=director_a, stay=stay_a, informed_on=informed_on, expected_version=0
        )
    assert "signée par la personne" in error.value.message_dict["signed_by_person"][0]
    row = services.trusted_person_information_record(
        acting_user=director_a,
        stay=stay_a,
        informed_on=informed_on,
        signed_by_person=True,
        expected_version=0,
    )
    assert row.informed_by == director_a
    interview = {
        "acting_user": director_a,
        "stay": stay_a,
        "attendees": ["person", "director"],
        "outcome": "consents",
    }
    with pytest.raises(ValidationError) as error:
        services.consent_interview_record(
            **interview, interview_on=informed_on + timedelta(days=7), expected_version=1
        )
    assert "huit jours au moins" in error.value.message_dict["interview_on"][0]
    with pytest.raises(ValidationError) as error:
        services.consent_interview_record(
            **{**interview, "attendees": ["director"]}, interview_on=today, expected_version=1
        )
    assert "réunit la personne" in error.value.message_dict["attendees"][0]
    row = services.consent_interview_record(
        **interview, interview_on=informed_on + timedelta(days=8), expected_version=1
    )
    assert row.interview_by == director_a and row.outcome == "consents"
    assert AdmissionInterview.objects.get(stay=stay_a).version == 2


def test_a_trusted_person_designated_meanwhile_lifts_the_eight_days(stay_a, director_a, today):
    """D311-0-4: the delay « cesse de s'appliquer dès lors que la personne accueillie désigne sa
    personne de confiance »."""
    services.trusted_person_information_record(
        acting_user=director_a,
        stay=stay_a,
        informed_on=today - timedelta(days=3),
        signed_by_person=True,
        expected_version=0,
    )
    ContactFactory(
        person=stay_a.person,
        is_trusted_person=True,
        trusted_person_designated_on=today - timedelta(days=1),
    )
    row = services.consent_interview_record(
        acting_user=director_a,
        stay=stay_a,
        interview_on=today,
        attendees=["person", "director", "trusted_person"],
        outcome="consents",
        expected_version=1,
    )
    assert row.interview_on == today


def test_the_information_is_not_for_a_minor(child_at_the_ime, director_ime, today):
    """CASF L311-5-1 and CSP L1111-6: the personne de confiance is for adults."""
    stay, _mother, _father = child_at_the_ime
    with pytest.raises(ValidationError) as error:
        services.trusted_person_information_record(
            acting_user=director_ime,
            stay=stay,
            informed_on=today,
            signed_by_person=True,
            expected_version=0,
        )
    assert "majeures" in error.value.message_dict["informed_on"][0]
    row = services.trusted_person_information_record(
        acting_user=director_ime, stay=stay, exemption="minor", expected_version=0
    )
    row = services.consent_interview_record(
        acting_user=director_ime,
        stay=stay,
        interview_on=today,
        attendees=["person", "director", "representative"],
        outcome="consents",
        expected_version=1,
    )
    assert row.information_exemption == "minor"


def test_an_adult_is_not_exempted_as_a_minor(stay_a, director_a):
    with pytest.raises(ValidationError) as error:
        services.trusted_person_information_record(
            acting_user=director_a, stay=stay_a, exemption="minor", expected_version=0
        )
    assert "majeure" in error.value.message_dict["exemption"][0]
    assert not AdmissionInterview.objects.exists()


# --- The PDF's mandatory content --------------------------------------------------------------


def test_an_ehpad_contract_carries_the_mandatory_content_and_renders_within_a_second(
    stay_a, secretary_a, ehpad_a, today
):
    """L311-4 al. 2 (objectives, services and their cost), L342-2 and annexe 2-3-1 (socle),
    D311 IV (duration, termination, revision), D311 V 4° (absence, hospitalisation), L311-4-1
    II (15-day withdrawal), a place for each signatory."""
    lines = price_list(ehpad_a, today - timedelta(days=30))
    started = time.perf_counter()
    contract = services.contract_generate(acting_user=secretary_a, stay=stay_a, price_lines=lines)
    elapsed = time.perf_counter() - started
    content = pdf_text(contract.document)
    for mandatory in (
        "Objectifs et nature de l'accompagnement",
        "Socle de prestations",
        "68,50 € par jour",
        "absence ou d'hospitalisation",
        "Durée indéterminée",
        "droit de rétractation dans les 15 jours",
        "DURAND Paul",
        "Pour l'établissement",
    ):
        assert mandatory in content.replace("\u00a0", " ").replace("\u202f", " "), mandatory
    assert elapsed < 1.5, f"{elapsed:.2f} s"


def test_the_contract_page_shows_the_delays_and_the_interview(
    stay_a, secretary_a, resident_a, logged_in_client, django_assert_max_num_queries, today
):
    services.contract_generate(acting_user=secretary_a, stay=stay_a)
    client = logged_in_client(secretary_a)
    url = reverse("admissions:contract", kwargs={"person_id": stay_a.person.public_id})
    with django_assert_max_num_queries(40):
        page = client.get(url)
    body = text(page)
    assert page.status_code == 200
    assert "Avenant objectifs et prestations" in body and "CASF D311 V" in body
    assert "La personne signe seule" in body
    post = reverse(
        "admissions:contract_action",
        kwargs={"person_id": stay_a.person.public_id, "action": "interview"},
    )
    response = client.post(
        post,
        {
            "interview_on": today.isoformat(),
            "attendees": ["person", "director"],
            "outcome": "consents",
            "version": "0",
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 400
    assert "Enregistrez d'abord l'information sur la personne de confiance" in text(response)
    assert not AdmissionInterview.objects.exists()


def test_the_contract_page_of_a_child_offers_each_parent_with_their_role(
    child_at_the_ime, secretary_ime, logged_in_client, django_assert_max_num_queries
):
    """The signature form names the holders of parental authority (C. civ. 372) and what each
    does: they sign for the child (representation)."""
    stay, mother, father = child_at_the_ime
    services.contract_generate(acting_user=secretary_ime, stay=stay)
    client = logged_in_client(secretary_ime)
    url = reverse("admissions:contract", kwargs={"person_id": stay.person.public_id})
    client.get(url)
    with django_assert_max_num_queries(45):
        page = client.get(url)
    body = text(page)
    assert page.status_code == 200
    assert f"{mother.display_name} — " in body and f"{father.display_name} — " in body
    assert "signe pour elle (représentation)" in body
    assert "Avis de l'enfant (CASF D311 III)" in body
