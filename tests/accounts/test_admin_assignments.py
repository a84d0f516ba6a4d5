"""Assignments open access to persons: when an administrator changes them in the admin, the
accounts services do it (same rights, same version check, same journal line), and they can be
ended but not deleted."""

import html

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.accounts.admin import AssignmentInline
from dui.accounts.models import Assignment, User
from tests.factories import UserFactory, days_ago, professional
from tests.refusals import assert_refused


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin.si", is_staff=True, is_superuser=True)


def configure_lines(user, obj) -> int:
    return AccessEvent.objects.filter(
        action=AccessAction.CONFIGURE, user=user, object_id=str(obj.public_id)
    ).count()


def inline_formset(request, user, data):
    formset_class = AssignmentInline(User, site).get_formset(request, user)
    return formset_class(data, instance=user, prefix="assignments")


def test_an_assignment_added_in_the_admin_is_journaled(rf, superuser, nurse_a, ehpad_b):
    request = rf.post("/")
    request.user = superuser
    formset = inline_formset(
        request,
        nurse_a,
        {
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "0",
            "assignments-0-establishment": str(ehpad_b.pk),
            "assignments-0-unit": "",
            "assignments-0-role": "staff",
            "assignments-0-start_date": "2026-01-05",
            "assignments-0-end_date": "",
        },
    )
    assert formset.is_valid(), formset.errors

    site._registry[User].save_formset(request, None, formset, change=True)

    assignment = Assignment.objects.get(user=nurse_a, establishment=ehpad_b)
    assert assignment.created_by == superuser
    assert configure_lines(superuser, assignment) == 1


def user_page_data(user, assignment, **changes) -> dict:
    """The admin's change form of a user with one assignment row, as the browser sends it."""
    row = {
        "establishment": str(assignment.establishment_id),
        "unit": str(assignment.unit_id or ""),
        "role": assignment.role,
        "start_date": assignment.start_date.isoformat(),
        "end_date": assignment.end_date.isoformat() if assignment.end_date else "",
        "row_version": str(assignment.version),
        "id": str(assignment.pk),
        "user": str(user.pk),
        **changes,
    }
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "profession": str(user.profession_id),
        "rpps": "",
        "adeli": "",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "1",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        **{f"assignments-0-{name}": value for name, value in row.items()},
    }


def test_ending_an_assignment_in_the_admin_goes_through_the_service_and_is_journaled(
    logged_in_client, superuser, nurse_a
):
    assignment = nurse_a.assignments.get()
    url = reverse("admin:accounts_user_change", args=[nurse_a.pk])

    response = logged_in_client(superuser).post(
        url, user_page_data(nurse_a, assignment, end_date=days_ago(1).isoformat())
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assignment.refresh_from_db()
    assert assignment.end_date == days_ago(1)
    assert assignment.version == 2 and assignment.updated_by == superuser
    assert configure_lines(superuser, assignment) == 1
    assert configure_lines(superuser, nurse_a) == 1  # the user row itself


def test_an_assignment_row_read_before_another_change_is_refused_in_the_admin(
    logged_in_client, superuser, nurse_a
):
    assignment = nurse_a.assignments.get()
    data = user_page_data(nurse_a, assignment, end_date=days_ago(1).isoformat())
    Assignment.objects.filter(pk=assignment.pk).update(version=2)

    response = logged_in_client(superuser).post(
        reverse("admin:accounts_user_change", args=[nurse_a.pk]), data
    )

    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in html.unescape(response.content.decode())
    assignment.refresh_from_db()
    assert assignment.end_date is None


def test_staff_who_do_not_direct_the_establishment_are_refused_an_assignment(
    logged_in_client, nurse_a, ehpad_a
):
    # Working in the establishment (without an assignment, no session stays open), not
    # directing it.
    staff = professional(username="si.adjoint", profession="secretaire", establishment=ehpad_a)
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["change_user", "view_user", "change_assignment", "view_assignment"]
        )
    )
    assignment = nurse_a.assignments.get()

    response = logged_in_client(staff).post(
        reverse("admin:accounts_user_change", args=[nurse_a.pk]),
        user_page_data(nurse_a, assignment, end_date=days_ago(1).isoformat()),
    )

    assert_refused(
        response,
        "Seuls la direction et l'administration affectent des professionnels.",
        user=staff,
    )
    assignment.refresh_from_db()
    assert assignment.end_date is None and assignment.version == 1


def test_an_assignment_cannot_be_deleted_from_the_admin(rf, superuser):
    request = rf.get("/")
    request.user = superuser
    assert not AssignmentInline(User, site).has_delete_permission(request)
