"""The plumbing every write service uses (DESIGN §5, in the spirit of HackSoft's
`model_update` and Zulip's actions): require the write right, lock the row, check the version
the form was read at, validate and save with who and why, journal — in the caller's
transaction. A service reads as the list of its rules between these steps:

    @transaction.atomic
    def contact_update(*, acting_user, contact, data, expected_version):
        require_write(acting_user, contact.person, ADMINISTRATIVE)
        contact = lock(contact, expected_version=expected_version, stale_message=STALE)
        ...                                   # the use case's own rules
        assign(contact, data, CONTACT_FIELDS)
        save(contact, acting_user=acting_user)
        journal.record(user=acting_user, action=AccessAction.UPDATE, ...)

or, when there is no rule of its own, `update(...)` / `create(...)` do all of it.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import journal
from .errors import AccessDenied
from .models import AccessAction
from .policy import may_write_in, person_access

NOT_WRITTEN = _(
    "Votre profession ne peut pas modifier cette partie du dossier, ou l'accompagnement de "
    "cette personne est terminé."
)
STALE = _(
    "Cette fiche a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
NO_VERSION = _(
    "Formulaire incomplet (version de la fiche manquante) : rechargez la page et recommencez."
)


def require_write(acting_user, person, category: str, message: str | None = None):
    """The acting user writes `category` in this person's record (the access layer's matrix,
    their team's current care-team membership); else `AccessDenied`. Returns the access."""
    access = person_access(user=acting_user, person=person)
    if not access.can_write(category):
        raise AccessDenied(message or NOT_WRITTEN, person=person)
    return access


def require_write_in(acting_user, establishment, category: str, message: str, *, person=None):
    """The acting user, assigned to this establishment, writes `category` there: the
    establishment's own files (applications, admissions, letters, templates)."""
    if not may_write_in(acting_user, getattr(establishment, "pk", establishment), category):
        raise AccessDenied(message, person=person)


def lock(instance, *, expected_version, stale_message: str | None = None, related=()):
    """The row as it is now, locked until the end of the transaction. The form must say which
    version it was read at, and it must be the current one: a form read before someone else's
    change is refused, never applied over it (DESIGN §4.4)."""
    if expected_version is None or expected_version == "":
        raise ValidationError(NO_VERSION, code="missing_version")
    rows = type(instance).objects.select_for_update()
    if related:
        # Only the row itself is locked (FOR UPDATE OF self on PostgreSQL).
        rows = type(instance).objects.select_related(*related).select_for_update(of=("self",))
    current = rows.get(pk=instance.pk)
    if current.version != int(expected_version):
        raise ValidationError(stale_message or STALE, code="stale_version")
    return current


def assign(instance, data: dict, fields) -> None:
    """Copy the allowed fields of a form's data onto the entry (strings stripped)."""
    for field in fields:
        if field in data:
            value = data[field]
            setattr(instance, field, value.strip() if isinstance(value, str) else value)


def save(instance, *, acting_user, created: bool = False, reason: str = "") -> None:
    """Validate (fields, model rules, named constraints) and save, with who and why. A
    versioned entry moves to its next version; a concurrent write that slipped past the
    validation is answered with the broken constraint's French message."""
    if created or instance._state.adding:
        if hasattr(instance, "created_by_id") and instance.created_by_id is None:
            instance.created_by = acting_user
    elif hasattr(instance, "version"):
        instance.version += 1
    if hasattr(instance, "updated_by_id"):
        instance.updated_by = acting_user
    instance._history_user = acting_user
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        for constraint in instance._meta.constraints:
            if constraint.name in str(error):
                raise ValidationError(
                    constraint.violation_error_message, code=constraint.name
                ) from error
        raise


def create(instance, *, acting_user, person, category: str | None = None, reason: str = ""):
    """A new entry of the person's record: (write right), save, journal."""
    if category is not None:
        require_write(acting_user, person, category)
    save(instance, acting_user=acting_user, created=True, reason=reason)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=instance)
    return instance


def update(
    instance,
    *,
    acting_user,
    person,
    category: str | None,
    data: dict,
    fields,
    expected_version,
    stale_message: str | None = None,
    reason: str = "",
    action: str = AccessAction.UPDATE,
):
    """Change an entry: (write right), lock, version, copy the fields, save, journal."""
    if category is not None:
        require_write(acting_user, person, category)
    instance = lock(instance, expected_version=expected_version, stale_message=stale_message)
    assign(instance, data, fields)
    save(instance, acting_user=acting_user, reason=reason)
    journal.record(user=acting_user, action=action, person=person, obj=instance)
    return instance


def required_reason(reason: str, message: str, field: str = "reason") -> str:
    """A reason the user must give (an amendment, an exit, a refusal): stripped, not empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: message})
    return reason
