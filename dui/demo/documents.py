"""Scanned documents of the showcase persons: a one-page PDF each, uploaded through the
documents brick's service (checks, storage outside the web root, journal), as a secretary would.

Only the showcase persons get documents: files on disk for 50,000 persons would weigh on every
benchmark run and show nothing more."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile

from dui.access.models import InformationCategory
from dui.core import dates
from dui.documents.models import DocumentKind
from dui.documents.services import document_upload
from dui.people.models import IdentityStatus, ProtectionKind

from . import data

if TYPE_CHECKING:
    from .seeding import DemoSeeder, PersonDraft

DEMO_MARK = "DOCUMENT DE DÉMONSTRATION — personne fictive"


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF (A4, Helvetica) with a title and a few lines of text."""

    def text(value: str) -> str:
        # The standard fonts read WinAnsi (≈ Latin-1); parentheses and backslashes escaped.
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return escaped.encode("cp1252", "replace").decode("latin-1")

    rows = [f"BT /F1 16 Tf 56 780 Td ({text(title)}) Tj ET"]
    for index, line in enumerate([DEMO_MARK, "", *lines]):
        rows.append(f"BT /F1 11 Tf 56 {750 - 18 * index} Td ({text(line)}) Tj ET")
    stream = "\n".join(rows).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed_showcase_documents(seeder: DemoSeeder, drafts: list[PersonDraft]) -> dict:
    """{person pk: {"identity" | "judgement" | "trusted_person_form": Document}} for the
    showcase persons currently in a stay."""
    uploaded: dict[int, dict] = {}
    secretaries = data.secretary_usernames()
    for draft in drafts:
        plan, person = draft.showcase, draft.person
        if plan is None or plan.status != "stay":
            continue
        secretary = seeder.users[secretaries[draft.establishment_key]]
        arrived = dates.date_of(draft.first_seen)
        wanted = []
        if person.identity_status in (IdentityStatus.VALIDATED, IdentityStatus.QUALIFIED):
            wanted.append(
                (
                    "identity",
                    DocumentKind.IDENTITY,
                    "Carte nationale d'identité",
                    arrived,
                    [
                        f"Nom de naissance : {person.birth_name.upper()}",
                        f"Nom d'usage : {person.used_name.upper() or '—'}",
                        f"Prénoms : {person.first_names}",
                        f"Sexe : {person.sex}",
                        f"Né(e) le : {person.birth_date:%d/%m/%Y}",
                        f"Lieu de naissance : {person.birthplace.name if person.birthplace else ''}",
                    ],
                )
            )
        if plan.trusted_person:
            wanted.append(
                (
                    "trusted_person_form",
                    DocumentKind.TRUSTED_PERSON_FORM,
                    "Désignation de la personne de confiance",
                    arrived + timedelta(days=3),
                    [
                        f"Je soussigné(e) {person.display_name} désigne comme personne de "
                        "confiance",
                        "(article L311-5-1 du code de l'action sociale et des familles)",
                        "le membre de ma famille indiqué dans mon dossier.",
                        "Signature de la personne : (signé)",
                    ],
                )
            )
        if plan.protection:
            kind = ProtectionKind(plan.protection[0])
            wanted.append(
                (
                    "judgement",
                    DocumentKind.JUDGEMENT,
                    f"Jugement : {kind.label.lower()}",
                    arrived - timedelta(days=60),
                    [
                        "Juge des contentieux de la protection",
                        f"Mesure : {kind.label}",
                        f"Concernant : {person.display_name}, né(e) le "
                        f"{person.birth_date:%d/%m/%Y}",
                    ],
                )
            )
        for key, kind, title, day, lines in wanted:
            content = demo_pdf(title, lines)
            document = document_upload(
                acting_user=secretary,
                person=person,
                kind=kind,
                title=title,
                document_date=min(day, seeder.today),
                category=InformationCategory.ADMINISTRATIVE,
                uploaded_file=SimpleUploadedFile(
                    f"{key}.pdf", content, content_type="application/pdf"
                ),
            )
            uploaded.setdefault(person.pk, {})[key] = document
            seeder.report["documents"] += 1
    return uploaded
