"""Form helpers shared by the bricks."""

from django import forms
from django.core.exceptions import ValidationError


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
