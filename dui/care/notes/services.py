"""Writes of the targeted notes: the establishment's focus list, a note, its amendment, its
entry in error, and « lu » on the handover.

A note is never deleted nor overwritten: an amendment is a new note pointing to the one it
replaces, which stays readable (DESIGN §4.4); an error is marked with its reason. Every write
journals in its own transaction (DESIGN §4.3, §4.6)."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, CareTeamMembership, InformationCategory
from dui.access.policy import active_assignments, person_access, user_rights_in
from dui.core import dates
from dui.people.plausibility import before_birth_errors
from dui.stays.models import Stay

from .focuses import DEFAULT_FOCUSES, DEFAULT_KEY_PREFIX
from .models import Note, NoteCategory, NoteFocus, NoteRead

# A clock a few minutes ahead on a tablet must not refuse a note written « now »; beyond that,
# an event in the future is a typing error.
FUTURE_TOLERANCE = timedelta(minutes=5)
NOTE_FIELDS = (
    "focus_text",
    "data",
    "actions",
    "results",
    "category",
    "important",
    "occurred_at",
)
FOCUS_FIELDS = ("label", "category")
# Who keeps the focus list of an establishment: the direction and the care managers (role
# « encadrement » or « direction »), and the care coordinators (IDEC, cadre de santé,
# médecin coordonnateur) who write care there. A project decision: no text fixes it.
FOCUS_MANAGING_ROLES = ("director", "manager")
FOCUS_MANAGING_PROFESSIONS = ("idec", "cadre_sante", "medecin_coordonnateur")

NOT_WRITTEN = _(
    "Votre profession ne peut pas écrire de transmission de cette catégorie pour cette "
    "personne, ou son accompagnement est terminé."
)
FOCUS_NOT_MANAGED = _(
    "La liste des cibles est tenue par la direction, l'encadrement, l'IDEC ou le cadre de "
    "santé de l'établissement."
)
STALE_NOTE = _(
    "Cette transmission a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)

STALE_FOCUS = _("Cette cible a été modifiée pendant votre saisie : rechargez la page.")


# -- the focus list ------------------------------------------------------------------------


def may_manage_focuses(user, establishment) -> bool:
    establishment_id = getattr(establishment, "pk", establishment)
    assignments = [a for a in active_assignments(user) if a.establishment_id == establishment_id]
    if not assignments:
        return False
    if any(a.role in FOCUS_MANAGING_ROLES for a in assignments):
        return True
    profession = getattr(getattr(user, "profession", None), "code", None)
    return (
        profession in FOCUS_MANAGING_PROFESSIONS
        and user_rights_in(user, establishment_id)[InformationCategory.CARE][1]
    )


def _require_focus_manager(acting_user, establishment) -> None:
    if not may_manage_focuses(acting_user, establishment):
        raise AccessDenied(FOCUS_NOT_MANAGED)


def _journal_focus(acting_user, focus, establishment) -> None:
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=focus)


@transaction.atomic
def note_focus_create(*, acting_user, establishment, data: dict) -> NoteFocus:
    """Add a focus at the end of the establishment's list."""
    _require_focus_manager(acting_user, establishment)
    last = NoteFocus.objects.filter(establishment=establishment).aggregate(m=Max("order"))["m"]
    focus = NoteFocus(establishment=establishment, order=(last or 0) + 1)
    writes.assign(focus, data, FOCUS_FIELDS)
    writes.save(focus, acting_user=acting_user, created=True)
    _journal_focus(acting_user, focus, establishment)
    return focus


@transaction.atomic
def note_focus_update(*, acting_user, focus: NoteFocus, data: dict, expected_version) -> NoteFocus:
    """Rename a focus or change its default category: the notes that used it show the new
    label (it is the same focus)."""
    _require_focus_manager(acting_user, focus.establishment_id)
    focus = writes.lock(focus, expected_version=expected_version, stale_message=STALE_FOCUS)
    writes.assign(focus, data, FOCUS_FIELDS)
    writes.save(focus, acting_user=acting_user)
    _journal_focus(acting_user, focus, focus.establishment_id)
    return focus


@transaction.atomic
def note_focus_set_active(
    *, acting_user, focus: NoteFocus, active: bool, expected_version
) -> NoteFocus:
    """Stop offering a focus (or offer it again); the notes that used it keep it."""
    _require_focus_manager(acting_user, focus.establishment_id)
    focus = writes.lock(focus, expected_version=expected_version, stale_message=STALE_FOCUS)
    focus.active = active
    writes.save(focus, acting_user=acting_user)
    _journal_focus(acting_user, focus, focus.establishment_id)
    return focus


