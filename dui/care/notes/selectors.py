"""Reads of the targeted notes, always through the access layer: the persons the user may see
(`persons_visible_to`) and the categories their profession reads (`user_rights_in`, the
establishment's matrix). A note of a category the user does not read is never fetched."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dui.access.policy import persons_visible_to, user_rights_in
from dui.core import dates
from dui.people.models import DISPLAY_NAME_FIELDS
from dui.stays.models import Stay

from .. import shifts
from .focuses import DEFAULT_FOCUSES, DEFAULT_KEY_PREFIX
from .models import Note, NoteCategory, NoteFocus, NoteRead

# Foci shown first in the note form: the most used in the unit over the last weeks.
FREQUENT_FOCUSES = 6


def readable_categories(access) -> list[str]:
    """The note categories this person's access reads (PersonAccess)."""
    return [c for c in NoteCategory.values if access.can_read(c)]


def writable_categories(access) -> list[str]:
    return [c for c in NoteCategory.values if access.can_write(c)]


def categories_read_in(user, establishment_id: int) -> list[str]:
    rights = user_rights_in(user, establishment_id)
    return [c for c in NoteCategory.values if rights[c][0]]


# -- the focus list --------------------------------------------------------------------------


@dataclass(frozen=True)
class FocusChoice:
    key: str  # a focus's public id (hex), or « defaut-N » for the default list
    label: str
    category: str


def focus_choices(establishment, *, unit=None) -> list[FocusChoice]:
    """The foci offered in the note form: the establishment's active list — the most used in
    the unit lately first — or the default list while it has none. Two queries."""
    focuses = list(NoteFocus.objects.filter(establishment=establishment))
    if not focuses:
        return [
            FocusChoice(f"{DEFAULT_KEY_PREFIX}{i}", label, category)
            for i, (label, category) in enumerate(DEFAULT_FOCUSES)
        ]
    active = [f for f in focuses if f.active]
    top: list[int] = []
    if unit is not None:
        top = list(
            Note.objects.filter(
                unit=unit, created_at__gte=dates.now() - timedelta(days=30), focus__isnull=False
            )
            .values("focus_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "focus_id")
            .values_list("focus_id", flat=True)[:FREQUENT_FOCUSES]
        )
    by_pk = {f.pk: f for f in active}
    first = [by_pk[pk] for pk in top if pk in by_pk]
    rest = [f for f in active if f.pk not in top]
    return [FocusChoice(f.public_id.hex, f.label, f.category) for f in first + rest]


def establishment_focuses(establishment) -> list[NoteFocus]:
    return list(NoteFocus.objects.filter(establishment=establishment).order_by("order", "label"))


# -- the person's timeline -------------------------------------------------------------------


def _with_display(notes: QuerySet) -> QuerySet:
    """The notes with their focus and their author's name and profession (only: a user row is
    wide, and a timeline page shows twenty notes)."""
    return notes.select_related("focus", "author", "author__profession").only(
        *(f.name for f in Note._meta.concrete_fields),
        "focus__label",
        "author__first_name",
        "author__last_name",
        "author__username",
        "author__profession__label",
    )


def person_notes(*, person, categories) -> QuerySet:
    """The person's notes of these categories, newest event first: the current version of
    each (an amended note shows through its new version, which links to it)."""
    return _with_display(
        Note.objects.filter(person=person, category__in=list(categories), superseded=False)
    ).order_by("-occurred_at", "-pk")


def filter_timeline(
    notes: QuerySet, *, establishment, category="", focus=None, author=None, start=None, end=None
):
    if category:
        notes = notes.filter(category=category)
    if focus is not None:
        notes = notes.filter(focus=focus)
    if author is not None:
        notes = notes.filter(author=author)
    if start is not None:
        notes = notes.filter(occurred_at__gte=dates.start_of_day(start, establishment))
    if end is not None:
        notes = notes.filter(
            occurred_at__lt=dates.start_of_day(end + timedelta(days=1), establishment)
        )
    return notes


def note_versions(note: Note, *, categories) -> list[Note]:
    """Every version of a note's chain, oldest first (one query)."""
    root = note.chain_root_id
    return list(
        _with_display(
            Note.objects.filter(Q(pk=root) | Q(original_id=root), category__in=list(categories))
        ).order_by("created_at", "pk")
    )


def timeline_authors(person, categories) -> list:
    """Who wrote notes about the person (the author filter's choices), one query."""
    from django.contrib.auth import get_user_model

    ids = (
        Note.objects.filter(person=person, category__in=list(categories))
        .order_by()
        .values("author_id")
        .distinct()
    )
    return list(get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name"))


# -- the handover ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoverWindow:
    shift: object  # shifts.Shift under way
    previous: object  # shifts.Shift before it
    since: datetime  # start of the previous shift


def handover_window(establishment, moment=None) -> HandoverWindow:
    """« What was written since the start of my previous shift »: the shift under way and the
    one before it (`dui.care.shifts`, the establishment's start times)."""
    settings = shifts.care_settings(establishment)
    current = shifts.shift_at(establishment, moment, settings)
    previous = shifts.previous_shift(current, establishment, settings)
    return HandoverWindow(current, previous, previous.starts_at)


def handover_notes(*, user, establishment, unit, since, categories) -> QuerySet:
    """The notes written in the unit (or the whole establishment when `unit` is None) since
    `since`, of the categories the user reads, about persons the user may see: important
    first, then newest; each annotated `read` (by this user)."""
    notes = Note.objects.filter(
        establishment=establishment,
        created_at__gte=since,
        category__in=list(categories),
        superseded=False,
        entered_in_error=False,
        person__in=persons_visible_to(user=user),
    )
    if unit is not None:
        notes = notes.filter(unit=unit)
    return notes.annotate(
        read=Exists(NoteRead.objects.filter(note=OuterRef("pk"), user=user))
    ).order_by("-important", "-created_at", "-pk")


# What a handover row shows: the note, its focus, its author and the person's name only.
HANDOVER_FIELDS = (
    "public_id",
    "person_id",
    "focus_id",
    "focus_text",
    "focus__label",
    "data",
    "actions",
    "results",
    "category",
    "important",
    "occurred_at",
    "created_at",
    "amends",
    "author__first_name",
    "author__last_name",
    "author__username",
    "author__profession__label",
    "person__public_id",
    *(f"person__{name}" for name in DISPLAY_NAME_FIELDS),
)


def handover_rows(pks, *, read: bool) -> list[Note]:
    """The notes of a handover page, in the page's order, with what the screen shows (the
    page is cut on the narrow note rows first: the joins run for these rows only)."""
    pks = list(pks)
    rows = {
        n.pk: n
        for n in Note.objects.filter(pk__in=pks)
        .select_related("focus", "author", "author__profession", "person")
        .only(*HANDOVER_FIELDS)
    }
    found = [rows[pk] for pk in pks if pk in rows]
    for note in found:
        note.read = read
    return found


def unit_persons(*, user, establishment, unit) -> list:
    """The persons whose stay is under way in the unit (or the establishment) today, that the
    user may see, by name: the « Nouvelle transmission » buttons (a queryset to paginate)."""
    stays = Stay.objects.current(dates.today(establishment)).filter(establishment=establishment)
    if unit is not None:
        stays = stays.filter(unit=unit)
    persons = persons_visible_to(user=user).filter(pk__in=stays.values("person_id"))
    return persons.order_by("birth_name", "first_names", "pk")


def unread_important(*, user, establishment, unit, categories, since) -> QuerySet:
    return handover_notes(
        user=user, establishment=establishment, unit=unit, since=since, categories=categories
    ).filter(important=True, read=False)
