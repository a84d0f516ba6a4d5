"""Allergies and intolerances: the care tab, and the badge in the header of every page."""

import html
import uuid
from datetime import timedelta

import factory
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.access.policy import person_access
from dui.care import services
from dui.care.background import services as background_services
from dui.care.background.models import AllergyStatement
from dui.care.models import Allergy, AllergySeverity
from dui.care.selectors import allergy_badges
from tests.factories import PersonFactory, days_ago, days_ahead, today
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db


class AllergyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allergy

    person = factory.SubFactory(PersonFactory)
    substance = "Pénicilline"
    kind = "drug"
    severity = AllergySeverity.SEVERE


def text(response) -> str:
    return html.unescape(response.content.decode())


def journal(action, obj) -> list[AccessEvent]:
    return list(
        AccessEvent.objects.filter(
            action=action, object_type=obj._meta.label, object_id=str(obj.public_id)
        )
    )


def record_url(person) -> str:
    return reverse("people:record", kwargs={"person_id": person.public_id})


def allergies_url(person) -> str:
    return reverse("care:allergies", kwargs={"person_id": person.public_id})


def badges(client, person) -> list[str]:
    body = client.get(record_url(person)).content.decode()
    return [
        html.unescape(part.split(">", 1)[1].split("</span>", 1)[0])
        for part in body.split('data-testid="header-badge"')[1:]
    ]


class TestHeaderBadge:
    def test_nurse_a_sees_the_allergies_in_the_header_of_the_record_page(
        self, logged_in_client, nurse_a, resident_a
    ):
        AllergyFactory(person=resident_a, substance="pénicilline")
        AllergyFactory(person=resident_a, substance="arachide", kind="food", severity="moderate")
        AllergyFactory(person=resident_a, substance="iode", entered_in_error=True)

        page = text(logged_in_client(nurse_a).get(record_url(resident_a)))

        assert "Allergies : pénicilline, arachide" in page
        assert "iode" not in page

    def test_intolerances_have_their_own_badge(self, nurse_a, resident_a):
        AllergyFactory(person=resident_a, substance="lactose", is_intolerance=True, kind="food")

        [badge] = allergy_badges(resident_a, person_access(user=nurse_a, person=resident_a))

        assert badge.label == "Intolérances : lactose" and badge.level == "warn"

    def test_nothing_recorded_is_not_no_allergy(self, logged_in_client, nurse_a, resident_a):
        page = text(logged_in_client(nurse_a).get(record_url(resident_a)))

        assert "Allergies non renseignées" in page
        assert "Pas d'allergie" not in page

    def test_the_secretary_who_does_not_read_care_gets_no_badge(
        self, logged_in_client, secretary_a, resident_a
    ):
        AllergyFactory(person=resident_a, substance="pénicilline")

        page = text(logged_in_client(secretary_a).get(record_url(resident_a)))

        assert "pénicilline" not in page
        assert "Allergies" not in page

    def test_the_badge_costs_one_query_and_none_for_who_does_not_read_care(
        self, nurse_a, secretary_a, resident_a, django_assert_num_queries
    ):
        AllergyFactory.create_batch(8, person=resident_a)
        nurse_access = person_access(user=nurse_a, person=resident_a)
        secretary_access = person_access(user=secretary_a, person=resident_a)

        with django_assert_num_queries(1):
            [badge] = allergy_badges(resident_a, nurse_access)
        with django_assert_num_queries(0):
            assert allergy_badges(resident_a, secretary_access) == []
        assert badge.label.endswith("(+ 3)") and badge.level == "danger"