@transaction.atomic
def note_focus_move(*, acting_user, focus: NoteFocus, up: bool) -> NoteFocus:
    """Swap a focus with its neighbour in the list (the list is renumbered 1…n first, so that
    equal orders cannot make a move do nothing)."""
    _require_focus_manager(acting_user, focus.establishment_id)
    rows = list(
        NoteFocus.objects.select_for_update()
        .filter(establishment_id=focus.establishment_id)
        .order_by("order", "label", "pk")
    )
    index = next(i for i, f in enumerate(rows) if f.pk == focus.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        if row.order != position:
            row.order = position
            writes.save(row, acting_user=acting_user)
    _journal_focus(acting_user, focus, focus.establishment_id)
    return next(f for f in rows if f.pk == focus.pk)


@transaction.atomic
def note_focus_adopt_defaults(*, acting_user, establishment) -> list[NoteFocus]:
    """Save the default list (`focuses.DEFAULT_FOCUSES`) as the establishment's own, to edit
    it. Does nothing when the establishment already has a list."""
    _require_focus_manager(acting_user, establishment)
    if NoteFocus.objects.filter(establishment=establishment).exists():
        return []
    return _adopt_defaults(establishment, acting_user)


def _adopt_defaults(establishment, acting_user) -> list[NoteFocus]:

    created = []
    for order, (label, category) in enumerate(DEFAULT_FOCUSES, start=1):
        focus = NoteFocus(establishment=establishment, label=label, category=category, order=order)
        writes.save(focus, acting_user=acting_user, created=True)
        created.append(focus)
    journal.record(
        user=acting_user,
        action=AccessAction.CONFIGURE,
        object_type="care.NoteFocus",
        object_id=f"defaults:{getattr(establishment, 'pk', establishment)}",
    )
    return created


def resolve_focus(establishment, key: str, *, acting_user) -> NoteFocus | None:
    """The focus a form chose: a focus of the establishment's list (its public id), one of
    the default list (« defaut-N ») — the first note of an establishment without a list saves
    the default list as its own — or None (« autre »: the free text says it)."""
    key = (key or "").strip()
    if not key:
        return None
    if key.startswith(DEFAULT_KEY_PREFIX):
        try:
            label = DEFAULT_FOCUSES[int(key[len(DEFAULT_KEY_PREFIX) :])][0]
        except (ValueError, IndexError):
            raise ValidationError({"focus_key": _("Choisissez une cible de la liste.")}) from None
        existing = NoteFocus.objects.filter(establishment=establishment)
        if not existing.exists():
            _adopt_defaults(establishment, acting_user)
        focus = existing.filter(label__iexact=label).first()
    else:
        focus = (
            NoteFocus.objects.filter(
                establishment=establishment, public_id=_uuid_or_none(key)
            ).first()
            if _uuid_or_none(key)
            else None
        )
    if focus is None:
        raise ValidationError({"focus_key": _("Choisissez une cible de la liste.")})
    if not focus.active:
        raise ValidationError(
            {"focus_key": _("Cette cible n'est plus proposée : choisissez-en une autre.")}
        )
    return focus


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# -- notes -----------------------------------------------------------------------------------


def placement_of(person, *, moment=None) -> tuple:
    """(establishment, stay, unit) where a note about this person is written now: the stay
    under way (its unit), else the person's current care-team membership (a person followed
    without a stay: an application, a day-care). (None, None, None) when neither exists."""
    moment = moment or dates.now()
    stay = (
        Stay.objects.current(dates.today())
        .filter(person=person)
        .select_related("establishment", "unit")
        .order_by("-started_on")
        .first()
    )
    if stay is not None:
        return stay.establishment, stay, stay.unit
    membership = (
        CareTeamMembership.objects.filter(person=person, valid_from__lte=moment)
        .filter(valid_to__isnull=True)
        .select_related("establishment", "unit")
        .order_by("-valid_from")
        .first()
    )
    if membership is not None:
        return membership.establishment, None, membership.unit
    return None, None, None


def _check_note(note: Note, *, acting_user, person, establishment, access) -> None:
    """The rules of a note's content, each answered next to its field."""
    errors = {}
    if note.category and note.category not in NoteCategory.values:
        errors["category"] = _("Choisissez une catégorie de la liste.")
    elif note.category and not access.can_write(note.category):
        errors["category"] = _(
            "Votre profession ne peut pas écrire de transmission de cette catégorie."
        )
    if not note.focus_id and not note.focus_text:
        errors["focus_key"] = _("Choisissez une cible ou écrivez-la (« autre »).")
    if not (note.data or note.actions or note.results):
        errors["data"] = _("Écrivez au moins les données, les actions ou les résultats.")
    if note.occurred_at is None:
        errors["occurred_at"] = _("Indiquez l'heure de l'évènement.")
    else:
        if note.occurred_at > dates.now() + FUTURE_TOLERANCE:
            errors["occurred_at"] = _("L'évènement ne peut pas être dans le futur.")
        errors.update(
            before_birth_errors(person, occurred_at=dates.date_of(note.occurred_at, establishment))
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def note_create(*, acting_user, person, data: dict) -> Note:
    """Write a targeted note about a person, in the unit where the person stays now."""
    access = person_access(user=acting_user, person=person)
    category = data.get("category") or NoteCategory.CARE
    if not any(access.can_write(c) for c in NoteCategory.values):
        raise AccessDenied(NOT_WRITTEN, person=person)
    establishment, stay, unit = placement_of(person)
    if establishment is None:
        raise AccessDenied(NOT_WRITTEN, person=person)
    focus = resolve_focus(establishment, data.get("focus_key") or "", acting_user=acting_user)
    note = Note(
        focus=focus,
        person=person,
        establishment=establishment,
        stay=stay,
        unit=unit,
        author=acting_user,
        category=category,
        occurred_at=data.get("occurred_at") or dates.now(),
    )
    writes.assign(note, {k: v for k, v in data.items() if k != "occurred_at"}, NOTE_FIELDS)
    if note.focus_id:
        note.focus_text = ""
    _check_note(
        note, acting_user=acting_user, person=person, establishment=establishment, access=access
    )
    return writes.create(note, acting_user=acting_user, person=person)


@transaction.atomic
def note_amend(*, acting_user, note: Note, data: dict, expected_version, reason: str = "") -> Note:
    """Write the corrected version of a note. The amended one stays, marked as replaced, and
    is one tap away from the new one (« modifiée le … par … »). Only the author amends their
    own note: another professional writes a note of their own."""
    person = note.person
    access = person_access(user=acting_user, person=person)
    if not access.can_write(note.category):
        raise AccessDenied(NOT_WRITTEN, person=person, obj=note)
    if note.author_id != acting_user.pk:
        raise AccessDenied(
            _(
                "Seul l'auteur d'une transmission peut la modifier : écrivez une nouvelle transmission."
            ),
            person=person,
            obj=note,
        )
    previous = writes.lock(note, expected_version=expected_version, stale_message=STALE_NOTE)
    if previous.superseded or previous.entered_in_error:
        raise ValidationError(
            _("Cette transmission a déjà été modifiée ou annulée : rechargez la page.")
        )
    amended = Note(
        person=person,
        establishment=previous.establishment,
        stay=previous.stay,
        unit=previous.unit,
        author=acting_user,
        amends=previous,
        original_id=previous.original_id or previous.pk,
        occurred_at=previous.occurred_at,
        category=previous.category,
    )
    writes.assign(amended, data, NOTE_FIELDS)
    key = data.get("focus_key") or ""
    if previous.focus_id and key == previous.focus.public_id.hex:
        amended.focus = previous.focus  # kept even when no longer offered
    else:
        amended.focus = resolve_focus(previous.establishment, key, acting_user=acting_user)
    if amended.focus_id:
        amended.focus_text = ""
    _check_note(
        amended,
        acting_user=acting_user,
        person=person,
        establishment=previous.establishment,
        access=access,
    )
    previous.superseded = True
    writes.save(previous, acting_user=acting_user, reason=reason or _("Transmission modifiée"))
    writes.save(amended, acting_user=acting_user, created=True, reason=reason)
    journal.record(user=acting_user, action=AccessAction.AMEND, person=person, obj=amended)
    return amended


@transaction.atomic
def note_mark_entered_in_error(*, acting_user, note: Note, reason: str, expected_version) -> Note:
    """Cancel a note written by mistake (wrong person, wrong text): it stays in the timeline,
    struck through, with the reason."""
    person = note.person
    writes.require_write(acting_user, person, note.category, NOT_WRITTEN)
    note = writes.lock(note, expected_version=expected_version, stale_message=STALE_NOTE)
    reason = writes.required_reason(
        reason, _("Indiquez pourquoi cette transmission est une erreur.")
    )
    if note.entered_in_error or note.superseded:
        raise ValidationError(
            _("Cette transmission a déjà été modifiée ou annulée : rechargez la page.")
        )
    note.entered_in_error = True
    note.entered_in_error_reason = reason
    writes.save(
        note,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(user=acting_user, action=AccessAction.AMEND, person=person, obj=note)
    return note


@transaction.atomic
def note_mark_read(*, acting_user, notes) -> int:
    """« Lu »: one row per note and reader, whatever the number of taps (the unique
    constraint `note_read_once` settles two taps at once). The notes were read through the
    handover's selector (visible persons, readable categories); each person's read is
    journaled once. Returns how many notes were newly marked."""
    notes = list(notes)
    if not notes:
        return 0
    now = dates.now()
    already = set(
        NoteRead.objects.filter(user=acting_user, note__in=notes).values_list("note_id", flat=True)
    )
    marked = 0
    journaled = set()
    for note in notes:
        if note.pk in already:
            continue
        try:
            with transaction.atomic():
                NoteRead.objects.create(note=note, user=acting_user, read_at=now)
        except IntegrityError:
            continue  # the other tap of a double tap won
        marked += 1
        if note.person_id not in journaled:
            journaled.add(note.person_id)
            journal.record(user=acting_user, action=AccessAction.READ, person=note.person, obj=note)
    return marked
