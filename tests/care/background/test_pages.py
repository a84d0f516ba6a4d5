"""The background pages: who sees them, the forms (French errors next to the field, nothing
saved), and query counts that do not grow with the rows."""

import html
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dui.care.background import services
from dui.care.background.models import MedicalHistory, PersonDevice
from tests.factories import days_ago, today
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """What the user reads: tags removed, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def url(name, person, **kwargs) -> str:
    return reverse(f"care:{name}", kwargs={"person_id": person.public_id, **kwargs})


def post(client, address, data):
    return client.post(address, {**data, "idempotency_key": str(uuid.uuid4())})


def record_url(person) -> str:
    return reverse("people:record", kwargs={"person_id": person.public_id})


class TestAntecedentsTab:
    def test_a_nurse_reads_them_grouped_with_the_vaccinations(
        self, logged_in_client, nurse_a, doctor_a, resident_a
    ):
        services.medical_history_create(
            acting_user=doctor_a,
            person=resident_a,
            data={"kind": "medical", "label": "Hypertension artérielle", "cim10_code": "I10"},
        )
        services.vaccination_create(
            acting_user=doctor_a,
            person=resident_a,
            data={"vaccine_label": "Grippe saisonnière", "administered_on": days_ago(40)},
        )
        client = logged_in_client(nurse_a)

        record = text(client.get(record_url(resident_a)))
        page = text(client.get(url("background_medical", resident_a)))

        assert "Antécédents" in record
        assert "Hypertension artérielle" in page and "I10" in page
        assert "Grippe saisonnière" in page
        assert "Ajouter un antécédent" not in page  # the nurse reads medical, does not write it

    def test_a_carer_has_no_tab_and_is_refused(self, logged_in_client, aide_a, resident_a):
        client = logged_in_client(aide_a)

        assert (
            url("background_medical", resident_a)
            not in client.get(record_url(resident_a)).content.decode()
        )
        assert_refused(
            client.get(url("background_medical", resident_a)),
            "Votre profession n'a pas accès à cette partie du dossier.",
            user=aide_a,
            person=resident_a,
        )

    def test_a_nurse_of_another_ehpad_is_refused_and_journaled(
        self, logged_in_client, nurse_b, resident_a
    ):
        for name in ("background_medical", "background_care"):
            assert_refused(
                logged_in_client(nurse_b).get(url(name, resident_a)),
                "elle n'est pas accompagnée par votre établissement ou votre unité",
                user=nurse_b,
                person=resident_a,
            )

    def test_a_doctor_adds_an_antecedent_and_a_bad_code_is_shown_next_to_the_field(
        self, logged_in_client, doctor_a, resident_a
    ):
        client = logged_in_client(doctor_a)
        address = url("background_history_create", resident_a)

        response = post(
            client, address, {"kind": "medical", "label": "Diabète", "cim10_code": "E1"}
        )

        assert response.status_code == 400
        assert "n'a pas la forme d'un code CIM-10" in text(response)
        assert not MedicalHistory.objects.exists()

        response = post(
            client,
            address,
            {"kind": "medical", "label": "Diabète de type 2", "cim10_code": "E11.9"},
        )

        assert response.status_code == 302
        assert "Diabète de type 2" in text(client.get(url("background_medical", resident_a)))

    def test_a_doctor_ends_a_problem_and_it_stays_listed(
        self, logged_in_client, doctor_a, resident_a
    ):
        entry = services.medical_history_create(
            acting_user=doctor_a, person=resident_a, data={"kind": "problem", "label": "Escarre"}
        )
        client = logged_in_client(doctor_a)

        response = post(
            client,
            url("background_history_end", resident_a, entry_id=entry.public_id),
            {"ended_on": today().isoformat(), "version": 1},
        )

        assert response.status_code == 302
        page = text(client.get(url("background_medical", resident_a)))
        assert f"Escarre — terminé le {today():%d/%m/%Y}" in page

    def test_an_entry_in_error_is_struck_through(self, logged_in_client, doctor_a, resident_a):
        entry = services.medical_history_create(
            acting_user=doctor_a, person=resident_a, data={"kind": "medical", "label": "Asthme"}
        )
        client = logged_in_client(doctor_a)
        address = url(
            "background_entry_error", resident_a, kind="antecedent", entry_id=entry.public_id
        )

        assert post(client, address, {"reason": "", "version": 1}).status_code == 400
        response = post(client, address, {"reason": "Autre résidente", "version": 1})

        assert response.status_code == 302
        assert "Asthme — Autre résidente" in text(client.get(url("background_medical", resident_a)))

    def test_an_unknown_kind_of_entry_is_not_found(self, logged_in_client, doctor_a, resident_a):
        address = url("background_entry_error", resident_a, kind="chien", entry_id=uuid.uuid4())
        assert logged_in_client(doctor_a).get(address).status_code == 404


class TestCareItems:
    def test_a_carer_adds_dentures_and_they_show_compactly(
        self, logged_in_client, aide_a, resident_a
    ):
        client = logged_in_client(aide_a)

        response = post(
            client,
            url("background_device_create", resident_a),
            {"kind": "lower_denture", "detail": "complète", "marked_with_name": "on"},
        )

        assert response.status_code == 302
        page = text(client.get(url("background_care", resident_a)))
        assert "Prothèse dentaire du bas — complète" in page
        assert "marqué au nom" in page

    def test_the_allergies_page_leads_to_the_care_items(self, logged_in_client, aide_a, resident_a):
        page = logged_in_client(aide_a).get(url("allergies", resident_a)).content.decode()
        assert url("background_care", resident_a) in page

    def test_an_other_device_without_detail_is_shown_again(
        self, logged_in_client, aide_a, resident_a
    ):
        response = post(
            logged_in_client(aide_a), url("background_device_create", resident_a), {"kind": "other"}
        )
        assert response.status_code == 400
        assert "Pour un autre appareil, précisez lequel." in text(response)
        assert not PersonDevice.objects.exists()

    def test_a_carer_records_diet_and_texture(self, logged_in_client, aide_a, resident_a):
        client = logged_in_client(aide_a)

        response = post(
            client,
            url("background_diet_record", resident_a),
            {
                "since": today().isoformat(),
                "food_level": "5",
                "drink_level": "1",
                "diets": ["low_salt", "no_pork"],
                "meal_help": "stimulation",
            },
        )

        assert response.status_code == 302
        page = text(client.get(url("background_care", resident_a)))
        assert "IDDSI 5 — Haché lubrifié" in page
        assert "IDDSI 1 — Très légèrement épais" in page
        assert "Sans sel / hyposodé, Sans porc" in page

    def test_a_nurse_records_the_directives_and_who_checked(
        self, logged_in_client, nurse_a, resident_a
    ):
        client = logged_in_client(nurse_a)

        response = post(
            client,
            url("background_directive_record", resident_a),
            {"existence": "yes", "written_on": days_ago(30).isoformat(), "kept_where": "Tiroir"},
        )

        assert response.status_code == 302
        page = text(client.get(url("background_care", resident_a)))
        assert "Oui, la personne a rédigé des directives anticipées" in page
        assert f"Vérifié le {today():%d/%m/%Y} par Claire Martin" in page

    def test_the_secretary_is_refused_the_care_items(
        self, logged_in_client, secretary_a, resident_a
    ):
        assert_refused(
            logged_in_client(secretary_a).get(url("background_care", resident_a)),
            "Votre profession n'a pas accès à cette partie du dossier.",
            user=secretary_a,
            person=resident_a,
        )


class TestQueryBounds:
    def fill(self, doctor, aide, person, n):
        for i in range(n):
            services.medical_history_create(
                acting_user=doctor,
                person=person,
                data={"kind": ("medical", "surgical", "problem")[i % 3], "label": f"Atcd {i}"},
            )
            services.vaccination_create(
                acting_user=doctor,
                person=person,
                data={"vaccine_label": f"Vaccin {i}", "administered_on": days_ago(i)},
            )
            device = services.device_create(
                acting_user=aide, person=person, data={"kind": "glasses", "detail": f"n° {i}"}
            )
            if i % 2:
                services.device_remove(
                    acting_user=aide, device=device, removed_on=today(), expected_version=1
                )
            services.diet_plan_record(
                acting_user=aide,
                person=person,
                data={"since": days_ago(i), "food_level": 7, "drink_level": 0},
            )
            services.advance_directive_record(
                acting_user=aide,
                person=person,
                data={"existence": "unknown", "checked_on": days_ago(i)},
            )

    def test_the_pages_query_count_does_not_grow_with_the_rows(
        self, logged_in_client, nurse_a, doctor_a, aide_a, resident_a
    ):
        """DESIGN §4.9: the same number of queries with one row of each kind and with 30."""
        client = logged_in_client(nurse_a)
        pages = ("background_medical", "background_care", "allergies")

        def queries() -> list[int]:
            counts = []
            for name in pages:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url(name, resident_a)).status_code == 200
                counts.append(len(captured))
            return counts

        self.fill(doctor_a, aide_a, resident_a, 1)
        queries()  # warm the caches of a first request (session, content types)
        few = queries()
        self.fill(doctor_a, aide_a, resident_a, 29)
        many = queries()

        assert few == many
        assert max(many) <= 30
