"""Delete access-journal entries older than the retention period (CNIL: 6 months to 3 years).

Only a prefix of the chain is purged, never a hole: every entry up to the last one that is
older than the cutoff *and* preceded only by older entries. The purge first records a
JournalAnchor (the last purged entry's sequence and hash) — the database triggers refuse any
deletion not covered by an anchor — then deletes, in one transaction; the chain then verifies
from the anchor.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dui.access import journal
from dui.access.models import AccessEvent, JournalAnchor
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
            journal.lock_chain()
            breaks = list(journal.verify_chain())
            if breaks:
                raise CommandError(
                    f"Purge refusée : le journal présente {len(breaks)} rupture(s) de chaînage "
                    f"(première à l'entrée {breaks[0].sequence}). Lancez verify_journal."
                )
            last = self._last_purgeable(cutoff)
            if last is None:
                self.stdout.write(
                    f"Aucune entrée antérieure au {dates.date_of(cutoff):%d/%m/%Y} à purger."
                )
                return
            purged = AccessEvent.objects.filter(sequence__lte=last.sequence)
            count = purged.count()
            if dry_run:
                self.stdout.write(
                    f"Simulation : {count} entrée(s) seraient purgées, jusqu'à l'entrée "
                    f"{last.sequence} du {dates.date_of(last.occurred_at):%d/%m/%Y}."
                )
                return
            JournalAnchor.objects.create(
                purged_through_sequence=last.sequence, anchor_hash=last.hash, purged_count=count
            )
            purged.delete()
        self.stdout.write(
            f"{count} entrée(s) purgée(s), jusqu'à l'entrée {last.sequence} ; "
            "la chaîne reprend à cette ancre."
        )

    @staticmethod
    def _last_purgeable(cutoff):
        """The last entry of the longest prefix of the chain made only of entries older than
        the cutoff (clocks of several app servers may disagree: a late old entry stays)."""
        first_kept = (
            AccessEvent.objects.filter(occurred_at__gte=cutoff)
            .order_by("sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        candidates = AccessEvent.objects.filter(occurred_at__lt=cutoff)
        if first_kept is not None:
            candidates = candidates.filter(sequence__lt=first_kept)
        return candidates.order_by("-sequence").first()
