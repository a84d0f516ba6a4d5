"""The contract (contrat de séjour, DIPC for services): generated as a PDF for a current or
planned stay with the prices of the price list frozen into it, delivered, signed by the parties
`who_signs` names, amended; late contracts are listed (CASF L311-4, D311)."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from dui.access.errors import AccessDenied
from dui.admissions.contract_terms import contract_due_by, contract_kind_for
from dui.admissions.models import (
    Contract,
    ContractAmendment,
    ContractKind,
    PriceList,
    PriceListLine,
    SignatoryRole,
)
from dui.admissions.selectors import contracts_overdue
from dui.admissions.services import contracts as letters
from dui.core import dates
from dui.organisation.models import EstablishmentCategory
from dui.people.models import Contact, LegalProtection
from dui.stays.models import Stay
from tests.admissions.helpers import key, text
from tests.factories import CareTeamMembershipFactory, PersonFactory, UnitFactory, professional
from tests.refusals import assert_refused, assert_service_refused

PRICES = [
    ("Hébergement", "68.50", "day", "accommodation_base"),
    ("Dépendance GIR 5-6", "6.20", "day", "dependency"),
    ("Coiffure", "1234.50", "act", "option"),
]


def price_list(establishment, valid_from, lines=PRICES, valid_until=None) -> list[PriceListLine]:
    """A price list as the direction saved it (`services.price_lists` is tested on its own)."""
    grid = PriceList.objects.create(
        establishment=establishment, valid_from=valid_from, valid_until=valid_until
    )
    return [
        PriceListLine.objects.create(
            price_list=grid, position=n, label=label, amount=amount, unit=unit, kind=kind
        )
        for n, (label, amount, unit, kind) in enumerate(lines)
    ]


@pytest.fixture
def prices(ehpad_a, today):
    return price_list(ehpad_a, today - timedelta(days=365))


def document_text(document) -> tuple[int, str]:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def make_stay(person, unit, started_on=None, ended_on=None):
    return Stay.objects.create(
        person=person,
        establishment=unit.establishment,
        unit=unit,
        kind="permanent",
        started_on=started_on or dates.today() - timedelta(days=5),
        ended_on=ended_on,
    )


@pytest.fixture
def stay(resident_a, unit_a):
    return make_stay(resident_a, unit_a)


@pytest.fixture
def daughter(resident_a):
    return Contact.objects.create(
        person=resident_a,
        last_name="Lefebvre",
        first_name="Claire",
        relationship="child",
        phone="0600000000",
    )


def test_a_contract_is_a_pdf_naming_the_person_the_establishment_and_the_prices(
    stay, secretary_a, resident_a, prices
):
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=prices)
    assert contract.kind == ContractKind.CONTRACT
    assert contract.document.kind == "contract" and contract.document.person == resident_a
    pages, text = document_text(contract.document)
    assert pages >= 1
    assert "Lefebvre" in text and "Marguerite" in text and "EHPAD Les Tilleuls" in text
    assert "68,50" in text and "6,20" in text and "234,50" in text
    assert contract.price_lines[1] == {
        "label": "Dépendance GIR 5-6",
        "amount": "6.20",
        "unit": "day",
        "kind": "dependency",
    }


def test_the_prices_are_frozen_into_the_contract_when_it_is_generated(stay, secretary_a, prices):
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=prices[:1])
    PriceListLine.objects.filter(pk=prices[0].pk).update(amount="99.00", label="Changé")
    contract.refresh_from_db()
    assert contract.price_lines == [
        {"label": "Hébergement", "amount": "68.50", "unit": "day", "kind": "accommodation_base"}
    ]


def test_a_price_line_of_a_list_not_in_force_on_the_entry_day_is_refused(
    stay, secretary_a, ehpad_a, today
):
    old = price_list(ehpad_a, today - timedelta(days=900), valid_until=today - timedelta(days=400))
    with pytest.raises(ValidationError) as error:
        letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=old)
    assert "grille en vigueur" in error.value.message_dict["price_lines"][0]
    assert not Contract.objects.exists()


def test_the_contract_is_due_one_month_after_admission(stay, secretary_a):
    """CASF D311 III: « Le contrat est signé dans le mois qui suit l'admission. »"""
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=[])
    started = stay.started_on
    month = started.month % 12 + 1
    assert contract.due_by.month == month and contract.due_by > started
    assert contract_due_by(ContractKind.CONTRACT, date(2026, 1, 31)) == date(2026, 2, 28)
    assert contract_due_by(ContractKind.CONTRACT, date(2026, 12, 15)) == date(2027, 1, 15)


