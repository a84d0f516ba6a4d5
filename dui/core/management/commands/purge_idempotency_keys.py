"""Delete idempotency keys past their retention (settings.IDEMPOTENCY_KEY_RETENTION).

A key only has to outlive the retries of one write (minutes on a bad Wi-Fi); its stored
response may hold person data, so it is not kept longer than needed. Run it daily (cron or
the task runner) next to `purge_journal`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from dui.core.models import IdempotencyKey


class Command(BaseCommand):
    help = "Supprime les clés d'idempotence plus anciennes que la durée de conservation."

    def handle(self, *args, **options):
        cutoff = timezone.now() - settings.IDEMPOTENCY_KEY_RETENTION
        deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"{deleted} clé(s) d'idempotence supprimée(s).")
