"""Reads of the care record, for a person already opened through the access layer."""

from django.urls import reverse

from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.core.home import Fact
from dui.people.record import Badge

from .models import Allergy, AllergySeverity

SEVERITY_RANK = {
    AllergySeverity.SEVERE: 0,
    AllergySeverity.MODERATE: 1,
    AllergySeverity.MILD: 2,
    AllergySeverity.UNKNOWN: 3,
}
BADGE_MAX_SUBSTANCES = 5


def _by_severity(allergy) -> tuple:
    return (SEVERITY_RANK.get(allergy.severity, 9), allergy.substance.lower())


def person_allergies(*, person) -> dict:
    """Current allergies (most severe first) and those entered in error, in one query."""
    rows = list(Allergy.objects.filter(person=person).select_related("updated_by"))
    current = sorted((a for a in rows if not a.entered_in_error), key=_by_severity)
    return {
        "allergies": [a for a in current if not a.is_intolerance],
        "intolerances": [a for a in current if a.is_intolerance],
        "in_error": sorted(
            (a for a in rows if a.entered_in_error), key=lambda a: a.updated_at, reverse=True
        ),
    }


def _listing(rows) -> str:
    names = [a.substance for a in rows[:BADGE_MAX_SUBSTANCES]]
    rest = len(rows) - len(names)
    text = ", ".join(names)
    return f"{text} (+ {rest})" if rest > 0 else text


def allergy_badges(person, access) -> list:
    """Header badges (registered in CareConfig.ready). One query, and none at all for a user
    who does not read care: that user does not even learn whether allergies are recorded.

    Nothing recorded is not "no allergy": the badge then says the allergies are not filled in."""
    if not access.can_read(InformationCategory.CARE):
        return []
    rows = sorted(
        Allergy.objects.filter(person=person, entered_in_error=False).only(
            "substance", "severity", "is_intolerance", "person_id"
        ),
        key=_by_severity,
    )
    url = reverse("care:allergies", kwargs={"person_id": person.public_id})
    if not rows:
        return [
            Badge(
                "Allergies non renseignées",
                "warn",
                title="Aucune allergie n'est enregistrée : cela ne veut pas dire qu'il n'y en a pas.",
                url=url,
            )
        ]
    allergies = [a for a in rows if not a.is_intolerance]
    intolerances = [a for a in rows if a.is_intolerance]
    badges = []
    if allergies:
        badges.append(
            Badge(
                f"Allergies : {_listing(allergies)}",
                "danger",
                title="; ".join(
                    f"{a.substance} ({a.get_severity_display().lower()})" for a in allergies
                ),
                url=url,
            )
        )
    if intolerances:
        badges.append(Badge(f"Intolérances : {_listing(intolerances)}", "warn", url=url))
    return badges


def allergy_facts(request, persons, establishment) -> dict:
    """« Ma journée »: each person's allergies as the header says them (the most severe
    first), or « Allergies non renseignées »; one query, none for a user who does not read
    care in this establishment."""
    if not user_rights_in(request.user, establishment.pk)[InformationCategory.CARE][0]:
        return {}
    rows: dict[int, list] = {p.pk: [] for p in persons}
    for allergy in Allergy.objects.filter(person_id__in=list(rows), entered_in_error=False).only(
        "substance", "severity", "is_intolerance", "person_id"
    ):
        rows[allergy.person_id].append(allergy)
    facts = {}
    for person in persons:
        found = rows[person.pk]
        url = reverse("care:allergies", kwargs={"person_id": person.public_id})
        allergies = sorted((a for a in found if not a.is_intolerance), key=_by_severity)
        if not found:
            facts[person.pk] = [Fact("Allergies non renseignées", "warn", url)]
        elif allergies:
            facts[person.pk] = [Fact(f"Allergies : {_listing(allergies)}", "danger", url)]
        else:
            intolerances = sorted(found, key=_by_severity)
            facts[person.pk] = [Fact(f"Intolérances : {_listing(intolerances)}", "warn", url)]
    return facts
