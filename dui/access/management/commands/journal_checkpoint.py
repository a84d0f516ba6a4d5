"""Write a signed checkpoint of the access journal's chains (every 5 minutes: systemd timer or
cron; see README « Sécurité »). The entries since the previous checkpoint are verified first:
a checkpoint never attests a chain already broken."""

from django.core.management.base import BaseCommand, CommandError

from dui.access import checkpoints


class Command(BaseCommand):
    help = "Écrit un point de contrôle signé du journal des accès (hors de la base)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reason", default="périodique", help="Motif inscrit (ex. sauvegarde)."
        )
        parser.add_argument(
            "--mail",
            action="store_true",
            help="Envoie aussi le point de contrôle aux adresses DUI_JOURNAL_CHECKPOINT_MAIL.",
        )

    def handle(self, *args, reason="périodique", mail=False, **options):
        result = checkpoints.verify(since_checkpoint=True)
        if not result.intact:
            for problem in result.problems:
                self.stderr.write(f"Problème : {problem}")
            raise CommandError(
                "Point de contrôle refusé : le journal des accès est altéré. Lancez "
                "verify_journal et prévenez le DPO."
            )
        written = checkpoints.write(reason, mail=mail)
        heads = ", ".join(
            f"{chain} n°{head['sequence']}" for chain, head in sorted(written["heads"].items())
        )
        self.stdout.write(f"Point de contrôle écrit ({heads}).")
