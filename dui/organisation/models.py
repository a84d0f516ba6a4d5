from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from dui.core.dates import DEFAULT_TIME_ZONE, FRENCH_TIME_ZONES
from dui.core.models import VersionedModel

from .finess import is_valid_finess, normalise_finess


class EstablishmentCategory(models.TextChoices):
    EHPAD = "ehpad", _("EHPAD")
    RESIDENCE_AUTONOMIE = "residence_autonomie", _("Résidence autonomie")
    ACCUEIL_DE_JOUR = "accueil_de_jour", _("Accueil de jour")
    SSIAD = "ssiad", _("SSIAD")
    IME = "ime", _("IME")
    ITEP = "itep", _("ITEP")
    SESSAD = "sessad", _("SESSAD")
    MAS = "mas", _("MAS")
    FAM = "fam", _("FAM")
    ESAT = "esat", _("ESAT")
    FOYER_DE_VIE = "foyer_de_vie", _("Foyer de vie")
    FOYER_HEBERGEMENT = "foyer_hebergement", _("Foyer d'hébergement")
    SAVS = "savs", _("SAVS")
    SAMSAH = "samsah", _("SAMSAH")
    CHRS = "chrs", _("CHRS")


class PlaceKind(models.TextChoices):
    PERMANENT = "permanent", _("Hébergement permanent")
    TEMPORARY = "temporary", _("Hébergement temporaire")
    DAY_CARE = "day_care", _("Accueil de jour")


def validate_finess(value: str) -> None:
    if not is_valid_finess(value):
        raise ValidationError(
            _(
                "Numéro FINESS invalide : 9 caractères commençant par un code de département "
                "(01 à 95, 2A, 2B ou 971 à 976), par exemple 750000001."
            ),
            code="invalid_finess",
        )


class Organisation(VersionedModel):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    address = models.TextField(_("adresse"), blank=True)

    class Meta:
        verbose_name = _("organisme gestionnaire")
        verbose_name_plural = _("organismes gestionnaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Establishment(VersionedModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisme gestionnaire"),
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    name = models.CharField(_("nom"), max_length=200)
    finess = models.CharField(
        _("numéro FINESS"),
        max_length=9,
        unique=True,
        validators=[validate_finess],
        error_messages={"unique": _("Un établissement porte déjà ce numéro FINESS.")},
    )
    category = models.CharField(
        _("catégorie"), max_length=32, choices=EstablishmentCategory.choices
    )
    address_line = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    # Its days (today, due dates, delays) are counted in this zone (dui.core.dates).
    time_zone = models.CharField(
        _("fuseau horaire"),
        max_length=40,
        choices=FRENCH_TIME_ZONES,
        default=DEFAULT_TIME_ZONE,
    )

    class Meta:
        verbose_name = _("établissement ou service")
        verbose_name_plural = _("établissements et services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the field checks: "690 000 018" would otherwise fail max_length.
        self.finess = normalise_finess(self.finess)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        self.finess = normalise_finess(self.finess)


class EstablishmentCapacity(models.Model):
    """Authorised capacity (arrêté d'autorisation) per kind of place."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="capacities",
        verbose_name=_("établissement"),
    )
    kind = models.CharField(_("type de place"), max_length=16, choices=PlaceKind.choices)
    authorised_places = models.PositiveIntegerField(
        _("places autorisées"), validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("capacité autorisée")
        verbose_name_plural = _("capacités autorisées")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "kind"],
                name="capacity_one_row_per_kind",
                violation_error_message=_(
                    "Cette capacité est déjà renseignée pour ce type de place."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.authorised_places}"


class Unit(VersionedModel):
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("établissement"),
    )
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        verbose_name = _("unité")
        verbose_name_plural = _("unités")
        ordering = ["establishment__name", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "establishment",
                name="unit_name_unique_in_establishment",
                violation_error_message=_("Une unité porte déjà ce nom dans cet établissement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.establishment.name} — {self.name}"


class Place(VersionedModel):
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="places",
        verbose_name=_("établissement"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="places", verbose_name=_("unité")
    )
    label = models.CharField(_("chambre / place"), max_length=40)
    kind = models.CharField(_("type de place"), max_length=16, choices=PlaceKind.choices)
    is_active = models.BooleanField(_("en service"), default=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["unit__name", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "label"],
                name="place_label_unique_in_unit",
                violation_error_message=_("Une place porte déjà ce libellé dans cette unité."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.label}"

    def clean(self) -> None:
        if (
            self.unit_id
            and self.establishment_id
            and self.unit.establishment_id != self.establishment_id
        ):
            raise ValidationError(
                {
                    "unit": _(
                        "Cette unité appartient à un autre établissement que celui de la place."
                    )
                },
                code="unit_of_other_establishment",
            )
