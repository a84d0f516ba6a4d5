"""RNIV identity: statuses, strict traits, INS, duplicates on creation, merge."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership
from dui.core import dates
from dui.people import services
from dui.people.models import (
    BirthDatePrecision,
    Contact,
    EvidenceKind,
    IdentityStatus,
    InsOid,
    Person,
    Relationship,
    Sex,
)
from dui.people.nir import nir_key
from tests.factories import CareTeamMembershipFactory, PersonFactory


def valid_nir(first_13: str) -> str:
    return f"{first_13}{nir_key(first_13):02d}"


# A NIR consistent with a woman born in March 1941 in Lyon 3e (69383), order 012.
MARGUERITE_NIR = valid_nir("2410369383012")


def identity(**overrides) -> dict:
    data = {
        "birth_name": "MARTIN",
        "first_names": "Jeanne Marie",
        "used_name": "",
        "used_first_name": "",
        "birth_date": date(1941, 3, 12),
        "birth_date_precision": BirthDatePrecision.DAY,
        "sex": Sex.FEMALE,
        "birthplace_code": "69383",
    }
    data.update(overrides)
    return data


@pytest.fixture
def created(secretary_a, ehpad_a):
    return services.person_create(acting_user=secretary_a, establishment=ehpad_a, data=identity())


def version_now(person) -> int:
    """The version of the identity as a page would show it now."""
    return Person.objects.values_list("version", flat=True).get(pk=person.pk)


def check_identity_card(user, person, **kwargs):
    return services.identity_evidence_record(
        acting_user=user,
        person=person,
        kind=kwargs.pop("kind", EvidenceKind.IDENTITY_CARD),
        checked_on=kwargs.pop("checked_on", dates.today()),
        traits_match=kwargs.pop("traits_match", True),
        expected_version=kwargs.pop("expected_version", version_now(person)),
        **kwargs,
    )


def record_ins(user, person, number=MARGUERITE_NIR, **kwargs):
    return services.ins_record(
        acting_user=user,
        person=person,
        ins_number=number,
        ins_oid=kwargs.pop("ins_oid", InsOid.NIR),
        retrieved_at=dates.now(),
        traits_match=kwargs.pop("traits_match", True),
        expected_version=kwargs.pop("expected_version", version_now(person)),
        **kwargs,
    )


class TestCreation:
    def test_a_new_record_is_provisional_and_followed_by_the_establishment(self, created, ehpad_a):
        assert created.identity_status == IdentityStatus.PROVISIONAL
        membership = CareTeamMembership.objects.get(person=created)
        assert membership.establishment == ehpad_a and membership.unit is None
        assert AccessEvent.objects.filter(person=created, action=AccessAction.CREATE).exists()

    def test_a_birth_date_in_the_future_is_refused_and_nothing_is_saved(self, secretary_a, ehpad_a):
        with pytest.raises(ValidationError) as error:
            services.person_create(
                acting_user=secretary_a,
                establishment=ehpad_a,
                data=identity(birth_date=dates.today() + timedelta(days=1)),
            )
        assert "futur" in str(error.value.message_dict["birth_date"])
        assert not Person.objects.exists()

    def test_an_unknown_birthplace_code_is_refused(self, secretary_a, ehpad_a):
        with pytest.raises(ValidationError) as error:
            services.person_create(
                acting_user=secretary_a,
                establishment=ehpad_a,
                data=identity(birthplace_code="00000"),
            )
        assert "Code officiel géographique" in str(error.value.message_dict["birthplace_code"])
        assert not Person.objects.exists()

    def test_a_probable_duplicate_stops_the_creation_until_confirmed_with_a_reason(
        self, created, secretary_a, ehpad_a
    ):
        twin = identity(birth_name="Martín", first_names="jeanne")
        with pytest.raises(services.ProbableDuplicates) as stopped:
            services.person_create(acting_user=secretary_a, establishment=ehpad_a, data=twin)
        assert [m.person for m in stopped.value.matches] == [created]
        assert Person.objects.count() == 1

        second = services.person_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            data=twin,
            duplicate_reason="Homonyme : autre lieu de naissance vérifié sur sa carte d'identité",
        )
        assert Person.objects.count() == 2
        assert "Homonyme" in second.history.earliest().history_change_reason

    def test_duplicates_are_looked_for_in_the_whole_organisation(
        self, secretary_a, ehpad_a, unit_b
    ):
        other = PersonFactory(
            birth_name="MARTIN", first_names="Jeanne", birth_date=date(1941, 3, 12)
        )
        CareTeamMembershipFactory(person=other, establishment=unit_b.establishment, unit=unit_b)
        with pytest.raises(services.ProbableDuplicates):
            services.person_create(acting_user=secretary_a, establishment=ehpad_a, data=identity())

    def test_a_profession_that_cannot_write_administrative_data_cannot_open_a_record(
        self, aide_a, ehpad_a
    ):
        with pytest.raises(AccessDenied, match="ne peut pas ouvrir de dossier dans cet établi"):
            services.person_create(acting_user=aide_a, establishment=ehpad_a, data=identity())
        assert not Person.objects.exists()


class TestStatuses:
    """RNIV: statuses cross 'INS retrieved' and 'high-trust document checked' (FR Core
    fr-core-cs-identity-status)."""

    def test_a_checked_identity_card_validates_the_identity(self, created, secretary_a):
        check_identity_card(secretary_a, created)
        created.refresh_from_db()
        assert created.identity_status == IdentityStatus.VALIDATED

    def test_a_family_book_alone_does_not_validate_an_adult_s_identity(self, created, secretary_a):
        # RNIV 2024, volet 1, §3.3.3: the family book validates only a minor's identity (with
        # a parent's document) or, with the carte Vitale, a direct admission in EHPAD.
        with pytest.raises(ValidationError) as refused:
            check_identity_card(secretary_a, created, kind=EvidenceKind.FAMILY_BOOK)
        assert "ne valide pas l'identité d'une personne majeure" in str(
            refused.value.message_dict["kind"]
        )
        created.refresh_from_db()
        assert created.identity_status == IdentityStatus.PROVISIONAL
        assert not created.identity_evidence.exists()

    def test_another_document_is_recorded_without_validating(self, created, secretary_a):
        check_identity_card(secretary_a, created, kind=EvidenceKind.OTHER)
        created.refresh_from_db()
        assert created.identity_status == IdentityStatus.PROVISIONAL
        assert created.identity_evidence.get().kind == "other"

    def test_a_document_expired_at_the_check_cannot_validate(self, created, secretary_a):
        with pytest.raises(ValidationError):
            check_identity_card(secretary_a, created, expires_on=dates.today() - timedelta(days=1))
        created.refresh_from_db()
        assert created.identity_status == IdentityStatus.PROVISIONAL
        assert not created.identity_evidence.exists()

    def test_traits_that_do_not_match_the_document_are_refused(self, created, secretary_a):
        with pytest.raises(ValidationError) as error:
            check_identity_card(secretary_a, created, traits_match=False)
        assert "traits_match" in error.value.message_dict

    def test_a_document_checked_against_traits_changed_since_vouches_for_nothing(
        self, created, secretary_a
    ):
        read_at = version_now(created)
        services.identity_update(
            acting_user=secretary_a,
            person=created,
            data={"first_names": "Marguerite Anne", "first_birth_first_name": "Marguerite"},
            expected_version=read_at,
        )

        with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
            check_identity_card(secretary_a, created, expected_version=read_at)
        created.refresh_from_db()
        assert created.identity_status == IdentityStatus.PROVISIONAL
        assert not created.identity_evidence.exists()

    def test_an_ins_alone_makes_a_retrieved_identity(self, created, secretary_a):
        record_ins(secretary_a, created)
        created.refresh_from_db()
        assert created.identity_status == IdentityStatus.RETRIEVED
        assert created.ins_number == MARGUERITE_NIR

    @pytest.mark.parametrize("ins_first", [True, False])
    def test_ins_and_document_in_either_order_qualify_the_identity(
        self, created, secretary_a, ins_first
    ):
        steps = [
            lambda: record_ins(secretary_a, created),
            lambda: check_identity_card(secretary_a, created),
        ]
        for step in steps if ins_first else reversed(steps):
            step()
        created.refresh_from_db()
        assert created.identity_status == IdentityStatus.QUALIFIED

    def test_an_ins_with_a_wrong_key_is_refused_and_nothing_changes(self, created, secretary_a):
        wrong = MARGUERITE_NIR[:13] + f"{(int(MARGUERITE_NIR[13:]) % 97) + 1:02d}"
        with pytest.raises(ValidationError) as error:
            record_ins(secretary_a, created, number=wrong)
        assert "NIR valide" in str(error.value.message_dict["ins_number"])
        created.refresh_from_db()
        assert created.ins_number == "" and created.identity_status == IdentityStatus.PROVISIONAL

    def test_an_ins_already_carried_by_another_person_is_refused(
        self, created, secretary_a, ehpad_a
    ):
        record_ins(secretary_a, created)
        other = services.person_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            data=identity(birth_name="DURAND", first_names="Paule", birth_date=date(1941, 3, 2)),
        )
        with pytest.raises(ValidationError) as error:
            record_ins(secretary_a, other)
        assert "doublon" in str(error.value.message_dict["ins_number"])

    @pytest.mark.parametrize(
        ("first_13", "what"),
        [
            ("1410369383012", "le sexe"),  # 1: a man
            ("2420369383012", "l'année de naissance"),  # 42 for a woman born in 1941
            ("2410469383012", "le mois de naissance"),  # April for March
        ],
    )
    def test_an_ins_that_contradicts_the_traits_is_refused(
        self, created, secretary_a, first_13, what
    ):
        with pytest.raises(ValidationError) as error:
            record_ins(secretary_a, created, number=valid_nir(first_13))
        assert what in str(error.value.message_dict["ins_number"])

    def test_a_second_different_ins_needs_a_correction_first(self, created, secretary_a):
        record_ins(secretary_a, created)
        with pytest.raises(ValidationError) as error:
            record_ins(secretary_a, created, number=valid_nir("2410369383099"))
        assert "corrigez d'abord l'identité" in str(error.value.message_dict["ins_number"])


class TestStrictTraits:
    @pytest.fixture
    def qualified(self, created, secretary_a):
        check_identity_card(secretary_a, created)
        record_ins(secretary_a, created)
        created.refresh_from_db()
        assert created.identity_status == IdentityStatus.QUALIFIED
        return created

    def test_a_strict_trait_of_a_qualified_identity_needs_a_reason(self, qualified, secretary_a):
        with pytest.raises(ValidationError) as error:
            services.identity_update(
                acting_user=secretary_a,
                person=qualified,
                data={"birth_name": "MARTINEZ"},
                expected_version=version_now(qualified),
            )
        assert "provisoire" in str(error.value.message_dict["reason"])
        qualified.refresh_from_db()
        assert qualified.birth_name == "MARTIN"
        assert qualified.identity_status == IdentityStatus.QUALIFIED

    def test_with_a_reason_the_identity_goes_back_to_provisional_and_loses_its_ins(
        self, qualified, secretary_a
    ):
        person = services.identity_update(
            acting_user=secretary_a,
            person=qualified,
            data={"birth_name": "MARTINEZ"},
            expected_version=version_now(qualified),
            reason="Erreur de saisie du nom sur l'acte",
        )
        assert person.identity_status == IdentityStatus.PROVISIONAL
        assert person.ins_number == ""
        latest = person.history.latest()
        assert "Erreur de saisie" in latest.history_change_reason
        assert latest.prev_record.ins_number == MARGUERITE_NIR  # the history keeps it
        assert AccessEvent.objects.filter(person=person, action=AccessAction.UPDATE).count() >= 3

    def test_a_used_name_changes_without_touching_the_status(self, qualified, secretary_a):
        person = services.identity_update(
            acting_user=secretary_a,
            person=qualified,
            data={"used_name": "DUBOIS"},
            expected_version=version_now(qualified),
        )
        assert person.identity_status == IdentityStatus.QUALIFIED
        assert person.display_name.startswith("DUBOIS")

    def test_a_stale_version_is_a_conflict_not_an_overwrite(self, created, secretary_a):
        services.identity_update(
            acting_user=secretary_a,
            person=created,
            data={"used_name": "A"},
            expected_version=created.version,
        )
        with pytest.raises(ValidationError) as error:
            services.identity_update(
                acting_user=secretary_a,
                person=created,
                data={"used_name": "B"},
                expected_version=created.version,
            )
        assert "quelqu'un d'autre" in " ".join(error.value.messages)
        created.refresh_from_db()
        assert created.used_name == "A"


class TestMerge:
    @pytest.fixture
    def pair(self, secretary_a, ehpad_a, unit_a):
        kept = services.person_create(
            acting_user=secretary_a, establishment=ehpad_a, data=identity()
        )
        merged = services.person_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            data=identity(first_names="Jeanne"),
            duplicate_reason="Saisie en double à l'accueil (à fusionner)",
        )
        Contact.objects.create(
            person=merged, last_name="MARTIN", first_name="Luc", relationship=Relationship.CHILD
        )
        return kept, merged

    def test_the_director_merges_and_both_histories_stay(self, pair, director_a):
        kept, merged = pair
        services.person_merge(
            acting_user=director_a,
            kept=kept,
            merged=merged,
            reason="Doublon d'accueil",
            expected_version=version_now(kept),
        )
        merged.refresh_from_db()
        assert merged.merged_into == kept
        assert kept.contacts.get().first_name == "Luc"
        assert (
            merged.history.count() >= 2
            and "Fusionné" in merged.history.latest().history_change_reason
        )
        assert CareTeamMembership.objects.filter(person=kept).count() == 2
        assert AccessEvent.objects.filter(person=merged, object_type="people.merge").exists()
        assert AccessEvent.objects.filter(person=kept, object_type="people.merge").exists()

    def test_documents_and_stays_follow_the_kept_record(
        self, pair, director_a, secretary_a, unit_a
    ):
        from dui.documents.services import document_upload
        from dui.stays.models import Stay
        from tests.documents.samples import minimal_pdf, uploaded

        kept, merged = pair
        document = document_upload(
            acting_user=secretary_a,
            person=merged,
            kind="identity",
            title="Carte d'identité",
            document_date=dates.today(),
            category="administrative",
            uploaded_file=uploaded(minimal_pdf()),
        )
        stay = Stay.objects.create(
            person=merged,
            establishment=unit_a.establishment,
            unit=unit_a,
            kind="permanent",
            started_on=dates.today(),
        )
        services.person_merge(
            acting_user=director_a,
            kept=kept,
            merged=merged,
            reason="Doublon",
            expected_version=version_now(kept),
        )
        document.refresh_from_db()
        stay.refresh_from_db()
        assert document.person == kept and stay.person == kept
        assert document.history.earliest().person_id == merged.pk

    def test_with_two_trusted_persons_the_latest_designation_stands(self, pair, director_a):
        kept, merged = pair
        common = {"relationship": Relationship.CHILD, "is_trusted_person": True}
        Contact.objects.create(
            person=kept, last_name="A", trusted_person_designated_on=date(2024, 1, 1), **common
        )
        Contact.objects.create(
            person=merged, last_name="B", trusted_person_designated_on=date(2025, 6, 1), **common
        )
        services.person_merge(
            acting_user=director_a,
            kept=kept,
            merged=merged,
            reason="Doublon",
            expected_version=version_now(kept),
        )
        trusted = kept.contacts.filter(is_trusted_person=True)
        assert [c.last_name for c in trusted] == ["B"]
        assert kept.contacts.count() == 3

    def test_an_ins_checked_against_other_traits_does_not_qualify_the_kept_record(
        self, pair, director_a, secretary_a
    ):
        kept, merged = pair  # the merged record has other first names
        record_ins(secretary_a, merged)
        services.person_merge(
            acting_user=director_a,
            kept=kept,
            merged=merged,
            reason="Doublon",
            expected_version=version_now(kept),
        )
        kept.refresh_from_db()
        assert kept.ins_number == "" and kept.identity_status == IdentityStatus.PROVISIONAL

    def test_a_merged_record_is_read_only(self, pair, director_a, secretary_a):
        kept, merged = pair
        services.person_merge(
            acting_user=director_a,
            kept=kept,
            merged=merged,
            reason="Doublon",
            expected_version=version_now(kept),
        )
        merged.refresh_from_db()
        with pytest.raises(AccessDenied, match="ne pouvez pas modifier l'identité") as refused:
            services.identity_update(
                acting_user=secretary_a,
                person=merged,
                data={"used_name": "X"},
                expected_version=merged.version,
            )
        assert refused.value.person == merged
        merged.refresh_from_db()
        assert merged.used_name != "X"

    def test_a_secretary_may_not_merge(self, pair, secretary_a):
        kept, merged = pair
        with pytest.raises(AccessDenied, match="Seule la direction") as refused:
            services.person_merge(
                acting_user=secretary_a,
                kept=kept,
                merged=merged,
                reason="x",
                expected_version=version_now(kept),
            )
        assert refused.value.person == kept
        merged.refresh_from_db()
        assert not merged.is_merged

    def test_two_different_ins_are_two_persons(self, pair, director_a, secretary_a):
        kept, merged = pair
        record_ins(secretary_a, kept)
        record_ins(secretary_a, merged, number=valid_nir("2410369383013"))
        with pytest.raises(ValidationError):
            services.person_merge(
                acting_user=director_a,
                kept=kept,
                merged=merged,
                reason="x",
                expected_version=version_now(kept),
            )
        merged.refresh_from_db()
        assert merged.merged_into is None