def test_a_service_signs_a_dipc_within_fifteen_days(organisation):
    ssiad = contract_kind_for(type("E", (), {"category": EstablishmentCategory.SSIAD})())
    assert ssiad == ContractKind.DIPC
    assert contract_due_by(ContractKind.DIPC, date(2026, 3, 1)) == date(2026, 3, 16)
    assert (
        contract_kind_for(type("E", (), {"category": EstablishmentCategory.MAS})())
        == ContractKind.CONTRACT
    )


def test_the_contract_names_the_parties_as_who_signs_phrases_them(
    stay, secretary_a, resident_a, daughter, today
):
    """CASF L311-4 al. 2; C. civ. 473: the tuteur signs in the person's name."""
    LegalProtection.objects.create(
        person=resident_a,
        kind="tutelle",
        scope="both",
        started_on=today - timedelta(days=400),
        representative_contact=daughter,
    )
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=[])
    _, text = document_text(contract.document)
    flat = " ".join(text.split())
    assert "LEFEBVRE Claire (tuteur) signe au nom de la personne" in flat
    assert "représenté(e) par" not in flat


def test_a_contract_for_an_ended_stay_is_refused_a_planned_stay_gets_one(
    resident_a, unit_a, secretary_a, today
):
    ended = make_stay(resident_a, unit_a, today - timedelta(days=60), today - timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        letters.contract_generate(acting_user=secretary_a, stay=ended, price_lines=[])
    assert error.value.messages == ["Aucun séjour en cours ou prévu : le contrat suit l'admission."]
    assert not Contract.objects.exists()
    assert not resident_a.documents.exists()
    future = make_stay(resident_a, unit_a, today + timedelta(days=3))
    contract = letters.contract_generate(acting_user=secretary_a, stay=future, price_lines=[])
    # D311 III: the delays count from the entry day.
    assert contract.due_by == dates.add_months(today + timedelta(days=3), 1)


def test_a_nurse_cannot_establish_a_contract(stay, nurse_a):
    with pytest.raises(AccessDenied) as refused:
        letters.contract_generate(acting_user=nurse_a, stay=stay, price_lines=[])
    assert_service_refused(refused, "Votre profession ne peut pas établir de contrat ici.")
    assert refused.value.person == stay.person
    assert not Contract.objects.exists()


def test_a_stay_has_one_contract_then_amendments(stay, secretary_a, today, ehpad_a, prices):
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=[])
    with pytest.raises(ValidationError):
        letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=[])
    amendment = letters.contract_amend(
        acting_user=secretary_a,
        contract=contract,
        effective_on=today,
        description="Passage en chambre double",
        price_lines=prices[:1],
    )
    assert ContractAmendment.objects.get() == amendment
    assert amendment.price_lines[0]["amount"] == "68.50"
    pages, text = document_text(amendment.document)
    assert pages >= 1 and "Passage en chambre double" in text and "Lefebvre" in text
    assert "EHPAD Les Tilleuls" in text and "68,50" in text


def test_a_person_without_a_measure_signs_alone_one_row_per_signatory(
    stay, secretary_a, daughter, today
):
    """CASF L311-4, D311 I: the contract is concluded with the person; her daughter, who
    represents nobody, does not sign for her."""
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=[])
    contract = letters.contract_deliver(
        acting_user=secretary_a, contract=contract, delivered_on=today, expected_version=1
    )
    with pytest.raises(ValidationError) as error:
        letters.contract_sign(
            acting_user=secretary_a,
            contract=contract,
            signed_on=today,
            person_signed=True,
            signed_by=[daughter],
            expected_version=2,
        )
    assert "ne représente pas la personne" in error.value.message_dict["signed_by"][0]
    signed = letters.contract_sign(
        acting_user=secretary_a,
        contract=contract,
        signed_on=today,
        person_signed=True,
        expected_version=2,
    )
    assert signed.version == 3
    (row,) = signed.signatories.all()
    assert row.is_the_person and row.role == SignatoryRole.SIGNS and row.signed_on == today
    with pytest.raises(ValidationError, match="déjà signé"):
        letters.contract_sign(
            acting_user=secretary_a,
            contract=signed,
            signed_on=today,
            person_signed=True,
            expected_version=signed.version,
        )


