"""The care record. Here: allergies and intolerances, shown in every page header of a person."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import AmendableModel
from dui.people.models import Person
from dui.people.plausibility import refuse_before_birth


class AllergyKind(models.TextChoices):
    DRUG = "drug", _("Médicament")
    FOOD = "food", _("Aliment")
    ENVIRONMENT = "environment", _("Environnement (latex, pollen…)")
    OTHER = "other", _("Autre")


class AllergySeverity(models.TextChoices):
    UNKNOWN = "unknown", _("Non précisée")
    MILD = "mild", _("Légère")
    MODERATE = "moderate", _("Modérée")
    SEVERE = "severe", _("Sévère (anaphylaxie)")


class Allergy(AmendableModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="allergies", verbose_name=_("usager")
    )
    substance = models.CharField(_("allergène"), max_length=120)
    kind = models.CharField(_("type"), max_length=12, choices=AllergyKind.choices)
    reaction = models.CharField(_("réaction observée"), max_length=200, blank=True)
    severity = models.CharField(
        _("gravité"),
        max_length=10,
        choices=AllergySeverity.choices,
        default=AllergySeverity.UNKNOWN,
    )
    is_intolerance = models.BooleanField(_("intolérance (non allergique)"), default=False)
    noted_on = models.DateField(_("connue depuis"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allergie")
        verbose_name_plural = _("allergies")
        ordering = ["-severity", "substance"]

    def __str__(self) -> str:
        return self.substance

    def clean(self) -> None:
        if self.person_id and not self.entered_in_error:
            refuse_before_birth(self.person, noted_on=self.noted_on)
