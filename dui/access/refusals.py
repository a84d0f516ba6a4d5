"""Refusals: one way to say no (DESIGN §4.1, §4.3).

A refusal shows its French reason and leaves a journal line (`denied`), whatever refused:
the access layer (`person_view`), a view's own rule, or a service raising `AccessDenied`.
Views either return `denied(...)` or let `AccessDenied` go: `handler403` (config/urls.py)
journals and renders it the same way. Nothing else renders `access/denied.html`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import journal
from .models import AccessAction

DEFAULT_REASON = _("Vous n'avez pas le droit de faire cette action.")


def _page_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return f"page:{match.view_name}"[:60] if match else ""


def denied(
    request,
    reason: str,
    *,
    person=None,
    obj=None,
    break_glass_possible: bool = False,
    status: int = 403,
    context: dict | None = None,
):
    """Journal the refusal and render its reason (403). `person`: whose record the refused
    action was about (the journal line goes to their list of accesses); `obj`: the entry."""
    access = getattr(request, "person_access", None)
    same_person = access is not None and person is not None and access.person.pk == person.pk
    journal.record_from_request(
        request,
        action=AccessAction.DENIED,
        person=person,
        obj=obj if obj is not None else person,
        object_type="" if (obj is not None or person is not None) else _page_name(request),
        assignment=access.acting_assignment if same_person else None,
        # A refusal met during an emergency access is part of that access's trace.
        break_glass=bool(same_person and access.via_break_glass),
    )
    full = {
        "message": reason,
        "person_public_id": getattr(person, "public_id", ""),
        "break_glass_possible": break_glass_possible and person is not None,
        "break_glass_hours": int(settings.BREAK_GLASS_DURATION.total_seconds() // 3600),
        **(context or {}),
    }
    if getattr(request, "htmx", False):
        # A refused partial update replaces the page's content with the reason.
        response = render(request, "access/_denied.html", full, status=status)
        response["HX-Retarget"] = "#contenu"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "access/denied.html", full, status=status)


def reason_of(exception) -> str:
    """The French reason a refusal carries (Django's own 403s carry none)."""
    message = getattr(exception, "message", None)
    if message:
        return str(message)
    if isinstance(exception, PermissionDenied) and exception.args and exception.args[0]:
        return str(exception.args[0])
    return str(DEFAULT_REASON)


def handler403(request, exception=None):
    """Every PermissionDenied a view lets go, `AccessDenied` of a service included: the
    service's transaction is already rolled back; the refusal's own line is written now."""
    return denied(
        request,
        reason_of(exception),
        person=getattr(exception, "person", None),
        obj=getattr(exception, "obj", None),
        break_glass_possible=getattr(exception, "break_glass_possible", False),
    )
