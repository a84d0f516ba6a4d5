"""Reads of the care record, for a person already opened through the access layer."""

from django.urls import reverse

from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.core.home import Fact
from dui.people.record import Badge

from .models import Allergy, AllergySeverity, AllergyStatement

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
    """Current allergies (most severe first), those entered in error, and the current
    « aucune allergie connue » statement (`statement`); two queries."""
    rows = list(Allergy.objects.filter(person=person).select_related("updated_by"))
    current = sorted((a for a in rows if not a.entered_in_error), key=_by_severity)
    return {
        "allergies": [a for a in current if not a.is_intolerance],
        "intolerances": [a for a in current if a.is_intolerance],
        "in_error": sorted(
            (a for a in rows if a.entered_in_error), key=lambda a: a.updated_at, reverse=True
        ),
        "statement": _current_statements([person.pk]).get(person.pk),
    }


def _current_statements(person_ids) -> dict:
    """{person pk: current « aucune allergie connue » statement}, one query (checker loaded)."""
    return {
        s.person_id: s
        for s in AllergyStatement.objects.filter(
            person_id__in=person_ids, ended_at__isnull=True, entered_in_error=False
        )
        .select_related("checked_by")
        .only(
            "person_id",
            "checked_on",
            "checked_by__first_name",
            "checked_by__last_name",
            "checked_by__username",
        )
    }


def statement_text(statement) -> str:
    """« Pas d'allergie connue (vérifié le 02/12/2026 par C. Martin) »."""
    user = statement.checked_by
    first = (user.first_name or "").strip()
    who = (
        f"{first[:1]}. {user.last_name}"
        if first and user.last_name
        else (user.get_full_name() or user.username)
    )
    return f"Pas d'allergie connue (vérifié le {statement.checked_on:%d/%m/%Y} par {who})"


def _listing(rows) -> str:
    names = [a.substance for a in rows[:BADGE_MAX_SUBSTANCES]]
    rest = len(rows) - len(names)
    text = ", ".join(names)
    return f"{text} (+ {rest})" if rest > 0 else text


def allergy_badges(person, access) -> list:
    """Header badges (registered in CareConfig.ready). One query, and none at all for a user
    who does not read care: that user does not even learn whether allergies are recorded.

    Nothing recorded is not "no allergy": the badge then says the allergies are not filled in,
    unless someone checked and recorded « aucune allergie connue » (a second query, only then)."""
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
        statement = _current_statements([person.pk]).get(person.pk)
        if statement:
            return [Badge(statement_text(statement), "ok", url=url)]
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
    first), « Pas d'allergie connue (vérifié le … par …) », or « Allergies non renseignées »;
    two queries, none for a user who does not read care in this establishment."""
    if not user_rights_in(request.user, establishment.pk)[InformationCategory.CARE][0]:
        return {}
    rows: dict[int, list] = {p.pk: [] for p in persons}
    for allergy in Allergy.objects.filter(person_id__in=list(rows), entered_in_error=False).only(
        "substance", "severity", "is_intolerance", "person_id"
    ):
        rows[allergy.person_id].append(allergy)
    statements = _current_statements([pk for pk, found in rows.items() if not found])
    facts = {}
    for person in persons:
        found = rows[person.pk]
        url = reverse("care:allergies", kwargs={"person_id": person.public_id})
        allergies = sorted((a for a in found if not a.is_intolerance), key=_by_severity)
        if not found and person.pk in statements:
            facts[person.pk] = [Fact(statement_text(statements[person.pk]), "ok", url)]
        elif not found:
            facts[person.pk] = [Fact("Allergies non renseignées", "warn", url)]
        elif allergies:
            facts[person.pk] = [Fact(f"Allergies : {_listing(allergies)}", "danger", url)]
        else:
            intolerances = sorted(found, key=_by_severity)
            facts[person.pk] = [Fact(f"Intolérances : {_listing(intolerances)}", "warn", url)]
    return facts
