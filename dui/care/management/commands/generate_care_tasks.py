"""Plan the care tasks of the next 48 hours from the care plans (run daily, e.g. by cron or a
scheduled task; idempotent: running it again creates nothing new)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from dui.care.plan.services import GENERATION_HOURS, care_tasks_generate
from dui.core import dates
from dui.organisation.models import Establishment


class Command(BaseCommand):
    help = "Crée les soins à faire des prochaines 48 heures à partir des plans de soins."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=GENERATION_HOURS)

    def handle(self, *args, hours, **options):
        until = dates.now() + timedelta(hours=hours)
        total = 0
        for establishment in Establishment.objects.order_by("pk"):
            total += care_tasks_generate(establishment=establishment, until=until)
        self.stdout.write(f"{total} soin(s) planifié(s) jusqu'au {until:%d/%m/%Y %H:%M} UTC.")
