"""Identity pages as a secretary, a nurse and a director use them."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from dui.access.decorators import CATEGORY_NOT_WRITTEN, NOT_FOLLOWED
from dui.core import dates
from dui.people.models import BirthDatePrecision, IdentityStatus, Person
from tests.factories import CareTeamMembershipFactory, PersonFactory
from tests.refusals import assert_refused


def form_data(**overrides) -> dict:
    """The identity form as typed; the first birth first name is the first of the list typed
    unless the test types it."""
    data = {
        "birth_name": "Martin",
        "first_names": "Jeanne  Marie",
        "first_birth_first_name": overrides.get("first_names", "Jeanne").split()[0],
        "used_name": "",
        "used_first_name": "",
        "birth_date_text": "12/03/1941",
        "sex": "F",
        "birthplace_code": "69383",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def secretary(logged_in_client, secretary_a):
    return logged_in_client(secretary_a)


class TestOpeningARecord:
    def test_the_secretary_opens_a_record_and_lands_on_its_identity(self, secretary):
        response = secretary.post(reverse("people:create"), form_data())
        person = Person.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("people:identity", args=[person.public_id])
        assert person.birth_name == "MARTIN" and person.first_names == "Jeanne Marie"
        page = secretary.get(response["Location"])
        assert "Identité provisoire" in page.content.decode()

    def test_the_journal_says_from_where_and_under_which_assignment(self, secretary, secretary_a):
        from dui.access.models import AccessAction, AccessEvent

        secretary.post(reverse("people:create"), form_data())
        person = Person.objects.get()
        created = AccessEvent.objects.get(
            person=person, action=AccessAction.CREATE, object_type="people.Person"
        )
        assert created.ip_address == "127.0.0.1"
        assert created.assignment.user == secretary_a

    def test_a_probable_duplicate_is_shown_and_must_be_confirmed_with_a_reason(
        self, secretary, resident_a
    ):
        resident_a.birth_date = date(1941, 3, 12)
        resident_a.save()
        data = form_data(birth_name="lefèbvre", first_names="Marguerite")
        response = secretary.post(reverse("people:create"), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Doublon probable" in page and resident_a.display_name in page
        assert Person.objects.count() == 1

        confirmed = secretary.post(
            reverse("people:create"),
            {**data, "duplicate_reason": "Sœurs jumelles", "idempotency_key": str(uuid.uuid4())},
        )
        assert confirmed.status_code == 302
        assert Person.objects.count() == 2

    def test_a_duplicate_outside_the_users_rights_is_mentioned_without_its_identity(
        self, secretary, resident_b
    ):
        resident_b.birth_date = date(1941, 3, 12)
        resident_b.save()
        data = form_data(birth_name=resident_b.birth_name, first_names=resident_b.first_names)
        page = secretary.post(reverse("people:create"), data).content.decode()
        assert "Un dossier semblable existe dans l'organisation" in page
        assert resident_b.display_name not in page

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("31/02/1950", "Cette date n&#x27;existe pas."),
            ("01/01/2999", "La date de naissance ne peut être dans le futur."),
            ("1950", "jj/mm/aaaa"),
        ],
    )
    def test_a_bad_birth_date_is_explained_next_to_the_field(self, secretary, typed, message):
        response = secretary.post(reverse("people:create"), form_data(birth_date_text=typed))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Person.objects.exists()

    def test_an_unknown_day_and_month_are_kept_as_such(self, secretary):
        secretary.post(reverse("people:create"), form_data(birth_date_text="00/00/1942"))
        person = Person.objects.get()
        assert person.birth_date_precision == BirthDatePrecision.YEAR
        assert person.birth_date_display == "00/00/1942"

    def test_an_unknown_birthplace_code_is_refused(self, secretary):
        response = secretary.post(reverse("people:create"), form_data(birthplace_code="12345"))
        assert response.status_code == 400
        assert "Code officiel géographique" in response.content.decode()

    def test_a_record_opened_for_a_unit_is_seen_by_its_nurses_only(
        self, secretary, unit_a, logged_in_client, nurse_a, nurse_b
    ):
        secretary.post(reverse("people:create"), form_data(unit=unit_a.public_id))
        person = Person.objects.get()
        url = reverse("people:record", args=[person.public_id])
        assert logged_in_client(nurse_a).get(url).status_code == 200
        assert_refused(
            logged_in_client(nurse_b).get(url), NOT_FOLLOWED, user=nurse_b, person=person
        )

    def test_the_unit_is_chosen_by_its_public_id_never_its_database_key(self, secretary, unit_a):
        page = secretary.get(reverse("people:create")).content.decode()

        assert f'value="{unit_a.public_id}"' in page
        assert f'value="{unit_a.pk}"' not in page

    def test_an_aide_soignant_cannot_open_a_record(self, logged_in_client, aide_a):
        assert_refused(
            logged_in_client(aide_a).get(reverse("people:create")),
            "Votre profession ne peut pas ouvrir de dossier dans cet établissement.",
            user=aide_a,
        )


class TestIdentityTab:
    def test_a_nurse_reads_the_identity_without_edit_buttons(
        self, logged_in_client, nurse_a, resident_a
    ):
        page = logged_in_client(nurse_a).get(
            reverse("people:identity", args=[resident_a.public_id])
        )
        assert page.status_code == 200
        assert "Modifier l&#x27;identité" not in page.content.decode()

    def test_a_nurse_cannot_post_an_identity_change(self, logged_in_client, nurse_a, resident_a):
        response = logged_in_client(nurse_a).post(
            reverse("people:identity_edit", args=[resident_a.public_id]),
            form_data(version=resident_a.version),
        )
        assert_refused(response, CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a)
        resident_a.refresh_from_db()
        assert resident_a.birth_name == "Lefebvre"

    @pytest.mark.parametrize(
        "page", ["identity_edit", "identity_evidence", "identity_ins", "merge"]
    )
    def test_a_nurse_who_only_reads_is_refused_the_identity_forms_themselves(
        self, logged_in_client, nurse_a, resident_a, page
    ):
        response = logged_in_client(nurse_a).get(
            reverse(f"people:{page}", args=[resident_a.public_id])
        )

        assert_refused(response, CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a)

    def test_the_identity_page_costs_the_same_whatever_the_history(
        self, secretary, resident_a, django_assert_max_num_queries
    ):
        url = reverse("people:identity", args=[resident_a.public_id])
        secretary.get(url)
        with django_assert_max_num_queries(30) as few:
            secretary.get(url)
        for n in range(15):
            resident_a.used_name = f"NOM{n}"
            resident_a.save()
        with django_assert_max_num_queries(len(few.captured_queries)):
            secretary.get(url)

    def test_the_whole_check_flow_qualifies_the_identity(self, secretary, resident_a):
        Person.objects.filter(pk=resident_a.pk).update(birth_date=date(1941, 3, 12), sex="F")
        identity = reverse("people:identity", args=[resident_a.public_id])
        resident_a.refresh_from_db()
        response = secretary.post(
            reverse("people:identity_evidence", args=[resident_a.public_id]),
            {
                "version": resident_a.version,
                "kind": "CN",
                "checked_on": dates.today().isoformat(),
                "traits_match": "on",
                "idempotency_key": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 302
        resident_a.refresh_from_db()
        assert resident_a.identity_status == IdentityStatus.VALIDATED
        response = secretary.post(
            reverse("people:identity_ins", args=[resident_a.public_id]),
            {
                "version": resident_a.version,
                "ins_number": f"2 41 03 69 383 012 {97 - int('2410369383012') % 97:02d}",
                "ins_oid": "1.2.250.1.213.1.4.8",
                "retrieved_on": dates.today().isoformat(),
                "traits_match": "on",
                "idempotency_key": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 302
        page = secretary.get(identity).content.decode()
        assert "Identité qualifiée" in page and "2 41 03 69 383 012" in page

    def test_an_edit_of_a_strict_trait_of_a_qualified_identity_without_reason_is_refused(
        self, secretary, resident_a
    ):
        Person.objects.filter(pk=resident_a.pk).update(
            identity_status=IdentityStatus.VALIDATED, birthplace_code="69383"
        )
        resident_a.refresh_from_db()
        response = secretary.post(
            reverse("people:identity_edit", args=[resident_a.public_id]),
            form_data(
                birth_name="Autre",
                first_names=resident_a.first_names,
                birth_date_text=resident_a.birth_date_display,
                sex=resident_a.sex,
                version=resident_a.version,
            ),
        )
        assert response.status_code == 400
        assert "Indiquez le motif" in response.content.decode()
        resident_a.refresh_from_db()
        assert resident_a.birth_name == "Lefebvre"


class TestHistory:
    def test_the_history_shows_who_changed_what_and_why(self, secretary, secretary_a, resident_a):
        from dui.people import services

        services.identity_update(
            acting_user=secretary_a,
            person=resident_a,
            data={"used_name": "DUBOIS"},
            expected_version=resident_a.version,
        )
        page = secretary.get(
            reverse("people:history", args=[resident_a.public_id])
        ).content.decode()
        assert "Nom utilisé" in page and "DUBOIS" in page

    def test_a_profession_without_administrative_read_sees_no_identity_history(
        self, logged_in_client, unit_a
    ):
        from tests.factories import professional

        admin_user = professional(
            username="tech", profession="administrateur", establishment=unit_a.establishment
        )
        person = PersonFactory()
        CareTeamMembershipFactory(person=person, establishment=unit_a.establishment, unit=unit_a)
        response = logged_in_client(admin_user).get(
            reverse("people:history", args=[person.public_id])
        )
        # The technical administrator reads no record at all.
        assert_refused(response, NOT_FOLLOWED, user=admin_user, person=person)


def test_a_correction_that_makes_the_identity_look_like_another_record_warns(
    logged_in_client, secretary_a, unit_a
):
    other = PersonFactory(birth_name="DURAND", first_names="Louise", birth_date=date(1941, 3, 12))
    CareTeamMembershipFactory(person=other, establishment=unit_a.establishment, unit=unit_a)
    person = PersonFactory(birth_name="DUVAL", first_names="Louise", birth_date=date(1941, 3, 12))
    CareTeamMembershipFactory(person=person, establishment=unit_a.establishment, unit=unit_a)
    client = logged_in_client(secretary_a)
    response = client.post(
        reverse("people:identity_edit", args=[person.public_id]),
        form_data(
            birth_name="Durand",
            first_names="Louise",
            birth_date_text="12/03/1941",
            sex=person.sex,
            version=person.version,
        ),
        follow=True,
    )
    assert "ressemble à celle d&#x27;un autre dossier" in response.content.decode()
