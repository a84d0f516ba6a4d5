"""What the admissions brick puts on « Ma journée » (dui.core.home): for those who handle the
establishment's files (secretariat, direction), the inquiries to follow up, the incomplete
applications and the contracts to hand over or sign; for the direction, the decisions to
take; for the médecin coordonnateur, the medical opinions awaited from him. Each is one count
(or one short list) read through `persons_visible_to`."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from dui.access.policy import persons_visible_to
from dui.core import dates
from dui.core.home import Todo

from .models import AdmissionStatus
from .permissions import may_handle_inquiries
from .selectors import (
    COORDINATOR,
    HOME_CONTRACTS_SIZE,
    contracts_to_hand_over_or_sign,
    decision_statuses,
    inquiries_to_follow_up,
    opinions_awaited_from_coordinator,
    visible_applications,
)


def _handles_files(request) -> bool:
    assignment = request.assignment
    return bool(assignment) and may_handle_inquiries(request.user, assignment.establishment_id)


def _profession(user) -> str:
    profession = getattr(user, "profession", None)
    return profession.code if profession else ""


def _list_url(status: str) -> str:
    return reverse("admissions:pipeline_list") + "?" + urlencode({"statut": status})


def admission_todos(request) -> list[Todo]:
    assignment = request.assignment
    if not assignment:
        return []
    establishment = assignment.establishment
    user = request.user
    todos = []
    handles_files = _handles_files(request)
    director = assignment.role == "director"
    if handles_files:
        follow_up = inquiries_to_follow_up(user=user, establishment=establishment).count()
        todos.append(
            Todo(
                ngettext("demande de renseignement à relancer", "demandes à relancer", follow_up),
                follow_up,
                reverse("admissions:inquiry_list"),
                "warn",
                order=40,
            )
        )
    if handles_files or director:
        # The incomplete files and the decisions to take: one query.
        wanted = {"incomplete": Count("pk", filter=Q(status=AdmissionStatus.INCOMPLETE))}
        if director:
            statuses = sorted(decision_statuses(establishment))
            wanted["waiting"] = Count("pk", filter=Q(status__in=statuses))
        counts = visible_applications(user=user, establishment=establishment).aggregate(**wanted)
    if handles_files:
        incomplete = counts["incomplete"]
        todos.append(
            Todo(
                ngettext(
                    "dossier d'admission incomplet", "dossiers d'admission incomplets", incomplete
                ),
                incomplete,
                _list_url(AdmissionStatus.INCOMPLETE),
                order=41,
            )
        )
    if director:
        waiting = counts["waiting"]
        todos.append(
            Todo(
                ngettext(
                    "décision d'admission à prendre", "décisions d'admission à prendre", waiting
                ),
                waiting,
                reverse("admissions:pipeline_board"),
                "warn",
                order=15,
            )
        )
    if _profession(user) == COORDINATOR:
        awaited = opinions_awaited_from_coordinator(user=user, establishment=establishment).count()
        todos.append(
            Todo(
                ngettext(
                    "avis médical attendu sur une demande d'admission",
                    "avis médicaux attendus sur des demandes d'admission",
                    awaited,
                ),
                awaited,
                _list_url(AdmissionStatus.EVALUATION),
                "warn",
                order=21,
            )
        )
    return todos


def contracts_panel(request) -> dict | None:
    """« Contrats à remettre ou à signer »: one query, at most HOME_CONTRACTS_SIZE rows."""
    if not _handles_files(request):
        return None
    establishment = request.assignment.establishment
    contracts = list(
        contracts_to_hand_over_or_sign(
            establishment=establishment, persons=persons_visible_to(user=request.user)
        )[: HOME_CONTRACTS_SIZE + 1]
    )
    if not contracts:
        return None
    return {
        "contracts": contracts[:HOME_CONTRACTS_SIZE],
        "more": len(contracts) > HOME_CONTRACTS_SIZE,
        "today": dates.today(establishment),
    }
