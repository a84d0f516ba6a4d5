"""Signed checkpoints of the access journal, kept outside the database (issue 10).

A hash chain proves that what is there was not altered; it cannot prove that nothing is
missing at its end: deleting the newest entries, or emptying the table, leaves a valid chain.
So the head of each chain (its last place and hash) is written regularly — every 5 minutes by
`manage.py journal_checkpoint` (systemd timer or cron), at each purge and at each
`verify_journal` — as one signed line of a file in `DUI_JOURNAL_CHECKPOINT_DIR`, a directory
the database role cannot rewrite (another Unix user, an append-only or remote mount),
optionally mailed to the DPO. `verify_journal` then requires every chain to still reach the
latest checkpoint with the same hash, and every purge anchor to be one a checkpoint attested.

A line is JSON: {"at", "reason", "heads": {chain: {"sequence", "hash", "count"}},
"anchors": [{"chain", "sequence", "hash"}], "signature"}; the signature is an HMAC of the rest
with the journal key (`journal.keyed_hash`, purpose "checkpoint"): a line written by anyone
without the key is reported as forged.

Backups: run `journal_checkpoint --reason sauvegarde` just before the dump and keep the
checkpoint file with it; a restored database is verified against that file
(`verify_journal --checkpoints FILE`), the live file then being archived.
"""

import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.formats import date_format

from .journal import ChainBreak, keyed_hash, latest_anchor, walk_chain
from .models import AccessEvent, JournalAnchor, JournalChain

FILE_NAME = "checkpoints.jsonl"


def default_path() -> Path:
    return Path(settings.DUI_JOURNAL_CHECKPOINT_DIR) / FILE_NAME


def _canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(payload: dict) -> str:
    return keyed_hash(_canonical(payload), purpose="checkpoint")


def current_heads() -> dict:
    """{chain: {"sequence", "hash", "count"}} as the database holds them now (one query per
    chain plus one)."""
    counts = {
        row["chain"]: (row["n"], row["last"])
        for row in AccessEvent.objects.values("chain")
        .annotate(n=Count("pk"), last=Max("sequence"))
        .order_by()
    }
    heads = {}
    for chain in JournalChain.values:
        count, last = counts.get(chain, (0, None))
        if last is not None:
            head_hash = (
                AccessEvent.objects.filter(chain=chain, sequence=last)
                .values_list("hash", flat=True)
                .get()
            )
            heads[chain] = {"sequence": last, "hash": head_hash, "count": count}
            continue
        anchor = latest_anchor(chain)
        heads[chain] = (
            {"sequence": anchor.purged_through_sequence, "hash": anchor.anchor_hash, "count": 0}
            if anchor
            else {"sequence": 0, "hash": "", "count": 0}
        )
    return heads


def write(reason: str, *, anchors=(), path: Path | None = None, mail: bool = False) -> dict:
    """Append a signed checkpoint of the chains' heads (and of purge anchors about to be
    recorded); returns it. The file is flushed to disk before returning."""
    path = path or default_path()
    payload = {
        "at": timezone.now().isoformat(timespec="seconds"),
        "reason": reason,
        "heads": current_heads(),
        "anchors": [
            {"chain": a["chain"], "sequence": a["sequence"], "hash": a["hash"]} for a in anchors
        ],
    }
    line = _canonical({**payload, "signature": sign(payload)})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    if mail and settings.DUI_JOURNAL_CHECKPOINT_MAIL:
        send_mail(
            subject=f"DUI — point de contrôle du journal des accès ({payload['at']})",
            message=(
                "Point de contrôle signé du journal des accès, à conserver : il permet de "
                "vérifier qu'aucune entrée n'a été supprimée depuis.\n\n" + line + "\n"
            ),
            from_email=None,
            recipient_list=settings.DUI_JOURNAL_CHECKPOINT_MAIL,
        )
    return payload


