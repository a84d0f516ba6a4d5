"""Letters of an application (acknowledgement, missing pieces, acceptance, refusal, the notice
to the MDPH), rendered to PDF and stored as documents of the person, and the establishment's
wording of each letter (LetterTemplate, versioned, history kept). They are addressed to whoever
made the application (`AdmissionRequest.applicant_*`); the notice to the MDPH to the MDPH."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.core import dates
from dui.documents.models import DocumentKind
from dui.documents.services import document_upload

from ..models import LetterKind, LetterTemplate
from ..pdf import pdf_file
from ..permissions import may_edit_templates
from ..rendering import mdph_recipient, render_letter_pdf
from ..sandbox import validate_template_body
from ..selectors import latest_decision, refusal_reason
from .configuration import locked_setting

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
NOT_WRITTEN = _("Votre profession ne peut pas rédiger de courrier ici.")
TEMPLATES_REFUSED = _("Votre profession ne peut pas modifier les modèles de courrier.")
STALE_TEMPLATE = _(
    "Ce modèle a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


@transaction.atomic
def letter_generate(*, acting_user, application, kind: str):
    """Generate a letter of the application as a PDF document of the person."""
    if kind not in LetterKind.values or kind == LetterKind.CONTRACT:
        raise ValidationError(_("Type de courrier inconnu."))
    person = application.person
    writes.require_write_in(
        acting_user, application.establishment, ADMINISTRATIVE, NOT_WRITTEN, person=person
    )
    writes.require_write(acting_user, person, ADMINISTRATIVE, NOT_WRITTEN)
    if kind in (LetterKind.REFUSAL, LetterKind.MDPH_NOTICE) and not refusal_reason(application):
        raise ValidationError(
            _(
                "Aucun motif de refus n'est enregistré pour cette demande : enregistrez d'abord "
                "la décision de refus de la commission, avec son motif."
            ),
            code="no_refusal_reason",
        )
    if kind == LetterKind.MISSING_PIECES and not application.applicant_has_postal_address:
        raise ValidationError(
            _(
                "Le courrier des pièces manquantes est adressé par la poste à la personne qui a "
                "fait la demande : indiquez d'abord son adresse postale (adresse, code postal, "
                "commune) dans « Demandeur » sur la page de la demande."
            ),
            code="no_applicant_address",
        )
    decision = None
    if kind == LetterKind.MDPH_NOTICE:
        decision = latest_decision(application)
        if decision is None or decision.mdph_notice_due_by is None:
            raise ValidationError(
                _(
                    "Cette demande ne relève pas d'une orientation de la CDAPH : il n'y a pas "
                    "d'information à transmettre à la MDPH."
                ),
                code="no_mdph_notice_owed",
            )
        if not mdph_recipient(application):
            raise ValidationError(
                _(
                    "L'adresse de la MDPH n'est pas connue : indiquez-la dans l'orientation CDAPH "
                    "de la personne ou dans les réglages des admissions de l'établissement."
                ),
                code="no_mdph_address",
            )
    title, pdf = render_letter_pdf(application=application, kind=kind, signer=acting_user)
    document = document_upload(
        acting_user=acting_user,
        person=person,
        kind=DocumentKind.LETTER,
        title=title[:200],
        document_date=dates.today(application.establishment),
        category=ADMINISTRATIVE,
        uploaded_file=pdf_file(f"{LetterKind(kind).label} {person.birth_name}", pdf),
    )
    if decision is not None:
        # The notice owed to the MDPH is generated: the application page stops asking for it.
        decision.mdph_notice = document
        writes.save(decision, acting_user=acting_user)
        journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=decision)
    return document


@transaction.atomic
def letter_template_save(
    *, acting_user, establishment, kind: str, title: str, body: str, expected_version
) -> LetterTemplate:
    """Create or change the establishment's wording of a letter (history kept). The form says
    which version it was read at (0: before the establishment had its own wording)."""
    if not may_edit_templates(acting_user, establishment):
        raise AccessDenied(TEMPLATES_REFUSED)
    if kind not in LetterKind.values:
        raise ValidationError(_("Type de courrier inconnu."))
    validate_template_body(body)
    template = locked_setting(
        LetterTemplate,
        lookup={"establishment": establishment, "kind": kind},
        expected_version=expected_version,
        stale_message=STALE_TEMPLATE,
    )
    template.title = (title or "").strip()
    template.body = body
    writes.save(template, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=template)
    return template
