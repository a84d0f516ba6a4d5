"""Reads of the background, for a person already opened through the access layer (or checked
here, for the other bricks: `advance_directives_of`, `current_devices_of`). Each list is
bounded: a page never reads more than `LIST_BOUND` rows of one kind."""

from dataclasses import dataclass

from dui.access.errors import AccessDenied
from dui.access.models import InformationCategory
from dui.access.policy import person_access

from .models import (
    AdvanceDirective,
    AllergyStatement,
    DietPlan,
    HistoryKind,
    MedicalHistory,
    PersonDevice,
    Vaccination,
)

CARE = InformationCategory.CARE
# Rows of one kind shown on a tab; more go to their own page (vaccinations) or stay in the
# history. No EHPAD resident has 100 current antécédents: the bound is a guard, not a filter.
LIST_BOUND = 100
FORMER_BOUND = 20
VACCINATIONS_PER_PAGE = 25


def medical_background(*, person) -> dict:
    """The « Antécédents » tab: current problems, then medical, surgical and family history
    (active first), and the entries in error; two queries."""
    rows = list(
        MedicalHistory.objects.filter(person=person)
        .select_related("updated_by")
        .order_by("entered_in_error", "-is_active", "label")[: LIST_BOUND * 2]
    )
    current = [r for r in rows if not r.entered_in_error]
    return {
        "groups": [
            (kind, label, [r for r in current if r.kind == kind])
            for kind, label in HistoryKind.choices
        ],
        "history_in_error": [r for r in rows if r.entered_in_error][:FORMER_BOUND],
    }


def person_vaccinations(*, person):
    """Vaccinations, the latest first (a queryset for `page_of`)."""
    return Vaccination.objects.filter(person=person, entered_in_error=False).order_by(
        "-administered_on", "vaccine_label"
    )


def current_devices(*, person) -> list[PersonDevice]:
    """The devices the person uses now (not removed, not in error) — what a transfer lists."""
    return list(
        PersonDevice.objects.filter(
            person=person, removed_on__isnull=True, entered_in_error=False
        ).order_by("kind", "-since")[:LIST_BOUND]
    )


def current_diet(*, person) -> DietPlan | None:
    return (
        DietPlan.objects.filter(person=person, entered_in_error=False)
        .order_by("-since", "-created_at")
        .first()
    )


def current_directive(*, person) -> AdvanceDirective | None:
    return (
        AdvanceDirective.objects.filter(person=person, entered_in_error=False)
        .select_related("checked_by", "document")
        .order_by("-checked_on", "-created_at")
        .first()
    )


def current_allergy_statement(*, person) -> AllergyStatement | None:
    """« Aucune allergie connue » as it stands now (not ended by an allergy, not in error)."""
    return (
        AllergyStatement.objects.filter(
            person=person, ended_at__isnull=True, entered_in_error=False
        )
        .select_related("checked_by")
        .first()
    )


def care_background(*, person) -> dict:
    """The care items of the « Soins » section: devices (current, then removed), diet and
    texture (current and former), directives anticipées (current and former checks). Five
    queries whatever the history."""
    devices = list(
        PersonDevice.objects.filter(person=person, entered_in_error=False).order_by(
            "removed_on", "kind", "-since"
        )[: LIST_BOUND + FORMER_BOUND]
    )
    diets = list(
        DietPlan.objects.filter(person=person, entered_in_error=False).order_by(
            "-since", "-created_at"
        )[: FORMER_BOUND + 1]
    )
    directives = list(
        AdvanceDirective.objects.filter(person=person, entered_in_error=False)
        .select_related("checked_by", "document")
        .order_by("-checked_on", "-created_at")[: FORMER_BOUND + 1]
    )
    return {
        "devices": [d for d in devices if d.removed_on is None],
        "removed_devices": [d for d in devices if d.removed_on is not None][:FORMER_BOUND],
        "diet": diets[0] if diets else None,
        "former_diets": diets[1:],
        "directive": directives[0] if directives else None,
        "former_directives": directives[1:],
    }


@dataclass(frozen=True)
class DirectivesAnswer:
    """What the exit issue (DLU) and any other brick reads: the latest check, or None when
    nobody ever looked."""

    current: AdvanceDirective | None

    @property
    def exists(self) -> str | None:
        return self.current.existence if self.current else None


def advance_directives_of(person, user) -> DirectivesAnswer:
    """The person's directives anticipées (CSP L1111-11) as the latest check says, for a user
    who reads the care part of the record; `AccessDenied` otherwise."""
    if not person_access(user=user, person=person).can_read(CARE):
        raise AccessDenied(
            "Votre profession ne lit pas les soins de cette personne.", person=person
        )
    return DirectivesAnswer(current_directive(person=person))


def current_devices_of(person, user) -> list[PersonDevice]:
    """The devices to list on a transfer document (DLU), for a user who reads care."""
    if not person_access(user=user, person=person).can_read(CARE):
        raise AccessDenied(
            "Votre profession ne lit pas les soins de cette personne.", person=person
        )
    return current_devices(person=person)