class TestAllergyServices:
    def test_a_nurse_records_an_allergy_and_it_is_journaled(self, nurse_a, resident_a):
        allergy = services.allergy_create(
            acting_user=nurse_a,
            person=resident_a,
            data={"substance": " Amoxicilline ", "kind": "drug", "severity": "severe"},
        )

        assert allergy.substance == "Amoxicilline" and allergy.created_by == nurse_a
        assert len(journal(AccessAction.CREATE, allergy)) == 1

    def test_the_secretary_cannot_record_an_allergy(self, secretary_a, resident_a):
        with pytest.raises(AccessDenied, match="ne peut pas modifier les soins") as refused:
            services.allergy_create(
                acting_user=secretary_a,
                person=resident_a,
                data={"substance": "Latex", "kind": "environment"},
            )
        assert refused.value.person == resident_a  # the refusal is journaled on her record
        assert not Allergy.objects.exists()

    def test_a_date_in_the_future_is_refused(self, nurse_a, resident_a):
        with pytest.raises(ValidationError) as refused:
            services.allergy_create(
                acting_user=nurse_a,
                person=resident_a,
                data={
                    "substance": "Latex",
                    "kind": "environment",
                    "noted_on": timezone.localdate() + timedelta(days=1),
                },
            )
        assert "noted_on" in refused.value.message_dict
        assert not Allergy.objects.exists()

    def test_entered_in_error_keeps_the_allergy_with_its_reason_and_history(
        self, nurse_a, resident_a
    ):
        allergy = AllergyFactory(person=resident_a)

        services.allergy_mark_entered_in_error(
            acting_user=nurse_a,
            allergy=allergy,
            reason="Allergie d'un autre résident",
            expected_version=allergy.version,
        )

        allergy.refresh_from_db()
        assert allergy.entered_in_error
        assert allergy.entered_in_error_reason == "Allergie d'un autre résident"
        assert allergy.history.count() == 2
        assert len(journal(AccessAction.AMEND, allergy)) == 1
        with pytest.raises(ValidationError, match="déjà marquée"):
            services.allergy_mark_entered_in_error(
                acting_user=nurse_a, allergy=allergy, reason="encore", expected_version=2
            )

    def test_marking_in_error_a_form_read_before_another_change_is_refused(
        self, nurse_a, resident_a
    ):
        allergy = AllergyFactory(person=resident_a)

        with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
            services.allergy_mark_entered_in_error(
                acting_user=nurse_a, allergy=allergy, reason="Doublon", expected_version=7
            )
        with pytest.raises(ValidationError, match="version de la fiche manquante"):
            services.allergy_mark_entered_in_error(
                acting_user=nurse_a, allergy=allergy, reason="Doublon", expected_version=None
            )
        allergy.refresh_from_db()
        assert not allergy.entered_in_error


