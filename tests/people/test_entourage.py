"""The entourage: contacts, the trusted person, and the entourage tab as each persona lives it."""

import html
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dui.access.decorators import CATEGORY_NOT_READ, CATEGORY_NOT_WRITTEN, NOT_FOLLOWED
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CategoryPermission
from dui.core import dates
from dui.people import entourage as services
from dui.people.models import Contact, Relationship
from tests.factories import profession
from tests.people.entourage_factories import (
    ContactFactory,
    DocumentFactory,
    LegalProtectionFactory,
)
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

TODAY = dates.today  # called when used: never a day computed at import


def text(response) -> str:
    return html.unescape(response.content.decode())


def journal(action, obj) -> list[AccessEvent]:
    return list(
        AccessEvent.objects.filter(
            action=action, object_type=obj._meta.label, object_id=str(obj.public_id)
        )
    )


def key() -> str:
    return str(uuid.uuid4())


def entourage_url(person) -> str:
    return reverse("people:entourage", kwargs={"person_id": person.public_id})


CONTACT = {
    "last_name": "Lefebvre",
    "first_name": "Sophie",
    "relationship": Relationship.CHILD,
    "relationship_detail": "fille aînée",
    "phone": "06 11 22 33 44",
    "is_emergency_contact": True,
}


# --- Contacts: services -----------------------------------------------------------------------


class TestContactServices:
    def test_the_secretary_adds_a_contact_and_the_write_is_journaled(self, secretary_a, resident_a):
        contact = services.contact_create(acting_user=secretary_a, person=resident_a, data=CONTACT)

        assert contact.person == resident_a and contact.is_emergency_contact
        assert contact.created_by == secretary_a and contact.version == 1
        [event] = journal(AccessAction.CREATE, contact)
        assert event.user == secretary_a and event.person == resident_a

    def test_an_emergency_contact_without_phone_or_address_is_refused_and_nothing_is_saved(
        self, secretary_a, resident_a
    ):
        with pytest.raises(ValidationError) as refused:
            services.contact_create(
                acting_user=secretary_a, person=resident_a, data={**CONTACT, "phone": ""}
            )

        assert "prévenir en cas d'urgence doit avoir un téléphone" in str(
            refused.value.message_dict["phone"]
        )
        assert not Contact.objects.exists()
        assert not AccessEvent.objects.filter(action=AccessAction.CREATE).exists()

    def test_a_nurse_who_only_reads_the_administrative_record_cannot_add_a_contact(
        self, nurse_a, resident_a
    ):
        with pytest.raises(AccessDenied, match="ne peut pas modifier cette partie") as refused:
            services.contact_create(acting_user=nurse_a, person=resident_a, data=CONTACT)
        assert refused.value.person == resident_a
        assert not Contact.objects.exists()

    def test_an_update_bumps_the_version_and_is_journaled(self, secretary_a, resident_a):
        contact = ContactFactory(person=resident_a)

        services.contact_update(
            acting_user=secretary_a,
            contact=contact,
            data={"phone": "04 78 00 00 00"},
            expected_version=1,
        )

        contact.refresh_from_db()
        assert contact.phone == "04 78 00 00 00" and contact.version == 2
        assert contact.updated_by == secretary_a
        assert len(journal(AccessAction.UPDATE, contact)) == 1

    def test_a_form_read_before_someone_else_s_change_is_refused_with_a_conflict_message(
        self, secretary_a, resident_a
    ):
        contact = ContactFactory(person=resident_a)
        services.contact_update(
            acting_user=secretary_a, contact=contact, data={"phone": "01"}, expected_version=1
        )

        with pytest.raises(ValidationError) as stale:
            services.contact_update(
                acting_user=secretary_a, contact=contact, data={"phone": "02"}, expected_version=1
            )

        assert stale.value.code == "stale_version"
        assert "modifié par quelqu'un d'autre pendant votre saisie" in stale.value.messages[0]
        contact.refresh_from_db()
        assert contact.phone == "01"

    def test_ending_a_contact_keeps_it_with_its_reason_in_the_history(
        self, secretary_a, resident_a
    ):
        contact = ContactFactory(person=resident_a)

        services.contact_end(
            acting_user=secretary_a,
            contact=contact,
            ended_on=TODAY(),
            reason="A déménagé",
            expected_version=contact.version,
        )

        contact.refresh_from_db()
        assert contact.ended_on == TODAY() and not contact.is_active
        assert contact.history.first().history_change_reason == "Fin : A déménagé"
        assert len(journal(AccessAction.UPDATE, contact)) == 1

    def test_a_contact_cannot_leave_the_entourage_in_the_future(self, secretary_a, resident_a):
        contact = ContactFactory(person=resident_a)
        with pytest.raises(ValidationError) as refused:
            services.contact_end(
                acting_user=secretary_a,
                contact=contact,
                ended_on=TODAY() + timedelta(days=3),
                reason="Départ prévu",
                expected_version=contact.version,
            )
        assert "ended_on" in refused.value.message_dict

    def test_marking_a_contact_entered_in_error_keeps_the_row_and_its_history(
        self, secretary_a, resident_a
    ):
        contact = ContactFactory(person=resident_a)

        services.contact_mark_entered_in_error(
            acting_user=secretary_a,
            contact=contact,
            reason="Proche d'un autre résident",
            expected_version=contact.version,
        )

        contact.refresh_from_db()
        assert contact.entered_in_error
        assert contact.entered_in_error_reason == "Proche d'un autre résident"
        assert contact.history.count() == 2  # created by the factory, then marked
        assert len(journal(AccessAction.AMEND, contact)) == 1

    def test_entered_in_error_needs_a_reason(self, secretary_a, resident_a):
        contact = ContactFactory(person=resident_a)
        with pytest.raises(ValidationError) as refused:
            services.contact_mark_entered_in_error(
                acting_user=secretary_a,
                contact=contact,
                reason="  ",
                expected_version=contact.version,
            )
        assert "reason" in refused.value.message_dict

    def test_a_contact_exercising_a_current_measure_cannot_leave_the_entourage(
        self, secretary_a, resident_a
    ):
        tutelle = LegalProtectionFactory(person=resident_a)

        with pytest.raises(ValidationError) as refused:
            services.contact_end(
                acting_user=secretary_a,
                contact=tutelle.representative_contact,
                ended_on=TODAY(),
                reason="Décédé",
                expected_version=tutelle.representative_contact.version,
            )

        assert refused.value.code == "contact_is_representative"


