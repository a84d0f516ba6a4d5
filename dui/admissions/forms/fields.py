"""Fields shared by the pathway forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; the value travels as ISO 8601."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def setting_version_field() -> forms.IntegerField:
    """The version of an establishment's setting (a letter's wording, the waiting-list rules)
    the form was read at; 0 when the establishment had none of its own yet."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _(
                "Formulaire incomplet (version de la fiche manquante) : rechargez la page."
            ),
            "invalid": _("Version de la fiche illisible : rechargez la page."),
            "min_value": _("Version de la fiche illisible : rechargez la page."),
        },
    )
