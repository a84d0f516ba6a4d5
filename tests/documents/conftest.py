"""Fixtures of the documents tests; the sample files and helpers are in samples.py."""

from datetime import date

import pytest

from dui.access.models import InformationCategory
from dui.documents import services
from dui.documents.models import DocumentKind
from tests.documents.samples import minimal_pdf, uploaded


@pytest.fixture
def make_document():
    """`make_document(user, person, **overrides)`: a document uploaded through the service."""

    def make(user, person, *, content=None, name="document.pdf", **overrides):
        arguments = {
            "kind": DocumentKind.IDENTITY,
            "title": "Carte nationale d'identité",
            "document_date": date(2026, 1, 15),
            "category": InformationCategory.ADMINISTRATIVE,
        }
        arguments.update(overrides)
        return services.document_upload(
            acting_user=user,
            person=person,
            uploaded_file=uploaded(minimal_pdf() if content is None else content, name),
            **arguments,
        )

    return make
