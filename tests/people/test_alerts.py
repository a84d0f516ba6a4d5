"""Record alerts: one category each, set by those who write it, seen by those who read it."""

import html
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.decorators import CATEGORY_NOT_WRITTEN, NOT_FOLLOWED
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.people import entourage as services
from dui.people.models import PersonAlert
from tests.people.entourage_factories import PersonAlertFactory
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def journal(action, obj) -> list[AccessEvent]:
    return list(
        AccessEvent.objects.filter(
            action=action, object_type=obj._meta.label, object_id=str(obj.public_id)
        )
    )


def alerts_url(person) -> str:
    return reverse("people:alerts", kwargs={"person_id": person.public_id})


def create_url(person, category) -> str:
    return reverse(
        "people:alert_create", kwargs={"person_id": person.public_id, "category": category}
    )


def record_url(person) -> str:
    return reverse("people:record", kwargs={"person_id": person.public_id})


class TestAlertServices:
    def test_a_nurse_sets_a_care_alert_and_it_is_journaled(self, nurse_a, resident_a):
        alert = services.alert_create(
            acting_user=nurse_a,
            person=resident_a,
            data={"category": "care", "label": "Risque de fausse route", "level": "danger"},
        )

        assert alert.created_by == nurse_a and alert.category == "care"
        assert len(journal(AccessAction.CREATE, alert)) == 1

    def test_a_nurse_cannot_set_an_administrative_alert(self, nurse_a, resident_a):
        with pytest.raises(AccessDenied, match="ne peut pas modifier cette partie") as refused:
            services.alert_create(
                acting_user=nurse_a,
                person=resident_a,
                data={"category": "administrative", "label": "Ne pas communiquer la présence"},
            )
        assert refused.value.person == resident_a
        assert not PersonAlert.objects.exists()

    def test_an_alert_needs_a_known_category_and_a_label(self, nurse_a, resident_a):
        with pytest.raises(ValidationError):
            services.alert_create(
                acting_user=nurse_a, person=resident_a, data={"category": "x", "label": "y"}
            )
        with pytest.raises(ValidationError) as refused:
            services.alert_create(
                acting_user=nurse_a, person=resident_a, data={"category": "care", "label": ""}
            )
        assert "label" in refused.value.message_dict

    def test_ending_an_alert_keeps_it_and_a_stale_form_is_refused(self, nurse_a, resident_a):
        alert = PersonAlertFactory(person=resident_a)

        with pytest.raises(ValidationError) as stale:
            services.alert_end(acting_user=nurse_a, alert=alert, expected_version=7)
        assert stale.value.code == "stale_version"

        services.alert_end(
            acting_user=nurse_a, alert=alert, reason="Risque écarté", expected_version=alert.version
        )

        alert.refresh_from_db()
        assert alert.ended_on is not None and alert.version == 2
        assert len(journal(AccessAction.UPDATE, alert)) == 1

    def test_the_secretary_cannot_end_a_care_alert(self, secretary_a, resident_a):
        alert = PersonAlertFactory(person=resident_a, category="care")
        with pytest.raises(AccessDenied, match="ne peut pas modifier cette partie") as refused:
            services.alert_end(acting_user=secretary_a, alert=alert, expected_version=alert.version)
        assert refused.value.person == resident_a
        alert.refresh_from_db()
        assert alert.ended_on is None


class TestAlertsPage:
    def test_a_nurse_adds_a_care_alert_and_it_shows_in_the_header(
        self, logged_in_client, nurse_a, resident_a
    ):
        client = logged_in_client(nurse_a)
        page = text(client.get(alerts_url(resident_a)))
        assert "Nouvelle alerte — Soins" in page
        assert "Nouvelle alerte — Administratif" not in page

        response = client.post(
            create_url(resident_a, "care"),
            {
                "care-label": "Risque de fugue",
                "care-level": "danger",
                "idempotency_key": str(uuid.uuid4()),
            },
        )

        assert response.status_code == 302 and response["Location"] == alerts_url(resident_a)
        alert = PersonAlert.objects.get()
        assert alert.category == "care" and alert.level == "danger"
        assert 'data-testid="header-alert"' in client.get(record_url(resident_a)).content.decode()
        assert "Risque de fugue" in text(client.get(record_url(resident_a)))

    def test_a_nurse_posting_an_administrative_alert_is_refused(
        self, logged_in_client, nurse_a, resident_a
    ):
        response = logged_in_client(nurse_a).post(
            create_url(resident_a, "administrative"),
            {
                "administrative-label": "Ne pas communiquer la présence",
                "idempotency_key": str(uuid.uuid4()),
            },
        )
        assert_refused(response, CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a)
        assert not PersonAlert.objects.exists()

    def test_an_unknown_category_is_not_found(self, logged_in_client, nurse_a, resident_a):
        response = logged_in_client(nurse_a).post(
            create_url(resident_a, "astrologie"), {"idempotency_key": str(uuid.uuid4())}
        )
        assert response.status_code == 404

    def test_a_nurse_of_another_ehpad_cannot_add_an_alert(
        self, logged_in_client, nurse_b, resident_a
    ):
        response = logged_in_client(nurse_b).post(
            create_url(resident_a, "care"),
            {"care-label": "Intrus", "idempotency_key": str(uuid.uuid4())},
        )
        assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)
        assert not PersonAlert.objects.exists()
        assert_refused(
            logged_in_client(nurse_b).get(alerts_url(resident_a)),
            NOT_FOLLOWED,
            user=nurse_b,
            person=resident_a,
        )

    def test_an_empty_label_is_shown_again_with_the_form_open(
        self, logged_in_client, nurse_a, resident_a
    ):
        response = logged_in_client(nurse_a).post(
            create_url(resident_a, "care"),
            {"care-label": "", "care-level": "warning", "idempotency_key": str(uuid.uuid4())},
        )
        assert response.status_code == 400
        assert '<details class="card" open>' in response.content.decode()

    def test_the_secretary_sees_administrative_alerts_but_not_care_ones(
        self, logged_in_client, secretary_a, resident_a
    ):
        PersonAlertFactory(person=resident_a, category="care", label="Risque de chute")
        PersonAlertFactory(
            person=resident_a, category="administrative", label="Ne pas communiquer la présence"
        )

        page = text(logged_in_client(secretary_a).get(alerts_url(resident_a)))

        assert "Ne pas communiquer la présence" in page
        assert "Risque de chute" not in page

    def test_a_nurse_lifts_an_alert_and_it_leaves_the_header(
        self, logged_in_client, nurse_a, resident_a
    ):
        alert = PersonAlertFactory(person=resident_a, label="Isolement contact")
        client = logged_in_client(nurse_a)

        response = client.post(
            reverse(
                "people:alert_end",
                kwargs={
                    "person_id": resident_a.public_id,
                    "category": "care",
                    "alert_id": alert.public_id,
                },
            ),
            {"version": "1", "reason": "Fin de l'isolement", "idempotency_key": str(uuid.uuid4())},
        )

        assert response.status_code == 302
        alert.refresh_from_db()
        assert alert.ended_on is not None
        assert (
            'data-testid="header-alert"' not in client.get(record_url(resident_a)).content.decode()
        )
        assert "levée le" in text(client.get(alerts_url(resident_a)))
