"""No sequential database key in the pages of the record (DESIGN §5 "Ids"): every choice of a
unit, a contact, a partner, a document or a record travels as its public UUID."""

import re

import pytest
from django.urls import reverse

from dui.coordination.models import PartnerKind
from dui.documents.models import DocumentKind
from tests.factories import CareTeamMembershipFactory, PersonFactory
from tests.people.entourage_factories import (
    ContactFactory,
    DocumentFactory,
    LegalProtectionFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="(\d+)"')
INPUT = re.compile(r"<input\b[^>]*>")
NAME = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="(\d+)"')
# The version a form was read at is a counter, not a key.
COUNTERS = {"version", "expected_version"}


def integer_ids(page: str) -> list[str]:
    """Every <option> or hidden input of the page whose value is a bare integer."""
    found = [f"<option value={value}>" for value in OPTION.findall(page)]
    for tag in INPUT.findall(page):
        name, value = NAME.search(tag), VALUE.search(tag)
        if 'type="hidden"' in tag and value and (name is None or name[1] not in COUNTERS):
            found.append(tag)
    return found


@pytest.fixture
def record(resident_a, organisation, unit_a):
    """A record with something to pick on every form: contacts, a mandataire, documents of
    each kind a picker offers, a measure, a GP, and a probable duplicate."""
    contact = ContactFactory(person=resident_a)
    LegalProtectionFactory(person=resident_a, representative_contact=contact)
    PartnerFactory(organisation=organisation)
    PartnerFactory(organisation=organisation, kind=PartnerKind.GENERAL_PRACTITIONER)
    for kind in (DocumentKind.IDENTITY, DocumentKind.JUDGEMENT, DocumentKind.TRUSTED_PERSON_FORM):
        DocumentFactory(person=resident_a, kind=kind)
    twin = PersonFactory(
        birth_name=resident_a.birth_name,
        first_names=resident_a.first_names,
        birth_date=resident_a.birth_date,
    )
    CareTeamMembershipFactory(person=twin, establishment=unit_a.establishment, unit=unit_a)
    return resident_a, contact


def test_the_record_s_forms_name_every_choice_by_its_public_id(
    logged_in_client, director_a, record
):
    person, contact = record
    protection = person.legal_protections.get()
    client = logged_in_client(director_a)
    person_pages = [
        "people:identity_edit",
        "people:identity_evidence",
        "people:identity_ins",
        "people:merge",
        "people:entourage",
        "people:contact_create",
        "people:protection_create",
        "people:alerts",
        "people:administrative_edit",
        "documents:list",
    ]
    urls = [reverse("people:create"), reverse("coordination:partner_create")]
    urls += [reverse(name, kwargs={"person_id": person.public_id}) for name in person_pages]
    urls += [
        reverse(name, kwargs={"person_id": person.public_id, "contact_id": contact.public_id})
        for name in ("people:contact_update", "people:trusted_person_designate")
    ]
    urls.append(
        reverse(
            "people:protection_update",
            kwargs={"person_id": person.public_id, "protection_id": protection.public_id},
        )
    )

    pages = {url: client.get(url) for url in urls}

    assert {url: r.status_code for url, r in pages.items() if r.status_code != 200} == {}
    found = {url: integer_ids(r.content.decode()) for url, r in pages.items()}
    assert {url: ids for url, ids in found.items() if ids} == {}
    # The pickers did offer something: the check is not vacuous.
    assert str(contact.public_id) in pages[urls[-1]].content.decode()
