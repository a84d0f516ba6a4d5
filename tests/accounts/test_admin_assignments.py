"""Assignments open access to persons: when an administrator changes them in the admin,
it is journaled, and they can be ended but not deleted."""

import pytest
from django.contrib.admin.sites import site

from dui.access.models import AccessAction, AccessEvent
from dui.accounts.admin import AssignmentInline
from dui.accounts.models import Assignment, User
from tests.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin.si", is_staff=True, is_superuser=True)


def test_an_assignment_added_in_the_admin_is_journaled(rf, superuser, nurse_a, ehpad_b):
    request = rf.post("/")
    request.user = superuser
    inline = AssignmentInline(User, site)
    formset_class = inline.get_formset(request, nurse_a)
    formset = formset_class(
        {
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "0",
            "assignments-0-establishment": str(ehpad_b.pk),
            "assignments-0-unit": "",
            "assignments-0-role": "staff",
            "assignments-0-start_date": "2026-01-05",
            "assignments-0-end_date": "",
        },
        instance=nurse_a,
        prefix="assignments",
    )
    assert formset.is_valid(), formset.errors

    site._registry[User].save_formset(request, None, formset, change=True)

    assignment = Assignment.objects.get(user=nurse_a, establishment=ehpad_b)
    assert assignment.created_by == superuser
    assert AccessEvent.objects.filter(
        action=AccessAction.CONFIGURE, user=superuser, object_id=str(assignment.public_id)
    ).exists()


def test_an_assignment_cannot_be_deleted_from_the_admin(rf, superuser):
    request = rf.get("/")
    request.user = superuser
    assert not AssignmentInline(User, site).has_delete_permission(request)
