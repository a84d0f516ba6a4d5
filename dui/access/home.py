"""What the access layer puts on « Ma journée »: the break-glass accesses the direction (and
the DPO) must review (DESIGN §4.2: every emergency access is listed for review)."""

from django.urls import reverse
from django.utils.translation import ngettext

from dui.core.home import Todo

from .policy import management_establishment_ids
from .selectors import break_glasses_for_review


def review_todos(request) -> list[Todo]:
    """One count query, for directors and DPOs only."""
    if not management_establishment_ids(request.user):
        return []
    pending = break_glasses_for_review(user=request.user, pending_only=True).count()
    return [
        Todo(
            label=ngettext("accès exceptionnel à revoir", "accès exceptionnels à revoir", pending),
            count=pending,
            url=reverse("access:break_glass_review_list"),
            level="warn",
            order=10,
        )
    ]
