"""The « Constantes » tab, the charts, acknowledging alerts, « Ma journée » and the unit's
round and alerts list — as the care team sees them."""

import html
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.care.observations.measures import Measure
from dui.care.observations.models import Observation
from dui.core import dates
from tests.factories import PersonFactory, PlaceFactory
from tests.refusals import assert_refused
from tests.stays.factories import StayFactory

from .factories import CareAlertFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def tab_url(person):
    return reverse("care:obs_list", kwargs={"person_id": person.public_id})


def new_url(person):
    return reverse("care:obs_new", kwargs={"person_id": person.public_id})


def charts_url(person, months=6):
    return reverse("care:obs_charts", kwargs={"person_id": person.public_id}) + f"?mois={months}"


def now_local():
    return dates.now().astimezone(dates.zone_of()) - timedelta(minutes=1)


def many_observations(person, n):
    for i in range(n):
        ObservationFactory(
            person=person,
            measure=[Measure.WEIGHT, Measure.TEMPERATURE, Measure.PULSE][i % 3],
            value=Decimal([70, 37, 80][i % 3]),
            occurred_at=dates.now() - timedelta(days=i),
        )


class TestTab:
    def test_nurse_a_sees_the_last_values_with_their_date_and_the_bmi(
        self, logged_in_client, nurse_a, resident_a
    ):
        ObservationFactory(person=resident_a, measure=Measure.HEIGHT, value=Decimal(175))
        ObservationFactory(person=resident_a, measure=Measure.WEIGHT, value=Decimal(70))

        page = text(logged_in_client(nurse_a).get(tab_url(resident_a)))

        assert "70 kg" in page
        assert 'data-testid="obs-bmi">22.9' in page or "22,9" in page
        assert "Aucune évaluation validée" in page  # pain: through the assessments brick

    @pytest.mark.parametrize("count", [2, 60])
    def test_the_tab_runs_a_bounded_number_of_queries(
        self, logged_in_client, nurse_a, resident_a, django_assert_max_num_queries, count
    ):
        many_observations(resident_a, count)
        client = logged_in_client(nurse_a)

        with django_assert_max_num_queries(40):
            response = client.get(tab_url(resident_a))

        assert response.status_code == 200
        assert len(re.findall('data-testid="obs-row"', response.content.decode())) == min(count, 20)

    def test_recording_several_measures_at_once_shows_the_warning(
        self, logged_in_client, nurse_a, resident_a
    ):
        client = logged_in_client(nurse_a)
        response = client.post(
            new_url(resident_a),
            {
                "idempotency_key": str(uuid.uuid4()),
                "occurred_at": now_local().strftime("%Y-%m-%dT%H:%M"),
                "temperature": "36,0",
                "temperature_site": "tympanic",
                "pulse": "72",
                "height_method": "measured",
            },
            follow=True,
        )

        page = text(response)
        assert "Mesures enregistrées" in page
        assert "Température basse : hors des valeurs habituelles" in page
        assert Observation.objects.filter(person=resident_a).count() == 2

    def test_an_impossible_value_is_refused_next_to_its_field_and_nothing_is_saved(
        self, logged_in_client, nurse_a, resident_a
    ):
        response = logged_in_client(nurse_a).post(
            new_url(resident_a),
            {
                "idempotency_key": str(uuid.uuid4()),
                "occurred_at": now_local().strftime("%Y-%m-%dT%H:%M"),
                "temperature": "60",
                "pulse": "72",
                "temperature_site": "tympanic",
                "height_method": "measured",
            },
        )

        assert response.status_code == 400
        assert 'data-testid="error-temperature"' in response.content.decode()
        assert "Température impossible" in text(response)
        assert not Observation.objects.exists()

    def test_a_psychologist_reads_the_tab_but_may_not_record(
        self, logged_in_client, psychologist_a, resident_a
    ):
        client = logged_in_client(psychologist_a)

        assert client.get(tab_url(resident_a)).status_code == 200
        assert client.get(new_url(resident_a)).status_code == 403


class TestCharts:
    @pytest.mark.parametrize("count", [1, 80])
    def test_the_charts_render_svg_with_the_has_bands_in_bounded_queries(
        self, logged_in_client, nurse_a, resident_a, django_assert_max_num_queries, count
    ):
        ObservationFactory(person=resident_a, measure=Measure.HEIGHT, value=Decimal(160))
        many_observations(resident_a, count)
        client = logged_in_client(nurse_a)

        with django_assert_max_num_queries(40):
            response = client.get(charts_url(resident_a, 3))

        page = text(response)
        assert response.status_code == 200
        assert '<title id="chart-weight-title">Courbe de poids</title>' in page
        assert 'class="band band-warn"' in page  # IMC threshold band for the height
        assert "−5 %" in page
        assert 'data-testid="chart-temperature"' in page
        assert "Fièvre ≥ 38 °C" in page

    def test_an_unknown_period_falls_back_to_6_months(self, logged_in_client, nurse_a, resident_a):
        page = text(logged_in_client(nurse_a).get(charts_url(resident_a, 7)))

        assert 'aria-current="page">6 mois' in page
        assert "Aucune mesure sur la période" in page