# --- Trusted person ---------------------------------------------------------------------------


class TestTrustedPerson:
    def test_designating_a_trusted_person_ends_the_previous_designation_in_the_same_transaction(
        self, secretary_a, resident_a
    ):
        former = ContactFactory(person=resident_a, trusted=True)
        newcomer = ContactFactory(person=resident_a)
        form = DocumentFactory(person=resident_a)

        services.trusted_person_designate(
            acting_user=secretary_a,
            contact=newcomer,
            designated_on=TODAY(),
            form_document=form,
            expected_version=1,
        )

        former.refresh_from_db()
        newcomer.refresh_from_db()
        assert newcomer.is_trusted_person and newcomer.trusted_person_designated_on == TODAY()
        assert newcomer.trusted_person_form == form
        assert not former.is_trusted_person and former.is_active  # still in the entourage
        assert former.history.first().history_change_reason.startswith(
            "Nouvelle personne de confiance"
        )
        assert len(journal(AccessAction.UPDATE, former)) == 1
        assert len(journal(AccessAction.UPDATE, newcomer)) == 1

    def test_a_refused_designation_leaves_the_previous_trusted_person_in_place(
        self, secretary_a, resident_a, resident_b
    ):
        former = ContactFactory(person=resident_a, trusted=True)
        newcomer = ContactFactory(person=resident_a)
        someone_elses_form = DocumentFactory(person=resident_b)

        with pytest.raises(ValidationError):
            services.trusted_person_designate(
                acting_user=secretary_a,
                contact=newcomer,
                designated_on=TODAY(),
                form_document=someone_elses_form,
                expected_version=newcomer.version,
            )

        former.refresh_from_db()
        newcomer.refresh_from_db()
        assert former.is_trusted_person and not newcomer.is_trusted_person
        assert not AccessEvent.objects.filter(action=AccessAction.UPDATE).exists()

    def test_the_database_keeps_one_current_trusted_person_per_person(self, resident_a):
        ContactFactory(person=resident_a, trusted=True)

        # PostgreSQL names the partial unique index; SQLite names its column.
        refused = r"contact_one_trusted_person|UNIQUE constraint failed: people_contact\.person_id"
        with pytest.raises(IntegrityError, match=refused), transaction.atomic():
            ContactFactory(person=resident_a, trusted=True)

    def test_the_unique_rule_is_checked_by_name_with_its_french_message(self, resident_a):
        ContactFactory(person=resident_a, trusted=True)
        second = ContactFactory.build(person=resident_a, trusted=True)

        with pytest.raises(ValidationError) as refused:
            second.validate_constraints()

        assert "déjà une personne de confiance" in refused.value.messages[0]

    def test_an_ended_trusted_person_does_not_block_a_new_designation(
        self, secretary_a, resident_a
    ):
        ContactFactory(person=resident_a, trusted=True, ended=True)
        newcomer = ContactFactory(person=resident_a)

        services.trusted_person_designate(
            acting_user=secretary_a,
            contact=newcomer,
            designated_on=TODAY(),
            expected_version=newcomer.version,
        )

        assert Contact.objects.get(pk=newcomer.pk).is_trusted_person

    def test_a_designation_date_in_the_future_is_refused(self, secretary_a, resident_a):
        contact = ContactFactory(person=resident_a)

        with pytest.raises(ValidationError) as refused:
            services.trusted_person_designate(
                acting_user=secretary_a,
                contact=contact,
                designated_on=TODAY() + timedelta(days=1),
                expected_version=contact.version,
            )

        assert refused.value.message_dict["trusted_person_designated_on"] == [
            "La date de désignation ne peut être dans le futur."
        ]
        assert not Contact.objects.get(pk=contact.pk).is_trusted_person

    def test_a_designation_needs_its_date(self, secretary_a, resident_a):
        contact = ContactFactory(person=resident_a)
        with pytest.raises(ValidationError) as refused:
            services.trusted_person_designate(
                acting_user=secretary_a,
                contact=contact,
                designated_on=None,
                expected_version=contact.version,
            )
        assert "trusted_person_designated_on" in refused.value.message_dict

    def test_the_signed_form_must_be_a_designation_form(self, secretary_a, resident_a):
        contact = ContactFactory(person=resident_a)
        identity_card = DocumentFactory(person=resident_a, kind="identity")

        with pytest.raises(ValidationError) as refused:
            services.trusted_person_designate(
                acting_user=secretary_a,
                contact=contact,
                designated_on=TODAY(),
                form_document=identity_card,
                expected_version=contact.version,
            )

        assert "trusted_person_form" in refused.value.message_dict

    def test_a_former_contact_cannot_be_designated(self, secretary_a, resident_a):
        contact = ContactFactory(person=resident_a, ended=True)
        with pytest.raises(ValidationError):
            services.trusted_person_designate(
                acting_user=secretary_a,
                contact=contact,
                designated_on=TODAY(),
                expected_version=contact.version,
            )

    def test_the_person_revokes_the_designation_and_the_contact_stays(
        self, secretary_a, resident_a
    ):
        contact = ContactFactory(person=resident_a, trusted=True)

        services.trusted_person_revoke(
            acting_user=secretary_a,
            contact=contact,
            reason="Choix de la résidente",
            expected_version=contact.version,
        )

        contact.refresh_from_db()
        assert not contact.is_trusted_person and contact.is_active
        assert len(journal(AccessAction.UPDATE, contact)) == 1


