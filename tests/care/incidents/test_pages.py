"""The pages of falls and wounds as the team uses them: the record's « Chutes et plaies », the
fall declaration (a second fall of the year shows the alert in the header), the wound page
(body diagram, assessments, size curve, photos, linked care), « Plaies en cours », the
home facts; bad input answered next to its field with nothing saved; refusals journaled;
query counts that do not grow with the rows."""

import html
import re
import uuid
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.care.incidents import services
from dui.care.incidents.home import incident_facts
from dui.care.incidents.models import Fall, Wound, WoundAssessment, WoundPhoto
from dui.core import dates
from tests.care.incidents.conftest import moment_days_ago, png_upload
from tests.factories import CareTeamMembershipFactory, PersonFactory, PlaceFactory
from tests.refusals import assert_refused
from tests.stays.factories import StayFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def url(name, person, **kwargs) -> str:
    return reverse(f"care:{name}", kwargs={"person_id": person.public_id, **kwargs})


def post(client, address, data):
    return client.post(address, {**data, "idempotency_key": str(uuid.uuid4())})


def local_input(moment) -> str:
    return moment.astimezone(dates.zone_of()).strftime("%Y-%m-%dT%H:%M")


def fall_form(**overrides) -> dict:
    data = {
        "occurred_at": local_input(moment_days_ago(0)),
        "place": "bathroom",
        "circumstances": "Glissade sur le sol mouillé de la salle de bain.",
        "minutes_on_floor": "5",
        "got_up_alone": "no",
        "consequences": ["pain"],
        "nurse_alerted_at": local_input(moment_days_ago(0)),
    }
    data.update(overrides)
    return data


