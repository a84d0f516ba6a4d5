"""Identity under the RNIV 2024: the documents that validate an identity (FR Core « mode de
validation » codes) with the exceptions of RNIV 2024, volet 1, §3.3.3 (a minor's birth
certificate or family book with a parent's document; a direct admission in EHPAD with the
carte Vitale bearing a photograph), and the first birth first name as a trait of its own."""

import html
import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.core import dates
from dui.organisation.models import EstablishmentCategory
from dui.people import rniv, services
from dui.people.duplicates import probable_duplicates
from dui.people.models import (
    AuthorityExercise,
    EvidenceKind,
    GuardianRelation,
    IdentityStatus,
    ParentalRole,
    Person,
)
from tests.factories import CareTeamMembershipFactory, EstablishmentFactory, PersonFactory
from tests.people.entourage_factories import ParentalAuthorityFactory

pytestmark = pytest.mark.django_db


def years_ago(years: int) -> date:
    today = dates.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


PARENT = rniv.Guarantor(role="parent", has_decision=False, is_current=True)
TUTOR_WITH_DECISION = rniv.Guarantor(role="tutor", has_decision=True, is_current=True)
TUTOR_WITHOUT_DECISION = rniv.Guarantor(role="tutor", has_decision=False, is_current=True)
CUSTODIAN = rniv.Guarantor(role="custodian", has_decision=True, is_current=True)
FORMER_PARENT = rniv.Guarantor(role="parent", has_decision=False, is_current=False)

# (case, facts, refused field or None when the document validates, the text it rests on)
RNIV_TABLE = [
    # High-trust documents validate alone, whoever the person (RNIV 2024, volet 1; FR Core).
    *[
        (f"{code}-adult", rniv.EvidenceFacts(kind=code, minor=False), None, "RNIV high trust")
        for code in ("CN", "PA", "CS", "eCN", "IN", "AV")
    ],
    *[
        (f"{code}-minor", rniv.EvidenceFacts(kind=code, minor=True), None, "RNIV high trust")
        for code in ("CN", "PA", "CS", "eCN", "IN", "AV")
    ],
    # A minor: birth certificate or family book WITH a parent's high-trust document (§3.3.3).
    *[
        (
            f"{code}-minor-parent",
            rniv.EvidenceFacts(
                kind=code, minor=True, guarantor=PARENT, guarantor_document_kind="CN"
            ),
            None,
            rniv.RNIV_333,
        )
        for code in ("AN", "LEP")
    ],
    *[
        (
            f"{code}-minor-alone",
            rniv.EvidenceFacts(kind=code, minor=True),
            "guarantor",
            rniv.RNIV_333,
        )
        for code in ("AN", "LEP")
    ],
    (
        "LEP-minor-parent-without-high-trust-document",
        rniv.EvidenceFacts(kind="LEP", minor=True, guarantor=PARENT, guarantor_document_kind="LEP"),
        "guarantor_document_kind",
        rniv.RNIV_333,
    ),
    (
        "AN-minor-tutor-with-decision",
        rniv.EvidenceFacts(
            kind="AN", minor=True, guarantor=TUTOR_WITH_DECISION, guarantor_document_kind="PA"
        ),
        None,
        rniv.RNIV_333,
    ),
    (
        "AN-minor-tutor-without-decision",
        rniv.EvidenceFacts(
            kind="AN", minor=True, guarantor=TUTOR_WITHOUT_DECISION, guarantor_document_kind="PA"
        ),
        "guarantor",
        rniv.RNIV_333,
    ),
    (
        "AN-minor-custodian-service",
        rniv.EvidenceFacts(
            kind="AN", minor=True, guarantor=CUSTODIAN, guarantor_document_kind="CN"
        ),
        "guarantor",
        rniv.RNIV_333,
    ),
    (
        "AN-minor-former-parent",
        rniv.EvidenceFacts(
            kind="AN", minor=True, guarantor=FORMER_PARENT, guarantor_document_kind="CN"
        ),
        "guarantor",
        rniv.RNIV_333,
    ),
    # An adult's birth certificate or family book validates nothing outside the EHPAD case.
    *[
        (f"{code}-adult", rniv.EvidenceFacts(kind=code, minor=False), "kind", rniv.RNIV_333)
        for code in ("AN", "LEP")
    ],
    # The travel document of a foreign minor (CC) validates a minor's identity only.
    ("CC-minor", rniv.EvidenceFacts(kind="CC", minor=True), None, rniv.RNIV_333),
    ("CC-adult", rniv.EvidenceFacts(kind="CC", minor=False), "kind", rniv.RNIV_333),
    # Family book or birth extract with the carte Vitale bearing a photograph: direct admission
    # in EHPAD only (§3.3.3).
    *[
        (
            f"{code}-direct-ehpad-admission",
            rniv.EvidenceFacts(kind=code, minor=False, in_ehpad=True, direct_ehpad_admission=True),
            None,
            rniv.RNIV_333,
        )
        for code in ("LECV", "ANCV")
    ],
    *[
        (
            f"{code}-ehpad-not-direct",
            rniv.EvidenceFacts(kind=code, minor=False, in_ehpad=True),
            "direct_ehpad_admission",
            rniv.RNIV_333,
        )
        for code in ("LECV", "ANCV")
    ],
    *[
        (
            f"{code}-not-an-ehpad",
            rniv.EvidenceFacts(kind=code, minor=False, direct_ehpad_admission=True),
            "kind",
            rniv.RNIV_333,
        )
        for code in ("LECV", "ANCV")
    ],
    # Another document is recorded for the file and validates nothing (never refused).
    ("other", rniv.EvidenceFacts(kind="other", minor=False), None, "RNIV"),
]


