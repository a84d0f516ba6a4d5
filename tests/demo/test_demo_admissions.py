"""Demo applications: every person followed under an application has one, once."""

from django.core.management import call_command

from dui.access.models import CareTeamMembership, MembershipReason
from dui.admissions.models import AdmissionRequest, Inquiry


def test_each_application_membership_gets_one_request_and_seeding_twice_adds_none(db):
    call_command("seed_demo", persons=40, verbosity=0)
    applicants = set(
        CareTeamMembership.objects.filter(
            reason=MembershipReason.APPLICATION, valid_to__isnull=True
        ).values_list("person_id", flat=True)
    )
    requests = AdmissionRequest.objects.count()
    assert (
        applicants
        and set(AdmissionRequest.objects.values_list("person_id", flat=True)) == applicants
    )
    assert Inquiry.objects.filter(status="open").exists()
    call_command("seed_demo", persons=40, verbosity=0)
    assert AdmissionRequest.objects.count() == requests
