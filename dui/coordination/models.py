"""Partners outside the establishment (GP, mandataire judiciaire, hospital, pharmacy…).

Minimal for now: the person record needs a GP and the organisation exercising a protection
measure; messaging and liaison documents come with the coordination brick."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import VersionedModel


class PartnerKind(models.TextChoices):
    GENERAL_PRACTITIONER = "gp", _("Médecin généraliste")
    SPECIALIST = "specialist", _("Médecin spécialiste")
    PARAMEDICAL = "paramedical", _("Professionnel paramédical libéral")
    PROTECTION_SERVICE = "protection", _("Mandataire judiciaire à la protection des majeurs")
    HOSPITAL = "hospital", _("Établissement de santé")
    PHARMACY = "pharmacy", _("Pharmacie")
    SOCIAL_SERVICE = "social", _("Service social, MDPH, conseil départemental")
    OTHER = "other", _("Autre partenaire")


class Partner(VersionedModel):
    """A partner of the organisation's directory. Edited by several people: its version says
    which state an edit form was read at (a change meanwhile ends in a conflict)."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.PROTECT,
        related_name="partners",
        verbose_name=_("organisme gestionnaire"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=PartnerKind.choices)
    name = models.CharField(_("nom"), max_length=150)
    rpps = models.CharField(_("RPPS"), max_length=11, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rpps="") | Q(rpps__regex=r"^[0-9]{11}$"),
                name="partner_rpps_11_digits",
                violation_error_message=_("Le numéro RPPS compte 11 chiffres."),
            )
        ]

    def __str__(self) -> str:
        return self.name
