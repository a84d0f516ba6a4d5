"""Minors: who holds parental authority, shown in the header and used by « who signs »; the
personne de confiance offered to adults only, and with the judge's authorisation under a
measure with assistance or representation of the person."""

import html
import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.core import dates
from dui.people import entourage as services
from dui.people.models import (
    AuthorityExercise,
    Contact,
    GuardianRelation,
    ParentalAuthority,
    PersonalActs,
    ProtectionKind,
    Relationship,
)
from tests.factories import CareTeamMembershipFactory, PersonFactory
from tests.people.entourage_factories import (
    ContactFactory,
    DocumentFactory,
    LegalProtectionFactory,
    ParentalAuthorityFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db


def years_ago(years: int) -> date:
    today = dates.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def text(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    """The page as a reader sees it: no tags, one space between words."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def child(unit_a):
    """A nine-year-old followed by unit A."""
    person = PersonFactory(birth_name="Petit", first_names="Léo", birth_date=years_ago(9))
    CareTeamMembershipFactory(person=person, establishment=unit_a.establishment, unit=unit_a)
    return person


def parent(child, first_name):
    return ContactFactory(
        person=child, last_name="Petit", first_name=first_name, relationship=Relationship.PARENT
    )


def holder_data(contact, **overrides) -> dict:
    return {
        "role": "parent",
        "exercise": AuthorityExercise.JOINT,
        "holder_contact": contact,
        "relation": GuardianRelation.MOTHER,
        "started_on": contact.person.birth_date,
        "decision_kind": "filiation",
        **overrides,
    }


class TestRecordingHolders:
    def test_both_parents_are_recorded_and_journaled(self, secretary_a, child):
        mother, father = parent(child, "Anne"), parent(child, "Marc")

        services.parental_authority_create(
            acting_user=secretary_a, person=child, data=holder_data(mother)
        )
        second = services.parental_authority_create(
            acting_user=secretary_a,
            person=child,
            data=holder_data(father, relation=GuardianRelation.FATHER),
        )

        assert ParentalAuthority.objects.current().filter(person=child).count() == 2
        assert second.tddui_relationship() == {"role": "GUARD", "relation": "FTH"}
        assert AccessEvent.objects.filter(
            action=AccessAction.CREATE, object_id=str(second.public_id)
        ).exists()
        assert father.holds_parental_authority

    def test_a_third_holder_exercising_jointly_is_refused_and_nothing_is_saved(
        self, secretary_a, child
    ):
        """C. civ. 372: the parents exercise it in common — never more than two at once."""
        ParentalAuthorityFactory(person=child, holder_contact=parent(child, "Anne"))
        ParentalAuthorityFactory(
            person=child, holder_contact=parent(child, "Marc"), relation=GuardianRelation.FATHER
        )
        grandmother = ContactFactory(person=child, relationship=Relationship.OTHER_FAMILY)

        with pytest.raises(ValidationError) as refused:
            services.parental_authority_create(
                acting_user=secretary_a,
                person=child,
                data=holder_data(
                    grandmother,
                    role="delegate",
                    relation=GuardianRelation.GRANDMOTHER,
                    decision_kind="delegation",
                    decision_date=dates.today() - timedelta(days=5),
                    started_on=dates.today() - timedelta(days=5),
                ),
            )

        assert "s'exerce en commun à deux au plus" in refused.value.message_dict["holder"][0]
        assert ParentalAuthority.objects.filter(person=child).count() == 2

    def test_a_sole_exercise_excludes_another_holder(self, secretary_a, child):
        ParentalAuthorityFactory(
            person=child, holder_contact=parent(child, "Anne"), exercise=AuthorityExercise.SOLE
        )

        with pytest.raises(ValidationError) as refused:
            services.parental_authority_create(
                acting_user=secretary_a,
                person=child,
                data=holder_data(parent(child, "Marc"), relation=GuardianRelation.FATHER),
            )

        assert "exerce seul(e) l'autorité parentale" in refused.value.message_dict["holder"][0]

    def test_a_parent_without_the_exercise_may_be_recorded_beside_two_holders(
        self, secretary_a, child
    ):
        """The exercise is what is limited; a parent deprived of it is recorded, to be
        informed (C. civ. 373-2-1)."""
        ParentalAuthorityFactory(person=child, holder_contact=parent(child, "Anne"))
        ParentalAuthorityFactory(
            person=child, holder_contact=parent(child, "Marc"), relation=GuardianRelation.FATHER
        )

        recorded = services.parental_authority_create(
            acting_user=secretary_a,
            person=child,
            data=holder_data(
                parent(child, "Luc"),
                relation=GuardianRelation.ADOPTIVE_FATHER,
                exercise=AuthorityExercise.NONE,
            ),
        )

        assert not recorded.exercises

    def test_a_parent_is_the_mother_or_the_father(self, secretary_a, child):
        with pytest.raises(ValidationError) as refused:
            services.parental_authority_create(
                acting_user=secretary_a,
                person=child,
                data=holder_data(parent(child, "Anne"), relation=GuardianRelation.AUNT),
            )

        assert "la mère ou le père" in refused.value.message_dict["relation"][0]

    def test_a_tutor_needs_the_decision_that_appoints_him(self, secretary_a, child):
        with pytest.raises(ValidationError) as refused:
            services.parental_authority_create(
                acting_user=secretary_a,
                person=child,
                data=holder_data(
                    parent(child, "Anne"),
                    role="tutor",
                    exercise=AuthorityExercise.SOLE,
                    relation=GuardianRelation.AUNT,
                    decision_kind="guardianship",
                ),
            )

        assert "decision_date" in refused.value.message_dict

    def test_an_adult_has_no_parental_authority(self, secretary_a, resident_a):
        """C. civ. 371-1, 414: it ends at eighteen."""
        with pytest.raises(ValidationError) as refused:
            services.parental_authority_create(
                acting_user=secretary_a,
                person=resident_a,
                data=holder_data(
                    ContactFactory(person=resident_a, relationship=Relationship.PARENT),
                    started_on=dates.today() - timedelta(days=3),
                ),
            )

        assert "La personne est majeure à cette date" in refused.value.message_dict["started_on"][0]

    def test_the_service_to_whom_the_child_is_entrusted_does_not_exercise_it(
        self, secretary_a, child, organisation
    ):
        ase = PartnerFactory(organisation=organisation, kind="social", name="ASE du Rhône")

        with pytest.raises(ValidationError) as refused:
            services.parental_authority_create(
                acting_user=secretary_a,
                person=child,
                data={
                    "role": "custodian",
                    "exercise": AuthorityExercise.JOINT,
                    "holder_partner": ase,
                    "started_on": dates.today() - timedelta(days=30),
                    "decision_kind": "children_judge",
                    "decision_date": dates.today() - timedelta(days=30),
                },
            )

        assert "n'exerce pas l'autorité parentale (C. civ. 373-4, 375-7)" in str(refused.value)

    def test_a_holder_cannot_leave_the_entourage_before_the_line_ends(self, secretary_a, child):
        mother = parent(child, "Anne")
        authority = ParentalAuthorityFactory(person=child, holder_contact=mother)

        with pytest.raises(ValidationError, match="figure dans l'autorité parentale"):
            services.contact_end(
                acting_user=secretary_a,
                contact=mother,
                ended_on=dates.today(),
                reason="Déménagement",
                expected_version=mother.version,
            )

        services.parental_authority_end(
            acting_user=secretary_a,
            authority=authority,
            ended_on=dates.today(),
            reason="Jugement de retrait",
            expected_version=authority.version,
        )
        services.contact_end(
            acting_user=secretary_a,
            contact=mother,
            ended_on=dates.today(),
            reason="Déménagement",
            expected_version=mother.version,
        )
        assert not Contact.objects.get(pk=mother.pk).is_active


class TestPages:
    def test_the_header_names_the_holders_and_who_signs(
        self, logged_in_client, secretary_a, child, django_assert_max_num_queries
    ):
        mother = ParentalAuthorityFactory(person=child, holder_contact=parent(child, "Anne"))
        ParentalAuthorityFactory(
            person=child, holder_contact=parent(child, "Marc"), relation=GuardianRelation.FATHER
        )
        client = logged_in_client(secretary_a)
        url = reverse("people:entourage", kwargs={"person_id": child.public_id})
        client.get(url)

        with django_assert_max_num_queries(45):
            page = visible(client.get(url))

        assert "Autorité parentale : PETIT Anne (mère), PETIT Marc (père)" in page
        assert "PETIT Anne (mère) et PETIT Marc (père) signent pour l'enfant" in page
        assert "l'avis de l'enfant est recueilli" in page
        assert mother.holder_contact.display_name in page

    def test_the_entourage_page_costs_the_same_whatever_the_number_of_holders(
        self, logged_in_client, secretary_a, child, django_assert_max_num_queries
    ):
        client = logged_in_client(secretary_a)
        url = reverse("people:entourage", kwargs={"person_id": child.public_id})
        ParentalAuthorityFactory(person=child, holder_contact=parent(child, "Anne"))
        client.get(url)
        with django_assert_max_num_queries(60) as few:
            client.get(url)
        ParentalAuthorityFactory(
            person=child, holder_contact=parent(child, "Marc"), relation=GuardianRelation.FATHER
        )
        ParentalAuthorityFactory(
            person=child,
            holder_contact=parent(child, "Luc"),
            relation=GuardianRelation.ADOPTIVE_FATHER,
            exercise=AuthorityExercise.NONE,
        )
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)

    def test_the_personne_de_confiance_is_not_offered_for_a_minor(
        self, logged_in_client, secretary_a, child
    ):
        mother = parent(child, "Anne")
        client = logged_in_client(secretary_a)

        page = text(client.get(reverse("people:entourage", kwargs={"person_id": child.public_id})))
        designate = client.get(
            reverse(
                "people:trusted_person_designate",
                kwargs={"person_id": child.public_id, "contact_id": mother.public_id},
            ),
            follow=True,
        )

        assert "Désigner personne de confiance" not in page
        assert "n'est proposée qu'aux personnes majeures" in page
        assert "n'est proposée qu'aux personnes majeures" in text(designate)

    def test_the_secretary_records_a_parent_through_the_form_and_a_third_is_refused(
        self, logged_in_client, secretary_a, child
    ):
        client = logged_in_client(secretary_a)
        url = reverse("people:parental_authority_create", kwargs={"person_id": child.public_id})
        people = [parent(child, name) for name in ("Anne", "Marc", "Zoé")]
        relations = ["MTH", "FTH", "MTH"]

        statuses = []
        for contact, relation in zip(people, relations, strict=True):
            response = client.post(
                url,
                {
                    "role": "parent",
                    "holder": f"contact:{contact.public_id}",
                    "relation": relation,
                    "exercise": "joint",
                    "started_on": child.birth_date.isoformat(),
                    "decision_kind": "filiation",
                    "idempotency_key": str(uuid.uuid4()),
                },
            )
            statuses.append(response.status_code)

        assert statuses == [302, 302, 400]
        assert "s'exerce en commun à deux au plus" in text(response)
        assert ParentalAuthority.objects.filter(person=child).count() == 2


class TestTrustedPerson:
    def test_a_designation_for_a_minor_is_refused(self, secretary_a, child):
        uncle = ContactFactory(person=child, relationship=Relationship.OTHER_FAMILY)

        with pytest.raises(ValidationError) as refused:
            services.trusted_person_designate(
                acting_user=secretary_a,
                contact=uncle,
                designated_on=dates.today(),
                expected_version=uncle.version,
            )

        assert refused.value.messages == [
            "La personne de confiance n'est proposée qu'aux personnes majeures (CASF L311-5-1, "
            "CSP L1111-6)."
        ]
        assert not Contact.objects.get(pk=uncle.pk).is_trusted_person

    def test_under_representation_of_the_person_the_designation_needs_the_judge(
        self, secretary_a, resident_a
    ):
        """CASF L311-5-1 al. 4, CSP L1111-6: authorisation of the family council or, failing
        it, of the juge des tutelles — refused without it, recorded with it."""
        LegalProtectionFactory(person=resident_a, personal_acts=PersonalActs.REPRESENTATION)
        friend = ContactFactory(person=resident_a, relationship=Relationship.FRIEND)

        with pytest.raises(ValidationError) as refused:
            services.trusted_person_designate(
                acting_user=secretary_a,
                contact=friend,
                designated_on=dates.today(),
                expected_version=friend.version,
            )
        assert (
            "CASF L311-5-1 al. 4" in refused.value.message_dict["trusted_person_authorised_by"][0]
        )
        assert not Contact.objects.get(pk=friend.pk).is_trusted_person

        order = DocumentFactory(person=resident_a, kind="judgement", title="Ordonnance")
        services.trusted_person_designate(
            acting_user=secretary_a,
            contact=friend,
            designated_on=dates.today(),
            expected_version=friend.version,
            authorised_by="judge",
            authorised_on=dates.today() - timedelta(days=3),
            authorisation_document=order,
        )
        friend.refresh_from_db()
        assert friend.is_trusted_person
        assert friend.trusted_person_authorised_by == "judge"
        assert friend.trusted_person_authorisation == order

    def test_a_curatelle_without_a_decision_on_personal_acts_needs_no_authorisation(
        self, secretary_a, resident_a
    ):
        LegalProtectionFactory(person=resident_a, kind=ProtectionKind.CURATELLE_RENFORCEE)
        friend = ContactFactory(person=resident_a, relationship=Relationship.FRIEND)

        services.trusted_person_designate(
            acting_user=secretary_a,
            contact=friend,
            designated_on=dates.today(),
            expected_version=friend.version,
        )

        assert Contact.objects.get(pk=friend.pk).is_trusted_person

    def test_the_form_asks_the_authorisation_when_it_is_needed(
        self, logged_in_client, secretary_a, resident_a
    ):
        LegalProtectionFactory(
            person=resident_a,
            personal_acts=PersonalActs.ASSISTANCE,
            kind=ProtectionKind.CURATELLE_SIMPLE,
        )
        friend = ContactFactory(person=resident_a, relationship=Relationship.FRIEND)
        url = reverse(
            "people:trusted_person_designate",
            kwargs={"person_id": resident_a.public_id, "contact_id": friend.public_id},
        )
        client = logged_in_client(secretary_a)

        page = text(client.get(url))
        response = client.post(
            url,
            {
                "version": friend.version,
                "trusted_person_designated_on": dates.today().isoformat(),
                "idempotency_key": str(uuid.uuid4()),
            },
        )

        assert "Désignation autorisée par" in page
        assert response.status_code == 400
        assert "la désignation demande l'autorisation du conseil de famille" in text(response)
