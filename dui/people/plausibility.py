"""Dates that describe a person cannot come before the person was born.

One rule for every entry of the record that dates something of the person's life — an allergy
known since, an assessment, an entry in an establishment, an application, a document, a
protection measure, a trusted person's designation, an identity document checked, a social
aid: an allergy « connue depuis le 01/01/1800 » was accepted. Each model calls it from its
`clean()`, so every service (they all validate with `full_clean`) refuses such a date, with the
message next to the field and nothing saved.

The birth date is the first day of the known period when the day or the month is unknown
(`BirthDatePrecision`): a date before it is before the birth whatever the unknown part. The
message shows the birth date as the record does (00 for an unknown day or month).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def before_birth_errors(person, **days) -> dict[str, str]:
    """{field: French message} for each of `days` (field=date, None ignored) before the
    person's birth. `person` may be any object with a `birth_date` (and, for the message, a
    `birth_date_display`)."""
    born = getattr(person, "birth_date", None)
    if born is None:
        return {}
    shown = getattr(person, "birth_date_display", None) or born.strftime("%d/%m/%Y")
    return {
        field: _(
            "Cette date (%(day)s) précède la naissance de la personne (date de naissance : "
            "%(birth)s)."
        )
        % {"day": day.strftime("%d/%m/%Y"), "birth": shown}
        for field, day in days.items()
        # A value that is not a date yet (its field refused it) is left to that field.
        if isinstance(day, date) and day < born
    }


def refuse_before_birth(person, **days) -> None:
    """Raise the French refusal of `before_birth_errors`, if any."""
    errors = before_birth_errors(person, **days)
    if errors:
        raise ValidationError(errors, code="before_birth")
