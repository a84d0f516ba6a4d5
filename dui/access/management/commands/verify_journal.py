"""Check the access journal's hash chain (DESIGN §4.3): exit 0 if intact, 1 at the first break."""

from django.core.management.base import BaseCommand, CommandError

from dui.access.journal import verify_chain
from dui.access.models import AccessEvent, JournalAnchor


class Command(BaseCommand):
    help = "Vérifie l'intégrité du journal des accès (chaînage des empreintes)."

    def handle(self, *args, **options):
        anchor = JournalAnchor.objects.order_by("-purged_through_sequence").first()
        first = anchor.purged_through_sequence + 1 if anchor else 1
        breaks = 0
        for chain_break in verify_chain():
            breaks += 1
            self.stderr.write(f"Rupture à l'entrée {chain_break.sequence} : {chain_break.problem}")
        if breaks:
            raise CommandError(
                f"Journal des accès altéré : {breaks} rupture(s) de chaînage. "
                "Conservez une copie de la base et prévenez le DPO."
            )
        count = AccessEvent.objects.filter(sequence__gte=first).count()
        self.stdout.write(f"Journal des accès intègre : {count} entrées vérifiées.")
