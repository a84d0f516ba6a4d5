"""The « Ma journée » panel of the access layer: what the direction and the DPO must review."""

from django.utils.translation import ngettext

from .policy import management_establishment_ids
from .selectors import break_glasses_for_review


def review_panel(request) -> dict | None:
    if not management_establishment_ids(request.user):
        return None
    pending = break_glasses_for_review(user=request.user, pending_only=True).count()
    if not pending:
        return None
    return {
        "due": [
            {
                "label": ngettext(
                    "accès exceptionnel à revoir", "accès exceptionnels à revoir", pending
                ),
                "count": pending,
                "url_name": "access:break_glass_review_list",
            }
        ]
    }