def test_signature_by_someone_who_is_not_a_contact_of_the_person_is_refused(
    stay, secretary_a, resident_b, today
):
    stranger = Contact.objects.create(
        person=resident_b, last_name="Inconnu", relationship="child", phone="0611111111"
    )
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=[])
    with pytest.raises(ValidationError) as error:
        letters.contract_sign(
            acting_user=secretary_a,
            contract=contract,
            signed_on=today,
            person_signed=False,
            signed_by=[stranger],
            expected_version=contract.version,
        )
    assert "entourage" in " ".join(error.value.messages)
    contract.refresh_from_db()
    assert contract.signed_on is None and not contract.signatories.exists()


def test_a_signature_says_who_signed_and_is_not_in_the_future(stay, secretary_a, today):
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=[])
    with pytest.raises(ValidationError, match="Indiquez qui a signé"):
        letters.contract_sign(
            acting_user=secretary_a,
            contract=contract,
            signed_on=today,
            person_signed=False,
            expected_version=contract.version,
        )
    with pytest.raises(ValidationError, match="futur"):
        letters.contract_sign(
            acting_user=secretary_a,
            contract=contract,
            signed_on=today + timedelta(days=1),
            person_signed=True,
            expected_version=contract.version,
        )
    contract.refresh_from_db()
    assert contract.signed_on is None


def test_a_stale_delivery_is_refused(stay, secretary_a, today):
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=[])
    letters.contract_deliver(
        acting_user=secretary_a, contract=contract, delivered_on=today, expected_version=1
    )
    with pytest.raises(ValidationError) as error:
        letters.contract_deliver(
            acting_user=secretary_a, contract=contract, delivered_on=today, expected_version=1
        )
    assert "quelqu'un d'autre" in " ".join(error.value.messages)
    with pytest.raises(ValidationError, match="version de la fiche manquante"):
        letters.contract_deliver(
            acting_user=secretary_a, contract=contract, delivered_on=today, expected_version=None
        )
    contract.refresh_from_db()
    assert contract.version == 2


def _contract_due(stay, due_by, user):
    contract = letters.contract_generate(acting_user=user, stay=stay, price_lines=[])
    Contract.objects.filter(pk=contract.pk).update(due_by=due_by)
    return contract


def test_a_contract_due_today_is_not_yet_late_one_due_yesterday_is(
    unit_a, ehpad_a, secretary_a, today
):
    today_person = PersonFactory(birth_name="Aujourdhui")
    late_person = PersonFactory(birth_name="Hier")
    for person in (today_person, late_person):
        CareTeamMembershipFactory(person=person, establishment=ehpad_a, unit=unit_a)
    due_today = _contract_due(make_stay(today_person, unit_a), today, secretary_a)
    late = _contract_due(make_stay(late_person, unit_a), today - timedelta(days=1), secretary_a)
    overdue = list(contracts_overdue(establishment=ehpad_a, today=today))
    assert late in overdue and due_today not in overdue
    late = letters.contract_sign(
        acting_user=secretary_a,
        contract=late,
        signed_on=today,
        person_signed=True,
        expected_version=late.version,
    )
    assert list(contracts_overdue(establishment=ehpad_a, today=today)) == []


# --- Pages ------------------------------------------------------------------------------------


