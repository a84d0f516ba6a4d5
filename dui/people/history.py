"""History of changes of a person's record, per section (django-simple-history), limited to
the sections the user's profession reads. One query per source, whatever the record's size."""

from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dui.access.models import InformationCategory

from .models import (
    AdministrativeFile,
    Contact,
    IdentityEvidence,
    LegalProtection,
    Person,
    PersonAlert,
    SocialAid,
)

# Bookkeeping columns that change on every save and say nothing to a reader.
HIDDEN_FIELDS = {
    "updated_at",
    "updated_by",
    "version",
    "search_name",
    "created_at",
    "created_by",
    "id",
    "public_id",
}
MAX_ROWS_PER_SOURCE = 200


@dataclass(frozen=True)
class HistorySource:
    section: str
    section_label: str
    model: type[Model]
    category: str  # "": no section-wide category; for models with a per-row `category` field, rows are filtered by it too
    person_lookup: str = "person"


@dataclass
class HistoryEntry:
    when: object
    who: str
    what: str
    kind: str  # created / changed / deleted
    changes: list = field(default_factory=list)
    reason: str = ""


@dataclass
class HistorySection:
    key: str
    label: str
    entries: list
    has_more: bool = False


_sources: list[HistorySource] = []


def register_history(source: HistorySource) -> None:
    if source not in _sources:
        _sources.append(source)


def _value(model, name, value) -> str:
    if value in (None, ""):
        return "—"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if f.is_relation:
        # Never a database id on screen: say whether the link is set.
        return str(_("renseigné"))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _entries(source: HistorySource, person, readable, page: int) -> tuple[list[HistoryEntry], bool]:
    model = source.model
    rows = model.history.filter(**{source.person_lookup: person.pk}).select_related("history_user")
    if any(f.name == "category" for f in model._meta.fields):
        rows = rows.filter(category__in=sorted(readable))
    start = (page - 1) * MAX_ROWS_PER_SOURCE
    # One row more than shown, to know whether older changes remain (and the previous state
    # of the oldest shown row, for its diff).
    rows = list(
        rows.order_by("-history_date", "-history_id")[start : start + MAX_ROWS_PER_SOURCE + 1]
    )
    has_more = len(rows) > MAX_ROWS_PER_SOURCE
    fields = [
        f for f in model._meta.fields if f.name not in HIDDEN_FIELDS and not f.name.startswith("_")
    ]
    previous_of = {}
    # Rows are newest first: the next row of the same object in the list is its previous state.
    last_seen = {}
    for row in reversed(rows):
        previous_of[row.history_id] = last_seen.get(row.id)
        last_seen[row.id] = row
    entries = []
    for row in rows[:MAX_ROWS_PER_SOURCE]:
        before = previous_of[row.history_id]
        changes = []
        if row.history_type == "~" and before is not None:
            for f in fields:
                old, new = getattr(before, f.attname), getattr(row, f.attname)
                if old != new:
                    changes.append(
                        (
                            capfirst(str(f.verbose_name)),
                            _value(model, f.name, old),
                            _value(model, f.name, new),
                        )
                    )
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=(user.get_full_name() or user.username) if user else str(_("système")),
                what=f"{model._meta.verbose_name} « {row.instance} »",
                kind={"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                changes=changes,
                reason=row.history_change_reason or "",
            )
        )
    return entries, has_more


def record_history(*, person, access, page: int = 1) -> list[HistorySection]:
    sections: dict[str, HistorySection] = {}
    for source in _sources:
        if source.category and not access.can_read(source.category):
            continue
        section = sections.setdefault(
            source.section, HistorySection(source.section, str(source.section_label), [])
        )
        entries, has_more = _entries(source, person, access.readable, page)
        section.entries.extend(entries)
        section.has_more = section.has_more or has_more
    for section in sections.values():
        section.entries.sort(key=lambda e: e.when, reverse=True)
    return list(sections.values())


def register_people_history() -> None:
    admin = InformationCategory.ADMINISTRATIVE
    for source in (
        HistorySource("identity", _("Identité"), Person, admin, person_lookup="id"),
        HistorySource("identity", _("Identité"), IdentityEvidence, admin),
        HistorySource("entourage", _("Entourage et protection"), Contact, admin),
        HistorySource("entourage", _("Entourage et protection"), LegalProtection, admin),
        HistorySource("administrative", _("Administratif"), AdministrativeFile, admin),
        HistorySource("social", _("Aides sociales"), SocialAid, InformationCategory.SOCIAL),
        # Alerts are filtered row by row on their own category.
        HistorySource("alerts", _("Alertes"), PersonAlert, ""),
    ):
        register_history(source)
