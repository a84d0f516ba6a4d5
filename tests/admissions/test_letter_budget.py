"""Letter templates cannot hang the server (security issue, finding 4): nested {% for %} loops
multiply — five levels over a 40-character value took 28 s to preview, six would take about 13
minutes — and the stored template is used for every letter of the establishment.

At save: 3 levels of block tags at most, and an output and a step count bounded from the
template's structure. At rendering (preview, letter): stopped after 2 seconds or 100,000
characters with a French message, nothing written."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.admissions.models import LetterKind, LetterTemplate
from dui.admissions.sandbox import render_body, validate_template_body
from dui.admissions.services import letters
from dui.documents.models import Document
from tests.admissions.helpers import key, new_application
from tests.factories import PersonFactory


def nested_loops(levels: int, over: str = "etablissement_nom", inner: str = "") -> str:
    return (
        "".join(f"{{% for v{n} in {over} %}}" for n in range(levels))
        + inner
        + ("{% endfor %}" * levels)
    )


# Five levels, as in the probe; six over the establishment's name ("EHPAD Les Tilleuls", 18
# characters) is 18⁶ = 34 million turns of the innermost loop: minutes without the budget.
FIVE_LEVELS = nested_loops(5)
PATHOLOGICAL = nested_loops(6)


def save(user, establishment, body, kind=LetterKind.ACKNOWLEDGEMENT):
    return letters.letter_template_save(
        acting_user=user,
        establishment=establishment,
        kind=kind,
        title="Accusé",
        body=body,
        expected_version=0,
    )


def stored_directly(establishment, body, kind=LetterKind.ACKNOWLEDGEMENT) -> LetterTemplate:
    """A template that never went through the save rules (written before them, or in SQL)."""
    return LetterTemplate.objects.create(
        establishment=establishment, kind=kind, title="Accusé de réception", body=body
    )


# --- At save ----------------------------------------------------------------------------------


def test_five_nested_loops_are_refused_when_the_template_is_saved(secretary_a, ehpad_a):
    with pytest.raises(ValidationError) as error:
        save(secretary_a, ehpad_a, FIVE_LEVELS)

    assert error.value.message_dict["body"] == [
        "Le modèle place 5 balises {% if %} / {% for %} les unes dans les autres : "
        "3 niveaux au plus."
    ]
    assert not LetterTemplate.objects.exists()


def test_three_levels_of_if_and_for_are_accepted(secretary_a, ehpad_a):
    body = (
        "{% for piece in pieces_manquantes %}{% if piece %}{% if civilite %}- {{ piece }}"
        "{% endif %}{% endif %}\n{% endfor %}"
    )

    assert save(secretary_a, ehpad_a, body).body == body


def test_a_fourth_level_of_if_is_refused_too():
    body = "{% if a %}{% if b %}{% for c in pieces_manquantes %}{% if c %}x{% endif %}{% endfor %}"
    body += "{% endif %}{% endif %}"

    with pytest.raises(ValidationError, match="4 balises"):
        validate_template_body(body)


def test_a_template_whose_output_would_be_huge_is_refused_when_saved(secretary_a, ehpad_a):
    # Three levels only, but each turn of the innermost loop prints a paragraph.
    body = nested_loops(3, inner="Un paragraphe de texte répété. " * 4)

    with pytest.raises(ValidationError) as error:
        save(secretary_a, ehpad_a, body)

    message = error.value.message_dict["body"][0]
    assert message.startswith("Le texte produit par ce modèle pourrait atteindre")
    assert "au plus 100\u202f000" in message
    assert not LetterTemplate.objects.exists()


def test_three_empty_nested_loops_are_refused_for_their_steps():
    with pytest.raises(ValidationError, match="étapes de calcul"):
        validate_template_body(nested_loops(3))


def test_the_template_page_shows_the_nesting_refusal_next_to_the_text(
    secretary_a, logged_in_client
):
    url = reverse("admissions:letter_template", kwargs={"kind": LetterKind.ACKNOWLEDGEMENT})

    response = logged_in_client(secretary_a).post(
        url, {"title": "Accusé", "body": FIVE_LEVELS, "version": "0", "idempotency_key": key()}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == [
        "Le modèle place 5 balises {% if %} / {% for %} les unes dans les autres : "
        "3 niveaux au plus."
    ]
    assert not LetterTemplate.objects.exists()


# --- At rendering: a template already stored ----------------------------------------------------


def test_the_sandbox_stops_a_slow_rendering_after_its_time_budget():
    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        render_body(PATHOLOGICAL, {"etablissement_nom": "EHPAD Les Tilleuls"}, seconds=0.2)

    assert time.monotonic() - started < 2
    assert error.value.code == "template_too_slow"


def test_the_sandbox_stops_a_rendering_past_its_size_budget():
    body = nested_loops(2, inner="Un paragraphe de texte répété. " * 10)
    started = time.monotonic()

    with pytest.raises(ValidationError) as error:
        render_body(body, {"etablissement_nom": "EHPAD Les Tilleuls du Grand Parc"})

    assert time.monotonic() - started < 2
    assert error.value.messages == [
        "Le modèle de courrier de l'établissement produit plus de 100\u202f000 caractères : le "
        "calcul a été arrêté et rien n'a été enregistré. La direction ou le secrétariat doit "
        "simplifier ce modèle (Courriers › Modèles)."
    ]


def test_a_stored_pathological_template_stops_after_two_seconds_in_the_preview(
    secretary_a, logged_in_client, ehpad_a
):
    stored_directly(ehpad_a, PATHOLOGICAL)
    client = logged_in_client(secretary_a)
    started = time.monotonic()

    response = client.get(
        reverse("admissions:letter_template_preview", kwargs={"kind": LetterKind.ACKNOWLEDGEMENT}),
        follow=True,
    )

    elapsed = time.monotonic() - started
    assert 1.9 < elapsed < 5
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "a été arrêté après 2 secondes de calcul" in page
    assert "doit simplifier ce modèle" in page


def test_a_stored_pathological_template_stops_after_two_seconds_and_saves_no_letter(
    secretary_a, ehpad_a, today
):
    person = PersonFactory(birth_name="MARTIN", first_names="Jeanne", sex="F")
    application = new_application(
        secretary_a, ehpad_a, person=person, received_on=today - timedelta(days=3)
    )
    stored_directly(ehpad_a, PATHOLOGICAL)
    started = time.monotonic()

    with pytest.raises(ValidationError) as error:
        letters.letter_generate(
            acting_user=secretary_a, application=application, kind=LetterKind.ACKNOWLEDGEMENT
        )

    assert time.monotonic() - started < 5
    assert "arrêté après 2 secondes" in error.value.messages[0]
    assert not Document.objects.filter(person=person).exists()


def test_the_letters_page_shows_why_the_letter_was_not_generated(
    secretary_a, ehpad_a, logged_in_client, today
):
    application = new_application(secretary_a, ehpad_a, received_on=today - timedelta(days=3))
    stored_directly(ehpad_a, PATHOLOGICAL)
    started = time.monotonic()

    response = logged_in_client(secretary_a).post(
        reverse("admissions:letters", kwargs={"application_id": application.public_id}),
        {"kind": LetterKind.ACKNOWLEDGEMENT, "idempotency_key": key()},
    )

    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert "arrêté après 2 secondes de calcul" in response.content.decode()
    assert not Document.objects.filter(person=application.person).exists()
