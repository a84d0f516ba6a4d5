"""External care (soins externes, consultation, rendez-vous): the care details of an `Event` of
kind « soins externes » (dui.support) — what kind of appointment, with which partner of the
directory, how the person gets there and who goes with them, what to bring; afterwards the
report received (a `Document` of the record, medical) and the follow-up.

Categories (DESIGN §4.1, decided here): the date, place, partner, transport, companion and
documents to bring are care information — the night nurse and the carer must know the person
leaves at 9:00 by ambulance; the reason, the report and the follow-up are medical
(`Event.category = medical`; the report document is filed as « compte rendu médical »).

TDDUI carries the event itself (research notes §1.4); the transport could later travel as a
TDDUI `Task` TPPat linked to it (`CONCEPTS.md` §2): not exported yet."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import AmendableModel

__all__ = [
    "Accompaniment",
    "Appointment",
    "AppointmentKind",
    "TransportBooking",
    "TransportMode",
]


class AppointmentKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    EXAM = "exam", _("Examen (imagerie, biologie…)")
    DENTAL = "dental", _("Soins dentaires")
    HOSPITAL_DAY = "hospital_day", _("Hôpital de jour")
    OTHER = "other", _("Autre")


class TransportMode(models.TextChoices):
    NONE = "none", _("Sans transport (sur place, à pied)")
    AMBULANCE = "ambulance", _("Ambulance (allongé)")
    VSL = "vsl", _("VSL (assis)")
    TAXI = "taxi", _("Taxi conventionné")
    ESTABLISHMENT = "establishment", _("Véhicule de l'établissement")
    FAMILY = "family", _("Famille, proche")


class TransportBooking(models.TextChoices):
    """Who books the transport — the unit checks the day before that it is done."""

    ESTABLISHMENT = "establishment", _("L'établissement")
    FAMILY = "family", _("La famille")
    PARTNER = "partner", _("Le service consulté")
    NOT_NEEDED = "not_needed", _("Pas de réservation")


class Accompaniment(models.TextChoices):
    NONE = "none", _("Seul(e)")
    PROFESSIONAL = "professional", _("Un professionnel de l'établissement")
    RELATIVE = "relative", _("Un proche")


class Appointment(AmendableModel):
    """The care details of one external-care event (one appointment = one `Event`)."""

    event = models.OneToOneField(
        "support.Event",
        on_delete=models.PROTECT,
        related_name="appointment",
        verbose_name=_("évènement"),
    )
    kind = models.CharField(
        _("type de rendez-vous"), max_length=16, choices=AppointmentKind.choices
    )
    partner = models.ForeignKey(
        "coordination.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partenaire"),
    )
    transport_mode = models.CharField(
        _("transport"), max_length=16, choices=TransportMode.choices, default=TransportMode.NONE
    )
    transport_booking = models.CharField(
        _("transport réservé par"),
        max_length=16,
        choices=TransportBooking.choices,
        default=TransportBooking.NOT_NEEDED,
    )
    accompaniment = models.CharField(
        _("accompagné(e) par"),
        max_length=16,
        choices=Accompaniment.choices,
        default=Accompaniment.NONE,
    )
    companion = models.CharField(_("nom de l'accompagnant"), max_length=120, blank=True)
    documents_to_bring = models.TextField(_("documents à emporter"), blank=True)
    # Afterwards (medical): the report received, filed in the record, and what follows.
    report_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compte rendu déposé"),
    )
    follow_up = models.TextField(_("suites à donner"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rendez-vous extérieur")
        verbose_name_plural = _("rendez-vous extérieurs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AppointmentKind.values),
                name="appointment_kind_known",
                violation_error_message=_("Choisissez un type de rendez-vous de la liste."),
            ),
            models.CheckConstraint(
                condition=~models.Q(transport_mode="none")
                | models.Q(transport_booking="not_needed"),
                name="appointment_no_booking_without_transport",
                violation_error_message=_("Sans transport, il n'y a pas de réservation à faire."),
            ),
            models.CheckConstraint(
                condition=models.Q(accompaniment="none") | ~models.Q(companion=""),
                name="appointment_companion_named",
                violation_error_message=_("Indiquez qui accompagne la personne."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)

    @property
    def transport_line(self) -> str:
        """« VSL (assis) — réservé par l'établissement », as the agenda shows it."""
        if self.transport_mode == TransportMode.NONE:
            return str(self.get_transport_mode_display())
        if self.transport_booking == TransportBooking.NOT_NEEDED:
            return str(self.get_transport_mode_display())
        return (
            f"{self.get_transport_mode_display()} — {_('réservé par')} "
            + str(self.get_transport_booking_display()).lower()
        )

    @property
    def accompaniment_line(self) -> str:
        if self.accompaniment == Accompaniment.NONE:
            return str(self.get_accompaniment_display())
        return f"{self.get_accompaniment_display()} : {self.companion}"
