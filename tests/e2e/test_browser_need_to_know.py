"""A shift in the browser (DESIGN §4.1 need-to-know, §4.2 break-glass, §4.3 journal).

Claire Martin, nurse of unit « Les Glycines » at EHPAD Les Tilleuls, sees the residents of her
unit, finds one by typing her name without accents, is refused the record of a resident of
EHPAD Le Val Fleuri, opens it by break-glass with a reason; the director of Le Val Fleuri then
reviews that access.
"""

import re

from playwright.sync_api import Locator, Page, expect

from dui.access.models import AccessAction, AccessEvent, BreakGlass
from dui.people.models import Sex
from tests.e2e.browser import log_in, open_menu_entry
from tests.factories import CareTeamMembershipFactory, PersonFactory, PlaceFactory
from tests.stays.factories import StayFactory

REASON = "Chute dans le couloir du rez-de-chaussée, le SAMU demande ses antécédents."


def resident_of(unit, *, birth_name: str, first_names: str, sex: str = Sex.FEMALE):
    """A resident of the unit: a care-team membership and a stay under way there."""
    person = PersonFactory(birth_name=birth_name, first_names=first_names, sex=sex)
    CareTeamMembershipFactory(person=person, establishment=unit.establishment, unit=unit)
    StayFactory(person=person, place=PlaceFactory(establishment=unit.establishment, unit=unit))
    return person


def search(page: Page, text: str) -> Locator:
    """Type in the top-bar search box; htmx shows the results below it."""
    page.get_by_role("searchbox", name="Rechercher une personne").fill(text)
    return page.locator("#search-results")


def test_a_nurse_sees_her_unit_is_refused_another_ehpad_and_her_break_glass_is_reviewed(
    new_page, nurse_a, director_b, unit_a, resident_b
):
    helene = resident_of(unit_a, birth_name="Dupré", first_names="Hélène")

    # Start of the shift: password, then the code of her authenticator app.
    nurse = log_in(new_page(), nurse_a)

    # « Ma journée »: the residents of her unit, not those of the other EHPAD.
    expect(nurse.get_by_role("heading", level=1)).to_have_text("Ma journée — Les Glycines")
    persons = nurse.get_by_role("region", name="Personnes accompagnées")
    expect(persons.get_by_role("link", name="DUPRÉ Hélène")).to_be_visible()
    expect(nurse.get_by_text(resident_b.display_name)).to_have_count(0)

    # The search box ignores accents, and finds nobody outside her rights.
    results = search(nurse, "dupre")
    expect(results.get_by_role("link", name="DUPRÉ Hélène")).to_be_visible()
    # Issue 12: only the fact that a match exists in the organisation, and the emergency access.
    results = search(nurse, "moreau")
    expect(results).to_contain_text(
        "Une personne suivie par votre organisme correspond aussi à cette recherche"
    )
    expect(results).not_to_contain_text(resident_b.first_names)
    results = search(nurse, "hel")
    results.get_by_role("link", name="DUPRÉ Hélène").click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text(helene.display_name)
    expect(nurse.locator(".break-glass-flag")).to_have_count(0)

    # She reads Hélène's identity but does not keep it: the correction form itself is
    # refused, with the reason, and the refusal is journaled (not a read).
    nurse.goto(f"/usagers/{helene.public_id}/identite/modifier/")
    expect(nurse.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    expect(nurse.get_by_role("alert")).to_contain_text(
        "Votre profession ne peut pas modifier cette partie du dossier"
    )
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, user=nurse_a, person=helene
    ).exists()

    # The record of a resident of the other EHPAD, opened by its address: refused, journaled.
    nurse.goto(f"/usagers/{resident_b.public_id}/")
    expect(nurse.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    expect(nurse.get_by_role("alert")).to_contain_text(
        "Vous n'avez pas accès au dossier de cette personne : elle n'est pas accompagnée par "
        "votre établissement ou votre unité."
    )
    expect(nurse.get_by_text(resident_b.display_name)).to_have_count(0)
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, user=nurse_a, person=resident_b
    ).exists()

    # Break-glass: a reason is required…
    nurse.get_by_label("Motif de l'accès exceptionnel").fill("urgence")
    nurse.get_by_role("button", name="Ouvrir l'accès exceptionnel").click()
    expect(nurse.get_by_text("au moins 15 caractères")).to_be_visible()
    assert not BreakGlass.objects.exists()

    # …then the record opens, flagged, and every read is journaled as break-glass.
    nurse.get_by_label("Motif de l'accès exceptionnel").fill(REASON)
    nurse.get_by_role("button", name="Ouvrir l'accès exceptionnel").click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text(resident_b.display_name)
    expect(nurse.locator(".break-glass-flag")).to_contain_text(
        "Accès exceptionnel (bris de glace) en cours"
    )
    expect(nurse.get_by_role("status")).to_contain_text("Accès exceptionnel ouvert")
    assert AccessEvent.objects.filter(
        action=AccessAction.BREAK_GLASS, user=nurse_a, person=resident_b, break_glass=True
    ).exists()
    assert AccessEvent.objects.filter(
        action=AccessAction.READ, user=nurse_a, person=resident_b, break_glass=True
    ).exists()

    # The director of the other EHPAD, on her own device, reviews the access.
    director = log_in(new_page(), director_b)
    expect(director.get_by_role("region", name="À faire")).to_contain_text(
        re.compile(r"1\s+accès exceptionnels? à revoir")
    )
    open_menu_entry(director, "Accès exceptionnels")
    expect(director.get_by_role("heading", level=1)).to_contain_text("Accès exceptionnels")
    row = director.get_by_role("row").filter(has_text=REASON)
    expect(row).to_contain_text("Claire Martin")
    expect(row).to_contain_text(resident_b.display_name)
    expect(row).to_contain_text("à revoir")

    row.get_by_label("Commentaire").fill("Motif vérifié avec l'infirmière.")
    row.get_by_role("button", name="Marquer comme revu").click()
    expect(director.get_by_role("status")).to_contain_text("Accès exceptionnel marqué comme revu.")
    expect(director.get_by_text("Aucun accès exceptionnel à revoir :")).to_be_visible()
    director.get_by_role("link", name="Tous", exact=True).click()
    row = director.get_by_role("row").filter(has_text=REASON)
    expect(row).to_contain_text("revu le")
    expect(row).to_contain_text("Motif vérifié avec l'infirmière.")
    assert BreakGlass.objects.get(user=nurse_a, person=resident_b).reviewed_by == director_b
