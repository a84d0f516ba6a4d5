"""The person (usager). Minimal here; the person-record brick completes identity (RNIV/INS)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import TimestampedModel

from .search import normalise_name


class Sex(models.TextChoices):
    FEMALE = "F", _("Féminin")
    MALE = "M", _("Masculin")
    UNKNOWN = "I", _("Indéterminé")


class Person(TimestampedModel):
    birth_name = models.CharField(_("nom de naissance"), max_length=100)
    used_name = models.CharField(_("nom utilisé"), max_length=100, blank=True)
    first_names = models.CharField(
        _("prénoms"), max_length=200, help_text=_("Tous les prénoms de naissance, dans l'ordre.")
    )
    used_first_name = models.CharField(_("prénom utilisé"), max_length=100, blank=True)
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    # Accent- and case-free "names" column for search on any database (DESIGN §2 seam).
    search_name = models.CharField(max_length=400, editable=False, db_index=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usager")
        verbose_name_plural = _("usagers")
        ordering = ["birth_name", "first_names"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def first_first_name(self) -> str:
        return (self.first_names.split() or [""])[0]

    @property
    def display_name(self) -> str:
        name = self.used_name or self.birth_name
        first = self.used_first_name or self.first_first_name
        return f"{name.upper()} {first}"

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def clean(self) -> None:
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError(
                {"birth_date": _("La date de naissance ne peut être dans le futur.")}
            )

    def refresh_search_name(self) -> None:
        self.search_name = normalise_name(
            " ".join([self.birth_name, self.used_name, self.first_names, self.used_first_name])
        )
