"""Queues and drafts (issue 12, item 3): the « À valider » queue of a validating profession
(the GIR is validated by the médecin coordonnateur: CASF art. R314-170 and D312-158 3°), the
drafts shown on the due list and resumed instead of a second blank form, the form saying who
validates — and the radios of an optional answer that can be cleared (item 5)."""

import html
import re
import uuid

import pytest
from django.urls import reverse

from dui.assessments.forms import AssessmentForm
from dui.assessments.instruments import get
from dui.assessments.models import Assessment, AssessmentStatus
from dui.assessments.queue import to_validate, validated_by_label
from tests.assessments.review_helpers import days_ago, stay, stored_assessment
from tests.assessments.test_aggir_instrument import all_answers
from tests.factories import CareTeamMembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def key() -> str:
    return str(uuid.uuid4())


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


@pytest.fixture
def entered_long_ago(unit_a):
    """A resident entered 200 days ago, never assessed: her GIR is overdue."""
    person = PersonFactory(birth_name="Lemaire", first_names="Odette")
    CareTeamMembershipFactory(person=person, establishment=unit_a.establishment, unit=unit_a)
    stay(person, unit_a, started_on=days_ago(200))
    return person


@pytest.fixture
def gir_draft(entered_long_ago, ehpad_a, nurse_a):
    draft = stored_assessment(
        entered_long_ago, ehpad_a, "aggir", status=AssessmentStatus.DRAFT, by=nurse_a
    )
    draft.answers = all_answers()
    draft.save()
    return draft


# --- The « À valider » queue ------------------------------------------------------------------


def test_the_gir_drafts_wait_in_the_queue_of_the_medecin_coordonnateur(gir_draft, doctor_a):
    assert list(to_validate(user=doctor_a)) == [gir_draft]


def test_the_nurse_has_no_gir_to_validate(gir_draft, nurse_a):
    assert list(to_validate(user=nurse_a)) == []


def test_a_draft_of_a_person_the_doctor_may_not_see_is_not_in_his_queue(ehpad_b, doctor_a):
    stranger = PersonFactory()
    CareTeamMembershipFactory(person=stranger, establishment=ehpad_b, unit=None)
    stored_assessment(stranger, ehpad_b, "aggir", status=AssessmentStatus.DRAFT)

    assert list(to_validate(user=doctor_a)) == []


def test_a_validated_assessment_leaves_the_queue(gir_draft, doctor_a):
    gir_draft.status = AssessmentStatus.VALIDATED
    gir_draft.validated_by = doctor_a
    gir_draft.validated_at = gir_draft.created_at
    gir_draft.save()

    assert list(to_validate(user=doctor_a)) == []


def test_the_doctor_validates_from_his_queue_without_searching(
    gir_draft, doctor_a, logged_in_client, django_assert_max_num_queries
):
    client = logged_in_client(doctor_a)
    with django_assert_max_num_queries(15):
        page = text(client.get(reverse("assessments:to_validate")))
    detail = reverse("assessments:detail", args=[gir_draft.person.public_id, gir_draft.public_id])
    assert "Vérifier et valider" in page and detail in page

    response = client.post(
        reverse("assessments:validate", args=[gir_draft.person.public_id, gir_draft.public_id]),
        {"version": gir_draft.version, "idempotency_key": key()},
    )

    assert response.status_code == 302
    gir_draft.refresh_from_db()
    assert gir_draft.status == AssessmentStatus.VALIDATED and gir_draft.validated_by == doctor_a
    assert "Aucune évaluation n'attend votre validation." in text(
        client.get(reverse("assessments:to_validate"))
    )


