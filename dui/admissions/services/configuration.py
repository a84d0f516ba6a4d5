"""The establishment's own settings of the pathway (the wording of its letters, the rules of
its waiting list): one row per establishment (and kind), created by the first save. A form
read before the row existed says so with version 0."""

from django.core.exceptions import ValidationError

from dui.access import writes


def locked_setting(model, *, lookup: dict, expected_version, stale_message: str):
    """The setting row locked at the version the form was read at, or a new (unsaved) row when
    the form was read before any existed (version 0). A row created by someone else meanwhile
    makes the form stale, never overwritten."""
    if expected_version is None or expected_version == "":
        raise ValidationError(writes.NO_VERSION, code="missing_version")
    current = model.objects.filter(**lookup).first()
    if current is not None:
        return writes.lock(current, expected_version=expected_version, stale_message=stale_message)
    if int(expected_version) != 0:
        raise ValidationError(stale_message, code="stale_version")
    return model(**lookup)
