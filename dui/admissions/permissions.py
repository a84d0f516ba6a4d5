"""Who may do what in the pathway, on top of the profession × category matrix of the access
layer (`dui.access.policy`). Predicates only: services raise the refusals, views hide what a
user may not use. No query once the user's assignments and rights are cached for the request.

- An application's file (pieces, visit, decision, letters…) is handled by the establishment the
  person applied to; another establishment following the same person has its own files.
- Inquiries (first contacts, prospects' identities and phone numbers) are handled by the
  professions that write the establishment's administrative files (secretariat, direction,
  social worker by default): a nurse or an aide-soignante does not see them unless the
  establishment's matrix gives them that right.
- The medical opinion is given by a physician writing the "medical" category; the social
  opinion by whoever writes the "social" category there.
- The committee's decision is recorded by the director; the waiting list is ranked by the
  direction and the management.
"""

from django.utils.translation import gettext_lazy as _

from dui.access.models import InformationCategory
from dui.access.policy import active_assignments, assigned_establishment_ids, may_write_in

from .models import OpinionKind

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
MEDICAL_OPINION_PROFESSIONS = frozenset({"medecin", "medecin_coordonnateur"})
OPINION_CATEGORY = {
    OpinionKind.MEDICAL: InformationCategory.MEDICAL,
    OpinionKind.SOCIAL: InformationCategory.SOCIAL,
}
RANKING_ROLES = ("director", "manager")

OTHER_ESTABLISHMENT = _("Cette demande est instruite par un autre établissement.")
INQUIRIES_REFUSED = _(
    "Les demandes de renseignement (identité et coordonnées des personnes qui se renseignent) "
    "sont réservées aux professions qui gèrent les dossiers administratifs de l'établissement."
)


def handles_application(user, application) -> bool:
    """The user is assigned to the establishment the application was made to."""
    return application.establishment_id in assigned_establishment_ids(user)


def may_handle_inquiries(user, establishment_id: int) -> bool:
    return may_write_in(user, establishment_id, ADMINISTRATIVE)


def may_edit_templates(user, establishment) -> bool:
    """The professions writing administrative data in the establishment (direction,
    secretariat by default)."""
    return may_write_in(user, establishment.pk, ADMINISTRATIVE)


def is_director_of(user, establishment) -> bool:
    return any(
        a.establishment_id == establishment.pk and a.role == "director"
        for a in active_assignments(user)
    )


def may_rank(user, establishment_id: int) -> bool:
    """Direction and management (assignment role) of the establishment set manual ranks."""
    return any(
        a.establishment_id == establishment_id and a.role in RANKING_ROLES
        for a in active_assignments(user)
    )


def may_give_opinion(user, access, kind: str) -> bool:
    if not access.can_write(OPINION_CATEGORY[kind]):
        return False
    if kind == OpinionKind.MEDICAL:
        profession = getattr(user, "profession", None)
        return getattr(profession, "code", None) in MEDICAL_OPINION_PROFESSIONS
    return True