@pytest.mark.parametrize(
    ("facts", "refused_field", "text"),
    [row[1:] for row in RNIV_TABLE],
    ids=[row[0] for row in RNIV_TABLE],
)
def test_which_documents_validate_an_identity_as_the_rniv_says(facts, refused_field, text):
    refusal = rniv.refusal(facts)

    if refused_field is None:
        assert refusal == {}
    else:
        assert list(refusal) == [refused_field]
        if text == rniv.RNIV_333 and refused_field != "guarantor_document_kind":
            assert rniv.RNIV_333 in refusal[refused_field]  # the French message names its text


def test_every_fr_core_code_is_a_choice_of_the_form():
    assert {"CN", "PA", "CS", "eCN", "IN", "AV", "LECV", "ANCV", "AN", "LEP", "CC"} <= set(
        EvidenceKind.values
    )


# --- Through the service ----------------------------------------------------------------------


@pytest.fixture
def child(unit_a):
    person = PersonFactory(birth_name="Petit", first_names="Léo", birth_date=years_ago(9))
    CareTeamMembershipFactory(person=person, establishment=unit_a.establishment, unit=unit_a)
    return person


def check(user, person, kind, **kwargs):
    return services.identity_evidence_record(
        acting_user=user,
        person=person,
        kind=kind,
        checked_on=dates.today(),
        traits_match=True,
        expected_version=Person.objects.values_list("version", flat=True).get(pk=person.pk),
        **kwargs,
    )


def test_a_child_s_birth_certificate_with_the_mother_s_identity_card_validates(secretary_a, child):
    """RNIV 2024, volet 1, §3.3.3: a minor without an identity document."""
    mother = ParentalAuthorityFactory(person=child, relation=GuardianRelation.MOTHER)

    evidence = check(
        secretary_a,
        child,
        EvidenceKind.BIRTH_CERTIFICATE,
        guarantor=mother,
        guarantor_document_kind="CN",
    )

    child.refresh_from_db()
    assert child.identity_status == IdentityStatus.VALIDATED
    assert evidence.guarantor == mother
    assert evidence.guarantor_document_kind == "CN"


def test_a_child_s_family_book_alone_is_refused_and_nothing_is_saved(secretary_a, child):
    with pytest.raises(ValidationError) as refused:
        check(secretary_a, child, EvidenceKind.FAMILY_BOOK)

    assert "pièce d'identité d'un parent" in " ".join(refused.value.message_dict["guarantor"])
    child.refresh_from_db()
    assert child.identity_status == IdentityStatus.PROVISIONAL
    assert not child.identity_evidence.exists()


def test_the_parent_of_another_child_cannot_vouch(secretary_a, child):
    other = ParentalAuthorityFactory(person=PersonFactory(birth_date=years_ago(5)))

    with pytest.raises(ValidationError) as refused:
        check(
            secretary_a,
            child,
            EvidenceKind.FAMILY_BOOK,
            guarantor=other,
            guarantor_document_kind="CN",
        )

    assert "guarantor" in refused.value.message_dict
    assert not child.identity_evidence.exists()


def test_a_parent_without_the_exercise_may_still_present_his_document(secretary_a, child):
    """The document ties the family book to a real person; it signs nothing (cautious reading
    of §3.3.3, `rniv.py`)."""
    father = ParentalAuthorityFactory(
        person=child, relation=GuardianRelation.FATHER, exercise=AuthorityExercise.NONE
    )

    check(
        secretary_a,
        child,
        EvidenceKind.FAMILY_BOOK,
        guarantor=father,
        guarantor_document_kind="PA",
    )

    child.refresh_from_db()
    assert child.identity_status == IdentityStatus.VALIDATED
    assert father.role == ParentalRole.PARENT


def followed(unit, **kwargs):
    person = PersonFactory(**kwargs)
    CareTeamMembershipFactory(person=person, establishment=unit.establishment, unit=unit)
    return person


def test_a_direct_admission_in_ehpad_validates_with_the_carte_vitale(secretary_a, ehpad_a, unit_a):
    """RNIV 2024, volet 1, §3.3.3: family book + carte Vitale with photograph, EHPAD only."""
    person = followed(unit_a, birth_date=years_ago(90))

    check(
        secretary_a,
        person,
        EvidenceKind.FAMILY_BOOK_AND_VITALE,
        establishment=ehpad_a,
        direct_ehpad_admission=True,
    )

    person.refresh_from_db()
    assert person.identity_status == IdentityStatus.VALIDATED
    assert person.identity_evidence.get().direct_ehpad_admission


