"""Computed alerts: raised by the services that save an observation, one open alert per person
and kind, thresholds from the establishment's care settings (defaults: fever ≥ 38,0 °C and
hypothermia ≤ 35,0 °C — NEWS2 / French usage; glucose < 0,70 and > 2,50 g/L; no stools for 3
days — EHPAD convention), undernutrition « à confirmer » per HAS 2019 / HAS-FFN 2021."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from dui.care.models import CareSettings
from dui.care.observations import alerts, services
from dui.care.observations.measures import Measure
from dui.care.observations.models import AlertKind, CareAlert
from dui.core import dates
from tests.factories import PersonFactory, days_ago

from .factories import CareAlertFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def record(user, person, measure, value, *, at=None, **extra):
    return services.observations_record(
        acting_user=user,
        person=person,
        occurred_at=at or dates.now(),
        entries=[{"measure": measure, "value": Decimal(str(value)), **extra}],
    )


def open_kinds(person) -> set[str]:
    return set(
        CareAlert.objects.filter(person=person, acknowledged_at__isnull=True).values_list(
            "kind", flat=True
        )
    )


@pytest.fixture
def old_resident(resident_a):
    resident_a.birth_date = dates.today().replace(year=dates.today().year - 85)
    resident_a.save()
    return resident_a


class TestUndernutrition:
    def test_a_loss_of_5_percent_in_a_month_raises_undernutrition_to_confirm(
        self, nurse_a, old_resident
    ):
        record(nurse_a, old_resident, Measure.HEIGHT, 160)
        record(nurse_a, old_resident, Measure.WEIGHT, 70, at=dates.now() - timedelta(days=30))

        done = record(nurse_a, old_resident, Measure.WEIGHT, "66.5")

        assert [a.kind for a in done["alerts"]] == [AlertKind.UNDERNUTRITION_TO_CONFIRM]
        alert = done["alerts"][0]
        assert "Perte de poids ≥ 5 % en 1 mois" in alert.detail
        assert alert.source_observation == done["observations"][0]

    def test_a_stable_weight_raises_nothing(self, nurse_a, old_resident):
        record(nurse_a, old_resident, Measure.HEIGHT, 160)
        record(nurse_a, old_resident, Measure.WEIGHT, 70, at=dates.now() - timedelta(days=30))

        assert record(nurse_a, old_resident, Measure.WEIGHT, "69")["alerts"] == []

    def test_recording_the_etiological_criterion_gives_the_diagnosis_and_settles_the_alert(
        self, nurse_a, old_resident
    ):
        record(nurse_a, old_resident, Measure.HEIGHT, 160)
        record(nurse_a, old_resident, Measure.WEIGHT, 70, at=dates.now() - timedelta(days=30))
        record(nurse_a, old_resident, Measure.WEIGHT, "66.5")  # −5 %: moderate (HAS-FFN 2021)

        done = services.undernutrition_etiology_record(
            acting_user=nurse_a, person=old_resident, data={"reduced_intake": True}
        )

        assert done["result"].undernourished
        assert done["result"].severity == "moderate"
        alert = CareAlert.objects.get(person=old_resident)
        assert alert.acknowledged_by == nurse_a
        assert "Dénutrition modérée" in alert.action_taken
        # The next weighing does not raise « à confirmer » again: the diagnosis stands.
        assert record(nurse_a, old_resident, Measure.WEIGHT, "66")["alerts"] == []


class TestTemperatureAndGlucose:
    @pytest.mark.parametrize(
        ("value", "kind"),
        [("38.0", "fever"), ("37.9", None), ("35.0", "hypothermia"), ("35.1", None)],
    )
    def test_fever_and_hypothermia_at_the_default_thresholds(
        self, nurse_a, resident_a, value, kind
    ):
        done = record(nurse_a, resident_a, Measure.TEMPERATURE, value)

        assert [a.kind for a in done["alerts"]] == ([kind] if kind else [])

    def test_the_establishment_sets_its_own_fever_threshold(self, nurse_a, resident_a, ehpad_a):
        CareSettings.objects.create(establishment=ehpad_a, fever_celsius=Decimal("38.5"))

        assert record(nurse_a, resident_a, Measure.TEMPERATURE, "38.2")["alerts"] == []
        assert record(nurse_a, resident_a, Measure.TEMPERATURE, "38.5")["alerts"]

    @pytest.mark.parametrize(
        ("value", "kind"),
        [
            ("0.69", "hypoglycaemia"),
            ("0.70", None),
            ("2.50", None),
            ("2.51", "hyperglycaemia"),
        ],
    )
    def test_hypo_and_hyperglycaemia_in_grams_per_litre(self, nurse_a, resident_a, value, kind):
        done = record(nurse_a, resident_a, Measure.CAPILLARY_GLUCOSE, value)

        assert [a.kind for a in done["alerts"]] == ([kind] if kind else [])


class TestOneOpenAlertPerKind:
    def test_a_second_fever_keeps_the_open_alert(self, nurse_a, resident_a):
        first = record(nurse_a, resident_a, Measure.TEMPERATURE, "38.6")["alerts"][0]
        second = record(nurse_a, resident_a, Measure.TEMPERATURE, "39.1")["alerts"][0]

        assert first == second
        assert CareAlert.objects.filter(person=resident_a).count() == 1

    def test_the_database_refuses_a_second_open_alert_of_a_kind(self, resident_a):
        CareAlertFactory(person=resident_a, kind="fever")

        with (
            pytest.raises(
                IntegrityError,
                match=r"care_alert_one_open_per_kind|care_carealert\.person_id, care_carealert\.kind",
            ),
            transaction.atomic(),
        ):
            CareAlertFactory(person=resident_a, kind="fever")

    def test_once_acknowledged_a_new_alert_may_open(self, nurse_a, resident_a):
        first = record(nurse_a, resident_a, Measure.TEMPERATURE, "38.6")["alerts"][0]
        services.alert_acknowledge(
            acting_user=nurse_a, alert=first, action_taken="Médecin prévenu.", expected_version=1
        )

        second = record(nurse_a, resident_a, Measure.TEMPERATURE, "38.9")["alerts"][0]

        assert second != first
        assert open_kinds(resident_a) == {"fever"}

    def test_raise_alert_serves_the_falls_part(self, resident_a, ehpad_a):
        alert = alerts.raise_alert(
            person=resident_a,
            kind=AlertKind.REPEATED_FALLS,
            source=None,
            establishment=ehpad_a,
            detail="Deuxième chute en 12 mois (HAS/SFGG 2009).",
        )

        assert alert.is_open
        assert alert.get_kind_display() == "Chutes répétées"


class TestNoStools:
    """3 days without stools (EHPAD convention), only for a person whose stools are followed;
    absences suspend the count."""

    def stools(self, person, days, count=1):
        ObservationFactory(
            person=person,
            measure=Measure.STOOLS,
            value=Decimal(count),
            occurred_at=dates.start_of_day(days_ago(days)) + timedelta(hours=10),
        )

    def test_three_days_without_stools_raise_the_alert(self, resident_a, ehpad_a):
        self.stools(resident_a, 3)

        alert = alerts.no_stools_rule(person=resident_a, establishment=ehpad_a)

        assert alert.kind == AlertKind.NO_STOOLS

    def test_two_days_do_not(self, resident_a, ehpad_a):
        self.stools(resident_a, 2)

        assert alerts.no_stools_rule(person=resident_a, establishment=ehpad_a) is None

    def test_a_person_whose_stools_are_not_recorded_gets_no_alert(self, resident_a, ehpad_a):
        assert alerts.no_stools_rule(person=resident_a, establishment=ehpad_a) is None

    def test_days_of_absence_are_not_counted(self, resident_a, ehpad_a):
        self.stools(resident_a, 4)

        alert = alerts.no_stools_rule(
            person=resident_a, establishment=ehpad_a, absent_days={days_ago(2), days_ago(1)}
        )

        assert alert is None

    def test_zero_stools_recorded_counts_as_followed(self, resident_a, ehpad_a):
        self.stools(resident_a, 5)
        self.stools(resident_a, 1, count=0)

        assert alerts.no_stools_rule(person=resident_a, establishment=ehpad_a) is not None


def test_an_alert_of_another_person_is_not_shared(nurse_a, resident_a, unit_a):
    other = PersonFactory()
    record(nurse_a, resident_a, Measure.TEMPERATURE, "38.6")

    assert open_kinds(other) == set()
