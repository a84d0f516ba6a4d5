"""The one place that lists the allowed transitions of an application (DESIGN §5: workflows
have explicit states). Anything not listed here is refused with a message; the sets of statuses
other modules need are derived from the table, never written again elsewhere."""

from django.utils.translation import gettext_lazy as _

from .models import AdmissionStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.INCOMPLETE, S.EVALUATION, S.WITHDRAWN}),
    S.INCOMPLETE: frozenset({S.EVALUATION, S.WITHDRAWN}),
    # A refusal may come at the evaluation; an acceptance only after the pre-admission visit
    # (or from the evaluation where the visit is optional: WITHOUT_VISIT below).
    S.EVALUATION: frozenset({S.VISIT_PLANNED, S.REFUSED, S.POSTPONED, S.WITHDRAWN}),
    S.VISIT_PLANNED: frozenset({S.VISIT_DONE, S.WITHDRAWN}),
    S.VISIT_DONE: frozenset({S.ACCEPTED, S.REFUSED, S.POSTPONED, S.WITHDRAWN}),
    S.POSTPONED: frozenset({S.EVALUATION, S.VISIT_PLANNED, S.REFUSED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.WAITING_LIST, S.ADMITTED, S.WITHDRAWN}),
    S.WAITING_LIST: frozenset({S.ADMITTED, S.WITHDRAWN}),
    S.REFUSED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.ADMITTED: frozenset(),
}

# Transitions that need a written note (the reason, the missing pieces).
NOTE_REQUIRED = {
    S.REFUSED: _("Le motif du refus est obligatoire (il figure dans le courrier)."),
    S.INCOMPLETE: _("Listez les pièces manquantes."),
    S.POSTPONED: _("Indiquez pourquoi la décision est ajournée."),
    S.WITHDRAWN: _("Indiquez qui a retiré la demande et pourquoi."),
}

# An establishment that does not require the pre-admission visit (AdmissionSettings, by
# default the services and the emergency shelters: `selectors.admission_settings`) may also
# accept from the evaluation. The only rule that depends on a setting; `allowed_next` applies it.
WITHOUT_VISIT: dict[str, frozenset[str]] = {
    S.EVALUATION: frozenset({S.ACCEPTED}),
}

OPEN_STATUSES = frozenset(s for s, nexts in TRANSITIONS.items() if nexts)
# An application may give rise to an admission (a stay) from these statuses only.
ADMISSIBLE_STATUSES = frozenset(s for s, nexts in TRANSITIONS.items() if S.ADMITTED in nexts)

# Statuses in which opinions are given (the evaluation runs until the committee decides).
OPINION_STATUSES = frozenset({S.EVALUATION, S.VISIT_PLANNED, S.VISIT_DONE, S.POSTPONED})
# Targets reached only through their own use case (the page shows their form, not a button):
# target → the use case that reaches it.
DEDICATED_TARGETS = {
    S.VISIT_PLANNED: "visit_plan",
    S.VISIT_DONE: "visit_report",
    S.ACCEPTED: "decision_record",
    S.REFUSED: "decision_record",
    S.POSTPONED: "decision_record",
    S.ADMITTED: "stay_admit",
}


def allowed_next(status: str, *, visit_required: bool = True) -> frozenset[str]:
    """Where an application may go from `status`: the table, plus the acceptance without a
    visit where the establishment does not require one."""
    nexts = TRANSITIONS[status]
    if not visit_required:
        nexts = nexts | WITHOUT_VISIT.get(status, frozenset())
    return nexts