@dataclass
class CheckpointFile:
    latest: dict | None = None
    count: int = 0
    attested_anchors: set = field(default_factory=set)
    forged_lines: list = field(default_factory=list)


def read(path: Path | None = None) -> CheckpointFile:
    """The valid checkpoints of a file: the latest one, the anchors they attest, and the
    numbers of the lines whose signature does not match (forged or damaged)."""
    path = path or default_path()
    found = CheckpointFile()
    if not path.exists():
        return found
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
                signature = line.pop("signature")
                valid = hmac.compare_digest(sign(line), signature)
            except (ValueError, KeyError, TypeError, AttributeError):
                valid = False
            if not valid:
                found.forged_lines.append(number)
                continue
            found.count += 1
            found.latest = line  # the last valid line written is the latest checkpoint
            for anchor in line.get("anchors", []):
                found.attested_anchors.add((anchor["chain"], anchor["sequence"], anchor["hash"]))
    return found


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    checkpoint: dict | None = None
    checkpoints_found: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems


def _moment(iso: str) -> str:
    moment = timezone.localtime(datetime.fromisoformat(iso))
    return date_format(moment, "d/m/Y à H:i")


def verify(path: Path | None = None, *, since_checkpoint: bool = False) -> Verification:
    """The whole verification `verify_journal` reports: both chains walked from their
    anchors, each anchor attested by a checkpoint, each chain still reaching the latest
    checkpoint with the same hash, no forged checkpoint line. `since_checkpoint`: walk only
    the entries after the latest checkpoint (the periodic checkpoint's quick check)."""
    result = Verification()
    checkpoints = read(path)
    result.checkpoint = checkpoints.latest
    result.checkpoints_found = checkpoints.count
    for number in checkpoints.forged_lines:
        result.problems.append(
            f"le point de contrôle de la ligne {number} du fichier a une signature invalide "
            "(falsifié ou abîmé)"
        )
    breaks: list[ChainBreak] = []
    for chain in JournalChain.values:
        label = JournalChain(chain).label
        start = None
        if since_checkpoint and checkpoints.latest is not None:
            start = checkpoints.latest["heads"].get(chain, {}).get("sequence", 0) + 1
        state = walk_chain(chain, breaks=breaks, from_sequence=start)
        result.counts[chain] = state.count
        for anchor in JournalAnchor.objects.filter(chain=chain).order_by("purged_through_sequence"):
            if (chain, anchor.purged_through_sequence, anchor.anchor_hash) not in (
                checkpoints.attested_anchors
            ):
                result.problems.append(
                    f"chaîne « {label} » : la purge jusqu'à l'entrée "
                    f"{anchor.purged_through_sequence} n'est attestée par aucun point de "
                    "contrôle (ancre de purge falsifiée ?)"
                )
        if checkpoints.latest is None:
            continue
        attested = checkpoints.latest["heads"].get(chain, {"sequence": 0, "hash": ""})
        sequence, expected_hash = attested["sequence"], attested["hash"]
        if not sequence:
            continue
        found = (
            AccessEvent.objects.filter(chain=chain, sequence=sequence)
            .values_list("hash", flat=True)
            .first()
        )
        when = _moment(checkpoints.latest["at"])
        if found is not None:
            if not hmac.compare_digest(found, expected_hash):
                result.problems.append(
                    f"chaîne « {label} » : l'entrée {sequence} ne correspond plus au point de "
                    f"contrôle du {when}"
                )
            continue
        anchor = latest_anchor(chain)
        covered = anchor is not None and (
            anchor.purged_through_sequence > sequence
            or (anchor.purged_through_sequence == sequence and anchor.anchor_hash == expected_hash)
        )
        if not covered:
            result.problems.append(
                f"chaîne « {label} » : elle s'arrête à l'entrée {state.head_sequence} alors que "
                f"le point de contrôle du {when} attestait l'entrée {sequence} : les dernières "
                "entrées ont été supprimées (ou la table vidée)"
            )
    result.problems[:0] = [b.describe() for b in breaks]
    return result
