from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessAction


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'accès exceptionnel"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce motif est enregistré et sera revu par la direction."),
    )


class BreakGlassReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class JournalFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Toutes")), *AccessAction.choices]
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("La date de fin précède la date de début."))
        return data


LEVEL_CHOICES = [("", _("Aucun accès")), ("r", _("Lecture")), ("rw", _("Lecture + écriture"))]
