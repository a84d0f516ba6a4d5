"""Falls and wounds (issue 13, item 7): the fall declaration and its follow-up, the wound and
pressure-ulcer follow-up with dated assessments, photos and the care-plan lines that treat it.

No TDDUI profile carries them (research notes §1.0, §1.5): a fall maps onto FR Core
`FRCoreAdverseEventProfile` (or a base `Observation`), a wound onto FR Core `Condition` with a
`BodyStructure` (the body site) and `stage.summary`, its measurements onto Observations. Their
business identifiers derive from the public UUIDs with the local prefixes of the research
notes (`CHUT` fall, `PLAI` wound), never from database keys.

Corrections: a new version (history kept by simple-history) or *entered in error* with a
reason — never a delete (DESIGN §4.4). An entered-in-error fall does not count for the
repeated-falls rule.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core import dates
from dui.core.models import AmendableModel, TimestampedModel
from dui.stays.identifiers import entry_identifier

from . import body

__all__ = [
    "ExudateLevel",
    "Fall",
    "FallConsequence",
    "FallPlace",
    "PressureUlcerStage",
    "Wound",
    "WoundAssessment",
    "WoundBodySite",
    "WoundCareLink",
    "WoundKind",
    "WoundPhoto",
    "WoundTissue",
]

# The longest time on the floor a form accepts: three days (beyond, the entry is a typo).
MAX_MINUTES_ON_FLOOR = 3 * 24 * 60
# A wound measured in millimetres: one metre is already beyond any real wound.
MAX_WOUND_MM = 1000


# --- Falls ------------------------------------------------------------------------------------


class FallPlace(models.TextChoices):
    ROOM = "room", _("Chambre")
    BATHROOM = "bathroom", _("Salle de bain, toilettes")
    CORRIDOR = "corridor", _("Couloir")
    DINING_ROOM = "dining_room", _("Salle à manger")
    COMMON_ROOM = "common_room", _("Salon, espace commun")
    STAIRS = "stairs", _("Escalier, ascenseur")
    OUTSIDE = "outside", _("Extérieur (jardin, sortie)")
    OTHER = "other", _("Autre lieu")


class FallConsequence(models.TextChoices):
    NONE = "none", _("Aucune")
    PAIN = "pain", _("Douleur")
    BRUISE = "bruise", _("Hématome, ecchymose")
    WOUND = "wound", _("Plaie")
    SUSPECTED_FRACTURE = "suspected_fracture", _("Suspicion de fracture")
    HEAD_INJURY = "head_injury", _("Traumatisme crânien")
    LOSS_OF_CONSCIOUSNESS = "loss_of_consciousness", _("Perte de connaissance")
    OTHER = "other", _("Autre (à préciser)")


# Who was alerted after the fall, and the field that holds when (one moment each).
ALERTED = (
    ("nurse_alerted_at", _("Infirmier(e)")),
    ("doctor_alerted_at", _("Médecin")),
    ("family_alerted_at", _("Famille, proche")),
    ("emergency_alerted_at", _("Secours (15, 18, 112)")),
)


class Fall(AmendableModel):
    """A fall declared by the team: when, where, how, what it caused, who was alerted, and
    its follow-up (a versioned text: each completion is a new version, dated and signed in
    the history)."""

    EXPORT_PREFIX = "CHUT"

    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="falls",
        verbose_name=_("usager"),
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    occurred_at = models.DateTimeField(_("date et heure de la chute"))
    place = models.CharField(_("lieu"), max_length=12, choices=FallPlace.choices)
    place_detail = models.CharField(_("précision sur le lieu"), max_length=120, blank=True)
    circumstances = models.TextField(
        _("circonstances"), help_text=_("Ce que faisait la personne, ce qui a été constaté.")
    )
    witnessed = models.BooleanField(_("chute vue par quelqu'un"), default=False)
    minutes_on_floor = models.PositiveIntegerField(
        _("temps passé au sol (minutes)"),
        null=True,
        blank=True,
        validators=[
            MaxValueValidator(
                MAX_MINUTES_ON_FLOOR, _("Plus de trois jours au sol : vérifiez la durée.")
            )
        ],
    )
    got_up_alone = models.BooleanField(_("s'est relevé(e) seul(e)"), null=True, blank=True)
    consequences = models.JSONField(_("conséquences"), default=list, blank=True)
    consequences_detail = models.CharField(
        _("précision sur les conséquences"), max_length=300, blank=True
    )
    nurse_alerted_at = models.DateTimeField(_("infirmier(e) prévenu(e) à"), null=True, blank=True)
    doctor_alerted_at = models.DateTimeField(_("médecin prévenu à"), null=True, blank=True)
    family_alerted_at = models.DateTimeField(_("famille prévenue à"), null=True, blank=True)
    emergency_alerted_at = models.DateTimeField(_("secours appelés à"), null=True, blank=True)
    follow_up = models.TextField(_("suivi"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chute")
        verbose_name_plural = _("chutes")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["person", "occurred_at"], name="care_fall_person_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_on_floor__isnull=True)
                | Q(minutes_on_floor__lte=MAX_MINUTES_ON_FLOOR),
                name="care_fall_minutes_on_floor_range",
                violation_error_message=_("Plus de trois jours au sol : vérifiez la durée."),
            ),
            models.CheckConstraint(
                condition=~Q(place="other") | ~Q(place_detail=""),
                name="care_fall_other_place_detailed",
                violation_error_message=_("Précisez le lieu de la chute."),
            ),
        ]

    def __str__(self) -> str:
        when = dates.date_of(self.occurred_at, None) if self.occurred_at else None
        return _("Chute du %(day)s") % {"day": when.strftime("%d/%m/%Y") if when else "?"}

    @property
    def consequence_labels(self) -> list[str]:
        labels = dict(FallConsequence.choices)
        return [str(labels.get(code, code)) for code in self.consequences or []]

    @property
    def alerted(self) -> list[tuple[str, object]]:
        """(who, when) of every person alerted, in the order of the form."""
        return [
            (str(label), getattr(self, field))
            for field, label in ALERTED
            if getattr(self, field) is not None
        ]

    @property
    def is_serious(self) -> bool:
        """Signs that call for a medical assessment (HAS/SFGG 2009, gravity signs — list
        « non vérifié » in the text, research notes §2.6): trauma, long time on the floor,
        unable to get up alone."""
        serious = {"suspected_fracture", "head_injury", "loss_of_consciousness"}
        return (
            bool(serious & set(self.consequences or []))
            or (self.minutes_on_floor or 0) >= 60
            or self.got_up_alone is False
        )

    def clean(self) -> None:
        errors: dict = {}
        now = dates.now()
        if self.occurred_at and self.occurred_at > now:
            errors["occurred_at"] = _("La chute ne peut pas être dans le futur.")
        codes = list(self.consequences or [])
        unknown = [c for c in codes if c not in FallConsequence.values]
        if unknown:
            errors["consequences"] = _("Conséquence inconnue : %(codes)s.") % {
                "codes": ", ".join(map(str, unknown))
            }
        elif FallConsequence.NONE in codes and len(codes) > 1:
            errors["consequences"] = _(
                "« Aucune » ne peut pas être cochée avec une autre conséquence."
            )
        elif FallConsequence.OTHER in codes and not (self.consequences_detail or "").strip():
            errors["consequences_detail"] = _("Précisez l'autre conséquence.")
        if self.place == FallPlace.OTHER and not (self.place_detail or "").strip():
            errors["place_detail"] = _("Précisez le lieu de la chute.")
        for field, _label in ALERTED:
            moment = getattr(self, field)
            if moment is None:
                continue
            if moment > now:
                errors[field] = _("Cette heure ne peut pas être dans le futur.")
            elif self.occurred_at and moment < self.occurred_at:
                errors[field] = _("Cette heure précède la chute.")
        if errors:
            raise ValidationError(errors)

    def export_identifier(self, finess: str | None = None) -> str:
        """3 + FINESS / person's public id - CHUT - fall's public id (research notes §1.0)."""
        return entry_identifier(
            self, finess=finess or self.establishment.finess, prefix=self.EXPORT_PREFIX
        )


# --- Wounds -----------------------------------------------------------------------------------


class WoundKind(models.TextChoices):
    PRESSURE_ULCER = "pressure_ulcer", _("Escarre")
    SKIN_TEAR = "skin_tear", _("Déchirure cutanée")
    LEG_ULCER = "leg_ulcer", _("Ulcère de jambe")
    SURGICAL = "surgical", _("Plaie chirurgicale")
    BURN = "burn", _("Brûlure")
    OTHER = "other", _("Autre plaie")


WoundBodySite = models.TextChoices(
    "WoundBodySite", [(code.upper(), (code, label)) for code, label in body.CHOICES]
)


class PressureUlcerStage(models.TextChoices):
    """NPUAP/EPUAP international classification (2009, reprised 2014/2019), French terms of
    the research notes §4.1."""

    STAGE_1 = "1", _("Catégorie 1 — érythème persistant, peau intacte")
    STAGE_2 = "2", _("Catégorie 2 — perte partielle de l'épaisseur de la peau, phlyctène")
    STAGE_3 = "3", _("Catégorie 3 — perte totale de l'épaisseur de la peau")
    STAGE_4 = "4", _("Catégorie 4 — perte tissulaire totale (os, tendon, muscle)")
    UNSTAGEABLE = "unstageable", _("Inclassable — profondeur inconnue")
    DEEP_TISSUE = "deep_tissue", _("Lésion des tissus profonds (suspectée)")


SHORT_STAGES = {
    "1": "stade 1",
    "2": "stade 2",
    "3": "stade 3",
    "4": "stade 4",
    "unstageable": "inclassable",
    "deep_tissue": "tissus profonds",
}


class WoundTissue(models.TextChoices):
    """The dominant tissue of the wound bed (colour scale of nursing practice)."""

    EPITHELIALISATION = "epithelial", _("Épithélialisation (rose)")
    GRANULATION = "granulation", _("Bourgeonnement, granulation (rouge)")
    SLOUGH = "slough", _("Fibrine (jaune)")
    NECROSIS = "necrosis", _("Nécrose (noire)")
    MIXED = "mixed", _("Mixte")


class ExudateLevel(models.TextChoices):
    NONE = "none", _("Aucun")
    LOW = "low", _("Faible")
    MODERATE = "moderate", _("Modéré")
    HEAVY = "heavy", _("Abondant")


class Wound(AmendableModel):
    """A wound or pressure ulcer followed until it heals: kind, place on the body diagram,
    opened on / healed on. Its state is in its dated assessments."""

    EXPORT_PREFIX = "PLAI"

    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="wounds",
        verbose_name=_("usager"),
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    kind = models.CharField(_("type de plaie"), max_length=16, choices=WoundKind.choices)
    body_site = models.CharField(_("localisation"), max_length=24, choices=WoundBodySite.choices)
    body_site_detail = models.CharField(
        _("précision sur la localisation"), max_length=120, blank=True
    )
    acquired_here = models.BooleanField(_("apparue dans l'établissement"), null=True, blank=True)
    opened_on = models.DateField(_("constatée le"))
    healed_on = models.DateField(_("cicatrisée le"), null=True, blank=True)
    note = models.CharField(_("précisions"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plaie")
        verbose_name_plural = _("plaies")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["establishment", "healed_on"], name="care_wound_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(healed_on__isnull=True) | Q(healed_on__gte=models.F("opened_on")),
                name="care_wound_healed_after_opened",
                violation_error_message=_(
                    "La date de cicatrisation ne peut précéder la date d'apparition."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(body_site="other") | ~Q(body_site_detail=""),
                name="care_wound_other_site_detailed",
                violation_error_message=_("Précisez la localisation de la plaie."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.site_label})"

    @property
    def site_label(self) -> str:
        if self.body_site == body.OTHER:
            return self.body_site_detail or body.label_of(body.OTHER)
        label = body.label_of(self.body_site)
        return f"{label}, {self.body_site_detail}" if self.body_site_detail else label

    @property
    def is_pressure_ulcer(self) -> bool:
        return self.kind == WoundKind.PRESSURE_ULCER

    def clean(self) -> None:
        errors: dict = {}
        today = dates.today(self.establishment if self.establishment_id else None)
        if self.opened_on and self.opened_on > today:
            errors["opened_on"] = _("Cette date ne peut être dans le futur.")
        if self.healed_on and self.healed_on > today:
            errors["healed_on"] = _("Cette date ne peut être dans le futur.")
        if self.body_site == body.OTHER and not (self.body_site_detail or "").strip():
            errors["body_site_detail"] = _("Précisez la localisation de la plaie.")
        if errors:
            raise ValidationError(errors)

    def export_identifier(self, finess: str | None = None) -> str:
        """3 + FINESS / person's public id - PLAI - wound's public id (research notes §1.0)."""
        return entry_identifier(
            self, finess=finess or self.establishment.finess, prefix=self.EXPORT_PREFIX
        )


SIZE_MESSAGE = _("Une dimension ne peut pas être négative.")


class WoundAssessment(AmendableModel):
    """The wound on one day: category (pressure ulcers only), size in millimetres, tissue,
    exudate, pain — FR Core Observations of the wound's Condition."""

    wound = models.ForeignKey(
        Wound, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("plaie")
    )
    assessed_at = models.DateTimeField(_("évaluée le"))
    stage = models.CharField(
        _("catégorie (escarre)"), max_length=12, choices=PressureUlcerStage.choices, blank=True
    )
    length_mm = models.IntegerField(
        _("longueur (mm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, SIZE_MESSAGE), MaxValueValidator(MAX_WOUND_MM)],
    )
    width_mm = models.IntegerField(
        _("largeur (mm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, SIZE_MESSAGE), MaxValueValidator(MAX_WOUND_MM)],
    )
    depth_mm = models.IntegerField(
        _("profondeur (mm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, SIZE_MESSAGE), MaxValueValidator(MAX_WOUND_MM)],
    )
    tissue = models.CharField(
        _("tissu dominant"), max_length=12, choices=WoundTissue.choices, blank=True
    )
    exudate = models.CharField(
        _("exsudat"), max_length=10, choices=ExudateLevel.choices, blank=True
    )
    pain = models.PositiveSmallIntegerField(
        _("douleur (0 à 10)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10, _("La douleur se cote de 0 à 10."))],
    )
    notes = models.TextField(_("observations, soins réalisés"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évaluation de plaie")
        verbose_name_plural = _("évaluations de plaie")
        ordering = ["-assessed_at", "-pk"]
        indexes = [models.Index(fields=["wound", "assessed_at"], name="care_wound_assess_when")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(length_mm__isnull=True) | Q(length_mm__gte=0))
                & (Q(width_mm__isnull=True) | Q(width_mm__gte=0))
                & (Q(depth_mm__isnull=True) | Q(depth_mm__gte=0)),
                name="care_wound_assessment_sizes_not_negative",
                violation_error_message=SIZE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(pain__isnull=True) | Q(pain__lte=10),
                name="care_wound_assessment_pain_range",
                violation_error_message=_("La douleur se cote de 0 à 10."),
            ),
        ]

    def __str__(self) -> str:
        return _("Évaluation du %(day)s") % {
            "day": dates.date_of(self.assessed_at).strftime("%d/%m/%Y") if self.assessed_at else "?"
        }

    @property
    def area_cm2(self):
        """Length × width, in cm² (the usual follow-up figure; an ellipse would be ×0.785)."""
        if self.length_mm is None or self.width_mm is None:
            return None
        return round(self.length_mm * self.width_mm / 100, 1)

    @property
    def size_label(self) -> str:
        sizes = [self.length_mm, self.width_mm]
        if self.depth_mm is not None:
            sizes.append(self.depth_mm)
        if any(s is None for s in sizes[:2]):
            return ""
        return " × ".join(str(s) for s in sizes) + " mm"

    @property
    def short_stage(self) -> str:
        return SHORT_STAGES.get(self.stage, "")

    def clean(self) -> None:
        errors: dict = {}
        if self.assessed_at and self.assessed_at > dates.now():
            errors["assessed_at"] = _("L'évaluation ne peut pas être dans le futur.")
        if self.wound_id:
            wound = self.wound
            if self.stage and not wound.is_pressure_ulcer:
                errors["stage"] = _(
                    "La catégorie (NPUAP/EPUAP) ne s'applique qu'aux escarres : laissez-la vide "
                    "pour une %(kind)s."
                ) % {"kind": wound.get_kind_display().lower()}
            elif wound.is_pressure_ulcer and not self.stage:
                errors["stage"] = _("Indiquez la catégorie de l'escarre.")
            if self.assessed_at and wound.opened_on:
                day = dates.date_of(self.assessed_at, wound.establishment)
                if day < wound.opened_on:
                    errors["assessed_at"] = _(
                        "L'évaluation précède la date où la plaie a été constatée (%(day)s)."
                    ) % {"day": wound.opened_on.strftime("%d/%m/%Y")}
        if errors:
            raise ValidationError(errors)


class WoundPhoto(TimestampedModel):
    """A photo taken at an assessment. The file is a `documents.Document` (kind « autre
    document », category care: the « photo » kind is the person's portrait): stored outside the web root, served only by the documents brick's
    access-checked and journaled views; uploaded only with the person's photo consent."""

    assessment = models.ForeignKey(
        WoundAssessment,
        on_delete=models.PROTECT,
        related_name="photos",
        verbose_name=_("évaluation"),
    )
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="wound_photo",
        verbose_name=_("fichier"),
    )

    class Meta:
        verbose_name = _("photo de plaie")
        verbose_name_plural = _("photos de plaie")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.document)


class WoundCareLink(TimestampedModel):
    """A care-plan line that treats the wound (« réfection du pansement du sacrum »). A line
    changed in the plan is a new version (`CarePlanLine.replaces`): the link keeps the version
    it was made with and the pages follow the chain to the version in force. Unlinking ends
    the link (`ended_at`); nothing is deleted."""

    wound = models.ForeignKey(
        Wound, on_delete=models.PROTECT, related_name="care_links", verbose_name=_("plaie")
    )
    line = models.ForeignKey(
        "care.CarePlanLine",
        on_delete=models.PROTECT,
        related_name="wound_links",
        verbose_name=_("soin prévu"),
    )
    ended_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("soin lié à une plaie")
        verbose_name_plural = _("soins liés aux plaies")
        constraints = [
            models.UniqueConstraint(
                fields=["wound", "line"],
                condition=Q(ended_at__isnull=True),
                name="care_wound_link_once",
                violation_error_message=_("Ce soin est déjà lié à cette plaie."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.wound} ← {self.line}"