# --- The entourage tab ------------------------------------------------------------------------


@pytest.fixture
def secretary(logged_in_client, secretary_a):
    return logged_in_client(secretary_a)


class TestEntouragePage:
    def test_it_lists_current_contacts_with_their_roles_and_folds_the_former_ones(
        self, secretary, resident_a
    ):
        form = DocumentFactory(person=resident_a)
        trusted = ContactFactory(
            person=resident_a,
            last_name="Durand",
            trusted=True,
            trusted_person_form=form,
            is_family_referent=True,
        )
        LegalProtectionFactory(person=resident_a, representative_contact=trusted)
        ContactFactory(person=resident_a, last_name="Petit", is_emergency_contact=True)
        ContactFactory(person=resident_a, last_name="Ancien", ended=True)

        response = secretary.get(entourage_url(resident_a))

        page = text(response)
        assert response.status_code == 200
        assert "DURAND" in page and "PETIT" in page
        assert "Personne de confiance" in page
        assert f"désignée le {trusted.trusted_person_designated_on:%d/%m/%Y}" in page
        assert "Représentant légal" in page and "Référent familial" in page
        assert "À prévenir en cas d'urgence" in page
        assert "<details" in page and "Anciens contacts" in page and "ANCIEN" in page

    def test_a_nurse_of_another_ehpad_is_refused(self, logged_in_client, nurse_b, resident_a):
        response = logged_in_client(nurse_b).get(entourage_url(resident_a))
        assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)

    def test_a_profession_without_administrative_read_sees_neither_the_tab_nor_the_page(
        self, logged_in_client, aide_a, ehpad_a, resident_a
    ):
        CategoryPermission.objects.create(
            establishment=ehpad_a,
            profession=profession("as"),
            category="administrative",
            can_read=False,
            can_write=False,
        )
        client = logged_in_client(aide_a)

        record = client.get(reverse("people:record", kwargs={"person_id": resident_a.public_id}))
        assert record.status_code == 200
        assert entourage_url(resident_a) not in record.content.decode()
        assert_refused(
            client.get(entourage_url(resident_a)), CATEGORY_NOT_READ, user=aide_a, person=resident_a
        )

    def test_the_tab_is_shown_to_a_profession_reading_the_administrative_record(
        self, logged_in_client, nurse_a, resident_a
    ):
        record = logged_in_client(nurse_a).get(
            reverse("people:record", kwargs={"person_id": resident_a.public_id})
        )
        assert "Entourage et protection" in text(record)
        assert entourage_url(resident_a) in record.content.decode()

    def test_a_nurse_reads_the_entourage_but_gets_no_write_buttons(
        self, logged_in_client, nurse_a, resident_a
    ):
        ContactFactory(person=resident_a)
        client = logged_in_client(nurse_a)

        page = text(client.get(entourage_url(resident_a)))

        assert "Ajouter un proche" not in page and "Modifier" not in page
        create = reverse("people:contact_create", kwargs={"person_id": resident_a.public_id})
        line = assert_refused(
            client.get(create), CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a
        )
        # Opening the form is a refused write, journaled as such, not as a read.
        assert not AccessEvent.objects.filter(
            user=nurse_a, action=AccessAction.READ, pk__gt=line.pk
        ).exists()
        assert_refused(
            client.post(create, {**CONTACT, "idempotency_key": key()}),
            CATEGORY_NOT_WRITTEN,
            user=nurse_a,
            person=resident_a,
        )
        assert Contact.objects.count() == 1  # the one the page showed

    def test_the_query_count_does_not_grow_with_the_number_of_contacts(
        self, secretary, resident_a, django_assert_max_num_queries
    ):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert secretary.get(entourage_url(resident_a)).status_code == 200
            return len(captured)

        secretary.get(entourage_url(resident_a))  # the journal's first line reads its anchor
        trusted = ContactFactory(person=resident_a, trusted=True)
        LegalProtectionFactory(person=resident_a, representative_contact=trusted)
        ContactFactory(person=resident_a)
        with_two = queries()
        ContactFactory.create_batch(18, person=resident_a)
        LegalProtectionFactory(person=resident_a, kind="curatelle_simple")
        with_twenty = queries()

        assert with_twenty == with_two
        with django_assert_max_num_queries(with_two):
            secretary.get(entourage_url(resident_a))


