"""The background's services: each bad input refused with its French message and nothing saved;
the rules named after their sources (CIM-10 shape: ATIH / FR Core Condition; IDDSI levels:
iddsi.org framework; directives anticipées: CSP L1111-11; « aucune allergie connue »: ANS
JDV_AbsentOrUnknownAllergy_CISIS)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.care.background import services
from dui.care.background.models import (
    ABSENT_ALLERGY_SYSTEM,
    AdvanceDirective,
    DietPlan,
    MedicalHistory,
    PersonDevice,
    Vaccination,
)
from dui.care.background.selectors import advance_directives_of, current_devices_of
from tests.factories import days_ago, days_ahead, today

pytestmark = pytest.mark.django_db


def history(**values) -> dict:
    return {"kind": "medical", "label": "Hypertension artérielle", **values}


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        call(**kwargs)
    return excinfo.value.message_dict


def journaled(action, entry) -> bool:
    return AccessEvent.objects.filter(
        action=action, object_type=entry._meta.label, object_id=str(entry.public_id)
    ).exists()


class TestMedicalHistory:
    def test_a_doctor_records_an_antecedent_with_its_cim10_code_and_it_is_journaled(
        self, doctor_a, resident_a
    ):
        entry = services.medical_history_create(
            acting_user=doctor_a,
            person=resident_a,
            data=history(cim10_code=" e11.9 ", onset_year=2001),
        )

        assert entry.cim10_code == "E11.9" and entry.is_active
        assert entry.onset_display == "2001"
        assert journaled(AccessAction.CREATE, entry)
        assert entry.history.count() == 1

    @pytest.mark.parametrize("code", ["I10", "E11.9", "S72.00", "F00.1*"])
    def test_codes_of_the_cim10_shape_are_accepted(self, doctor_a, resident_a, code):
        """CIM-10 (ATIH): a letter, two digits, optionally a dot and one or two characters;
        the dagger/asterisk of the dual classification is kept. Only the shape is checked: no
        CIM-10 table ships with the application."""
        entry = services.medical_history_create(
            acting_user=doctor_a, person=resident_a, data=history(cim10_code=code)
        )
        assert entry.cim10_code == code

    @pytest.mark.parametrize("code", ["I1", "110", "E11.", "E119", "HTA", "E11.999"])
    def test_a_code_not_of_the_cim10_shape_is_refused_and_nothing_is_saved(
        self, doctor_a, resident_a, code
    ):
        errors = refused(
            services.medical_history_create,
            acting_user=doctor_a,
            person=resident_a,
            data=history(cim10_code=code),
        )

        assert "n'a pas la forme d'un code CIM-10" in errors["cim10_code"][0]
        assert not MedicalHistory.objects.exists()

    def test_a_family_antecedent_needs_the_relative(self, doctor_a, resident_a):
        errors = refused(
            services.medical_history_create,
            acting_user=doctor_a,
            person=resident_a,
            data=history(kind="family", label="Cancer du sein"),
        )
        assert errors["relative"] == [
            "Pour un antécédent familial, indiquez le membre de la famille concerné."
        ]
        assert not MedicalHistory.objects.exists()

    def test_a_relatives_disease_may_predate_the_persons_birth(self, doctor_a, resident_a):
        before_birth = resident_a.birth_date - timedelta(days=3650)
        entry = services.medical_history_create(
            acting_user=doctor_a,
            person=resident_a,
            data=history(kind="family", label="Diabète", relative="Mère", onset_on=before_birth),
        )
        assert entry.relative == "Mère"

    def test_an_onset_before_birth_is_refused(self, doctor_a, resident_a):
        errors = refused(
            services.medical_history_create,
            acting_user=doctor_a,
            person=resident_a,
            data=history(onset_on=resident_a.birth_date - timedelta(days=1)),
        )
        assert "précède la naissance de la personne" in errors["onset_on"][0]
        assert not MedicalHistory.objects.exists()

    def test_an_onset_year_before_birth_or_in_the_future_is_refused(self, doctor_a, resident_a):
        errors = refused(
            services.medical_history_create,
            acting_user=doctor_a,
            person=resident_a,
            data=history(onset_year=resident_a.birth_date.year - 1),
        )
        assert "précède la naissance de la personne" in errors["onset_year"][0]
        errors = refused(
            services.medical_history_create,
            acting_user=doctor_a,
            person=resident_a,
            data=history(onset_year=today().year + 1),
        )
        assert errors["onset_year"] == ["Cette année ne peut être dans le futur."]
        assert not MedicalHistory.objects.exists()

    def test_an_end_before_the_onset_is_refused(self, doctor_a, resident_a):
        errors = refused(
            services.medical_history_create,
            acting_user=doctor_a,
            person=resident_a,
            data=history(onset_on=days_ago(10), ended_on=days_ago(20)),
        )
        assert errors["ended_on"] == ["Cette date précède la date de début."]

    def test_an_ended_problem_stays_listed_inactive(self, doctor_a, resident_a):
        entry = services.medical_history_create(
            acting_user=doctor_a, person=resident_a, data=history(kind="problem", label="Escarre")
        )

        services.medical_history_end(
            acting_user=doctor_a, entry=entry, ended_on=today(), expected_version=entry.version
        )

        entry.refresh_from_db()
        assert not entry.is_active and entry.ended_on == today() and entry.version == 2

    def test_a_carer_cannot_write_antecedents(self, aide_a, resident_a):
        with pytest.raises(AccessDenied):
            services.medical_history_create(acting_user=aide_a, person=resident_a, data=history())
        assert not MedicalHistory.objects.exists()

    def test_the_database_refuses_an_ended_active_entry_by_name(self, doctor_a, resident_a):
        entry = services.medical_history_create(
            acting_user=doctor_a, person=resident_a, data=history()
        )
        constraint = next(
            c
            for c in MedicalHistory._meta.constraints
            if c.name == "care_history_ended_is_inactive"
        )
        entry.ended_on = today()
        with pytest.raises(ValidationError) as excinfo:
            constraint.validate(MedicalHistory, entry)
        assert "ne peut pas rester actif" in str(excinfo.value)


class TestVaccinations:
    def test_a_doctor_records_a_vaccination(self, doctor_a, resident_a):
        vaccination = services.vaccination_create(
            acting_user=doctor_a,
            person=resident_a,
            data={
                "vaccine_label": "Grippe saisonnière",
                "administered_on": days_ago(30),
                "dose_number": 1,
                "lot_number": "AB123",
                "administered_by": "IDE de l'établissement",
            },
        )
        assert journaled(AccessAction.CREATE, vaccination)

    def test_not_before_birth_not_in_the_future(self, doctor_a, resident_a):
        errors = refused(
            services.vaccination_create,
            acting_user=doctor_a,
            person=resident_a,
            data={
                "vaccine_label": "DTP",
                "administered_on": resident_a.birth_date - timedelta(days=1),
            },
        )
        assert "précède la naissance de la personne" in errors["administered_on"][0]
        errors = refused(
            services.vaccination_create,
            acting_user=doctor_a,
            person=resident_a,
            data={"vaccine_label": "DTP", "administered_on": days_ahead(1)},
        )
        assert errors["administered_on"] == ["Cette date ne peut être dans le futur."]
        assert not Vaccination.objects.exists()

    def test_a_cis_code_has_eight_digits(self, doctor_a, resident_a):
        """BDPM: the CIS code is 8 digits (CIS_bdpm.txt)."""
        errors = refused(
            services.vaccination_create,
            acting_user=doctor_a,
            person=resident_a,
            data={"vaccine_label": "Covid-19", "administered_on": today(), "cis_code": "1234"},
        )
        assert errors["cis_code"] == ["Un code CIS de la BDPM compte 8 chiffres."]


class TestDevices:
    def test_a_carer_records_dentures_then_removes_them(self, aide_a, resident_a):
        device = services.device_create(
            acting_user=aide_a,
            person=resident_a,
            data={"kind": "upper_denture", "marked_with_name": True, "since": days_ago(400)},
        )
        assert current_devices_of(resident_a, aide_a) == [device]

        services.device_remove(
            acting_user=aide_a, device=device, removed_on=today(), expected_version=1
        )

        assert current_devices_of(resident_a, aide_a) == []
        assert PersonDevice.objects.get().removed_on == today()

    def test_an_other_device_needs_a_detail(self, aide_a, resident_a):
        errors = refused(
            services.device_create, acting_user=aide_a, person=resident_a, data={"kind": "other"}
        )
        assert errors["detail"] == ["Pour un autre appareil, précisez lequel."]
        assert not PersonDevice.objects.exists()

    def test_a_removal_before_the_start_is_refused(self, aide_a, resident_a):
        device = services.device_create(
            acting_user=aide_a, person=resident_a, data={"kind": "glasses", "since": days_ago(2)}
        )
        errors = refused(
            services.device_remove,
            acting_user=aide_a,
            device=device,
            removed_on=days_ago(5),
            expected_version=1,
        )
        assert errors["removed_on"] == ["Cette date précède la date de début."]
        device.refresh_from_db()
        assert device.removed_on is None and device.version == 1

    def test_a_removal_form_read_before_another_change_is_refused(self, aide_a, resident_a):
        device = services.device_create(
            acting_user=aide_a, person=resident_a, data={"kind": "glasses"}
        )
        services.device_remove(
            acting_user=aide_a, device=device, removed_on=today(), expected_version=1
        )
        with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
            services.device_remove(
                acting_user=aide_a, device=device, removed_on=today(), expected_version=1
            )


class TestDiet:
    def test_a_new_diet_keeps_the_former_one(self, aide_a, resident_a):
        services.diet_plan_record(
            acting_user=aide_a,
            person=resident_a,
            data={"since": days_ago(100), "food_level": 7, "drink_level": 0},
        )
        services.diet_plan_record(
            acting_user=aide_a,
            person=resident_a,
            data={
                "since": days_ago(3),
                "food_level": 4,
                "drink_level": 2,
                "diets": ["diabetic", "enriched"],
                "meal_help": "partial",
            },
        )

        current, former = DietPlan.objects.order_by("-since")
        assert current.summary == (
            "Aliments IDDSI 4 (Purée lisse (mixé lisse)), boissons IDDSI 2 (Légèrement épais), "
            "Diabétique (sans sucres rapides), Enrichi"
        )
        assert former.food_level == 7

    @pytest.mark.parametrize(
        ("values", "field", "message"),
        [
            ({"food_level": 2}, "food_level", "Le niveau IDDSI des aliments va de 3"),
            ({"drink_level": 5}, "drink_level", "Le niveau IDDSI des boissons va de 0"),
            ({"diets": ["paleo"]}, "diets", "Régime inconnu : paleo."),
            ({"since": days_ahead(1)}, "since", "Cette date ne peut être dans le futur."),
        ],
    )
    def test_iddsi_levels_out_of_the_framework_are_refused(
        self, aide_a, resident_a, values, field, message
    ):
        """IDDSI framework (iddsi.org): foods are levels 3–7, drinks 0–4."""
        data = {"since": today(), "food_level": 7, "drink_level": 0, **values}
        with pytest.raises(ValidationError) as excinfo:
            services.diet_plan_record(acting_user=aide_a, person=resident_a, data=data)
        assert message in " ".join(
            excinfo.value.message_dict.get(field, excinfo.value.message_dict.get("__all__", []))
        )
        assert not DietPlan.objects.exists()

    def test_the_iddsi_constraints_are_named(self):
        names = {c.name for c in DietPlan._meta.constraints}
        assert {"care_diet_iddsi_food_level", "care_diet_iddsi_drink_level"} <= names


class TestAdvanceDirectives:
    def test_a_nurse_records_them_and_the_exit_issue_reads_them(self, nurse_a, resident_a):
        """CSP L1111-11: existence, date, where kept; who checked and when."""
        services.advance_directive_record(
            acting_user=nurse_a,
            person=resident_a,
            data={
                "existence": "yes",
                "written_on": days_ago(700),
                "kept_where": "Chez sa fille",
            },
        )

        answer = advance_directives_of(resident_a, nurse_a)

        assert answer.exists == "yes"
        assert answer.current.checked_by == nurse_a and answer.current.checked_on == today()
        assert answer.current.kept_where == "Chez sa fille"

    def test_no_details_without_directives(self, nurse_a, resident_a):
        errors = refused(
            services.advance_directive_record,
            acting_user=nurse_a,
            person=resident_a,
            data={"existence": "no", "kept_where": "Chez le notaire"},
        )
        assert "Pas de lieu de conservation" in errors["kept_where"][0]
        assert not AdvanceDirective.objects.exists()

    def test_nobody_looked_is_none(self, nurse_a, resident_a):
        assert advance_directives_of(resident_a, nurse_a).exists is None

    def test_a_nurse_of_another_ehpad_may_not_read_them(self, nurse_b, resident_a):
        with pytest.raises(AccessDenied):
            advance_directives_of(resident_a, nurse_b)


class TestEnteredInError:
    def test_an_entry_in_error_stays_with_its_reason(self, doctor_a, resident_a):
        entry = services.medical_history_create(
            acting_user=doctor_a, person=resident_a, data=history()
        )

        services.background_mark_entered_in_error(
            acting_user=doctor_a, entry=entry, reason="Autre résidente", expected_version=1
        )

        entry.refresh_from_db()
        assert entry.entered_in_error and entry.entered_in_error_reason == "Autre résidente"
        assert journaled(AccessAction.AMEND, entry)

    def test_a_reason_is_required(self, doctor_a, resident_a):
        entry = services.medical_history_create(
            acting_user=doctor_a, person=resident_a, data=history()
        )
        errors = refused(
            services.background_mark_entered_in_error,
            acting_user=doctor_a,
            entry=entry,
            reason=" ",
            expected_version=1,
        )
        assert errors["reason"] == ["Indiquez pourquoi cette saisie est une erreur."]


def test_the_statement_code_is_the_ans_value_set_code():
    """ANS JDV_AbsentOrUnknownAllergy_CISIS (OID 1.2.250.1.213.1.1.5.661): IPS code system."""
    from dui.care.background.models import AllergyStatementCode

    assert AllergyStatementCode.NO_KNOWN_ALLERGIES == "no-known-allergies"
    assert ABSENT_ALLERGY_SYSTEM == "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"