class TestAlerts:
    def ack_url(self, alert):
        return reverse("care:obs_alert_ack", kwargs={"alert_id": alert.public_id})

    def test_an_open_alert_shows_in_the_header_until_acknowledged(
        self, logged_in_client, nurse_a, resident_a
    ):
        alert = CareAlertFactory(person=resident_a)
        client = logged_in_client(nurse_a)
        assert "Alerte : Fièvre" in text(client.get(tab_url(resident_a)))

        response = client.post(
            self.ack_url(alert),
            {
                "idempotency_key": str(uuid.uuid4()),
                "version": alert.version,
                "action_taken": "Médecin prévenu, paracétamol.",
            },
            follow=True,
        )

        alert.refresh_from_db()
        assert alert.acknowledged_by == nurse_a
        assert alert.acknowledged_at is not None
        assert "Alerte : Fièvre" not in text(response)
        assert AccessEvent.objects.filter(
            action=AccessAction.UPDATE, object_id=str(alert.public_id), user=nurse_a
        ).exists()

    def test_acknowledging_needs_what_was_done(self, logged_in_client, nurse_a, resident_a):
        alert = CareAlertFactory(person=resident_a)

        response = logged_in_client(nurse_a).post(
            self.ack_url(alert),
            {"idempotency_key": str(uuid.uuid4()), "version": alert.version, "action_taken": "  "},
        )

        assert response.status_code == 400
        assert "Indiquez ce qui a été fait." in text(response)
        alert.refresh_from_db()
        assert alert.is_open

    def test_a_psychologist_may_not_acknowledge_and_the_refusal_is_journaled(
        self, logged_in_client, psychologist_a, resident_a
    ):
        alert = CareAlertFactory(person=resident_a)

        response = logged_in_client(psychologist_a).post(
            self.ack_url(alert),
            {"idempotency_key": str(uuid.uuid4()), "version": alert.version, "action_taken": "Vu."},
        )

        assert response.status_code == 403
        assert_refused(response, "", user=psychologist_a, person=resident_a)
        alert.refresh_from_db()
        assert alert.is_open

    def test_ma_journee_counts_the_alerts_to_handle(self, logged_in_client, nurse_a, resident_a):
        CareAlertFactory(person=resident_a)
        CareAlertFactory(person=resident_a, kind="hypoglycaemia")

        page = text(logged_in_client(nurse_a).get(reverse("core:home")))

        assert "2 alertes de soins à traiter" in page

    @pytest.mark.parametrize("count", [1, 30])
    def test_the_unit_alerts_list_is_paginated_and_bounded(
        self, logged_in_client, nurse_a, unit_a, django_assert_max_num_queries, count
    ):
        from tests.factories import CareTeamMembershipFactory

        for _i in range(count):
            person = PersonFactory()
            CareTeamMembershipFactory(
                person=person, establishment=unit_a.establishment, unit=unit_a
            )
            CareAlertFactory(person=person)
        client = logged_in_client(nurse_a)

        with django_assert_max_num_queries(30):
            response = client.get(reverse("care:obs_alerts"))

        assert response.content.decode().count('data-testid="unit-alert"') == min(count, 30)


class TestRound:
    @pytest.fixture
    def unit_residents(self, unit_a, resident_a):
        from tests.factories import CareTeamMembershipFactory

        people = [resident_a]
        for name in ("Bernard", "Colin"):
            person = PersonFactory(birth_name=name)
            CareTeamMembershipFactory(
                person=person, establishment=unit_a.establishment, unit=unit_a
            )
            people.append(person)
        for n, person in enumerate(people):
            StayFactory(person=person, place=PlaceFactory(unit=unit_a, label=f"Chambre {n + 1}"))
        return people

    def test_the_round_shows_each_person_with_the_previous_value(
        self, logged_in_client, aide_a, unit_residents
    ):
        ObservationFactory(
            person=unit_residents[0],
            value=Decimal("61.4"),
            occurred_at=dates.now() - timedelta(days=31),
        )

        page = text(logged_in_client(aide_a).get(reverse("care:obs_round")))

        assert page.count('data-testid="round-row"') == 3
        assert "61,4 kg" in page
        assert "0 / 3" in page

    def test_the_round_saves_the_valid_rows_and_keeps_the_bad_ones(
        self, logged_in_client, aide_a, unit_residents
    ):
        first, second, third = unit_residents
        response = logged_in_client(aide_a).post(
            reverse("care:obs_round") + "?measure=weight",
            {
                "idempotency_key": str(uuid.uuid4()),
                f"v-{first.public_id}": "62,5",
                f"v-{second.public_id}": "0",
                f"v-{third.public_id}": "",
            },
        )

        assert response.status_code == 400
        page = text(response)
        assert "Poids impossible" in page
        assert 'value="0"' in page  # kept as typed
        assert "1 / 3" in page
        assert list(Observation.objects.values_list("person_id", "value")) == [
            (first.pk, Decimal("62.50"))
        ]

    @pytest.mark.parametrize("extra", [0, 25])
    def test_the_round_runs_a_bounded_number_of_queries(
        self, logged_in_client, aide_a, unit_a, unit_residents, django_assert_max_num_queries, extra
    ):
        from tests.factories import CareTeamMembershipFactory

        for _i in range(extra):
            person = PersonFactory()
            CareTeamMembershipFactory(
                person=person, establishment=unit_a.establishment, unit=unit_a
            )
            StayFactory(person=person, place=PlaceFactory(unit=unit_a))
            ObservationFactory(person=person)
        client = logged_in_client(aide_a)

        with django_assert_max_num_queries(30):
            response = client.get(reverse("care:obs_round"))

        assert response.content.decode().count('data-testid="round-row"') == 3 + extra