def test_the_contract_page_generates_delivers_and_signs(
    stay, secretary_a, resident_a, daughter, logged_in_client, today, prices
):
    client = logged_in_client(secretary_a)
    page = client.get(reverse("admissions:contract", kwargs={"person_id": resident_a.public_id}))
    body = text(page)
    assert page.status_code == 200 and "Établir le document" in body
    # The lines of the price list in force on the entry day, pre-checked, in French format.
    assert "Coiffure — 1\u202f234,50\u00a0€ par acte" in body
    assert f'value="{prices[0].public_id}"' in body and "checked" in body

    def post(action, data):
        url = reverse(
            "admissions:contract_action",
            kwargs={"person_id": resident_a.public_id, "action": action},
        )
        return client.post(url, {**data, "idempotency_key": key()})

    response = post("generate", {"price_lines": [str(prices[0].public_id)]})
    assert response.status_code == 302
    contract = Contract.objects.get(stay=stay)
    assert contract.price_lines == [
        {"label": "Hébergement", "amount": "68.50", "unit": "day", "kind": "accommodation_base"}
    ]
    form = client.get(reverse("admissions:contract", kwargs={"person_id": resident_a.public_id}))
    assert f"contact:{daughter.public_id}" in form.content.decode()
    assert f'value="contact:{daughter.pk}"' not in form.content.decode()
    response = post("sign", {"signed_on": "", "version": "1"})
    assert response.status_code == 400
    response = post(
        "sign",
        {
            "signed_on": today.isoformat(),
            "signed_by": f"contact:{daughter.public_id}",
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "ne représente pas la personne" in text(response)
    response = post("sign", {"signed_on": today.isoformat(), "person_signed": "on", "version": "1"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.signed_on == today and contract.signatories.get().is_the_person


def test_the_contract_page_runs_a_bounded_number_of_queries(
    stay,
    secretary_a,
    resident_a,
    daughter,
    logged_in_client,
    django_assert_max_num_queries,
    today,
    prices,
):
    contract = letters.contract_generate(acting_user=secretary_a, stay=stay, price_lines=prices)
    letters.contract_amend(
        acting_user=secretary_a, contract=contract, effective_on=today, description="Chambre"
    )
    client = logged_in_client(secretary_a)
    url = reverse("admissions:contract", kwargs={"person_id": resident_a.public_id})
    with django_assert_max_num_queries(30):
        page = client.get(url)
    assert page.status_code == 200 and "Chambre" in text(page)


def test_the_contract_page_says_when_there_is_no_current_stay(
    resident_a, secretary_a, logged_in_client
):
    client = logged_in_client(secretary_a)
    page = client.get(reverse("admissions:contract", kwargs={"person_id": resident_a.public_id}))
    assert page.status_code == 200
    assert "Aucun séjour en cours ou prévu" in page.content.decode()


def test_the_overdue_page_lists_only_late_contracts_of_visible_persons(
    unit_a, ehpad_a, secretary_a, director_a, logged_in_client, django_assert_max_num_queries, today
):
    people = []
    for name in ("Retard", "Alheure"):
        person = PersonFactory(birth_name=name)
        CareTeamMembershipFactory(person=person, establishment=ehpad_a, unit=unit_a)
        people.append(person)
    _contract_due(make_stay(people[0], unit_a), today - timedelta(days=2), secretary_a)
    _contract_due(make_stay(people[1], unit_a), today + timedelta(days=2), secretary_a)
    # A late contract in another unit nobody of this test's staff is scoped to still counts
    # for the director, who sees the whole establishment.
    other = UnitFactory(establishment=ehpad_a, name="Autre")
    hidden = PersonFactory(birth_name="Autreunite")
    CareTeamMembershipFactory(person=hidden, establishment=ehpad_a, unit=other)
    _contract_due(make_stay(hidden, other), today - timedelta(days=2), secretary_a)
    client = logged_in_client(director_a)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("admissions:contracts_overdue"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "RETARD" in html and "ALHEURE" not in html
    nurse = professional(username="ide.autre", profession="ide", establishment=ehpad_a, unit=other)
    client = logged_in_client(nurse)
    html = client.get(reverse("admissions:contracts_overdue")).content.decode()
    assert "AUTREUNITE" in html and "RETARD" not in html


def test_a_nurse_posting_to_the_contract_page_is_refused_and_it_is_journaled(
    stay, nurse_a, resident_a, logged_in_client
):
    url = reverse(
        "admissions:contract_action",
        kwargs={"person_id": resident_a.public_id, "action": "generate"},
    )
    response = logged_in_client(nurse_a).post(url, {"idempotency_key": key()})
    assert_refused(
        response,
        "Votre profession ne peut pas modifier cette partie du dossier",
        user=nurse_a,
        person=resident_a,
    )
    assert not Contract.objects.exists()
