"""`person_view`: the only way a view reaches one person's record.

It resolves the person from the URL, asks the policy what the user may do, journals the read
(or the denial) and hands the view `request.person` and `request.person_access`. The URL
coverage test fails for any URL with a `person_id` whose view is not wrapped by it.
"""

from functools import wraps

from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import journal
from .models import AccessAction, CareTeamMembership
from .policy import organisation_ids, person_access, person_model

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Any other method (OPTIONS, made-up ones) would run the view without being journaled.
ALLOWED_METHODS = ("GET", "HEAD", "POST")


def _denied(request, person, message: str, *, break_glass_possible: bool):
    journal.record_from_request(request, action=AccessAction.DENIED, person=person, obj=person)
    return render(
        request,
        "access/denied.html",
        {
            "person_public_id": person.public_id,
            "message": message,
            "break_glass_possible": break_glass_possible,
        },
        status=403,
    )


def _break_glass_possible(user, person) -> bool:
    establishment_org = (
        CareTeamMembership.objects.filter(person=person)
        .order_by("-valid_from")
        .values_list("establishment__organisation_id", flat=True)
        .first()
    )
    return establishment_org is not None and establishment_org in organisation_ids(user)


def person_view(*, category: str | None = None, journal_reads: bool = True):
    """Wrap a view taking `person_id` (the person's public UUID).

    `category`: the information category the view shows; writes (POST…) also need write access.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, person_id, *args, **kwargs):
            if request.method not in ALLOWED_METHODS or (
                request.method in WRITE_METHODS and not category
            ):
                # A read-only page answers POST with 405, not a crash; writes name a category.
                return HttpResponseNotAllowed(["GET", "HEAD", *(["POST"] if category else [])])
            person = person_model().objects.filter(public_id=person_id).first()
            if person is None:
                raise Http404(_("Personne introuvable."))
            access = person_access(user=request.user, person=person)
            if not access.visible:
                return _denied(
                    request,
                    person,
                    _(
                        "Vous n'avez pas accès au dossier de cette personne : elle n'est pas "
                        "accompagnée par votre établissement ou votre unité."
                    ),
                    break_glass_possible=_break_glass_possible(request.user, person),
                )
            if category and not access.can_read(category):
                return _denied(
                    request,
                    person,
                    _("Votre profession n'a pas accès à cette partie du dossier."),
                    break_glass_possible=False,
                )
            if category and request.method in WRITE_METHODS and not access.can_write(category):
                return _denied(
                    request,
                    person,
                    _(
                        "Votre profession ne peut pas modifier cette partie du dossier, "
                        "ou l'accompagnement de cette personne est terminé."
                    ),
                    break_glass_possible=False,
                )
            if journal_reads and request.method in ("GET", "HEAD"):
                journal.record_from_request(
                    request,
                    action=AccessAction.READ,
                    person=person,
                    obj=person,
                    assignment=access.acting_assignment,
                    break_glass=access.via_break_glass,
                    object_type=f"page:{request.resolver_match.view_name}"
                    if request.resolver_match
                    else "",
                )
            request.person = person
            request.person_access = access
            return view(request, person_id, *args, **kwargs)

        wrapped.access_checked = True
        return wrapped

    return decorator


def person_data_view(view):
    """Mark a view that lists several persons' data: it must use `persons_visible_to`.

    The URL coverage test requires person-data views without a `person_id` to carry this mark,
    and their own tests check the scoping."""
    view.access_checked = True
    return view


def person_view_by(category_of, *, journal_reads: bool = True):
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
                by_category[category] = person_view(category=category, journal_reads=journal_reads)(
                    view
                )
            return by_category[category](request, person_id, *args, **kwargs)

        wrapped.access_checked = True
        return wrapped

    return decorator