@pytest.mark.parametrize("persons", [5, 40])
def test_the_queue_page_runs_the_same_queries_for_5_and_40_drafts(
    persons, unit_a, ehpad_a, doctor_a, nurse_a, logged_in_client, django_assert_max_num_queries
):
    for _n in range(persons):
        person = PersonFactory()
        CareTeamMembershipFactory(person=person, establishment=ehpad_a, unit=unit_a)
        stored_assessment(person, ehpad_a, "aggir", status=AssessmentStatus.DRAFT, by=nurse_a)
    client = logged_in_client(doctor_a)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("assessments:to_validate"))
    assert response.content.decode().count('data-testid="to-validate-row"') == persons


# --- Drafts on the due list, resumed ----------------------------------------------------------


def test_the_due_list_offers_to_resume_the_draft_instead_of_a_new_form(
    gir_draft, nurse_a, logged_in_client
):
    page = text(logged_in_client(nurse_a).get(reverse("assessments:due")))

    row = next(r for r in re.findall(r'data-testid="due-row">(.*?)</tr>', page) if "AGGIR" in r)
    assert "Reprendre le brouillon" in row
    assert (
        reverse("assessments:detail", args=[gir_draft.person.public_id, gir_draft.public_id]) in row
    )
    assert reverse("assessments:new", args=[gir_draft.person.public_id, "aggir"]) not in row


def test_opening_a_new_form_while_a_draft_exists_resumes_the_draft(
    gir_draft, nurse_a, logged_in_client
):
    client = logged_in_client(nurse_a)
    response = client.get(reverse("assessments:new", args=[gir_draft.person.public_id, "aggir"]))

    assert response["Location"] == reverse(
        "assessments:detail", args=[gir_draft.person.public_id, gir_draft.public_id]
    )
    assert Assessment.objects.filter(person=gir_draft.person).count() == 1


# --- Who validates ----------------------------------------------------------------------------


def test_the_aggir_form_tells_the_nurse_that_a_physician_validates(
    entered_long_ago, nurse_a, logged_in_client
):
    page = text(
        logged_in_client(nurse_a).get(
            reverse("assessments:new", args=[entered_long_ago.public_id, "aggir"])
        )
    )

    said = re.search(r'data-testid="validated-by">(.*?)</p>', page).group(1)
    assert "Médecin" in said and "Médecin coordonnateur" in said
    assert "À valider" in said


def test_an_instrument_any_writer_validates_says_so():
    class Open:
        validate_professions = None

    assert validated_by_label(Open()) == "toute profession qui écrit cette partie du dossier"


# --- Optional radios can be cleared (MNA-SF F2) -----------------------------------------------


def test_the_optional_f2_of_the_mna_sf_can_be_cleared_and_the_required_f1_has_no_empty_choice():
    mna = get("mna_sf")
    f2 = next(q for q in mna.questions if q.key == "f2")
    form = AssessmentForm(instrument=mna)

    if f2.kind in ("choice", "boolean"):
        assert form.fields["f2"].choices[0] == ("", "Sans réponse")
    required_choice = next(q for q in mna.questions if q.kind == "choice" and q.required)
    assert ("", "Sans réponse") not in list(form.fields[required_choice.key].choices)


def test_clearing_f2_after_answering_it_saves_the_draft_without_it(
    entered_long_ago, nurse_a, logged_in_client
):
    mna = get("mna_sf")
    f2 = next(q for q in mna.questions if q.key == "f2")
    client = logged_in_client(nurse_a)
    url = reverse("assessments:new", args=[entered_long_ago.public_id, "mna_sf"])
    first = f2.options[0].value if f2.options else "30"
    client.post(
        url, {"assessed_on": days_ago(0).isoformat(), "f2": first, "idempotency_key": key()}
    )
    draft = Assessment.objects.get(person=entered_long_ago, instrument_code="mna_sf")
    assert "f2" in draft.answers

    client.post(
        reverse("assessments:detail", args=[entered_long_ago.public_id, draft.public_id]),
        {
            "assessed_on": days_ago(0).isoformat(),
            "f2": "",
            "version": draft.version,
            "idempotency_key": key(),
        },
    )

    draft.refresh_from_db()
    assert "f2" not in draft.answers
