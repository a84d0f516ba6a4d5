"""How a view reaches one person's record: `person_view` (the URL names the person) and
`object_view` (the URL names an entry of the record: an application, a document, a stay…).

Both resolve the person, ask the policy what the user may do, journal the read (or the
refusal, through `refusals.denied`) and hand the view `request.person` and
`request.person_access`. The URL coverage test fails for any URL with a `person_id` whose
view is not wrapped, and for any view of a person-data brick that is not marked.
"""

from functools import wraps

from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _

from . import journal
from .models import AccessAction, CareTeamMembership
from .policy import (
    active_assignments,
    may_break_glass_in,
    organisation_ids,
    person_access,
    person_model,
)
from .refusals import denied

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Any other method (OPTIONS, made-up ones) would run the view without being journaled.
ALLOWED_METHODS = ("GET", "HEAD", "POST")

NOT_FOLLOWED = _(
    "Vous n'avez pas accès au dossier de cette personne : elle n'est pas accompagnée par "
    "votre établissement ou votre unité."
)
CATEGORY_NOT_READ = _("Votre profession n'a pas accès à cette partie du dossier.")
CATEGORY_NOT_WRITTEN = _(
    "Votre profession ne peut pas modifier cette partie du dossier, ou l'accompagnement de "
    "cette personne est terminé."
)


def _break_glass_possible(user, person) -> bool:
    """Offer the emergency access only where `break_glass_open` would grant it: a person of
    the user's organisation, to a profession that reads care or medical data there."""
    establishment_org = (
        CareTeamMembership.objects.filter(person=person)
        .order_by("-valid_from")
        .values_list("establishment__organisation_id", flat=True)
        .first()
    )
    if establishment_org is None or establishment_org not in organisation_ids(user):
        return False
    return any(
        may_break_glass_in(user, a.establishment_id)
        for a in active_assignments(user)
        if a.establishment.organisation_id == establishment_org
    )


def open_record(request, person, *, category=None, write=False, journal_reads=True, obj=None):
    """The access check of one request on one person's record.

    Returns None and sets `request.person` / `request.person_access` when allowed (the read
    is journaled for GET), or the refusal response (journaled, French reason). `write`: the
    page is a write form, refused to a user who only reads even when merely displayed."""
    access = person_access(user=request.user, person=person)
    request.person_access = access
    if not access.visible:
        return denied(
            request,
            NOT_FOLLOWED,
            person=person,
            break_glass_possible=_break_glass_possible(request.user, person),
        )
    if category and not access.can_read(category):
        return denied(request, CATEGORY_NOT_READ, person=person, obj=obj)
    writing = write or request.method in WRITE_METHODS
    if category and writing and not access.can_write(category):
        return denied(request, CATEGORY_NOT_WRITTEN, person=person, obj=obj)
    if journal_reads and request.method in ("GET", "HEAD"):
        journal_read(request, person=person, access=access)
    request.person = person
    return None


def journal_read(request, *, person, access, obj=None, object_type: str = "") -> None:
    """The journal line of a page of the record (or of one entry, `obj`) being read."""
    if not object_type and obj is None and request.resolver_match:
        object_type = f"page:{request.resolver_match.view_name}"
    journal.record_from_request(
        request,
        action=AccessAction.READ,
        person=person,
        obj=obj if obj is not None else person,
        assignment=access.acting_assignment,
        break_glass=access.via_break_glass,
        object_type=object_type,
    )


def _method_refused(request, category):
    if request.method not in ALLOWED_METHODS or (request.method in WRITE_METHODS and not category):
        # A read-only page answers POST with 405, not a crash; writes name a category.
        return HttpResponseNotAllowed(["GET", "HEAD", *(["POST"] if category else [])])
    return None


def person_view(*, category: str | None = None, write: bool = False, journal_reads: bool = True):
    """Wrap a view taking `person_id` (the person's public UUID).

    `category`: the information category the view shows; writes (POST…) also need write
    access, and so does a GET of a write form (`write=True`)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, person_id, *args, **kwargs):
            if refused := _method_refused(request, category):
                return refused
            person = person_model().objects.filter(public_id=person_id).first()
            if person is None:
                raise Http404(_("Personne introuvable."))
            if refused := open_record(
                request, person, category=category, write=write, journal_reads=journal_reads
            ):
                return refused
            return view(request, person_id, *args, **kwargs)

        wrapped.access_checked = True
        return wrapped

    return decorator


def object_view(
    resolve,
    *,
    url_kwarg: str,
    attribute: str,
    category,
    scope=None,
    write: bool = False,
    journal_reads: bool = True,
):
    """Wrap a view whose URL names an entry of a person's record rather than the person.

    `resolve(public_id)`: the entry or None (404); its `person` is the record checked.
    `category`: a category, or `category(entry)` for entries that carry their own.
    `scope(request, entry)`: a refusal reason (str) or None — a rule of the entry's own on top
    of the person's (an application is handled by its establishment only).
    The view gets `request.<attribute>` (the entry), `request.person`, `request.person_access`
    and its URL arguments unchanged."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            entry = resolve(kwargs[url_kwarg])
            if entry is None:
                raise Http404(_("Élément introuvable."))
            entry_category = category(entry) if callable(category) else category
            if refused := _method_refused(request, entry_category):
                return refused
            if scope is not None and (reason := scope(request, entry)):
                return denied(request, reason, person=entry.person, obj=entry)
            if refused := open_record(
                request,
                entry.person,
                category=entry_category,
                write=write,
                journal_reads=journal_reads,
                obj=entry,
            ):
                return refused
            setattr(request, attribute, entry)
            return view(request, *args, **kwargs)

        wrapped.access_checked = True
        return wrapped

    return decorator


def person_data_view(view):
    """Mark a view that lists several persons' data: it must use `persons_visible_to`.

    The URL coverage test requires person-data views without a `person_id` to carry this mark,
    and their own tests check the scoping."""
    view.access_checked = True
    return view


def no_person_data(view):
    """Mark a view that shows and writes no one's record: login and account pages, the
    establishment's settings, the partner directory, letter templates (fictitious person).
    The URL coverage test requires every view of every brick to be either access-checked or
    marked so: a new view has to say which it is."""
    view.person_free = True
    return view


def person_view_by(category_of, *, write: bool = False, journal_reads: bool = True):
    """`person_view` for views whose information category comes with the request (an
    instrument named in the URL, a stored entry's own category). `category_of(request,
    **kwargs)` returns the category (or raises Http404); the read/write check and the journal
    stay `person_view`'s, applied once the category is known."""

    def decorator(view):
        by_category = {}

        @wraps(view)
        def wrapped(request, person_id, *args, **kwargs):
            category = category_of(request, **kwargs)
            if category not in by_category:
                by_category[category] = person_view(
                    category=category, write=write, journal_reads=journal_reads
                )(view)
            return by_category[category](request, person_id, *args, **kwargs)

        wrapped.access_checked = True
        return wrapped

    return decorator