class TestContactForms:
    def test_the_secretary_adds_a_contact_through_the_form(self, secretary, resident_a):
        url = reverse("people:contact_create", kwargs={"person_id": resident_a.public_id})
        assert secretary.get(url).status_code == 200

        response = secretary.post(url, {**CONTACT, "idempotency_key": key()})

        assert response.status_code == 302 and response["Location"] == entourage_url(resident_a)
        contact = Contact.objects.get(person=resident_a)
        assert contact.relationship_detail == "fille aînée"
        assert len(journal(AccessAction.CREATE, contact)) == 1

    def test_an_emergency_contact_without_phone_is_shown_again_with_the_message(
        self, secretary, resident_a
    ):
        url = reverse("people:contact_create", kwargs={"person_id": resident_a.public_id})
        response = secretary.post(url, {**CONTACT, "phone": "", "idempotency_key": key()})

        assert response.status_code == 400
        assert "doit avoir un téléphone" in text(response)
        assert not Contact.objects.exists()

    def test_a_stale_edit_form_ends_in_a_conflict_message_not_an_overwrite(
        self, secretary, secretary_a, resident_a
    ):
        contact = ContactFactory(person=resident_a, last_name="Roux")
        url = reverse(
            "people:contact_update",
            kwargs={"person_id": resident_a.public_id, "contact_id": contact.public_id},
        )
        services.contact_update(
            acting_user=secretary_a, contact=contact, data={"phone": "01"}, expected_version=1
        )

        response = secretary.post(
            url,
            {
                **CONTACT,
                "last_name": "Roux",
                "phone": "09",
                "version": "1",
                "idempotency_key": key(),
            },
        )

        assert response.status_code == 400
        assert "modifié par quelqu'un d'autre pendant votre saisie" in text(response)
        assert Contact.objects.get(pk=contact.pk).phone == "01"

    def test_the_secretary_designates_the_trusted_person_with_the_signed_form(
        self, secretary, resident_a
    ):
        contact = ContactFactory(person=resident_a)
        form = DocumentFactory(person=resident_a, title="Désignation 2026")
        url = reverse(
            "people:trusted_person_designate",
            kwargs={"person_id": resident_a.public_id, "contact_id": contact.public_id},
        )
        assert "Désignation 2026" in text(secretary.get(url))

        response = secretary.post(
            url,
            {
                "trusted_person_designated_on": TODAY().isoformat(),
                "trusted_person_form": str(form.public_id),
                "version": "1",
                "idempotency_key": key(),
            },
        )

        assert response.status_code == 302
        contact.refresh_from_db()
        assert contact.is_trusted_person and contact.trusted_person_form == form
        header = text(secretary.get(entourage_url(resident_a)))
        assert "Personne de confiance" in header

    def test_a_future_designation_date_is_refused_by_the_form(self, secretary, resident_a):
        contact = ContactFactory(person=resident_a)
        url = reverse(
            "people:trusted_person_designate",
            kwargs={"person_id": resident_a.public_id, "contact_id": contact.public_id},
        )
        response = secretary.post(
            url,
            {
                "trusted_person_designated_on": (TODAY() + timedelta(days=5)).isoformat(),
                "version": "1",
                "idempotency_key": key(),
            },
        )
        assert response.status_code == 400
        assert "ne peut être dans le futur" in text(response)

    def test_ending_and_marking_in_error_through_the_forms(self, secretary, resident_a):
        leaving = ContactFactory(person=resident_a, last_name="Depart")
        wrong = ContactFactory(person=resident_a, last_name="Erreur")
        kwargs = {"person_id": resident_a.public_id}

        ended = secretary.post(
            reverse("people:contact_end", kwargs={**kwargs, "contact_id": leaving.public_id}),
            {
                "ended_on": TODAY().isoformat(),
                "reason": "A déménagé",
                "version": "1",
                "idempotency_key": key(),
            },
        )
        marked = secretary.post(
            reverse("people:contact_error", kwargs={**kwargs, "contact_id": wrong.public_id}),
            {"reason": "Doublon", "version": "1", "idempotency_key": key()},
        )

        assert ended.status_code == 302 and marked.status_code == 302
        page = text(secretary.get(entourage_url(resident_a)))
        assert "ne fait plus partie de l'entourage depuis le" in page
        assert "saisi par erreur : Doublon" in page


