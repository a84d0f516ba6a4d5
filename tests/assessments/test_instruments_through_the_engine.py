"""The clinical instruments saved and validated through the assessment engine: the professions they
name are enforced, results (half points, JSON details) are stored as computed. Scales and cut-offs:
Braden (Bergstrom et al. 1987; Ayello and Braden 2002), MNA (Guigoz, Vellas, Garry 1994),
MMSE (Folstein 1975, version GRECO 1999)."""

from decimal import Decimal

import pytest

from dui.access.errors import AccessDenied
from dui.assessments import services
from dui.assessments.instruments import get
from dui.assessments.models import Assessment, AssessmentStatus
from tests.factories import today

BRADEN = get("braden")
MNA = get("mna")
MMSE = get("mmse")

BRADEN_16 = {
    "perception": "3",
    "humidite": "3",
    "activite": "2",
    "mobilite": "3",
    "nutrition": "3",
    "friction": "2",
}
MNA_23_5 = {
    "a": "2",
    "b": "3",
    "c": "2",
    "d": "2",
    "e": "2",
    "f1": "3",
    "g": "0",
    "h": "0",
    "i": "0",
    "j": "0",
    "k1": "oui",
    "k2": "oui",
    "k3": "oui",
    "l": "0",
    "m": "0.5",
    "n": "2",
    "o": "2",
    "p": "2",
    "q": "1",
    "r": "1",
}


def save(user, person, instrument, answers):
    return services.assessment_save_draft(
        acting_user=user, person=person, instrument=instrument, assessed_on=today(), answers=answers
    )


def validate(user, assessment):
    return services.assessment_validate(
        acting_user=user, assessment=assessment, expected_version=assessment.version
    )


@pytest.mark.django_db
class TestThroughTheEngine:
    def test_an_aide_fills_a_braden_and_the_nurse_validates_it(self, aide_a, nurse_a, resident_a):
        draft = save(aide_a, resident_a, BRADEN, BRADEN_16)
        validated = validate(nurse_a, draft)
        assert validated.status == AssessmentStatus.VALIDATED
        assert validated.score == 16 and validated.result_label == "16 / 23"
        assert validated.level == "warn" and validated.details["status"] == "risque faible"

    def test_an_aide_cannot_validate_a_braden(self, aide_a, resident_a):
        draft = save(aide_a, resident_a, BRADEN, BRADEN_16)
        with pytest.raises(AccessDenied, match="ne peut pas valider cet instrument"):
            validate(aide_a, draft)
        draft.refresh_from_db()
        assert draft.status == AssessmentStatus.DRAFT

    def test_a_full_mna_keeps_its_half_point_and_is_validated_by_the_physician(
        self, nurse_a, doctor_a, resident_a
    ):
        draft = save(nurse_a, resident_a, MNA, MNA_23_5)
        with pytest.raises(AccessDenied, match="ne peut pas valider cet instrument"):
            validate(nurse_a, draft)
        validated = validate(doctor_a, draft)
        validated.refresh_from_db()
        assert validated.score == Decimal("23.5")
        assert validated.result_label == "23,5 / 30"
        assert validated.details["screening"] == "14"

    def test_an_aide_does_not_give_the_mmse(self, aide_a, resident_a):
        with pytest.raises(AccessDenied, match="ne peut pas remplir cet instrument"):
            save(aide_a, resident_a, MMSE, {"annee": "1"})
        assert not Assessment.objects.exists()

    def test_a_nurse_gives_the_mmse_and_the_physician_reads_it(self, nurse_a, doctor_a, resident_a):
        answers = {q.key: "1" for q in MMSE.questions if q.kind == "choice" and q.required}
        validated = validate(doctor_a, save(nurse_a, resident_a, MMSE, answers))
        assert validated.score == 30 and validated.level == "neutral"
        assert validated.details["domains"]["Langage"] == 8
