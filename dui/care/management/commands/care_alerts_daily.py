"""Daily run of the time-based care alert rules (issue 13 item 4): « pas de selles depuis N
jours » for every person whose stay is under way. Run it once a day (cron / task scheduler);
running it twice is harmless (one open alert per person and kind)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from dui.care.observations.alerts import STOOLS_FOLLOWED_DAYS, no_stools_rule
from dui.core import dates
from dui.organisation.models import Establishment
from dui.stays.models import Attendance, AttendanceKind, Stay


def run(*, establishment, on=None) -> int:
    """Apply the rules to the establishment's current stays; the number of open alerts."""
    on = on or dates.today(establishment)
    stays = list(
        Stay.objects.current(on).filter(establishment=establishment).select_related("person")
    )
    person_ids = [s.person_id for s in stays]
    absent: dict[int, set] = {}
    start = on - timedelta(days=STOOLS_FOLLOWED_DAYS)
    for a in (
        Attendance.objects.in_force()
        .filter(kind=AttendanceKind.ABSENT, person_id__in=person_ids)
        .covering(start, on)
    ):
        day = max(a.starts_on, start)
        while day <= min(a.ends_on, on):
            absent.setdefault(a.person_id, set()).add(day)
            day += timedelta(days=1)
    raised = 0
    for stay in stays:
        if no_stools_rule(
            person=stay.person,
            establishment=establishment,
            on=on,
            absent_days=absent.get(stay.person_id, set()),
        ):
            raised += 1
    return raised


class Command(BaseCommand):
    help = "Alertes de soins calculées chaque jour (pas de selles depuis N jours)."

    def handle(self, *args, **options):
        for establishment in Establishment.objects.all():
            count = run(establishment=establishment)
            self.stdout.write(f"{establishment}: {count} alerte(s) « pas de selles » ouverte(s)")
