"""The demo's applications (dui/demo/admissions.py): each says who applied and where to write,
and an applicant to a disability establishment comes with the CDAPH orientation that fits it."""

from dui.access.models import MembershipReason
from dui.admissions.models import AdmissionRequest, AdmissionSettings
from dui.admissions.selectors import orientation_check
from dui.demo import data as demo_data
from dui.demo.admissions import seed_admissions
from dui.demo.seeding import DemoSeeder
from tests.factories import CareTeamMembershipFactory, PersonFactory, profession, start_of_day_ago


def test_demo_applicants_have_an_address_and_the_imes_a_fitting_orientation(db):
    for plan in demo_data.STAFF:
        profession(plan.profession)
    seeder = DemoSeeder()
    establishments = seeder.seed_organisation()
    seeder.seed_staff()
    ime = establishments["ime"].establishment
    ehpad = next(s.establishment for s in establishments.values() if s.plan.category == "ehpad")
    for establishment in (ime, ehpad):
        CareTeamMembershipFactory(
            person=PersonFactory(),
            establishment=establishment,
            unit=None,
            reason=MembershipReason.APPLICATION,
            valid_from=start_of_day_ago(40),
        )
    assert seed_admissions(seeder) == 2
    for application in AdmissionRequest.objects.select_related("establishment", "person"):
        assert application.applicant_has_postal_address
        check = orientation_check(application, application.received_on)
        assert check.fits, check.message
        assert check.required is (application.establishment == ime)
    assert AdmissionSettings.objects.get(establishment=ime).mdph_address
    assert seed_admissions(seeder) == 0  # seeding twice adds nothing
