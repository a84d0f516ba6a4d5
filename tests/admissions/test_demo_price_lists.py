"""Demo price lists: every establishment has one in force today (an EHPAD also the one before
it), so that the demo secretary's contract page offers price lines; seeding twice adds none."""

from django.core.management import call_command

from dui.admissions.models import PriceList
from dui.admissions.selectors import price_lines_in_force
from dui.core import dates
from dui.organisation.models import Establishment


def test_each_establishment_has_a_price_list_in_force_and_seeding_twice_adds_none(db):
    call_command("seed_demo", persons=20, verbosity=0)
    today = dates.today()
    for establishment in Establishment.objects.all():
        assert price_lines_in_force(establishment, today).exists(), establishment
    ehpad = Establishment.objects.filter(category="ehpad").first()
    assert PriceList.objects.filter(establishment=ehpad).count() == 2
    count = PriceList.objects.count()
    call_command("seed_demo", persons=20, verbosity=0)
    assert PriceList.objects.count() == count
