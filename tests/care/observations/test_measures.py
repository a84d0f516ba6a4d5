"""Measures: impossible values refused with a French message and nothing saved; out-of-normal
values saved with a visible warning (NEWS2, RCP 2017); units set from the table; BMI computed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dui.care.nutrition import body_mass_index
from dui.care.observations import services
from dui.care.observations.forms import ObservationsForm
from dui.care.observations.measures import Measure, warning_of
from dui.care.observations.models import Observation
from dui.care.observations.selectors import bmi_of, latest_by_measure
from dui.core import dates

pytestmark = pytest.mark.django_db


def record(user, person, *entries):
    return services.observations_record(
        acting_user=user, person=person, occurred_at=dates.now(), entries=list(entries)
    )


def constraint_message(name: str) -> str:
    found = [c for c in Observation._meta.constraints if c.name == name]
    assert found, f"no constraint named {name}"
    return found[0].get_violation_error_message()


def form(**fields):
    data = {
        "occurred_at": (dates.now() - timedelta(minutes=5))
        .astimezone(dates.zone_of())
        .strftime("%Y-%m-%dT%H:%M")
    }
    data.update({k: str(v) for k, v in fields.items()})
    return ObservationsForm(data)


class TestRefusals:
    @pytest.mark.parametrize(
        ("entry", "message", "constraint"),
        [
            (
                {"measure": Measure.TEMPERATURE, "value": Decimal(60)},
                "Température impossible : la valeur doit être comprise entre 30 et 44 °C.",
                "observation_temperature_bounds",
            ),
            (
                {"measure": Measure.WEIGHT, "value": Decimal(0)},
                "Poids impossible : la valeur doit être comprise entre 1 et 350 kg.",
                "observation_weight_bounds",
            ),
            (
                {"measure": Measure.SPO2, "value": Decimal(101)},
                "SpO2 impossible : la valeur doit être comprise entre 50 et 100 %.",
                "observation_spo2_bounds",
            ),
            (
                {"measure": Measure.CAPILLARY_GLUCOSE, "value": Decimal("7")},
                "Glycémie capillaire impossible : la valeur doit être comprise entre 0,1 et 6 g/L.",
                "observation_capillary_glucose_bounds",
            ),
        ],
    )
    def test_the_service_refuses_an_impossible_value_and_saves_nothing(
        self, nurse_a, resident_a, entry, message, constraint
    ):
        with pytest.raises(ValidationError) as refused:
            record(nurse_a, resident_a, {"measure": Measure.PULSE, "value": Decimal(70)}, entry)

        assert refused.value.messages == [message]
        assert constraint_message(constraint) == message
        assert not Observation.objects.exists()

    def test_a_systolic_not_above_the_diastolic_is_refused_by_its_named_constraint(
        self, nurse_a, resident_a
    ):
        with pytest.raises(ValidationError) as refused:
            record(
                nurse_a,
                resident_a,
                {"measure": Measure.BLOOD_PRESSURE, "value": Decimal(80), "value2": Decimal(80)},
            )

        message = "Tension impossible : la systolique doit être supérieure à la diastolique."
        assert refused.value.messages == [message]
        assert constraint_message("observation_systolic_above_diastolic") == message
        assert not Observation.objects.exists()

    def test_a_bristol_type_outside_1_to_7_is_refused(self, nurse_a, resident_a):
        with pytest.raises(ValidationError) as refused:
            record(nurse_a, resident_a, {"measure": Measure.STOOLS, "value": 1, "bristol": 8})

        assert refused.value.messages == [constraint_message("observation_bristol_1_7")]

    def test_the_form_says_the_refusal_next_to_the_field(self):
        typed = form(temperature="60", weight="0", systolic="80", diastolic="90")

        assert not typed.is_valid()
        assert typed.errors["temperature"] == [
            "Température impossible : la valeur doit être comprise entre 30 et 44 °C."
        ]
        assert typed.errors["weight"] == [
            "Poids impossible : la valeur doit être comprise entre 1 et 350 kg."
        ]
        assert typed.errors["diastolic"] == [
            "Tension impossible : la systolique doit être supérieure à la diastolique."
        ]

    def test_the_form_asks_for_both_blood_pressure_values(self):
        typed = form(systolic="130")

        assert not typed.is_valid()
        assert typed.errors["diastolic"] == ["Saisissez la systolique et la diastolique."]

    def test_an_empty_form_asks_for_one_measure(self):
        typed = form()

        assert not typed.is_valid()
        assert typed.non_field_errors() == ["Saisissez au moins une mesure."]

    def test_a_measure_in_the_future_is_refused(self, nurse_a, resident_a):
        with pytest.raises(ValidationError) as refused:
            services.observations_record(
                acting_user=nurse_a,
                person=resident_a,
                occurred_at=dates.now() + timedelta(hours=1),
                entries=[{"measure": Measure.PULSE, "value": Decimal(70)}],
            )
        assert refused.value.message_dict["occurred_at"] == [
            "L'heure de la mesure ne peut être dans le futur."
        ]


class TestEntry:
    def test_the_french_decimal_comma_is_accepted(self):
        typed = form(temperature="37,8", capillary_glucose="1,25")

        assert typed.is_valid(), typed.errors
        assert typed.cleaned_data["temperature"] == Decimal("37.8")
        assert typed.cleaned_data["capillary_glucose"] == Decimal("1.25")

    def test_the_ucum_unit_is_set_by_the_service_never_typed(self, nurse_a, resident_a):
        done = record(
            nurse_a,
            resident_a,
            {"measure": Measure.TEMPERATURE, "value": Decimal("37.2"), "method": "tympanic"},
            {"measure": Measure.BLOOD_PRESSURE, "value": Decimal(130), "value2": Decimal(80)},
            {"measure": Measure.WEIGHT, "value": Decimal("64.5")},
        )

        units = {o.measure: o.unit_code for o in done["observations"]}
        assert units == {"temperature": "Cel", "blood_pressure": "mm[Hg]", "weight": "kg"}
        assert done["observations"][0].created_by == nurse_a
        assert done["observations"][1].shown == "130 / 80 mmHg"


class TestWarnings:
    """NEWS2 (RCP 2017) band edges: 36,0 °C scores, 36,1 does not; SpO2 95 scores, 96 not."""

    @pytest.mark.parametrize(
        ("measure", "value", "warned"),
        [
            (Measure.TEMPERATURE, "36.0", True),
            (Measure.TEMPERATURE, "36.1", False),
            (Measure.TEMPERATURE, "37.9", False),
            (Measure.TEMPERATURE, "38.0", True),
            (Measure.SPO2, "95", True),
            (Measure.SPO2, "96", False),
            (Measure.PULSE, "50", True),
            (Measure.PULSE, "51", False),
            (Measure.PULSE, "91", True),
            (Measure.RESPIRATORY_RATE, "11", True),
            (Measure.RESPIRATORY_RATE, "21", True),
            (Measure.RESPIRATORY_RATE, "16", False),
            (Measure.CAPILLARY_GLUCOSE, "0.69", True),
            (Measure.CAPILLARY_GLUCOSE, "0.70", False),
            (Measure.CAPILLARY_GLUCOSE, "2.51", True),
        ],
    )
    def test_out_of_normal_values_are_warned(self, measure, value, warned):
        assert bool(warning_of(measure, Decimal(value))) is warned

    def test_an_out_of_normal_value_is_saved_with_its_warning(self, nurse_a, resident_a):
        done = record(nurse_a, resident_a, {"measure": Measure.SPO2, "value": Decimal(93)})

        saved = Observation.objects.get(pk=done["observations"][0].pk)
        assert "SpO2 basse" in saved.warning
        assert "NEWS2" in saved.warning

    def test_diuresis_is_judged_per_24_hours(self):
        assert warning_of(Measure.DIURESIS, Decimal(300), period_hours=12) == ""
        assert "Diurèse basse" in warning_of(Measure.DIURESIS, Decimal(300), period_hours=24)

    def test_hard_stools_are_warned(self):
        assert "Bristol type 1" in warning_of(Measure.STOOLS, Decimal(1), bristol=1)
        assert warning_of(Measure.STOOLS, Decimal(1), bristol=4) == ""


class TestBodyMassIndex:
    def test_70_kg_and_1_75_m_give_22_9(self):
        # 70 / 1,75² = 22,857… → 22,9 (research notes §3, hand-checked).
        assert body_mass_index(Decimal(70), Decimal("1.75")) == Decimal("22.9")

    def test_the_bmi_is_computed_from_the_last_weight_and_the_last_height(
        self, nurse_a, resident_a
    ):
        record(nurse_a, resident_a, {"measure": Measure.HEIGHT, "value": Decimal(175)})
        record(nurse_a, resident_a, {"measure": Measure.WEIGHT, "value": Decimal(70)})

        assert bmi_of(latest_by_measure(person=resident_a)) == Decimal("22.9")
