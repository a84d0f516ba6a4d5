"""Steps 1–2 of the pathway: inquiries (renseigner) and admission requests (pré-admettre),
with their status pipeline. Transitions are listed in `pipeline.py`, made by services only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import TimestampedModel
from dui.organisation.models import PlaceKind


class InquiryChannel(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    MAIL = "mail", _("Courrier")
    VISIT = "visit", _("Visite")
    EMAIL = "email", _("Courriel")


class RequesterKind(models.TextChoices):
    PERSON = "person", _("La personne elle-même")
    RELATIVE = "relative", _("Un proche")
    LEGAL_REPRESENTATIVE = "legal_rep", _("Le représentant légal")
    HOSPITAL = "hospital", _("Service social hospitalier")
    MDPH = "mdph", _("MDPH")
    PROFESSIONAL = "professional", _("Autre professionnel")


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("À suivre")
    CLOSED = "closed", _("Clos")
    CONVERTED = "converted", _("Transformée en demande d'admission")


class Inquiry(TimestampedModel):
    """A first contact: who asked, for whom, what was explained and sent, when to follow up."""

    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    received_at = models.DateTimeField(_("reçue le"))
    channel = models.CharField(_("canal"), max_length=8, choices=InquiryChannel.choices)
    requester_kind = models.CharField(_("demandeur"), max_length=12, choices=RequesterKind.choices)
    requester_name = models.CharField(_("nom du demandeur"), max_length=150)
    requester_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    requester_email = models.EmailField(_("courriel"), blank=True)
    requester_organisation = models.CharField(_("organisme"), max_length=150, blank=True)
    # For whom: an existing record, or a minimal identity not yet a record.
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("personne concernée"),
    )
    prospect_birth_name = models.CharField(_("nom de naissance"), max_length=100, blank=True)
    prospect_first_names = models.CharField(_("prénoms"), max_length=200, blank=True)
    prospect_birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    prospect_sex = models.CharField(_("sexe"), max_length=1, blank=True)
    place_kind = models.CharField(
        _("accueil souhaité"), max_length=16, choices=PlaceKind.choices, blank=True
    )
    explained = models.TextField(_("ce qui a été expliqué"), blank=True)
    documents_sent = models.JSONField(_("documents envoyés"), default=list, blank=True)
    follow_up_on = models.DateField(_("à relancer le"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande de renseignement")
        verbose_name_plural = _("demandes de renseignement")
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["establishment", "status", "follow_up_on"], name="inquiry_follow_up_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(prospect_birth_name=""),
                name="inquiry_says_for_whom",
                violation_error_message=_(
                    "Indiquez pour qui est la demande : une personne déjà connue, ou au moins son nom."
                ),
            )
        ]

    def __str__(self) -> str:
        who = self.person or f"{self.prospect_birth_name} {self.prospect_first_names}".strip()
        return f"{who} ({self.received_at:%d/%m/%Y})"


class AdmissionSource(models.TextChoices):
    DIRECT = "direct", _("Demande directe")
    VIATRAJECTOIRE = "viatrajectoire", _("ViaTrajectoire")
    HOSPITAL = "hospital", _("Établissement de santé")
    MDPH = "mdph", _("Orientation MDPH")


class AdmissionStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    INCOMPLETE = "incomplete", _("Incomplète")
    EVALUATION = "evaluation", _("En évaluation")
    VISIT_PLANNED = "visit_planned", _("Visite de pré-admission prévue")
    VISIT_DONE = "visit_done", _("Visite faite")
    ACCEPTED = "accepted", _("Acceptée")
    WAITING_LIST = "waiting_list", _("Liste d'attente")
    REFUSED = "refused", _("Refusée")
    POSTPONED = "postponed", _("Ajournée")
    WITHDRAWN = "withdrawn", _("Retirée")
    ADMITTED = "admitted", _("Admise")


class AdmissionRequest(TimestampedModel):
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="admission_requests",
        verbose_name=_("établissement"),
    )
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="admission_requests",
        verbose_name=_("personne"),
    )
    inquiry = models.OneToOneField(
        Inquiry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admission_request",
        verbose_name=_("demande de renseignement d'origine"),
    )
    source = models.CharField(_("origine"), max_length=16, choices=AdmissionSource.choices)
    place_kind = models.CharField(_("accueil demandé"), max_length=16, choices=PlaceKind.choices)
    received_on = models.DateField(_("reçue le"))
    wished_start = models.DateField(_("entrée souhaitée le"), null=True, blank=True)
    wished_end = models.DateField(_("sortie prévue le"), null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=14,
        choices=AdmissionStatus.choices,
        default=AdmissionStatus.RECEIVED,
    )
    status_changed_at = models.DateTimeField(_("statut depuis"), null=True, blank=True)
    urgent = models.BooleanField(_("urgence"), default=False)
    priority_note = models.CharField(_("priorité : précision"), max_length=300, blank=True)
    waiting_rank = models.PositiveIntegerField(
        _("rang sur la liste d'attente"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande d'admission")
        verbose_name_plural = _("demandes d'admission")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(
                fields=["establishment", "status", "received_on"], name="admission_pipeline_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(wished_end__isnull=True)
                | Q(wished_start__isnull=True)
                | Q(wished_end__gte=models.F("wished_start")),
                name="admission_end_after_start",
                violation_error_message=_("La sortie prévue ne peut précéder l'entrée souhaitée."),
            ),
            models.CheckConstraint(
                condition=~Q(place_kind="temporary")
                | Q(wished_start__isnull=False, wished_end__isnull=False),
                name="admission_temporary_has_dates",
                violation_error_message=_(
                    "Un hébergement temporaire a une date d'entrée et une date de sortie souhaitées."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.establishment}"


class AdmissionEvent(models.Model):
    """The request's timeline: each transition, who made it, why (Saleor-style order events)."""

    request = models.ForeignKey(
        AdmissionRequest, on_delete=models.PROTECT, related_name="events", verbose_name=_("demande")
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    from_status = models.CharField(max_length=14, choices=AdmissionStatus.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=AdmissionStatus.choices)
    note = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("étape de la demande")
        verbose_name_plural = _("étapes de la demande")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
