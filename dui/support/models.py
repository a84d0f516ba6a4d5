"""The one dated `Event` (TDDUI « Évènement », `Profiles/TDDUIEncounterEvenement.fsh`): a dated
occurrence of a person's stay — an external care appointment, an activity session, a meeting, a
visit. The care brick's `Appointment` (external care) and, later, the projet personnalisé's
activities hang their own details on it; the shared agenda lists it.

Mapping (issue-13 research notes §1.4; `tddui_fields()` below is the pure mapping the export
will use):
- identifier (idEvenement): `3` + FINESS + `/` + person's local id + `-EVN-` + number, from the
  public UUIDs (`export_identifier`), system `https://identifiant-medicosocial-evenement.esante.gouv.fr`;
- status (Statut.statut): Planifié → planned, Validé → triaged, Réalisé → finished,
  Annulé → cancelled (the profile's `status ^short`), with its author and date
  (`TDDUIStatusAuthor`) and the reason of a cancellation (`TDDUIEventCancelReason`);
- period.start / period.end 1..1 (dateDebut/FinEvenement): both required, end ≥ start;
- partOf → the stay (sejour), subject → the person, serviceProvider → the stay's establishment;
- TDDUIEventLabel (libelleEvenement) → `label`, TDDUIEventReason (motifEvenement) → `reason`,
  TDDUIEventReport (compteRenduEvenement) → `report`, location (lieuEvenement) → `place`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.access.models import InformationCategory
from dui.core.models import AmendableModel
from dui.stays.identifiers import entry_identifier

__all__ = ["Event", "EventCancelReason", "EventKind", "EventStatus"]

# TDDUI idEvenement: the identifier system and prefix of the profile and its example
# (`Examples/TDDUIEncounterEvenementExample.fsh`: « 3480787529/147720425367411-EVN-12548 »).
EVENT_IDENTIFIER_SYSTEM = "https://identifiant-medicosocial-evenement.esante.gouv.fr"
EVENT_IDENTIFIER_PREFIX = "EVN"


class EventKind(models.TextChoices):
    """Our own kind of event. TDDUI types an event from `TDDUIEncounterType` (SSIAD CISIS codes,
    SERAFIN-PH J283/J284 or free text): none of the SSIAD codes fits an EHPAD's external
    appointment, so the export uses the `text` slice (research notes §1.4)."""

    EXTERNAL_CARE = "external_care", _("Soins externes")
    ACTIVITY_SESSION = "activity_session", _("Séance d'activité")
    MEETING = "meeting", _("Réunion")
    VISIT = "visit", _("Visite")


class EventStatus(models.TextChoices):
    """Statut.statut of the TDDUI Évènement (four values, `status ^short` of the profile)."""

    PLANNED = "planned", _("Prévu")
    VALIDATED = "validated", _("Confirmé")
    DONE = "done", _("Réalisé")
    CANCELLED = "cancelled", _("Annulé")


# The FHIR Encounter.status each of ours maps onto (TDDUIEncounterEvenement `status ^short`).
FHIR_STATUS = {
    EventStatus.PLANNED: "planned",
    EventStatus.VALIDATED: "triaged",
    EventStatus.DONE: "finished",
    EventStatus.CANCELLED: "cancelled",
}


class EventCancelReason(models.TextChoices):
    """Why an event did not take place. TDDUI binds `TDDUIEventCancelReason` to
    `jdv-motif-non-realisation-evenement-cisis`, whose codes could not be read (research notes
    §5, « non vérifié »): these are local codes, exported as text until the value set is
    checked; `cancel_reason_text` says the rest."""

    PERSON_REFUSED = "person_refused", _("Refus de la personne")
    PERSON_UNWELL = "person_unwell", _("État de santé de la personne")
    PERSON_ABSENT = "person_absent", _("Personne absente ou hospitalisée")
    PARTNER_CANCELLED = "partner_cancelled", _("Annulé ou reporté par le partenaire")
    TRANSPORT = "transport", _("Transport indisponible")
    OTHER = "other", _("Autre motif")


class Event(AmendableModel):
    """A dated occurrence of a person's stay (TDDUI « Évènement »). Its date, place and status
    are care information (the unit's agenda: the person leaves at 9:00); its reason and report
    are of its own `category` (medical for an external consultation)."""

    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("usager"),
    )
    # TDDUI partOf → TDDUIEncounterSejour (1..1): every event belongs to a stay.
    stay = models.ForeignKey(
        "stays.Stay", on_delete=models.PROTECT, related_name="events", verbose_name=_("séjour")
    )
    kind = models.CharField(_("type d'évènement"), max_length=20, choices=EventKind.choices)
    label = models.CharField(_("libellé"), max_length=150)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statut changé par"),
    )
    cancel_reason = models.CharField(
        _("motif d'annulation"), max_length=20, choices=EventCancelReason.choices, blank=True
    )
    cancel_reason_text = models.CharField(_("précision du motif"), max_length=300, blank=True)
    # The information category of the reason and the report (DESIGN §4.1).
    category = models.CharField(
        _("catégorie du motif et du compte rendu"),
        max_length=16,
        choices=InformationCategory.choices,
        default=InformationCategory.CARE,
    )
    reason = models.TextField(_("motif"), blank=True)
    report = models.TextField(_("compte rendu"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évènement")
        verbose_name_plural = _("évènements")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("La fin de l'évènement précède son début."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="event_cancelled_has_reason",
                violation_error_message=_("Indiquez pourquoi l'évènement est annulé."),
            ),
            models.CheckConstraint(
                condition=Q(status=EventStatus.CANCELLED) | Q(cancel_reason=""),
                name="event_reason_only_when_cancelled",
                violation_error_message=_("Seul un évènement annulé a un motif d'annulation."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="event_kind_known",
                violation_error_message=_("Choisissez un type d'évènement de la liste."),
            ),
        ]
        indexes = [
            # The agenda: the events of an establishment (a unit through the stay) by date.
            models.Index(fields=["starts_at"], name="event_starts"),
            models.Index(fields=["person", "starts_at"], name="event_person_starts"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        """Still to happen or to report: planned or confirmed."""
        return self.status in (EventStatus.PLANNED, EventStatus.VALIDATED)

    @property
    def export_identifier(self) -> str:
        """TDDUI idEvenement: 3 + FINESS / local person id - EVN - number, from the public
        UUIDs. Needs `stay__establishment` and `person` loaded."""
        return entry_identifier(
            self, finess=self.stay.establishment.finess, prefix=EVENT_IDENTIFIER_PREFIX
        )

    def tddui_fields(self) -> dict:
        """The TDDUI Évènement elements this event fills (`Profiles/TDDUIEncounterEvenement.fsh`,
        research notes §1.4), as plain values: the interop brick turns them into FHIR. Moments
        are aware datetimes (the export writes them with their offset, as the example's
        « 2023-04-14T10:30:00+02:00 »). The type travels in the `text` slice: no SSIAD code
        fits our kinds (data-absent-reason `not-permitted` + the text)."""
        fields = {
            "identifier": {"system": EVENT_IDENTIFIER_SYSTEM, "value": self.export_identifier},
            "status": FHIR_STATUS[self.status],
            "type_text": self.label or str(EventKind(self.kind).label),
            "subject": self.person.public_id.hex,
            "part_of": self.stay.public_id.hex,
            "service_provider_finess": self.stay.establishment.finess,
            "period_start": self.starts_at,
            "period_end": self.ends_at,
            "label": self.label,
        }
        if self.place:
            fields["location"] = self.place
        if self.reason:
            fields["reason"] = self.reason
        if self.report:
            fields["report"] = self.report
        if self.status_changed_at:
            fields["status_author"] = {
                "date": self.status_changed_at,
                "author": self.status_changed_by.public_id.hex if self.status_changed_by_id else "",
            }
        if self.status == EventStatus.CANCELLED:
            # Codes of jdv-motif-non-realisation-evenement-cisis not verified: text only.
            fields["cancel_reason_text"] = " — ".join(
                part
                for part in (
                    str(EventCancelReason(self.cancel_reason).label),
                    self.cancel_reason_text,
                )
                if part
            )
        return fields
