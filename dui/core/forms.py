"""Form helpers shared by the bricks."""

from datetime import UTC, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or on top of the form),
    so the user reads the French message next to its cause."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class DateInput(forms.DateInput):
    """The browser's date picker (tablets show their own); the value travels as ISO 8601,
    whatever the display language, so an initial date is never lost on the way back."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RadioSelect(forms.RadioSelect):
    """Radio buttons without Django's raw « --------- » choice (issue 12, item 7): a required
    answer has no blank option; an optional one says « Non précisé »."""

    blank_label = _("Non précisé")

    def optgroups(self, name, value, attrs=None):
        groups = []
        for group_name, options, index in super().optgroups(name, value, attrs):
            kept = []
            for option in options:
                if option["value"] in ("", None):
                    if self.is_required:
                        continue
                    option["label"] = self.blank_label
                kept.append(option)
            if kept:
                groups.append((group_name, kept, index))
        return groups


def version_field() -> forms.IntegerField:
    """The hidden version an edit form was read at (DESIGN §4.4). Required: a form that does
    not say it cannot be checked against someone else's change, and is refused."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _(
                "Formulaire incomplet (version de la fiche manquante) : rechargez la page."
            ),
            "invalid": _("Version de la fiche illisible : rechargez la page."),
            "min_value": _("Version de la fiche illisible : rechargez la page."),
        },
    )


class VersionedForm(forms.Form):
    """A form that changes an existing entry: it carries the version it was read at."""

    version = version_field()


class MomentField(forms.DateTimeField):
    """A moment typed in local wall-clock time (« heure de l'évènement »), read in the current
    time zone even on the nights the clocks change: a time of the repeated autumn hour is the
    latest of its two moments that is not in the future (the one just lived), a time of the
    skipped spring hour is read as zoneinfo reads it — instead of Django's « ambiguë ou
    n'existe pas » refusal, which stopped a nurse writing at 02:30 on the last Sunday of
    October."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            result = value
        else:
            try:
                result = parse_datetime(str(value).strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            if not result:
                result = forms.fields.BaseTemporalField.to_python(self, value)
        if timezone.is_aware(result):
            return result
        zone = timezone.get_current_timezone()
        candidates = sorted(
            {result.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)}
        )
        now = timezone.now()
        past = [moment for moment in candidates if moment <= now]
        return past[-1] if past else candidates[0]


def form_status(request) -> int:
    """The status of a form page shown again: 400 when it comes back from a refused POST (bad
    input), 200 when first opened."""
    return 400 if request.method == "POST" else 200
