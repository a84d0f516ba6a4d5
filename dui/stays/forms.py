"""Forms of the presence/absence tab."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput, VersionedForm

from .models import AbsenceKind


class AbsenceForm(forms.Form):
    """A planned absence: one day or a period (both days included), its motif (our finer
    kind; TDDUI keeps its J406 code), whether it was foreseen and whether it is billed."""

    starts_on = forms.DateField(label=_("Du"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Au (inclus)"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissez vide pour une absence d'un seul jour."),
    )
    absence_kind = forms.ChoiceField(
        label=_("Motif"),
        choices=AbsenceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez le motif de l'absence.")},
    )
    reason = forms.CharField(
        label=_("Précision"),
        required=False,
        max_length=300,
        help_text=_(
            "Ex. : chirurgie programmée au centre hospitalier ; une semaine chez sa fille."
        ),
    )
    planned_absence = forms.BooleanField(
        label=_("Absence prévue à l'avance"), required=False, initial=True
    )
    billable = forms.BooleanField(
        label=_("Journées facturables"),
        required=False,
        initial=True,
        help_text=_(
            "Selon le règlement de fonctionnement et le contrat (réservation de la place)."
        ),
    )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La fin ne peut précéder le début."))
        return data


class AttendanceValidateForm(VersionedForm):
    pass


class AttendanceErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi cette saisie est-elle une erreur ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle reste lisible dans l'historique, barrée, avec ce motif."),
    )