def test_an_edit_that_does_not_say_which_version_it_read_is_a_conflict(secretary_a, resident_a):
    from django.core.exceptions import ValidationError

    from dui.people import entourage
    from dui.people.models import Contact

    contact = Contact.objects.create(
        person=resident_a, last_name="Durand", relationship="child", version=5
    )
    with pytest.raises(ValidationError):
        entourage.contact_update(
            acting_user=secretary_a,
            contact=contact,
            data={"first_name": "Luc"},
            expected_version=None,
        )
    contact.refresh_from_db()
    assert contact.first_name == ""


@pytest.mark.parametrize(
    "service, arguments",
    [
        (services.contact_end, {"ended_on": dates.today, "reason": "A déménagé"}),
        (services.contact_mark_entered_in_error, {"reason": "Doublon"}),
        (services.trusted_person_designate, {"designated_on": dates.today}),
    ],
)
def test_ending_marking_or_designating_a_contact_needs_the_version_the_form_read(
    secretary_a, resident_a, service, arguments
):
    """Before issue 9 these services skipped a missing version: a form read before someone
    else's change overwrote it."""
    contact = ContactFactory(person=resident_a)
    given = {name: value() if callable(value) else value for name, value in arguments.items()}

    with pytest.raises(ValidationError, match="version de la fiche manquante"):
        service(acting_user=secretary_a, contact=contact, expected_version=None, **given)
    with pytest.raises(ValidationError, match="modifié par quelqu'un d'autre"):
        service(acting_user=secretary_a, contact=contact, expected_version=7, **given)

    contact.refresh_from_db()
    assert contact.is_active and not contact.is_trusted_person and contact.version == 1