def test_the_carte_vitale_exception_is_refused_outside_an_ehpad(secretary_a, organisation, unit_a):
    """The establishment is the one the professional acts for (here a FAM)."""
    foyer = EstablishmentFactory(organisation=organisation, category=EstablishmentCategory.FAM)
    person = followed(unit_a, birth_date=years_ago(50))

    with pytest.raises(ValidationError) as refused:
        check(
            secretary_a,
            person,
            EvidenceKind.FAMILY_BOOK_AND_VITALE,
            establishment=foyer,
            direct_ehpad_admission=True,
        )

    assert "admission directe en EHPAD" in " ".join(refused.value.message_dict["kind"])
    person.refresh_from_db()
    assert person.identity_status == IdentityStatus.PROVISIONAL


def test_the_evidence_page_offers_the_parents_of_a_minor(logged_in_client, secretary_a, child):
    ParentalAuthorityFactory(person=child, relation=GuardianRelation.MOTHER)

    page = logged_in_client(secretary_a).get(
        reverse("people:identity_evidence", args=[child.public_id])
    )

    content = html.unescape(page.content.decode())
    assert "Mineur : pièce d'identité présentée par" in content
    assert "(mère)" in content


# --- The first birth first name, a trait of its own -------------------------------------------


def identity(**overrides) -> dict:
    data = {
        "birth_name": "MARTIN",
        "first_names": "Jean Pierre Marie",
        "first_birth_first_name": "Jean Pierre",
        "used_name": "",
        "used_first_name": "",
        "birth_date": date(1941, 3, 12),
        "birth_date_precision": "day",
        "sex": "M",
        "birthplace_code": "69383",
    }
    data.update(overrides)
    return data


def test_a_composed_first_name_with_a_space_is_kept_whole(secretary_a, ehpad_a):
    person = services.person_create(acting_user=secretary_a, establishment=ehpad_a, data=identity())

    person.refresh_from_db()
    assert person.first_birth_first_name == "Jean Pierre"
    assert person.display_name == "MARTIN Jean Pierre"  # the header's name


def test_a_first_birth_first_name_that_does_not_begin_the_list_is_refused(secretary_a, ehpad_a):
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            data=identity(first_birth_first_name="Pierre"),
        )

    assert "début de la liste des prénoms" in " ".join(
        refused.value.message_dict["first_birth_first_name"]
    )
    assert not Person.objects.filter(birth_name="MARTIN").exists()


def test_the_identity_form_asks_it_and_the_header_shows_it(
    logged_in_client, secretary_a, resident_a
):
    client = logged_in_client(secretary_a)
    form = client.get(reverse("people:identity_edit", args=[resident_a.public_id]))
    assert "Premier prénom de naissance" in form.content.decode()

    page = client.get(reverse("people:identity", args=[resident_a.public_id])).content.decode()
    assert 'data-testid="first-birth-first-name">' + resident_a.first_first_name in page
    assert resident_a.display_name in page


def test_duplicates_compare_the_first_birth_first_name_whole():
    born = date(1950, 3, 12)
    jean_pierre = PersonFactory(
        birth_name="DURAND",
        first_names="Jean Pierre Louis",
        first_birth_first_name="Jean Pierre",
        birth_date=born,
    )

    [match] = probable_duplicates(
        candidates=Person.objects.all(),
        birth_name="Durand",
        first_names="Jean Pierre",
        first_birth_first_name="Jean Pierre",
        birth_date=born,
    )

    assert match.person == jean_pierre
    assert "même premier prénom" in match.reasons


def test_search_finds_a_person_by_a_composed_first_birth_first_name(secretary_a, resident_a):
    from dui.people.selectors import person_search

    resident_a.first_names = "Marie Claire Anne"
    resident_a.first_birth_first_name = "Marie Claire"
    resident_a.refresh_search_name()
    resident_a.save()

    found = person_search(user=secretary_a, query=f"{resident_a.birth_name} Marie Claire")

    assert resident_a in found


def test_the_data_migration_starts_from_the_first_word_of_the_list():
    """Rows written before issue 11 get the first word, as every screen derived it."""
    migration = importlib.import_module("dui.people.migrations.0011_migrate_kinds_and_first_name")
    person = PersonFactory(first_names="Louise Jeanne")
    Person.objects.filter(pk=person.pk).update(first_birth_first_name="")
    Person.history.model.objects.filter(id=person.pk).update(first_birth_first_name="")

    migration.first_names_forward(apps, None)

    person.refresh_from_db()
    assert person.first_birth_first_name == "Louise"
    assert person.history.latest().first_birth_first_name == "Louise"


def test_a_list_read_without_the_trait_costs_no_query_per_person(django_assert_num_queries):
    PersonFactory(first_names="Louise Jeanne")
    PersonFactory(first_names="Paul")
    persons = list(Person.objects.only("birth_name", "used_name", "first_names", "used_first_name"))

    with django_assert_num_queries(0):
        shown = [p.display_name for p in persons]

    assert any(name.endswith(" Louise") for name in shown)
