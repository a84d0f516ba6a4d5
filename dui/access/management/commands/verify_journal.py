"""Check the access journal (DESIGN §4.3): both keyed hash chains, their purge anchors and the
signed checkpoints kept outside the database. Exit 0 if intact (and write a new checkpoint),
non-zero with a French explanation of each problem otherwise."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dui.access.checkpoints import verify
from dui.access.checkpoints import write as write_checkpoint


class Command(BaseCommand):
    help = (
        "Vérifie l'intégrité du journal des accès : chaînage des empreintes, purges attestées, "
        "points de contrôle signés."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help=(
                "Fichier de points de contrôle à utiliser (celui d'une sauvegarde, après une "
                "restauration) ; par défaut celui de DUI_JOURNAL_CHECKPOINT_DIR."
            ),
        )

    def handle(self, *args, checkpoints=None, **options):
        result = verify(checkpoints)
        if not result.intact:
            for problem in result.problems:
                self.stderr.write(f"Problème : {problem}")
            raise CommandError(
                f"Journal des accès altéré : {len(result.problems)} problème(s). Conservez une "
                "copie de la base et des points de contrôle, et prévenez le DPO."
            )
        total = sum(result.counts.values())
        self.stdout.write(
            f"Journal des accès intègre : {total} entrées vérifiées "
            f"({result.counts.get('reads', 0)} consultations et refus, "
            f"{result.counts.get('writes', 0)} écritures)."
        )
        if result.checkpoint is None:
            self.stdout.write(
                "Attention : aucun point de contrôle trouvé ; la suppression des dernières "
                "entrées ne pourrait pas être détectée. Planifiez « journal_checkpoint »."
            )
        if checkpoints is None:
            write_checkpoint("vérification")
