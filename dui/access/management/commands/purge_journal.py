"""Delete access-journal entries older than the retention period (CNIL: 6 months to 3 years).

Run it as the database role that owns the journal (README « Sécurité »): the application's
role may only insert and read. In each chain only a prefix is purged, never a hole: every entry
up to the last one that is older than the cutoff *and* preceded only by older entries. The
purge first writes a signed checkpoint attesting the anchors (the last purged entry's place and
hash) outside the database — `verify_journal` accepts no anchor that a checkpoint does not
attest — then records the anchors (the database triggers refuse any deletion not covered by
one) and deletes, in one transaction; each chain then verifies from its anchor.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dui.access import checkpoints, journal
from dui.access.models import AccessEvent, JournalAnchor, JournalChain
from dui.core import dates


class Command(BaseCommand):
    help = "Supprime les entrées du journal des accès plus anciennes que la durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche ce qui serait supprimé, sans rien supprimer.",
        )

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - settings.ACCESS_JOURNAL_RETENTION
        with transaction.atomic():
            for chain in JournalChain.values:
                journal.lock_chain(chain)
            breaks = list(journal.verify_chain())
            if breaks:
                raise CommandError(
                    f"Purge refusée : le journal présente {len(breaks)} rupture(s) de chaînage "
                    f"(première : {breaks[0].describe()}). Lancez verify_journal."
                )
            plan = []
            for chain in JournalChain.values:
                last = self._last_purgeable(chain, cutoff)
                if last is not None:
                    purged = AccessEvent.objects.filter(chain=chain, sequence__lte=last.sequence)
                    plan.append((chain, last, purged, purged.count()))
            if not plan:
                self.stdout.write(
                    f"Aucune entrée antérieure au {dates.date_of(cutoff):%d/%m/%Y} à purger."
                )
                return
            total = sum(count for *_rest, count in plan)
            if dry_run:
                for chain, last, _purged, count in plan:
                    self.stdout.write(
                        f"Simulation : {count} entrée(s) seraient purgées dans la chaîne "
                        f"« {JournalChain(chain).label} », jusqu'à l'entrée {last.sequence} du "
                        f"{dates.date_of(last.occurred_at):%d/%m/%Y}."
                    )
                return
            # Attested outside the database first: an anchor no checkpoint attests is refused.
            checkpoints.write(
                "purge",
                anchors=[
                    {"chain": chain, "sequence": last.sequence, "hash": last.hash}
                    for chain, last, _purged, _count in plan
                ],
            )
            for chain, last, purged, count in plan:
                JournalAnchor.objects.create(
                    chain=chain,
                    purged_through_sequence=last.sequence,
                    anchor_hash=last.hash,
                    purged_count=count,
                )
                purged.delete()
        for chain, last, _purged, count in plan:
            self.stdout.write(
                f"Chaîne « {JournalChain(chain).label} » : {count} entrée(s) purgée(s), "
                f"jusqu'à l'entrée {last.sequence} ; la chaîne reprend à cette ancre."
            )
        self.stdout.write(f"{total} entrée(s) purgée(s) en tout.")

    @staticmethod
    def _last_purgeable(chain, cutoff):
        """The last entry of the longest prefix of the chain made only of entries older than
        the cutoff (clocks of several app servers may disagree: a late old entry stays)."""
        entries = AccessEvent.objects.filter(chain=chain)
        first_kept = (
            entries.filter(occurred_at__gte=cutoff)
            .order_by("sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        candidates = entries.filter(occurred_at__lt=cutoff)
        if first_kept is not None:
            candidates = candidates.filter(sequence__lt=first_kept)
        return candidates.order_by("-sequence").first()
