"""The words of the screens (issue 12, item 7): agreement with the person's sex, the journal in
French, radios without a raw « --------- », empty lists that say what to do next."""

from html import unescape

import pytest
from django.template import Context, Template
from django.urls import get_resolver, reverse

from dui.access import services as access_services
from dui.access.journal_labels import object_type_label, page_title
from dui.care.forms import AllergyForm
from dui.core.agreement import agree, with_article
from dui.core.forms import RadioSelect
from dui.people.models import Sex
from tests.factories import CareTeamMembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return unescape(response.content.decode())


# --- Agreement ----------------------------------------------------------------------------------


def test_a_woman_is_nee_a_man_is_ne_and_an_unknown_sex_keeps_the_inclusive_form():
    assert agree(Sex.FEMALE, "né", "née") == "née"
    assert agree(Sex.MALE, "né", "née") == "né"
    assert agree(Sex.UNKNOWN, "né", "née") == "né(e)"
    assert agree(Sex.UNKNOWN, "admis", "admise") == "admis(e)"
    assert agree(Sex.UNKNOWN, "seul", "seule") == "seul(e)"
    assert agree(Sex.UNKNOWN, "Monsieur", "Madame") == "Monsieur ou Madame"


def test_the_agree_tag_reads_the_sex_of_the_person():
    template = Template('{% load dui %}{% agree person "admis" "admise" %}')

    woman = PersonFactory.build(sex=Sex.FEMALE)
    man = PersonFactory.build(sex=Sex.MALE)

    assert template.render(Context({"person": woman})) == "admise"
    assert template.render(Context({"person": man})) == "admis"


@pytest.mark.parametrize(("sex", "word"), [(Sex.FEMALE, "née"), (Sex.MALE, "né")])
def test_the_record_header_says_nee_for_a_woman_and_ne_for_a_man(
    logged_in_client, nurse_a, unit_a, sex, word
):
    person = PersonFactory(birth_name="Durand", used_name="Morel", first_names="Camille", sex=sex)
    CareTeamMembershipFactory(person=person, unit=unit_a, establishment=unit_a.establishment)

    page = page_of(logged_in_client(nurse_a).get(reverse("people:record", args=[person.public_id])))

    assert f"{word} DURAND" in page
    assert "né(e)" not in page


def test_no_template_writes_ne_e_or_admis_e_for_a_person_whose_sex_is_known():
    """The agreement is the `agree` tag's: a grep of the templates finds no hand-made form."""
    from pathlib import Path

    import dui

    offenders = []
    for template in Path(dui.__file__).parent.rglob("*.html"):
        # The letters' wording (their variables, editable by the establishment) is still to
        # be done (issue 12, « words »).
        if "letters" in template.parts:
            continue
        text = template.read_text()
        for needle in ("né(e)", "admis(e)", "né{% if", "née ou né"):
            if needle in text:
                offenders.append(f"{template.name}: {needle}")
    assert offenders == []


# --- The journal in French ---------------------------------------------------------------------


def test_every_page_of_the_application_has_a_french_title_in_the_journal():
    def names(patterns, namespace=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from names(p.url_patterns, inner)
            elif p.name:
                yield namespace + p.name

    without = [
        n
        for n in names(get_resolver().url_patterns)
        if not n.startswith("admin:")
        and not n.startswith("accounts:")
        and not n.startswith("api")
        and not page_title(n)
    ]
    assert without == []


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("page:people:record", "Page : Synthèse du dossier"),
        ("page:care:allergies", "Page : Allergies et intolérances"),
        ("people.Person", "Usager"),
        ("access.BreakGlass", "Accès exceptionnel"),
        ("accounts.login:password", "Connexion par mot de passe"),
        ("people.merge", "Fusion de dossiers"),
        ("", ""),
    ],
)
def test_the_journal_names_its_objects_in_french(code, label):
    assert object_type_label(code) == label


def test_the_journal_page_shows_french_labels_and_no_internal_name(
    logged_in_client, director_a, nurse_a, resident_a
):
    logged_in_client(nurse_a).get(reverse("people:record", args=[resident_a.public_id]))

    page = page_of(
        logged_in_client(director_a).get(
            reverse("access:person_journal", args=[resident_a.public_id])
        )
    )

    assert "Page : Synthèse du dossier" in page
    assert "page:people:record" not in page
    assert "people.Person" not in page
    assert f"{agree(resident_a, 'né', 'née')} le {resident_a.birth_date:%d/%m/%Y}" in page


def test_an_emergency_access_is_said_once_in_its_journal_line(
    logged_in_client, nurse_a, director_b, resident_b
):
    access_services.break_glass_open(
        acting_user=nurse_a, person=resident_b, reason="Chute la nuit, médecin injoignable"
    )

    page = page_of(
        logged_in_client(director_b).get(
            reverse("access:person_journal", args=[resident_b.public_id])
        )
    )

    assert "Accès exceptionnel" in page
    assert "access.BreakGlass" not in page
    assert "Accès exceptionnel accès exceptionnel" not in page.replace("</td>\n      <td>", " ")
    assert "Accès exceptionnel</td>" in page


# --- Radios, empty lists --------------------------------------------------------------------------


def test_no_radio_list_offers_a_raw_dash_choice():
    html = str(AllergyForm())

    assert "---------" not in html
    assert 'type="radio"' in html


def test_an_optional_radio_list_says_not_specified_for_no_answer():
    from django import forms

    class Form(forms.Form):
        answer = forms.ChoiceField(
            choices=[("", "---------"), ("yes", "Oui")], required=False, widget=RadioSelect
        )

    html = str(Form())
    assert "Non précisé" in html
    assert "---------" not in html


def test_the_empty_waiting_list_says_how_a_request_gets_there(logged_in_client, secretary_a):
    page = page_of(logged_in_client(secretary_a).get(reverse("admissions:waiting_list")))

    assert "La liste d'attente est vide" in page
    assert "Faire avancer la demande" in page
    assert reverse("admissions:pipeline_board") in page
    assert "Personne sur la liste d'attente." not in page


@pytest.mark.parametrize(
    "name, preposition, said",
    [
        ("EHPAD Les Tilleuls", "", "l'EHPAD Les Tilleuls"),
        ("EHPAD Les Tilleuls", "de", "de l'EHPAD Les Tilleuls"),
        ("EHPAD Les Tilleuls", "à", "à l'EHPAD Les Tilleuls"),
        ("SESSAD Les Sources", "de", "du SESSAD Les Sources"),
        ("SESSAD Les Sources", "à", "au SESSAD Les Sources"),
        ("MAS Les Cèdres", "de", "de la MAS Les Cèdres"),
        ("IME Les Sources", "à", "à l'IME Les Sources"),
        ("Résidence du Parc", "à", "à la Résidence du Parc"),
        ("Les Tilleuls", "de", "de l'établissement Les Tilleuls"),
    ],
)
def test_an_establishment_is_named_with_its_article(name, preposition, said):
    assert with_article(name, preposition) == said
