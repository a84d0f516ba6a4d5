"""Rules added after the security review of the foundation."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from dui.access import services
from dui.access.decorators import person_view
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CategoryPermission, InformationCategory
from dui.access.policy import persons_visible_to
from dui.core.idempotency import idempotent
from dui.core.models import IdempotencyKey
from tests.factories import AssignmentFactory, UserFactory, profession
from tests.refusals import assert_refused

REASON = "Chute dans la nuit, infirmière de garde seule"


def test_a_director_cannot_review_their_own_break_glass(ehpad_a, resident_b):
    # A director who is also a nurse manager: her profession reads care, she may break glass.
    director = UserFactory(profession="cadre_sante")
    AssignmentFactory(user=director, establishment=ehpad_a, role="director")
    grant = services.break_glass_open(acting_user=director, person=resident_b, reason=REASON)
    with pytest.raises(AccessDenied, match="On ne revoit pas son propre accès exceptionnel"):
        services.break_glass_review(acting_user=director, grant=grant)
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_psychological_data_cannot_be_opened_to_the_secretary(director_a, ehpad_a):
    with pytest.raises(ValidationError, match="psychologue"):
        services.category_permission_set(
            acting_user=director_a,
            establishment=ehpad_a,
            profession=profession("secretaire"),
            category=InformationCategory.PSYCHOLOGICAL,
            can_read=True,
            can_write=False,
        )
    assert not CategoryPermission.objects.exists()


def test_every_cell_of_the_matrix_can_be_saved_and_is_journaled(director_a, ehpad_a):
    """The journal line of a matrix change fits its columns on PostgreSQL too."""
    row = services.category_permission_set(
        acting_user=director_a,
        establishment=ehpad_a,
        profession=profession("kinesitherapeute"),
        category=InformationCategory.ADMINISTRATIVE,
        can_read=True,
        can_write=True,
    )
    event = AccessEvent.objects.get(action=AccessAction.CONFIGURE)
    assert event.object_id == str(row.pk)


def test_the_system_administrator_sees_no_person(ehpad_a, resident_a):
    admin = UserFactory(profession="administrateur")
    AssignmentFactory(user=admin, establishment=ehpad_a, role="admin")
    assert not persons_visible_to(user=admin).exists()


def test_a_refused_write_keeps_its_journal_line(rf, aide_a, resident_a):
    """@idempotent frees the key of a refused write but keeps the refusal's journal line."""

    @idempotent
    @person_view(category=InformationCategory.MEDICAL)
    def write_medical(request, person_id):
        return HttpResponseRedirect("/")

    request = rf.post("/", {"idempotency_key": str(uuid.uuid4())})
    request.user = aide_a
    request.assignment = None
    request.resolver_match = None
    response = write_medical(request, person_id=resident_a.public_id)

    assert_refused(
        response,
        "Votre profession n'a pas accès à cette partie du dossier.",
        user=aide_a,
        person=resident_a,
    )
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, user=aide_a, person=resident_a
    ).exists()
    assert not IdempotencyKey.objects.exists()
