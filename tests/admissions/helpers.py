"""Helpers of the pathway tests: an application received and moved along the pipeline, a
document of the person's record, the text of a page."""

import html
import uuid
from datetime import timedelta

from dui.access.models import InformationCategory
from dui.admissions.models import AdmissionStatus
from dui.admissions.services import evaluation
from dui.admissions.services.applications import application_create, application_transition
from dui.core import dates
from dui.documents import services as documents
from dui.documents.models import DocumentKind
from tests.documents.samples import minimal_pdf, uploaded
from tests.factories import PersonFactory

S = AdmissionStatus
# From « reçue » to the committee's acceptance, through the visit.
TO_ACCEPTED = (S.EVALUATION, S.VISIT_PLANNED, S.VISIT_DONE, S.ACCEPTED)
TO_WAITING_LIST = (*TO_ACCEPTED, S.WAITING_LIST)


def key() -> str:
    """A new idempotency key, as a form carries one."""
    return str(uuid.uuid4())


def text(response) -> str:
    return html.unescape(response.content.decode())


def new_application(user, establishment, *, statuses=(), **extra):
    """An application received ten days ago (by default), moved through `statuses`."""
    application = application_create(
        acting_user=user,
        establishment=establishment,
        person=extra.pop("person", None)
        or PersonFactory(birth_name="MARTIN", first_names="Jeanne"),
        source=extra.pop("source", "direct"),
        place_kind=extra.pop("place_kind", "permanent"),
        received_on=extra.pop("received_on", None) or dates.today() - timedelta(days=10),
        **extra,
    )
    return move(user, application, *statuses)


def move(user, application, *statuses, note="motif"):
    """Move the application through `statuses`, each at the version it is at."""
    for status in statuses:
        application = application_transition(
            acting_user=user,
            application=application,
            to_status=status,
            note=note,
            expected_version=application.version,
        )
    return application


def upload_document(user, person, title="Dossier Cerfa 14732"):
    return documents.document_upload(
        acting_user=user,
        person=person,
        kind=DocumentKind.IDENTITY,
        title=title,
        document_date=dates.today(),
        category=InformationCategory.ADMINISTRATIVE,
        uploaded_file=uploaded(minimal_pdf(), "cerfa.pdf"),
    )


def orient(user, person, kind, today, *, valid_from=None, valid_to=None, **extra):
    """A CDAPH orientation of `kind` (TRE_R420 code) decided 60 days ago, valid five years."""
    return evaluation.orientation_record(
        acting_user=user,
        person=person,
        decided_on=today - timedelta(days=60),
        kind=kind,
        valid_from=valid_from or today - timedelta(days=60),
        valid_to=valid_to or today + timedelta(days=5 * 365),
        **extra,
    )
