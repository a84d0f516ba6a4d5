"""The care settings page (director, médecin coordonnateur; history kept, journaled), the daily
command of time-based alerts, the etiological criterion form, the record's entry in error and
the round's absent persons."""

import html
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.care.management.commands.care_alerts_daily import run as run_daily
from dui.care.models import CareSettings
from dui.care.observations.measures import Measure
from dui.care.observations.models import CareAlert, Observation, UndernutritionEtiology
from dui.core import dates
from dui.stays.models import AbsenceKind, Attendance, AttendanceKind
from tests.factories import PlaceFactory, days_ago
from tests.refusals import assert_refused
from tests.stays.factories import StayFactory

from .factories import ObservationFactory

pytestmark = pytest.mark.django_db
SETTINGS_URL = "/usagers/soins/reglages/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def settings_data(**changes):
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "version": 0,
        "morning_starts_at": "07:00",
        "afternoon_starts_at": "14:00",
        "night_starts_at": "21:00",
        "late_entry_minutes": "120",
        "fever_celsius": "38,0",
        "hypothermia_celsius": "35,0",
        "hypoglycaemia_g_per_l": "0,70",
        "hyperglycaemia_g_per_l": "2,50",
        "no_stools_days": "3",
    }
    data.update(changes)
    return data


class TestCareSettingsPage:
    def test_the_url_is_the_named_one(self):
        assert reverse("care:obs_settings") == SETTINGS_URL

    def test_the_director_sets_the_fever_threshold_history_kept_and_journaled(
        self, logged_in_client, director_a, ehpad_a
    ):
        client = logged_in_client(director_a)
        response = client.post(SETTINGS_URL, settings_data(fever_celsius="38,5"), follow=True)

        assert "Réglages du dossier de soins enregistrés." in text(response)
        saved = CareSettings.objects.get(establishment=ehpad_a)
        assert saved.fever_celsius == Decimal("38.5")
        assert saved.history.count() == 1
        assert AccessEvent.objects.filter(user=director_a, action=AccessAction.CONFIGURE).exists()

    def test_the_medecin_coordonnateur_may_too(self, logged_in_client, doctor_a):
        assert logged_in_client(doctor_a).get(SETTINGS_URL).status_code == 200

    def test_thresholds_out_of_order_are_refused_next_to_the_field(
        self, logged_in_client, director_a, ehpad_a
    ):
        response = logged_in_client(director_a).post(
            SETTINGS_URL, settings_data(hypothermia_celsius="38,5")
        )

        assert response.status_code == 400
        assert "Le seuil d'hypothermie doit être inférieur à celui de la fièvre." in text(response)
        assert not CareSettings.objects.exists()

    def test_a_nurse_is_refused_and_the_refusal_is_journaled(self, logged_in_client, nurse_a):
        response = logged_in_client(nurse_a).get(SETTINGS_URL)

        assert_refused(
            response,
            "Seuls la direction et le médecin coordonnateur de l'établissement règlent",
            user=nurse_a,
        )


class TestDailyCommand:
    def test_it_raises_no_stools_for_a_followed_resident_and_suspends_during_an_absence(
        self, resident_a, unit_a, ehpad_a, nurse_a
    ):
        stay = StayFactory(
            person=resident_a, place=PlaceFactory(unit=unit_a), started_on=days_ago(30)
        )
        ObservationFactory(
            person=resident_a,
            measure=Measure.STOOLS,
            value=Decimal(1),
            occurred_at=dates.start_of_day(days_ago(4)) + timedelta(hours=10),
        )
        absence = Attendance.objects.create(
            person=resident_a,
            stay=stay,
            kind=AttendanceKind.ABSENT,
            absence_kind=AbsenceKind.HOSPITALISATION,
            status_changed_by=nurse_a,
            status_changed_at=dates.now(),
            starts_on=days_ago(2),
            ends_on=days_ago(1),
        )
        assert run_daily(establishment=ehpad_a) == 0

        absence.entered_in_error = True
        absence.save()
        assert run_daily(establishment=ehpad_a) == 1
        assert CareAlert.objects.get(person=resident_a).kind == "no_stools"


class TestEtiologyAndErrors:
    def test_the_etiology_form_gives_the_diagnosis_with_its_severity(
        self, logged_in_client, nurse_a, resident_a
    ):
        resident_a.birth_date = dates.today().replace(year=dates.today().year - 84)
        resident_a.save()
        ObservationFactory(person=resident_a, measure=Measure.HEIGHT, value=Decimal(160))
        ObservationFactory(person=resident_a, value=Decimal("50.944"))  # IMC 19,9 (HAS-FFN 2021)
        client = logged_in_client(nurse_a)

        response = client.post(
            reverse("care:obs_etiology", kwargs={"person_id": resident_a.public_id}),
            {
                "idempotency_key": str(uuid.uuid4()),
                "aggression": "on",
                "noted_on": dates.today().isoformat(),
            },
            follow=True,
        )

        page = text(response)
        assert "Dénutrition sévère" in page
        assert UndernutritionEtiology.objects.get(person=resident_a).created_by == nurse_a

    def test_the_etiology_form_needs_one_criterion(self, logged_in_client, nurse_a, resident_a):
        response = logged_in_client(nurse_a).post(
            reverse("care:obs_etiology", kwargs={"person_id": resident_a.public_id}),
            {"idempotency_key": str(uuid.uuid4()), "noted_on": dates.today().isoformat()},
        )

        assert response.status_code == 400
        assert "Cochez au moins un critère étiologique." in text(response)
        assert not UndernutritionEtiology.objects.exists()

    def test_a_wrong_measure_is_marked_entered_in_error_and_stays_readable(
        self, logged_in_client, nurse_a, resident_a
    ):
        observation = ObservationFactory(person=resident_a, value=Decimal("91.0"))
        client = logged_in_client(nurse_a)

        response = client.post(
            reverse(
                "care:obs_error",
                kwargs={"person_id": resident_a.public_id, "observation_id": observation.public_id},
            ),
            {
                "idempotency_key": str(uuid.uuid4()),
                "version": observation.version,
                "reason": "Pesé avec le fauteuil.",
            },
            follow=True,
        )

        observation.refresh_from_db()
        assert observation.entered_in_error
        assert "saisie par erreur : Pesé avec le fauteuil." in text(response)
        assert Observation.objects.count() == 1


class TestRoundAbsences:
    def test_an_absent_person_is_shown_as_absent_not_asked(
        self, logged_in_client, aide_a, resident_a, unit_a, nurse_a
    ):
        stay = StayFactory(person=resident_a, place=PlaceFactory(unit=unit_a))
        Attendance.objects.create(
            person=resident_a,
            stay=stay,
            kind=AttendanceKind.ABSENT,
            absence_kind=AbsenceKind.HOSPITALISATION,
            status_changed_by=nurse_a,
            status_changed_at=dates.now(),
            starts_on=days_ago(1),
            ends_on=dates.today() + timedelta(days=3),
        )

        page = text(logged_in_client(aide_a).get(reverse("care:obs_round")))

        assert 'data-testid="round-absent"' in page
        assert f'name="v-{resident_a.public_id}"' not in page
        assert "0 / 0" in page
