"""The access journal: append-only and hash-chained.

Each entry's hash covers its own identifying fields and the previous entry's hash, so a
removed or altered entry breaks the chain (`manage.py verify_journal` finds where). Entries
are written inside the transaction of the use case they record: if the write rolls back, so
does its journal line, and a committed write always has its line.
"""

import hashlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import AccessAction, AccessEvent, JournalAnchor

GENESIS_HASH = "0" * 64
# Arbitrary constant naming the PostgreSQL advisory lock that serialises journal appends.
_JOURNAL_LOCK_KEY = 0x0D0115


def entry_hash(event: AccessEvent) -> str:
    parts = [
        str(event.sequence),
        event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        str(event.user_id or ""),
        str(event.assignment_id or ""),
        str(event.person_id or ""),
        event.object_type,
        event.object_id,
        event.action,
        event.ip_address or "",
        "1" if event.break_glass else "0",
        event.previous_hash,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _stored_ip(value: str | None) -> str | None:
    """The address as the database will give it back (IPv6 compressed, lower case), so that
    the hash computed now still matches when the entry is read again; None if not an address."""
    if not value:
        return None
    try:
        return AccessEvent._meta.get_field("ip_address").clean(value.strip(), None)
    except ValidationError:
        return None


def lock_chain() -> None:
    """Serialise writers of the chain (appends, retention purge) until the transaction ends.

    PostgreSQL only; on SQLite the database-wide write lock and the unique sequence suffice.
    Call inside `transaction.atomic()`.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_JOURNAL_LOCK_KEY])


def chain_head() -> tuple[int, str]:
    last = AccessEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    if last:
        return last
    anchor = JournalAnchor.objects.order_by("-purged_through_sequence").first()
    if anchor:
        return anchor.purged_through_sequence, anchor.anchor_hash
    return 0, GENESIS_HASH


# The request being served, so that writes journaled deep inside a service still say from
# where and under which assignment they were made (DESIGN §4.3). Set by JournalContextMiddleware.
current_request: ContextVar = ContextVar("dui_journal_request", default=None)


class JournalContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def _from_request(user, assignment, ip_address):
    request = current_request.get()
    if request is None or getattr(getattr(request, "user", None), "pk", None) != getattr(
        user, "pk", None
    ):
        return assignment, ip_address
    if assignment is None:
        assignment = getattr(request, "assignment", None) or None
    if ip_address is None:
        ip_address = client_ip(request)
    return assignment, ip_address


def record(
    *,
    user,
    action: str,
    person=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    assignment=None,
    ip_address: str | None = None,
    break_glass: bool = False,
) -> AccessEvent:
    """Append one entry. Identifiers only: never put clinical content here."""
    if action not in AccessAction.values:
        raise ValueError(f"Unknown journal action {action!r}")
    assignment, ip_address = _from_request(user, assignment, ip_address)
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(getattr(obj, "public_id", obj.pk))
    for attempt in range(5):
        try:
            with transaction.atomic():
                lock_chain()
                sequence, previous_hash = chain_head()
                event = AccessEvent(
                    sequence=sequence + 1,
                    occurred_at=timezone.now(),
                    user=user if getattr(user, "pk", None) else None,
                    assignment=assignment,
                    person=person,
                    object_type=object_type,
                    object_id=object_id,
                    action=action,
                    ip_address=_stored_ip(ip_address),
                    break_glass=break_glass,
                    previous_hash=previous_hash,
                )
                event.hash = entry_hash(event)
                event.save(force_insert=True)
                return event
        except IntegrityError:
            # Two appends raced for the same sequence (SQLite has no advisory lock): retry.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def record_from_request(
    request,
    *,
    action: str,
    person=None,
    obj=None,
    assignment=None,
    break_glass: bool = False,
    **kwargs,
) -> AccessEvent:
    return record(
        user=request.user,
        action=action,
        person=person,
        obj=obj,
        # `request.assignment` is lazy: "no assignment" (an administrator) must become None.
        assignment=assignment
        if assignment is not None
        else getattr(request, "assignment", None) or None,
        ip_address=client_ip(request),
        break_glass=break_glass,
        **kwargs,
    )


def client_ip(request) -> str | None:
    # Behind a reverse proxy, configure it to set REMOTE_ADDR (e.g. uwsgi/gunicorn forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def verify_chain(chunk_size: int = 5000) -> Iterator[ChainBreak]:
    """Walk the chain from the latest anchor; yield every break found."""
    anchor = JournalAnchor.objects.order_by("-purged_through_sequence").first()
    expected_sequence, expected_previous = (
        (anchor.purged_through_sequence + 1, anchor.anchor_hash) if anchor else (1, GENESIS_HASH)
    )
    events = AccessEvent.objects.filter(sequence__gte=expected_sequence).order_by("sequence")
    for event in events.iterator(chunk_size=chunk_size):
        if event.sequence != expected_sequence:
            yield ChainBreak(
                event.sequence,
                f"entrée(s) {expected_sequence} à {event.sequence - 1} manquante(s)",
            )
        if event.previous_hash != expected_previous:
            yield ChainBreak(event.sequence, "le lien vers l'entrée précédente ne correspond pas")
        if entry_hash(event) != event.hash:
            yield ChainBreak(event.sequence, "le contenu de l'entrée a été modifié")
        expected_sequence = event.sequence + 1
        expected_previous = event.hash
