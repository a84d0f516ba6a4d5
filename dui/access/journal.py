"""The access journal: append-only, in two keyed hash chains, attested by checkpoints.

Each entry's hash is an HMAC (key `settings.DUI_JOURNAL_KEY`, kept outside the database) of
its own identifying fields and of the previous entry's hash in its chain: an entry removed,
altered, or rewritten with every later hash recomputed breaks the chain, since whoever can
write the database still cannot compute the hashes. Deleting the newest entries, or all of
them, leaves a valid chain: the signed checkpoints written outside the database
(`dui.access.checkpoints`) are what reveal it.

Entries are written inside the transaction of the use case they record: if the write rolls
back, so does its journal line, and a committed write always has its line. Appending to a
chain takes that chain's lock until the transaction ends; so that a read never queues behind
a long write (a PDF generated inside its use case), entries written inside a use case's
transaction go to the *writes* chain and entries written on their own (reads, refusals,
logins) to the *reads* chain (`JournalChain`).
"""

import hashlib
import hmac
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import AccessAction, AccessEvent, JournalAnchor, JournalChain

GENESIS_HASH = "0" * 64
# Arbitrary constants naming the PostgreSQL advisory locks that serialise each chain's appends.
_CHAIN_LOCK_KEYS = {JournalChain.READS: 0x0D0116, JournalChain.WRITES: 0x0D0115}


def keyed_hash(message: str, *, purpose: str = "entry") -> str:
    """HMAC-SHA256 of `message` with the journal key; `purpose` separates the uses of the key
    (an entry's hash can never be replayed as a checkpoint's signature)."""
    key = settings.DUI_JOURNAL_KEY.encode()
    return hmac.new(key, f"{purpose}|{message}".encode(), hashlib.sha256).hexdigest()


def entry_hash(event: AccessEvent) -> str:
    parts = [
        event.chain,
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
    return keyed_hash("|".join(parts))


def _stored_ip(value: str | None) -> str | None:
    """The address as the database will give it back (IPv6 compressed, lower case), so that
    the hash computed now still matches when the entry is read again; None if not an address."""
    if not value:
        return None
    try:
        return AccessEvent._meta.get_field("ip_address").clean(value.strip(), None)
    except ValidationError:
        return None


def in_use_case_transaction() -> bool:
    """Whether the caller runs inside a use case's transaction (the test runner's own
    wrapping transaction does not count: tests see the chains production would write)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def chain_for_now() -> str:
    return JournalChain.WRITES if in_use_case_transaction() else JournalChain.READS


def lock_chain(chain: str) -> None:
    """Serialise the writers of one chain (appends, retention purge) until the transaction
    ends. PostgreSQL only; on SQLite the database-wide write lock and the unique (chain,
    sequence) suffice. Call inside `transaction.atomic()`."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEYS[chain]])


def latest_anchor(chain: str) -> JournalAnchor | None:
    return JournalAnchor.objects.filter(chain=chain).order_by("-purged_through_sequence").first()


def chain_head(chain: str) -> tuple[int, str]:
    """(sequence, hash) of the chain's last entry: its last entry, or the last purge's anchor,
    or the genesis."""
    last = (
        AccessEvent.objects.filter(chain=chain)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    if last:
        return last
    anchor = latest_anchor(chain)
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
    chain = chain_for_now()
    for attempt in range(5):
        try:
            with transaction.atomic():
                lock_chain(chain)
                sequence, previous_hash = chain_head(chain)
                event = AccessEvent(
                    chain=chain,
                    sequence=sequence + 1,
                    occurred_at=timezone.now(),
                    user=user if getattr(user, "pk", None) else None,
                    assignment=assignment,
                    person=person,
                    object_type=object_type[:60],
                    object_id=object_id[:64],
                    action=action,
                    ip_address=_stored_ip(ip_address),
                    break_glass=break_glass,
                    previous_hash=previous_hash,
                )
                event.hash = entry_hash(event)
                event.save(force_insert=True)
                return event
        except IntegrityError:
            # Two appends raced for the same place (SQLite has no advisory lock): retry.
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
        # `request.assignment` is a lazy object: `or None` unwraps a user without assignment.
        assignment=assignment
        if assignment is not None
        else (getattr(request, "assignment", None) or None),
        ip_address=client_ip(request),
        break_glass=break_glass,
        **kwargs,
    )


def client_ip(request) -> str | None:
    # Behind a reverse proxy, configure it to set REMOTE_ADDR (e.g. uwsgi/gunicorn forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    sequence: int
    problem: str

    def describe(self) -> str:
        label = JournalChain(self.chain).label
        return f"chaîne « {label} », entrée {self.sequence} : {self.problem}"


@dataclass(frozen=True)
class ChainState:
    """What a walk of one chain found: its head and how many entries it holds now."""

    chain: str
    first_sequence: int  # the first entry expected (1, or the anchor's + 1)
    head_sequence: int  # the last entry found (the anchor's or 0 when none)
    head_hash: str
    count: int


def walk_chain(
    chain: str, *, breaks: list, from_sequence: int | None = None, chunk_size: int = 5000
) -> ChainState:
    """Walk one chain from its latest anchor (or from `from_sequence`, whose predecessor is
    trusted), appending every break found to `breaks`."""
    anchor = latest_anchor(chain)
    expected_sequence, expected_previous = (
        (anchor.purged_through_sequence + 1, anchor.anchor_hash) if anchor else (1, GENESIS_HASH)
    )
    if from_sequence is not None and from_sequence > expected_sequence:
        previous = (
            AccessEvent.objects.filter(chain=chain, sequence=from_sequence - 1)
            .values_list("hash", flat=True)
            .first()
        )
        if previous is not None:
            expected_sequence, expected_previous = from_sequence, previous
    first = expected_sequence
    head_sequence, head_hash, count = expected_sequence - 1, expected_previous, 0
    events = AccessEvent.objects.filter(chain=chain, sequence__gte=expected_sequence).order_by(
        "sequence"
    )
    for event in events.iterator(chunk_size=chunk_size):
        if event.sequence != expected_sequence:
            breaks.append(
                ChainBreak(
                    chain,
                    event.sequence,
                    f"entrée(s) {expected_sequence} à {event.sequence - 1} manquante(s)",
                )
            )
        if event.previous_hash != expected_previous:
            breaks.append(
                ChainBreak(
                    chain, event.sequence, "le lien vers l'entrée précédente ne correspond pas"
                )
            )
        if not hmac.compare_digest(entry_hash(event), event.hash):
            breaks.append(ChainBreak(chain, event.sequence, "le contenu de l'entrée a été modifié"))
        expected_sequence = event.sequence + 1
        expected_previous = event.hash
        head_sequence, head_hash = event.sequence, event.hash
        count += 1
    return ChainState(chain, first, head_sequence, head_hash, count)


def verify_chain(chunk_size: int = 5000) -> Iterator[ChainBreak]:
    """Walk both chains from their latest anchors; yield every break found (the chains alone:
    `checkpoints.verify` also compares them with the signed checkpoints)."""
    for chain in JournalChain.values:
        breaks: list[ChainBreak] = []
        walk_chain(chain, breaks=breaks, chunk_size=chunk_size)
        yield from breaks
