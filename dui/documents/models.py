"""Scanned documents attached to a person's record, stored outside the web root and served only
through the access layer (see `views.document_file`)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.access.models import InformationCategory
from dui.core import dates
from dui.core.models import VersionedModel
from dui.people.plausibility import before_birth_errors

from .storage import private_storage


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Pièce d'identité")
    JUDGEMENT = "judgement", _("Jugement, décision de protection")
    TRUSTED_PERSON_FORM = "trusted_person_form", _("Désignation de la personne de confiance")
    CONSENT = "consent", _("Consentement, autorisation")
    INSURANCE = "insurance", _("Attestation d'assurance maladie, mutuelle")
    SOCIAL_AID = "social_aid", _("Notification d'aide sociale")
    MEDICAL_REPORT = "medical_report", _("Compte rendu médical")
    REPORT = "report", _("Rapport, bilan")
    LETTER = "letter", _("Courrier")
    CONTRACT = "contract", _("Contrat, avenant")
    PHOTO = "photo", _("Photo de la personne")
    OTHER = "other", _("Autre document")


# The category a document of each kind belongs to unless the user chooses otherwise
# (any other kind: administrative).
DEFAULT_CATEGORY = {
    DocumentKind.MEDICAL_REPORT: InformationCategory.MEDICAL,
    DocumentKind.SOCIAL_AID: InformationCategory.SOCIAL,
    DocumentKind.PHOTO: InformationCategory.ADMINISTRATIVE,
}

# Kinds that may only be filed in one category. A medical report is medical data, for the care
# team only (CSP L1110-4): filed elsewhere it would be read by professions outside the medical
# secret. The photo identifies the person in the record header, shown to administrative readers.
REQUIRED_CATEGORY = {
    DocumentKind.MEDICAL_REPORT: InformationCategory.MEDICAL,
    DocumentKind.PHOTO: InformationCategory.ADMINISTRATIVE,
}


def default_category(kind: str) -> str:
    return DEFAULT_CATEGORY.get(kind, InformationCategory.ADMINISTRATIVE)


def document_path(instance, filename: str) -> str:
    # Never the user's file name: a random name, sharded, without extension.
    name = uuid.uuid4().hex
    return f"documents/{name[:2]}/{name}"


def thumbnail_path(instance, filename: str) -> str:
    name = uuid.uuid4().hex
    return f"thumbnails/{name[:2]}/{name}.jpg"


class DocumentQuerySet(models.QuerySet):
    def readable_with(self, access):
        """The documents of the categories `access` (a PersonAccess) reads. The one rule for
        "which documents may this user see": lists, pickers and downloads all use it."""
        return self.filter(category__in=sorted(access.readable))

    def current(self):
        """Not marked as deposited in error."""
        return self.filter(entered_in_error=False)


class Document(VersionedModel):
    """A file of the record. Its version: marking it as deposited in error says which state
    of the document the user saw."""

    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("usager"),
    )
    kind = models.CharField(_("type de document"), max_length=24, choices=DocumentKind.choices)
    title = models.CharField(_("titre"), max_length=150)
    document_date = models.DateField(_("date du document"))
    category = models.CharField(
        _("partie du dossier"),
        max_length=16,
        choices=InformationCategory.choices,
        default=InformationCategory.ADMINISTRATIVE,
        help_text=_(
            "Seules les professions qui lisent cette partie du dossier verront le document."
        ),
    )
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=document_path)
    original_name = models.CharField(_("nom du fichier d'origine"), max_length=200)
    content_type = models.CharField(_("type de fichier"), max_length=40)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(max_length=64)
    thumbnail = models.FileField(
        storage=private_storage, upload_to=thumbnail_path, blank=True, editable=False
    )
    entered_in_error = models.BooleanField(_("déposé par erreur"), default=False)
    entered_in_error_reason = models.CharField(_("motif"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-document_date", "-pk"]
        indexes = [models.Index(fields=["person", "kind"], name="document_person_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(entered_in_error=False) | ~Q(entered_in_error_reason=""),
                name="document_entered_in_error_has_reason",
                violation_error_message=_("Indiquez pourquoi ce document a été déposé par erreur."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.document_date and self.document_date > dates.today():
            errors["document_date"] = _("La date du document ne peut pas être dans le futur.")
        elif self.person_id and not self.entered_in_error:
            errors.update(before_birth_errors(self.person, document_date=self.document_date))
        required = REQUIRED_CATEGORY.get(self.kind)
        if required and self.category != required:
            errors["category"] = _(
                "Un document de type « %(kind)s » se range dans la partie « %(category)s » "
                "du dossier."
            ) % {
                "kind": DocumentKind(self.kind).label,
                "category": InformationCategory(required).label,
            }
        if errors:
            raise ValidationError(errors)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
