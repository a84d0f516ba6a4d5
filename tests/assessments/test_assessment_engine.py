"""The assessment engine: drafts, validation by the right profession, server-side scoring,
amendment instead of overwrite, dates, pages."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.assessments import services
from dui.assessments.instruments.base import Instrument, Option, Question, Result, register
from dui.assessments.models import Assessment, AssessmentStatus
from tests.factories import days_ahead, today
from tests.refusals import assert_refused


@register
class TwoItemScale(Instrument):
    """A two-item test scale (0–4): filled by care staff, validated by nurses only."""

    code = "test_scale"
    version = "1"
    name = "Échelle de test"
    category = "care"
    validate_professions = frozenset({"ide", "idec"})
    score_min, score_max = 0, 4
    questions = (
        Question("a", "Item A", options=(Option("0", "Non", 0), Option("2", "Oui", 2))),
        Question("b", "Item B", options=(Option("0", "Non", 0), Option("2", "Oui", 2))),
    )

    def score(self, cleaned):
        total = self.points(cleaned)
        return Result(
            total,
            f"{total} / 4",
            "Risque" if total >= 2 else "Pas de risque",
            "warn" if total >= 2 else "ok",
            {"total": str(total)},
        )


SCALE = TwoItemScale()
NOT_FOLLOWED = "Vous n'avez pas accès au dossier de cette personne"


def draft(user, person, answers, **kwargs):
    return services.assessment_save_draft(
        acting_user=user,
        person=person,
        instrument=SCALE,
        assessed_on=kwargs.pop("on", None) or today(),
        answers=answers,
        **kwargs,
    )


class TestDrafts:
    def test_an_aide_saves_an_incomplete_draft_with_a_provisional_result(self, aide_a, resident_a):
        assessment = draft(aide_a, resident_a, {"a": "2"})
        assert assessment.status == AssessmentStatus.DRAFT
        assert assessment.score is None and "1 / 2" in assessment.result_label
        assert AccessEvent.objects.filter(person=resident_a, action=AccessAction.CREATE).exists()

    def test_an_answer_outside_the_options_is_refused_and_nothing_is_saved(
        self, aide_a, resident_a
    ):
        with pytest.raises(ValidationError) as error:
            draft(aide_a, resident_a, {"a": "7"})
        assert "choix proposés" in error.value.message_dict["a"][0]
        assert not Assessment.objects.exists()

    @pytest.mark.parametrize("on", [lambda: days_ahead(1), lambda: date(1900, 1, 1)])
    def test_a_date_in_the_future_or_before_birth_is_refused(self, aide_a, resident_a, on):
        with pytest.raises(ValidationError) as error:
            draft(aide_a, resident_a, {"a": "2"}, on=on())
        assert "assessed_on" in error.value.message_dict
        assert not Assessment.objects.exists()

    def test_a_profession_without_care_write_cannot_fill(self, secretary_a, resident_a):
        with pytest.raises(AccessDenied, match="ne peut pas remplir cet instrument") as refused:
            draft(secretary_a, resident_a, {"a": "2"})
        assert refused.value.person == resident_a  # journaled on her record by the view
        assert not Assessment.objects.exists()

    def test_a_draft_saved_over_without_its_version_is_refused(self, aide_a, resident_a):
        saved = draft(aide_a, resident_a, {"a": "2"})

        with pytest.raises(ValidationError, match="version de la fiche manquante"):
            draft(aide_a, resident_a, {"a": "0"}, assessment=saved, expected_version=None)
        with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
            draft(aide_a, resident_a, {"a": "0"}, assessment=saved, expected_version=7)

        saved.refresh_from_db()
        assert saved.answers == {"a": "2"} and saved.version == 1


class TestValidation:
    def test_the_server_recomputes_the_score_on_validation(self, aide_a, nurse_a, resident_a):
        assessment = draft(aide_a, resident_a, {"a": "2", "b": "2"})
        Assessment.objects.filter(pk=assessment.pk).update(score=Decimal(0), result_label="0 / 4")
        assessment.refresh_from_db()
        validated = services.assessment_validate(
            acting_user=nurse_a, assessment=assessment, expected_version=assessment.version
        )
        assert validated.score == 4 and validated.result_label == "4 / 4"
        assert validated.validated_by == nurse_a

    def test_a_profession_not_named_by_the_instrument_cannot_validate(self, aide_a, resident_a):
        assessment = draft(aide_a, resident_a, {"a": "2", "b": "0"})
        with pytest.raises(AccessDenied, match="ne peut pas valider cet instrument") as refused:
            services.assessment_validate(
                acting_user=aide_a, assessment=assessment, expected_version=assessment.version
            )
        assert refused.value.person == resident_a
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.DRAFT

    def test_an_incomplete_draft_stays_a_draft(self, aide_a, nurse_a, resident_a):
        assessment = draft(aide_a, resident_a, {"a": "2"})
        with pytest.raises(ValidationError) as error:
            services.assessment_validate(
                acting_user=nurse_a, assessment=assessment, expected_version=assessment.version
            )
        assert "b" in error.value.message_dict
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.DRAFT and assessment.validated_by is None


class TestCorrections:
    @pytest.fixture
    def validated(self, aide_a, nurse_a, resident_a):
        assessment = draft(aide_a, resident_a, {"a": "2", "b": "0"})
        return services.assessment_validate(
            acting_user=nurse_a, assessment=assessment, expected_version=assessment.version
        )

    def test_a_correction_replaces_the_validated_assessment_only_once_validated(
        self, validated, nurse_a, resident_a
    ):
        correction = services.assessment_amend(
            acting_user=nurse_a,
            assessment=validated,
            reason="Item B mal coté",
            expected_version=validated.version,
        )
        validated.refresh_from_db()
        assert validated.status == AssessmentStatus.VALIDATED  # still in force
        correction = services.assessment_save_draft(
            acting_user=nurse_a,
            person=resident_a,
            instrument=SCALE,
            assessed_on=today(),
            answers={"a": "2", "b": "2"},
            assessment=correction,
            expected_version=correction.version,
        )
        services.assessment_validate(
            acting_user=nurse_a, assessment=correction, expected_version=correction.version
        )
        validated.refresh_from_db()
        assert validated.status == AssessmentStatus.AMENDED
        assert validated.answers == {"a": "2", "b": "0"}  # never overwritten

    def test_a_validated_assessment_cannot_be_saved_over(self, validated, nurse_a, resident_a):
        with pytest.raises(ValidationError):
            services.assessment_save_draft(
                acting_user=nurse_a,
                person=resident_a,
                instrument=SCALE,
                assessed_on=today(),
                answers={"a": "0", "b": "0"},
                assessment=validated,
                expected_version=validated.version,
            )

    def test_entered_in_error_needs_a_reason_and_keeps_the_row(self, validated, nurse_a):
        with pytest.raises(ValidationError):
            services.assessment_mark_entered_in_error(
                acting_user=nurse_a,
                assessment=validated,
                reason=" ",
                expected_version=validated.version,
            )
        services.assessment_mark_entered_in_error(
            acting_user=nurse_a,
            assessment=validated,
            reason="Mauvaise personne",
            expected_version=validated.version,
        )
        validated.refresh_from_db()
        assert validated.status == AssessmentStatus.ENTERED_IN_ERROR


class TestPages:
    def post(self, client, url, **data):
        return client.post(url, {"idempotency_key": str(uuid.uuid4()), **data})

    def test_a_nurse_fills_and_validates_in_one_step(self, logged_in_client, nurse_a, resident_a):
        client = logged_in_client(nurse_a)
        url = reverse("assessments:new", args=[resident_a.public_id, "test_scale"])
        assert client.get(url).status_code == 200
        response = self.post(
            client, url, assessed_on=today().isoformat(), a="2", b="2", action="validate"
        )
        assert response.status_code == 302
        assessment = Assessment.objects.get()
        assert assessment.status == AssessmentStatus.VALIDATED and assessment.score == 4
        page = client.get(response["Location"]).content.decode()
        assert "4 / 4" in page

    def test_validation_refused_for_missing_answers_saves_nothing(
        self, logged_in_client, nurse_a, resident_a
    ):
        client = logged_in_client(nurse_a)
        url = reverse("assessments:new", args=[resident_a.public_id, "test_scale"])
        response = self.post(client, url, assessed_on=today().isoformat(), a="2", action="validate")
        assert response.status_code == 400
        assert "Répondez à cette question." in response.content.decode()
        assert not Assessment.objects.exists()

    def test_the_live_preview_computes_without_writing(self, logged_in_client, nurse_a, resident_a):
        client = logged_in_client(nurse_a)
        url = reverse("assessments:preview", args=[resident_a.public_id, "test_scale"])
        response = client.post(url, {"assessed_on": today().isoformat(), "a": "2", "b": "0"})
        assert response.status_code == 200 and "2 / 4" in response.content.decode()
        assert not Assessment.objects.exists()

    def test_a_nurse_of_another_ehpad_is_refused(self, logged_in_client, nurse_b, resident_a):
        url = reverse("assessments:new", args=[resident_a.public_id, "test_scale"])

        response = logged_in_client(nurse_b).get(url)

        assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)

    def test_an_aide_refused_the_validation_reads_why_and_the_draft_is_kept(
        self, logged_in_client, aide_a, resident_a
    ):
        client = logged_in_client(aide_a)
        url = reverse("assessments:new", args=[resident_a.public_id, "test_scale"])

        response = self.post(
            client, url, assessed_on=today().isoformat(), a="2", b="2", action="validate"
        )

        assert_refused(
            response,
            "Votre profession ne peut pas valider cet instrument (Échelle de test).",
            user=aide_a,
            person=resident_a,
        )
        # One use case: the draft saved before the refused validation is rolled back too.
        assert not Assessment.objects.exists()

    def test_a_secretary_opening_the_form_reads_that_care_is_not_hers(
        self, logged_in_client, secretary_a, resident_a
    ):
        url = reverse("assessments:new", args=[resident_a.public_id, "test_scale"])

        response = logged_in_client(secretary_a).get(url)

        assert_refused(
            response,
            "Votre profession n'a pas accès à cette partie du dossier.",
            user=secretary_a,
            person=resident_a,
        )

    def test_a_profession_not_named_by_the_instrument_is_refused_its_form(
        self, logged_in_client, aide_a, resident_a
    ):
        url = reverse("assessments:new", args=[resident_a.public_id, "mmse"])

        response = logged_in_client(aide_a).get(url)

        assert_refused(
            response,
            "Votre profession ne peut pas remplir cet instrument.",
            user=aide_a,
            person=resident_a,
        )

    def test_a_correction_sent_without_its_version_is_refused_and_nothing_starts(
        self, logged_in_client, aide_a, nurse_a, resident_a
    ):
        validated = services.assessment_validate(
            acting_user=nurse_a,
            assessment=draft(aide_a, resident_a, {"a": "2", "b": "0"}),
            expected_version=1,
        )
        client = logged_in_client(nurse_a)
        url = reverse("assessments:correct", args=[resident_a.public_id, validated.public_id])

        response = self.post(client, url, **{"correction-reason": "Item B mal coté"})

        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "version de la fiche manquante" in page
        assert not Assessment.objects.filter(amends=validated).exists()

    def test_the_list_costs_the_same_whatever_the_number_of_assessments(
        self, logged_in_client, nurse_a, resident_a, django_assert_max_num_queries
    ):
        client = logged_in_client(nurse_a)
        url = reverse("assessments:list", args=[resident_a.public_id])
        draft(nurse_a, resident_a, {"a": "2"})
        client.get(url)
        # The record's header and tabs (issue 13 adds the care alerts' badge and the « aucune
        # allergie connue » statement; item 7 the open wounds' badge): a fixed number, whatever
        # the assessments.
        with django_assert_max_num_queries(45) as few:
            client.get(url)
        for _n in range(12):
            draft(nurse_a, resident_a, {"a": "0"})
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)


class TestCorrectionRaces:
    @pytest.fixture
    def validated(self, aide_a, nurse_a, resident_a):
        assessment = draft(aide_a, resident_a, {"a": "2", "b": "0"})
        return services.assessment_validate(
            acting_user=nurse_a, assessment=assessment, expected_version=assessment.version
        )

    def test_a_correction_of_an_assessment_marked_in_error_meanwhile_cannot_be_validated(
        self, validated, nurse_a
    ):
        correction = services.assessment_amend(
            acting_user=nurse_a,
            assessment=validated,
            reason="B",
            expected_version=validated.version,
        )
        validated.refresh_from_db()
        services.assessment_mark_entered_in_error(
            acting_user=nurse_a,
            assessment=validated,
            reason="Mauvaise personne",
            expected_version=validated.version,
        )
        with pytest.raises(ValidationError):
            services.assessment_validate(
                acting_user=nurse_a, assessment=correction, expected_version=correction.version
            )
        validated.refresh_from_db()
        assert validated.status == AssessmentStatus.ENTERED_IN_ERROR

    def test_the_database_refuses_a_second_correction_in_progress(self, validated, nurse_a):
        from django.db import IntegrityError, transaction

        first = services.assessment_amend(
            acting_user=nurse_a,
            assessment=validated,
            reason="B",
            expected_version=validated.version,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.create(
                person=first.person,
                establishment=first.establishment,
                instrument_code="test_scale",
                instrument_version="1",
                category="care",
                assessed_on=today(),
                assessed_by=nurse_a,
                amends=validated,
                reason="bis",
            )

    def test_a_draft_correction_can_be_abandoned(self, validated, nurse_a):
        correction = services.assessment_amend(
            acting_user=nurse_a,
            assessment=validated,
            reason="B",
            expected_version=validated.version,
        )
        services.assessment_mark_entered_in_error(
            acting_user=nurse_a,
            assessment=correction,
            reason="Commencée par erreur",
            expected_version=correction.version,
        )
        again = services.assessment_amend(
            acting_user=nurse_a,
            assessment=validated,
            reason="C",
            expected_version=validated.version,
        )
        assert again.amends == validated


def test_every_instrument_can_be_filled_and_validated_by_some_profession_by_default():
    """The instrument names the competent professions; the access matrix (DESIGN §4.1) decides
    who may write the category. With the default matrix, each instrument must be usable."""
    from dui.access.matrix import DEFAULT_MATRIX, default_rights
    from dui.assessments.instruments import latest_instruments

    for instrument in latest_instruments():
        if instrument.code == "test_scale":
            continue
        writers = {code for code in DEFAULT_MATRIX if default_rights(code, instrument.category)[1]}
        fillers = (
            writers
            if instrument.fill_professions is None
            else writers & instrument.fill_professions
        )
        validators = (
            writers
            if instrument.validate_professions is None
            else writers & instrument.validate_professions
        )
        assert fillers, f"{instrument.code}: nobody may fill it with the default rights"
        assert validators, f"{instrument.code}: nobody may validate it with the default rights"
