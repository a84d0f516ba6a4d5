from datetime import datetime, time, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.accounts.models import Profession
from dui.core import dates
from dui.core.forms import DateInput, RadioSelect, VersionedForm, version_field

from . import schedule
from .models import CareKind, CareRecordOutcome
from .services import RESPONSIBLE_PROFESSIONS

WEEKDAY_CHOICES = [
    (str(i), label)
    for i, label in enumerate(
        [
            _("lundi"),
            _("mardi"),
            _("mercredi"),
            _("jeudi"),
            _("vendredi"),
            _("samedi"),
            _("dimanche"),
        ]
    )
]


class CarePlanLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de soin"), choices=CareKind.choices, widget=RadioSelect)
    label = forms.CharField(
        label=_("Soin"), max_length=120, help_text=_("Ex. : toilette complète au lit, change.")
    )
    instructions = forms.CharField(
        label=_("Consignes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ce qu'il faut savoir au chevet : matériel, position, préférences."),
    )
    profession = forms.ModelChoiceField(
        label=_("Profession responsable"),
        queryset=Profession.objects.filter(code__in=RESPONSIBLE_PROFESSIONS),
        to_field_name="code",
        empty_label=None,
    )
    times = forms.CharField(
        label=_("Heures"),
        max_length=200,
        help_text=_(
            "Ex. : 08:00, 20:00. Avec un rythme « toutes les N heures » : l'heure de départ."
        ),
    )
    every_hours = forms.IntegerField(
        label=_("Toutes les … heures (facultatif)"), required=False, min_value=1, max_value=12
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Jours"),
        required=False,
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun jour coché : tous les jours."),
    )
    starts_on = forms.DateField(label=_("À partir du"), widget=DateInput)
    ends_on = forms.DateField(label=_("Jusqu'au (facultatif)"), required=False, widget=DateInput)

    def clean_times(self):
        raw = self.cleaned_data["times"].replace(";", ",").replace(" ", ",")
        parts = [p for p in raw.split(",") if p]
        try:
            return schedule.format_times(p.replace("h", ":").rstrip(":") for p in parts)
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Heure illisible : écrivez-la comme 08:00.")) from None

    def clean_weekdays(self):
        chosen = self.cleaned_data["weekdays"]
        if not chosen:
            return schedule.ALL_WEEKDAYS
        return sum(1 << int(day) for day in chosen)

    @staticmethod
    def initial_of(line) -> dict:
        return {
            "kind": line.kind,
            "label": line.label,
            "instructions": line.instructions,
            "profession": line.profession.code,
            "times": ", ".join(schedule.format_times(line.times)),
            "every_hours": line.every_hours,
            "weekdays": (
                []
                if line.weekdays == schedule.ALL_WEEKDAYS
                else [str(i) for i in range(7) if line.weekdays & (1 << i)]
            ),
            "starts_on": line.starts_on,
            "ends_on": line.ends_on,
            "version": line.version,
        }


class CarePlanLineChangeForm(CarePlanLineForm):
    version = version_field()
    change_reason = forms.CharField(
        label=_("Pourquoi ce changement ? (facultatif)"), max_length=300, required=False
    )


class CarePlanLineStopForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi arrêter ce soin ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Les soins déjà tracés restent ; les soins à venir non tracés sont annulés."),
    )


def _moment(day, at: time, establishment):
    return datetime.combine(day, at).replace(tzinfo=dates.zone_of(establishment))


class CareRecordForm(forms.Form):
    """« Autre… »: not done (reason), refused (reason optional), postponed (to a time)."""

    outcome = forms.ChoiceField(
        label=_("Résultat"), choices=CareRecordOutcome.choices, widget=RadioSelect
    )
    reason = forms.CharField(label=_("Motif"), max_length=300, required=False)
    postponed_to = forms.TimeField(
        label=_("Reporté à (heure)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    late_reason = forms.CharField(
        label=_("Motif de la saisie tardive"), max_length=300, required=False
    )

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task

    def postponed_moment(self):
        """The next moment at that time of day (today, or tomorrow if already past)."""
        at = self.cleaned_data.get("postponed_to")
        if at is None:
            return None
        establishment = self.task.establishment
        now = dates.now()
        moment = _moment(dates.today(establishment), at, establishment)
        if moment <= now:
            moment += timedelta(days=1)
        return moment


class CareRecordAmendForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("Résultat"),
        choices=[c for c in CareRecordOutcome.choices if c[0] != CareRecordOutcome.POSTPONED],
        widget=RadioSelect,
    )
    reason = forms.CharField(label=_("Motif du résultat"), max_length=300, required=False)
    amend_reason = forms.CharField(
        label=_("Pourquoi corriger ?"),
        max_length=300,
        help_text=_("La traçabilité d'origine reste lisible dans l'historique."),
    )