class TestRecordSection:
    def test_the_carer_sees_the_falls_the_wounds_and_the_fall_risk(
        self, logged_in_client, aide_a, resident_a, declare, pressure_ulcer
    ):
        declare(days_ago=3, consequences=["head_injury"])
        client = logged_in_client(aide_a)

        record = text(
            client.get(reverse("people:record", kwargs={"person_id": resident_a.public_id}))
        )
        page = text(client.get(url("incidents", resident_a)))

        assert "Chutes et plaies" in record
        assert "1 chute en 12 mois" in page
        assert "Salle de bain" not in page and "Chambre" in page
        assert "signe de gravité" in page
        assert "Escarre — Sacrum" in page
        assert "Risque de chute : jamais évalué" in page
        assert (
            reverse(
                "assessments:new", kwargs={"person_id": resident_a.public_id, "code": "chutes_has"}
            )
            in client.get(url("incidents", resident_a)).content.decode()
        )

    def test_a_nurse_of_another_ehpad_is_refused_and_journaled(
        self, logged_in_client, nurse_b, resident_a
    ):
        client = logged_in_client(nurse_b)
        for name in ("incidents", "incidents_fall_create", "incidents_wound_create"):
            assert_refused(
                client.get(url(name, resident_a)),
                "Vous n'avez pas accès au dossier de cette personne",
                user=nurse_b,
                person=resident_a,
            )

    def test_its_query_count_does_not_grow_with_the_falls_and_wounds(
        self, logged_in_client, nurse_a, resident_a, declare, django_assert_max_num_queries
    ):
        client = logged_in_client(nurse_a)
        address = url("incidents", resident_a)
        client.get(address)
        declare(days_ago=5)
        with django_assert_max_num_queries(45) as few:
            client.get(address)
        for n in range(8):
            declare(days_ago=10 + n)
            services.wound_open(
                acting_user=nurse_a,
                person=resident_a,
                data={"kind": "skin_tear", "body_site": "elbow_left", "opened_on": dates.today()},
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(address).status_code == 200


class TestFallDeclarationPage:
    def test_a_second_fall_of_the_year_shows_the_repeated_falls_alert_in_the_header(
        self, logged_in_client, aide_a, resident_a, declare
    ):
        declare(days_ago=90)
        client = logged_in_client(aide_a)

        response = post(client, url("incidents_fall_create", resident_a), fall_form())

        assert response.status_code == 302
        fall = Fall.objects.latest("pk")
        assert fall.got_up_alone is False and fall.consequences == ["pain"]
        page = client.get(response.url)
        header = text(page)
        assert "Alerte : Chutes répétées" in header
        assert "2 chutes en 12 mois" in header  # the message after the save

    def test_a_fall_in_the_future_is_answered_next_to_the_field_and_not_saved(
        self, logged_in_client, aide_a, resident_a
    ):
        client = logged_in_client(aide_a)
        tomorrow = dates.now() + timedelta(days=1)

        response = post(
            client,
            url("incidents_fall_create", resident_a),
            fall_form(occurred_at=local_input(tomorrow)),
        )

        assert response.status_code == 400
        assert "La chute ne peut pas être dans le futur." in text(response)
        assert not Fall.objects.exists()

    def test_a_fall_without_circumstances_or_consequences_says_what_is_missing(
        self, logged_in_client, aide_a, resident_a
    ):
        client = logged_in_client(aide_a)

        response = post(
            client,
            url("incidents_fall_create", resident_a),
            fall_form(circumstances="", consequences=[]),
        )

        page = text(response)
        assert response.status_code == 400
        assert "Décrivez les circonstances de la chute." in page
        assert "Cochez les conséquences" in page
        assert not Fall.objects.exists()

    def test_an_amendment_keeps_the_former_version_readable(
        self, logged_in_client, nurse_a, resident_a, declare
    ):
        fall = declare(days_ago=1)
        client = logged_in_client(nurse_a)

        response = post(
            client,
            url("incidents_fall_amend", resident_a, fall_id=fall.public_id),
            fall_form(
                occurred_at=local_input(fall.occurred_at),
                consequences=["suspected_fracture"],
                version="1",
                reason="Radio : fracture du poignet suspectée",
            ),
        )

        assert response.status_code == 302
        page = text(client.get(url("incidents_fall", resident_a, fall_id=fall.public_id)))
        assert "Suspicion de fracture" in page
        assert "Versions (2)" in page
        assert "Radio : fracture du poignet suspectée" in page

    def test_the_follow_up_and_entered_in_error(
        self, logged_in_client, nurse_a, resident_a, declare
    ):
        fall = declare(days_ago=1)
        client = logged_in_client(nurse_a)

        post(
            client,
            url("incidents_fall_follow_up", resident_a, fall_id=fall.public_id),
            {"follow_up": "Surveillance neurologique 24 h : normale.", "version": "1"},
        )
        response = post(
            client,
            url("incidents_entry_error", resident_a, kind="chute", entry_id=fall.public_id),
            {"reason": "Chute d'une autre résidente", "version": "2"},
        )

        assert response.status_code == 302
        page = text(client.get(url("incidents_fall", resident_a, fall_id=fall.public_id)))
        assert "Surveillance neurologique 24 h : normale." in page
        assert "Saisie par erreur : Chute d'une autre résidente" in page
        assert "ne compte pas pour les chutes répétées" in page


def assessment_form(**overrides) -> dict:
    data = {
        "assessed_at": local_input(moment_days_ago(0)),
        "stage": "3",
        "length_mm": "40",
        "width_mm": "25",
        "depth_mm": "",
        "tissue": "slough",
        "exudate": "moderate",
        "pain": "3",
        "notes": "Détersion, pansement hydrocellulaire.",
    }
    data.update(overrides)
    return data


class TestWoundPages:
    def test_the_wound_form_draws_the_body_diagram_with_named_zones_and_no_inline_code(
        self, logged_in_client, nurse_a, resident_a
    ):
        client = logged_in_client(nurse_a)

        page = client.get(url("incidents_wound_create", resident_a) + "?zone=heel_left")
        content = page.content.decode()

        assert page.status_code == 200
        assert content.count('data-zone="') == 30
        assert "<title>Talon gauche</title>" in content and "<title>Sacrum</title>" in content
        assert 'class="zone-shape selected"' in content
        assert '<option value="heel_left" selected>' in content
        assert "style=" not in content.split("<main", 1)[1]
        assert "<script>" not in content

    def test_a_nurse_opens_a_wound_tapping_a_zone(self, logged_in_client, nurse_a, resident_a):
        client = logged_in_client(nurse_a)

        response = post(
            client,
            url("incidents_wound_create", resident_a),
            {
                "kind": "pressure_ulcer",
                "body_site": "sacrum",
                "opened_on": dates.today().isoformat(),
            },
        )

        wound = Wound.objects.get()
        assert response.status_code == 302
        assert wound.body_site == "sacrum" and wound.kind == "pressure_ulcer"

    def test_bad_assessments_are_answered_next_to_their_field(
        self, logged_in_client, nurse_a, resident_a, pressure_ulcer, skin_tear
    ):
        client = logged_in_client(nurse_a)
        negative = post(
            client,
            url("incidents_wound_assess", resident_a, wound_id=pressure_ulcer.public_id),
            assessment_form(width_mm="-3"),
        )
        staged_tear = post(
            client,
            url("incidents_wound_assess", resident_a, wound_id=skin_tear.public_id),
            assessment_form(stage="2"),
        )
        no_consent = client.post(
            url("incidents_wound_assess", resident_a, wound_id=pressure_ulcer.public_id),
            {**assessment_form(), "photo": png_upload(), "idempotency_key": str(uuid.uuid4())},
        )

        assert negative.status_code == 400
        assert "Une dimension ne peut pas être négative." in text(negative)
        assert staged_tear.status_code == 400
        assert "ne s'applique qu'aux escarres" in text(staged_tear)
        assert no_consent.status_code == 400
        assert "n'a pas consenti à être photographiée" in text(no_consent)
        assert not WoundAssessment.objects.exists()

    def test_a_file_that_is_not_an_image_is_refused_next_to_the_photo(
        self, logged_in_client, nurse_a, resident_a, pressure_ulcer
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        resident_a.photo_consent, resident_a.photo_consent_on = True, dates.today()
        resident_a.save()
        client = logged_in_client(nurse_a)

        response = client.post(
            url("incidents_wound_assess", resident_a, wound_id=pressure_ulcer.public_id),
            {
                **assessment_form(),
                "photo": SimpleUploadedFile("plaie.jpg", b"%PDF-1.4 pas une photo", "image/jpeg"),
                "idempotency_key": str(uuid.uuid4()),
            },
        )

        assert response.status_code == 400
        assert "n'est pas une image lisible" in text(response)
        assert not WoundAssessment.objects.exists()

    def test_a_photo_with_consent_is_served_only_through_the_journaled_documents_view(
        self, logged_in_client, nurse_a, resident_a, pressure_ulcer, nurse_b
    ):
        resident_a.photo_consent, resident_a.photo_consent_on = True, dates.today()
        resident_a.save()
        client = logged_in_client(nurse_a)

        response = client.post(
            url("incidents_wound_assess", resident_a, wound_id=pressure_ulcer.public_id),
            {**assessment_form(), "photo": png_upload(), "idempotency_key": str(uuid.uuid4())},
        )

        assert response.status_code == 302
        document = WoundPhoto.objects.get().document
        page = client.get(url("incidents_wound", resident_a, wound_id=pressure_ulcer.public_id))
        thumbnail = reverse(
            "documents:thumbnail",
            kwargs={"person_id": resident_a.public_id, "document_id": document.public_id},
        )
        assert thumbnail in page.content.decode()
        assert "/media/" not in page.content.decode()
        served = client.get(thumbnail)
        assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
        assert AccessEvent.objects.filter(
            user=nurse_a, action=AccessAction.READ, object_id=str(document.public_id)
        ).exists()
        assert_refused(
            logged_in_client(nurse_b).get(thumbnail),
            "Vous n'avez pas accès au dossier de cette personne",
            user=nurse_b,
            person=resident_a,
        )

    def test_the_wound_page_shows_the_size_curve_and_the_linked_care(
        self,
        logged_in_client,
        nurse_a,
        resident_a,
        pressure_ulcer,
        stay_a,
        django_assert_max_num_queries,
    ):
        from dui.care.plan import services as plan_services
        from tests.care.plan.conftest import line_data

        line = plan_services.care_plan_line_create(
            acting_user=nurse_a,
            person=resident_a,
            data=line_data(label="Pansement du sacrum", kind="dressing"),
        )
        services.wound_care_lines_set(acting_user=nurse_a, wound=pressure_ulcer, lines=[line])
        for n, (stage, length) in enumerate([("3", 50), ("3", 42), ("3", 30)]):
            services.wound_assess(
                acting_user=nurse_a,
                wound=pressure_ulcer,
                data={
                    "assessed_at": moment_days_ago(21 - 7 * n),
                    "stage": stage,
                    "length_mm": length,
                    "width_mm": 30,
                },
            )
        client = logged_in_client(nurse_a)
        address = url("incidents_wound", resident_a, wound_id=pressure_ulcer.public_id)

        with django_assert_max_num_queries(45):
            page = client.get(address)

        content = page.content.decode()
        assert 'id="chart-wound-size"' in content or "chart-wound-size" in content
        assert "Surface de la plaie" in content
        assert "Pansement du sacrum" in text(page)
        assert content.count('data-testid="wound-assessment"') == 3
        assert "Plaie stade 3 (sacrum)" in text(page)  # the header badge


class TestOpenWoundsList:
    def test_the_unit_list_shows_room_stage_and_overdue_wounds(
        self, logged_in_client, nurse_a, resident_a, stay_a, pressure_ulcer, skin_tear
    ):
        services.wound_assess(
            acting_user=nurse_a,
            wound=pressure_ulcer,
            data={"assessed_at": moment_days_ago(10), "stage": "2", "length_mm": 10, "width_mm": 8},
        )
        services.wound_assess(
            acting_user=nurse_a,
            wound=skin_tear,
            data={"assessed_at": moment_days_ago(1), "length_mm": 10, "width_mm": 8},
        )
        client = logged_in_client(nurse_a)

        page = client.get(reverse("care:incidents_open_wounds"))

        rows = page.content.decode().split('data-testid="open-wound-row"')[1:]
        assert len(rows) == 2
        assert (
            "Sacrum" in rows[0] and "Chambre 12" in rows[0] and 'data-testid="overdue"' in rows[0]
        )
        assert "Avant-bras gauche" in rows[1] and 'data-testid="overdue"' not in rows[1]

    def test_it_lists_only_the_persons_the_user_sees(
        self, logged_in_client, nurse_b, pressure_ulcer
    ):
        page = logged_in_client(nurse_b).get(reverse("care:incidents_open_wounds"))

        assert 'data-testid="no-open-wound"' in page.content.decode()

    def test_its_query_count_does_not_grow_with_the_wounds(
        self, logged_in_client, nurse_a, unit_a, django_assert_max_num_queries
    ):
        client = logged_in_client(nurse_a)
        address = reverse("care:incidents_open_wounds")

        def resident(n):
            person = PersonFactory(birth_name=f"Résident{n}")
            CareTeamMembershipFactory(
                person=person, establishment=unit_a.establishment, unit=unit_a
            )
            StayFactory(person=person, place=PlaceFactory(unit=unit_a, label=f"Ch. {n}"))
            services.wound_open(
                acting_user=nurse_a,
                person=person,
                data={
                    "kind": "pressure_ulcer",
                    "body_site": "heel_right",
                    "opened_on": dates.today(),
                },
            )

        resident(0)
        with django_assert_max_num_queries(30) as few:
            client.get(address)
        for n in range(1, 12):
            resident(n)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(address)
        assert page.content.decode().count('data-testid="open-wound-row"') == 12


class TestHomeFacts:
    def test_the_day_list_says_plaie_stade_3_sacrum_and_2_chutes_en_12_mois(
        self, nurse_a, resident_a, declare, pressure_ulcer, ehpad_a, django_assert_max_num_queries
    ):
        declare(days_ago=100)
        declare(days_ago=2)
        services.wound_assess(
            acting_user=nurse_a,
            wound=pressure_ulcer,
            data={"assessed_at": moment_days_ago(1), "stage": "3"},
        )
        request = RequestFactory().get("/")
        request.user = nurse_a

        with django_assert_max_num_queries(4):
            facts = incident_facts(request, [resident_a], ehpad_a)

        labels = [f.label for f in facts[resident_a.pk]]
        assert labels == ["2 chutes en 12 mois", "Plaie stade 3 (sacrum)"]


class TestQueryBounds:
    def test_the_fall_page_does_not_grow_with_the_follow_ups(
        self, logged_in_client, nurse_a, resident_a, declare, django_assert_max_num_queries
    ):
        fall = declare(days_ago=2)
        client = logged_in_client(nurse_a)
        address = url("incidents_fall", resident_a, fall_id=fall.public_id)
        client.get(address)
        with django_assert_max_num_queries(45) as few:
            client.get(address)
        for n in range(8):
            fall.refresh_from_db()
            services.fall_follow_up(
                acting_user=nurse_a,
                fall=fall,
                follow_up=f"Jour {n + 1} : rien à signaler.",
                expected_version=fall.version,
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(address)
        assert "Jour 8 : rien à signaler." in text(page)

    def test_the_wound_page_does_not_grow_with_the_assessments_and_photos(
        self, logged_in_client, nurse_a, resident_a, pressure_ulcer, django_assert_max_num_queries
    ):
        resident_a.photo_consent, resident_a.photo_consent_on = True, dates.today()
        resident_a.save()
        client = logged_in_client(nurse_a)
        address = url("incidents_wound", resident_a, wound_id=pressure_ulcer.public_id)

        def assess(n):
            services.wound_assess(
                acting_user=nurse_a,
                wound=pressure_ulcer,
                data={
                    "assessed_at": moment_days_ago(28 - n),
                    "stage": "2",
                    "length_mm": 40 - n,
                    "width_mm": 20,
                },
                photos=[png_upload()],
            )

        assess(0)
        client.get(address)
        with django_assert_max_num_queries(45) as few:
            client.get(address)
        for n in range(1, 8):
            assess(n)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(address)
        assert page.content.decode().count('data-testid="wound-photo"') == 8


class TestRecordHistory:
    def test_the_record_history_lists_falls_wounds_and_assessments(
        self, logged_in_client, nurse_a, resident_a, declare, pressure_ulcer
    ):
        fall = declare(days_ago=1)
        services.fall_follow_up(
            acting_user=nurse_a, fall=fall, follow_up="Radio normale.", expected_version=1
        )
        services.wound_assess(
            acting_user=nurse_a,
            wound=pressure_ulcer,
            data={"assessed_at": moment_days_ago(0), "stage": "2"},
        )

        page = text(
            logged_in_client(nurse_a).get(
                reverse("people:history", kwargs={"person_id": resident_a.public_id})
                + "?partie=chutes_plaies"
            )
        )

        assert "Chutes et plaies (4)" in page  # declared, followed up, opened, assessed
        assert "Radio normale." in page
        assert "Escarre (Sacrum)" in page
        assert "évaluation de plaie" in page
