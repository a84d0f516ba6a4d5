"""Stays (séjours): one episode of a person in one establishment, on a unit and a place.

Minimal here, for the record header and the search by room; the admission brick opens stays
through its services, with occupancy rules."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core import dates
from dui.core.models import TimestampedModel
from dui.organisation.models import PlaceKind
from dui.people.plausibility import refuse_before_birth


class StayQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """Stays under way on `on` (the establishment's today by default): entered on or
        before that day and not yet left — the exit day still counts, the person leaves during
        it. The one definition every screen, selector and rule uses."""
        day = on or dates.today()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class Stay(TimestampedModel):
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="stays",
        verbose_name=_("usager"),
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="stays",
        verbose_name=_("établissement"),
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="stays", verbose_name=_("unité")
    )
    place = models.ForeignKey(
        "organisation.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("place"),
    )
    kind = models.CharField(_("type d'accueil"), max_length=16, choices=PlaceKind.choices)
    started_on = models.DateField(_("entrée le"))
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("professionnel référent"),
    )
    admission_request = models.ForeignKey(
        "admissions.AdmissionRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("demande d'admission"),
    )
    ended_on = models.DateField(_("sortie le"), null=True, blank=True)
    history = HistoricalRecords()

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = _("séjour")
        verbose_name_plural = _("séjours")
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "ended_on"], name="stay_person_current_idx"),
            models.Index(fields=["place", "ended_on"], name="stay_place_current_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="stay_end_after_start",
                violation_error_message=_("La sortie ne peut précéder l'entrée."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.establishment} · {self.unit}"

    def clean(self) -> None:
        if self.person_id:
            refuse_before_birth(self.person, started_on=self.started_on)
