"""Assessments: one instrument (code + version) filled for one person at one date by one
professional, with its answers and the result computed by the server."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.access.models import InformationCategory
from dui.core.models import VersionedModel
from dui.people.plausibility import refuse_before_birth

from .instruments import get


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    VALIDATED = "validated", _("Validée")
    AMENDED = "amended", _("Remplacée par une version corrigée")
    ENTERED_IN_ERROR = "error", _("Saisie par erreur")


class Assessment(VersionedModel):
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("usager"),
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    instrument_code = models.CharField(_("instrument"), max_length=40)
    instrument_version = models.CharField(_("version de l'instrument"), max_length=20)
    category = models.CharField(
        _("partie du dossier"), max_length=16, choices=InformationCategory.choices
    )
    assessed_on = models.DateField(_("date de l'évaluation"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("évaluée par"),
    )
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    result_label = models.CharField(_("résultat"), max_length=80, blank=True)
    interpretation = models.TextField(_("interprétation"), blank=True)
    level = models.CharField(max_length=8, default="neutral")
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validée par"),
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("corrige l'évaluation"),
    )
    reason = models.CharField(_("motif"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["-assessed_on", "-pk"]
        indexes = [
            models.Index(
                fields=["person", "instrument_code", "status", "assessed_on"],
                name="assessment_person_instr_idx",
            ),
            models.Index(
                fields=["establishment", "instrument_code", "status", "assessed_on"],
                name="assessment_estab_instr_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="validated")
                | Q(validated_by__isnull=False, validated_at__isnull=False),
                name="assessment_validated_has_validator",
                violation_error_message=_("Une évaluation validée dit qui l'a validée et quand."),
            ),
            # One correction at a time, and one correction in force, per assessment.
            models.UniqueConstraint(
                fields=["amends"],
                condition=Q(status="draft"),
                name="assessment_one_draft_correction",
                violation_error_message=_("Une correction de cette évaluation est déjà en cours."),
            ),
            models.UniqueConstraint(
                fields=["amends"],
                condition=Q(status="validated"),
                name="assessment_one_validated_correction",
                violation_error_message=_("Cette évaluation a déjà été corrigée."),
            ),
            models.CheckConstraint(
                condition=~Q(status="error") | ~Q(reason=""),
                name="assessment_error_has_reason",
                violation_error_message=_("Indiquez pourquoi l'évaluation est une erreur."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.assessed_on:%d/%m/%Y}"

    @property
    def instrument(self):
        return get(self.instrument_code, self.instrument_version)

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    def clean(self) -> None:
        if self.person_id and self.status != AssessmentStatus.ENTERED_IN_ERROR:
            refuse_before_birth(self.person, assessed_on=self.assessed_on)


class ReviewRule(VersionedModel):
    """How often an instrument is re-assessed in an establishment (overrides the defaults of
    `reviews.DEFAULT_RULES`)."""

    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    instrument_code = models.CharField(_("instrument"), max_length=40)
    interval_days = models.PositiveIntegerField(
        _("à refaire tous les (jours)"), help_text=_("0 : pas de réévaluation programmée.")
    )
    at_admission_days = models.PositiveIntegerField(
        _("première évaluation dans les (jours) suivant l'entrée"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fréquence de réévaluation")
        verbose_name_plural = _("fréquences de réévaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "instrument_code"],
                name="review_rule_unique",
                violation_error_message=_(
                    "Une fréquence est déjà fixée pour cet instrument dans cet établissement."
                ),
            )
        ]
