"""Targeted notes (transmissions ciblées): a focus (cible), Données / Actions / Résultats, the
time of the event and of the writing, a category that the access matrix reads, an « important
— à transmettre » flag; and who read them on the handover (relève).

No national model exists for them: TDDUI carries no care note (`CONCEPTS.md` §3) and FR Core
has no note profile. At the edge a note travels as free text inside a TDDUI Évènement
(`TDDUIEventReport`) or as a base FHIR `Communication`, its business identifier derived from
the public UUIDs (`export_identifier`, local prefix `TRCI`, no esante.gouv.fr namespace).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.access.models import InformationCategory
from dui.core.models import AmendableModel, VersionedModel
from dui.stays.identifiers import entry_identifier

__all__ = ["Note", "NoteCategory", "NoteFocus", "NoteRead"]


class NoteCategory(models.TextChoices):
    """The information categories a note may carry (DESIGN §4.1): the access matrix of the
    establishment decides who reads and who writes each."""

    CARE = InformationCategory.CARE.value, _("Soins")
    EDUCATIONAL = InformationCategory.EDUCATIONAL.value, _("Éducatif")
    SOCIAL = InformationCategory.SOCIAL.value, _("Social")
    PSYCHOLOGICAL = InformationCategory.PSYCHOLOGICAL.value, _("Psychologique")
    MEDICAL = InformationCategory.MEDICAL.value, _("Médical")


class NoteFocus(VersionedModel):
    """A focus (cible) of the establishment's list. Deactivated, it is no longer offered but
    stays on the notes that used it; it is never deleted."""

    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    label = models.CharField(_("cible"), max_length=80)
    category = models.CharField(
        _("catégorie par défaut"),
        max_length=16,
        choices=NoteCategory.choices,
        default=NoteCategory.CARE,
    )
    active = models.BooleanField(_("proposée"), default=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cible de transmission")
        verbose_name_plural = _("cibles de transmission")
        ordering = ["order", "label"]
        constraints = [
            models.UniqueConstraint(
                Lower("label"),
                "establishment",
                name="note_focus_unique_label",
                violation_error_message=_("Cette cible existe déjà dans l'établissement."),
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Note(AmendableModel):
    """One targeted note. Amending it writes a new note (`amends` → the one it replaces,
    `original` → the first of the chain) and marks the replaced one `superseded`: the original
    text stays readable (issue 13 §2, DESIGN §4.4)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="notes", verbose_name=_("usager")
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    stay = models.ForeignKey(
        "stays.Stay",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("séjour"),
    )
    # The unit at writing time: the handover is per unit, even after a transfer.
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité"),
    )
    focus = models.ForeignKey(
        NoteFocus,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("cible"),
    )
    focus_text = models.CharField(_("autre cible"), max_length=120, blank=True)
    data = models.TextField(_("données"), blank=True)
    actions = models.TextField(_("actions"), blank=True)
    results = models.TextField(_("résultats"), blank=True)
    category = models.CharField(
        _("catégorie"), max_length=16, choices=NoteCategory.choices, default=NoteCategory.CARE
    )
    important = models.BooleanField(_("important — à transmettre"), default=False)
    occurred_at = models.DateTimeField(_("heure de l'évènement"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("modifie la transmission"),
    )
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transmission d'origine"),
    )
    superseded = models.BooleanField(_("remplacée par une version modifiée"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transmission ciblée")
        verbose_name_plural = _("transmissions ciblées")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focus__isnull=False) | ~models.Q(focus_text=""),
                name="note_has_focus",
                violation_error_message=_("Choisissez une cible ou écrivez-la (« autre »)."),
            ),
            models.CheckConstraint(
                condition=~models.Q(data="") | ~models.Q(actions="") | ~models.Q(results=""),
                name="note_has_text",
                violation_error_message=_(
                    "Écrivez au moins les données, les actions ou les résultats."
                ),
            ),
        ]
        indexes = [
            # The handover: « written in this unit since the start of my previous shift ».
            models.Index(fields=["unit", "created_at"], name="note_unit_created"),
            models.Index(fields=["establishment", "created_at"], name="note_est_created"),
            # The person's timeline, newest first.
            models.Index(fields=["person", "occurred_at"], name="note_person_occurred"),
            models.Index(fields=["person", "category"], name="note_person_category"),
        ]

    def __str__(self) -> str:
        return self.focus_label

    @property
    def focus_label(self) -> str:
        return self.focus.label if self.focus_id else self.focus_text

    @property
    def chain_root_id(self) -> int:
        return self.original_id or self.pk

    @property
    def export_identifier(self) -> str:
        """Business identifier: 3 + FINESS / local person id - TRCI - number, both derived
        from the public UUIDs (`TRCI` is a local prefix: TDDUI has no note object). Needs
        `establishment` and `person` loaded."""
        return entry_identifier(self, finess=self.establishment.finess, prefix="TRCI")


class NoteRead(models.Model):
    """« Lu » on the handover: one row per note and reader, whatever the number of taps."""

    note = models.ForeignKey(
        Note, on_delete=models.PROTECT, related_name="reads", verbose_name=_("transmission")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lecteur"),
    )
    read_at = models.DateTimeField(_("lue le"))

    class Meta:
        verbose_name = _("lecture de transmission")
        verbose_name_plural = _("lectures de transmissions")
        constraints = [
            models.UniqueConstraint(
                fields=["note", "user"],
                name="note_read_once",
                violation_error_message=_("Cette transmission est déjà marquée comme lue."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.note_id} / {self.user_id}"