class TestCareTab:
    def test_a_nurse_reads_the_allergies_most_severe_first(
        self, logged_in_client, nurse_a, resident_a
    ):
        AllergyFactory(person=resident_a, substance="Pollen", severity="mild", kind="environment")
        AllergyFactory(person=resident_a, substance="Pénicilline", reaction="Œdème de Quincke")
        client = logged_in_client(nurse_a)

        record = text(client.get(record_url(resident_a)))
        page = text(client.get(allergies_url(resident_a)))

        assert "Soins" in record and allergies_url(resident_a) in record
        assert page.index("Pénicilline") < page.index("Pollen")
        assert "Œdème de Quincke" in page

    def test_the_secretary_has_no_care_tab_and_is_refused(
        self, logged_in_client, secretary_a, resident_a
    ):
        client = logged_in_client(secretary_a)
        assert allergies_url(resident_a) not in client.get(record_url(resident_a)).content.decode()
        assert_refused(
            client.get(allergies_url(resident_a)),
            "Votre profession n'a pas accès à cette partie du dossier.",
            user=secretary_a,
            person=resident_a,
        )

    def test_a_nurse_of_another_ehpad_is_refused(self, logged_in_client, nurse_b, resident_a):
        assert_refused(
            logged_in_client(nurse_b).get(allergies_url(resident_a)),
            "elle n'est pas accompagnée par votre établissement ou votre unité",
            user=nurse_b,
            person=resident_a,
        )

    def test_a_reader_who_does_not_write_care_is_refused_the_form_itself(
        self, logged_in_client, psychologist_a, resident_a
    ):
        """Opening the form is a refused write, journaled as such (not as a read)."""
        url = reverse("care:allergy_create", kwargs={"person_id": resident_a.public_id})

        line = assert_refused(
            logged_in_client(psychologist_a).get(url),
            "Votre profession ne peut pas modifier cette partie du dossier",
            user=psychologist_a,
            person=resident_a,
        )
        assert not AccessEvent.objects.filter(
            user=psychologist_a, action=AccessAction.READ, pk__gt=line.pk
        ).exists()

    def test_an_aide_records_an_allergy_through_the_form(
        self, logged_in_client, aide_a, resident_a
    ):
        client = logged_in_client(aide_a)
        url = reverse("care:allergy_create", kwargs={"person_id": resident_a.public_id})
        assert client.get(url).status_code == 200

        response = client.post(
            url,
            {
                "substance": "Arachide",
                "kind": "food",
                "severity": "severe",
                "reaction": "Urticaire",
                "idempotency_key": str(uuid.uuid4()),
            },
        )

        assert response.status_code == 302 and response["Location"] == allergies_url(resident_a)
        assert "Allergies : Arachide" in text(client.get(record_url(resident_a)))

    def test_an_allergy_without_substance_is_shown_again(
        self, logged_in_client, nurse_a, resident_a
    ):
        url = reverse("care:allergy_create", kwargs={"person_id": resident_a.public_id})
        response = logged_in_client(nurse_a).post(
            url,
            {
                "substance": "",
                "kind": "food",
                "severity": "unknown",
                "idempotency_key": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 400
        assert not Allergy.objects.exists()

    def test_marking_in_error_through_the_form_keeps_it_readable(
        self, logged_in_client, nurse_a, resident_a
    ):
        allergy = AllergyFactory(person=resident_a, substance="Iode")
        client = logged_in_client(nurse_a)
        url = reverse(
            "care:allergy_error",
            kwargs={"person_id": resident_a.public_id, "allergy_id": allergy.public_id},
        )

        response = client.post(
            url,
            {
                "reason": "Mauvais dossier",
                "version": allergy.version,
                "idempotency_key": str(uuid.uuid4()),
            },
        )

        assert response.status_code == 302
        page = text(client.get(allergies_url(resident_a)))
        assert "Saisies par erreur (1)" in page and "Mauvais dossier" in page
        assert "Allergies non renseignées" in text(client.get(record_url(resident_a)))

    def test_the_page_query_count_does_not_grow_with_the_allergies(
        self, logged_in_client, nurse_a, resident_a, django_assert_max_num_queries
    ):
        client = logged_in_client(nurse_a)
        client.get(allergies_url(resident_a))
        AllergyFactory.create_batch(2, person=resident_a)
        with CaptureQueriesContext(connection) as few:
            client.get(allergies_url(resident_a))
        AllergyFactory.create_batch(30, person=resident_a)
        with django_assert_max_num_queries(len(few)):
            client.get(allergies_url(resident_a))


class TestHistory:
    def test_the_history_tab_shows_allergy_changes_to_care_readers_only(
        self, logged_in_client, nurse_a, secretary_a, resident_a
    ):
        allergy = services.allergy_create(
            acting_user=nurse_a,
            person=resident_a,
            data={"substance": "Pénicilline", "kind": "drug"},
        )
        services.allergy_mark_entered_in_error(
            acting_user=nurse_a, allergy=allergy, reason="Mauvais dossier", expected_version=1
        )
        url = reverse("people:history", kwargs={"person_id": resident_a.public_id})

        nurse_page = text(logged_in_client(nurse_a).get(url, {"partie": "soins"}))
        secretary_page = text(logged_in_client(secretary_a).get(url, {"partie": "soins"}))

        assert "Pénicilline" in nurse_page and "Saisie par erreur : Mauvais dossier" in nurse_page
        assert "Pénicilline" not in secretary_page


class TestNoKnownAllergy:
    """« Aucune allergie connue » (issue 13 item 7; FR Core AllergyIntolerance code
    `no-known-allergies` of the ANS JDV_AbsentOrUnknownAllergy_CISIS)."""

    def statement_url(self, person) -> str:
        return reverse("care:background_statement_record", kwargs={"person_id": person.public_id})

    def test_a_nurse_records_it_and_the_header_says_who_checked_and_when(
        self, logged_in_client, nurse_a, resident_a
    ):
        client = logged_in_client(nurse_a)

        response = client.post(
            self.statement_url(resident_a), {"idempotency_key": str(uuid.uuid4())}
        )

        assert response.status_code == 302 and response["Location"] == allergies_url(resident_a)
        expected = f"Pas d'allergie connue (vérifié le {today():%d/%m/%Y} par C. Martin)"
        header = text(client.get(record_url(resident_a)))
        assert expected in header and "Allergies non renseignées" not in header
        assert "non renseignées" not in text(client.get(allergies_url(resident_a)))

    def test_it_is_refused_while_an_allergy_is_recorded(self, nurse_a, resident_a):
        AllergyFactory(person=resident_a)

        with pytest.raises(ValidationError, match="Une allergie est enregistrée"):
            background_services.allergy_statement_record(acting_user=nurse_a, person=resident_a)
        assert not AllergyStatement.objects.exists()

    def test_the_form_shows_the_refusal(self, logged_in_client, nurse_a, resident_a):
        AllergyFactory(person=resident_a, substance="Iode")

        response = logged_in_client(nurse_a).post(
            self.statement_url(resident_a), {"idempotency_key": str(uuid.uuid4())}
        )

        assert response.status_code == 400
        assert "Une allergie est enregistrée pour cette personne" in text(response)
        assert not AllergyStatement.objects.exists()

    def test_recording_an_allergy_ends_it_in_the_same_transaction(
        self, logged_in_client, nurse_a, resident_a
    ):
        statement = background_services.allergy_statement_record(
            acting_user=nurse_a, person=resident_a
        )

        services.allergy_create(
            acting_user=nurse_a,
            person=resident_a,
            data={"substance": "Latex", "kind": "environment", "severity": "moderate"},
        )

        statement.refresh_from_db()
        assert statement.ended_at is not None
        header = text(logged_in_client(nurse_a).get(record_url(resident_a)))
        assert "Allergies : Latex" in header and "Pas d'allergie connue" not in header

    def test_a_refused_allergy_leaves_the_statement(self, nurse_a, resident_a):
        statement = background_services.allergy_statement_record(
            acting_user=nurse_a, person=resident_a
        )
        with pytest.raises(ValidationError):
            services.allergy_create(
                acting_user=nurse_a,
                person=resident_a,
                data={"substance": "Latex", "kind": "environment", "noted_on": days_ahead(3)},
            )
        statement.refresh_from_db()
        assert statement.ended_at is None

    def test_a_new_check_replaces_the_former_one(self, nurse_a, resident_a):
        first = background_services.allergy_statement_record(
            acting_user=nurse_a, person=resident_a, checked_on=days_ago(200)
        )
        second = background_services.allergy_statement_record(
            acting_user=nurse_a, person=resident_a
        )
        first.refresh_from_db()
        assert first.ended_at is not None and second.ended_at is None

    def test_a_carer_of_the_unit_sees_it_on_the_day_list(self, rf, nurse_a, resident_a, unit_a):
        from dui.care.selectors import allergy_facts

        background_services.allergy_statement_record(acting_user=nurse_a, person=resident_a)
        other = PersonFactory()
        request = rf.get("/")
        request.user = nurse_a

        facts = allergy_facts(request, [resident_a, other], unit_a.establishment)

        assert facts[resident_a.pk][0].label.startswith("Pas d'allergie connue (vérifié le")
        assert facts[resident_a.pk][0].level == "ok"
        assert facts[other.pk][0].label == "Allergies non renseignées"

    def test_the_badge_costs_two_queries_when_no_allergy_is_recorded(
        self, nurse_a, resident_a, django_assert_num_queries
    ):
        background_services.allergy_statement_record(acting_user=nurse_a, person=resident_a)
        access = person_access(user=nurse_a, person=resident_a)

        with django_assert_num_queries(2):
            [badge] = allergy_badges(resident_a, access)
        assert badge.level == "ok"
