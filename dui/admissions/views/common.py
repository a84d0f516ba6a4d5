"""What the pathway pages share: the acting establishment, the access check of a URL naming
an application, a day read from the query string."""

from datetime import date

from django.utils.translation import gettext as _

from dui.access.decorators import object_view
from dui.access.errors import AccessDenied
from dui.access.models import InformationCategory

from ..permissions import OTHER_ESTABLISHMENT, handles_application
from ..selectors import application_by_public_id

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE


def current_establishment(request):
    """The establishment of the acting assignment: the pipeline pages are its own."""
    assignment = getattr(request, "assignment", None)
    if not assignment:
        raise AccessDenied(_("Vous n'avez aucune affectation active."))
    return assignment.establishment


def handled_here(request, application) -> str | None:
    """An application's file is reached by the establishment it was made to only: another
    establishment following the same person has its own files."""
    return None if handles_application(request.user, application) else str(OTHER_ESTABLISHMENT)


def application_view(*, category=ADMINISTRATIVE, write: bool = False):
    """A page whose URL names an application (`application_id`): access to its person in
    `category`, from one of the establishment's own assignments; the view gets
    `request.application`, `request.person`, `request.person_access`."""
    return object_view(
        application_by_public_id,
        url_kwarg="application_id",
        attribute="application",
        category=category,
        scope=handled_here,
        write=write,
    )


def day_from(value: str | None, default: date) -> date:
    """An ISO date of the query string, or `default` when absent or unreadable."""
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default
