"""After the medical opinion is given, the application page shows it as given — not a form
reset to « Favorable » (issue 12, item 5); changing it is giving a new one (the latest counts,
the former stays), from a folded form holding the given answer."""

import html
import re

import pytest
from django.urls import reverse

from dui.admissions.services import evaluation

pytestmark = pytest.mark.django_db


def page_of(client, application) -> str:
    response = client.get(reverse("admissions:application_detail", args=[application.public_id]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_before_any_opinion_the_doctor_sees_the_form_to_give_it(
    in_evaluation, doctor_a, logged_in_client
):
    page = page_of(logged_in_client(doctor_a), in_evaluation)

    assert 'data-testid="opinion-form-medical"' in page
    assert 'data-testid="opinion-given-medical"' not in page
    assert "Donner l'avis médical" in page


def test_the_given_opinion_is_shown_as_given_and_the_amend_form_holds_it(
    in_evaluation, doctor_a, logged_in_client
):
    evaluation.opinion_give(
        acting_user=doctor_a,
        application=in_evaluation,
        kind="medical",
        value="unfavourable",
        text="Soins techniques hors de portée de l'unité",
    )

    page = page_of(logged_in_client(doctor_a), in_evaluation)

    given = re.search(r'data-testid="opinion-given-medical">(.*?)</p>', page).group(1)
    assert "Défavorable" in given
    amend = re.search(r'data-testid="opinion-amend-medical">(.*?)</details>', page).group(1)
    assert re.search(r'<option value="unfavourable" selected>', amend)
    assert not re.search(r'<option value="favourable" selected>', amend)
    assert "Donner le nouvel avis médical" in amend
