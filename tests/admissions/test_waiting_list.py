"""The waiting list: urgent first, then the manual rank, then the date of reception; the
direction and the management set a manual rank with a reason, a secretary cannot."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dui.access.models import AccessAction, AccessEvent
from dui.accounts.models import AssignmentRole
from dui.admissions import selectors, services
from dui.admissions.models import AdmissionEvent, AdmissionStatus
from dui.admissions.waiting_list import waiting_list_rank_set
from tests.factories import PersonFactory, professional

S = AdmissionStatus
TODAY = timezone.localdate()
TO_WAITING_LIST = (S.EVALUATION, S.VISIT_PLANNED, S.VISIT_DONE, S.ACCEPTED, S.WAITING_LIST)


def waiting(user, establishment, name, *, days_ago, urgent=False):
    request = services.admission_request_create(
        acting_user=user,
        establishment=establishment,
        person=PersonFactory(birth_name=name),
        source="direct",
        place_kind="permanent",
        received_on=TODAY - timedelta(days=days_ago),
        urgent=urgent,
    )
    for status in TO_WAITING_LIST:
        request = services.admission_request_transition(
            acting_user=user, request=request, to_status=status, note="motif"
        )
    return request


@pytest.fixture
def queue(secretary_a, ehpad_a):
    return {
        "old": waiting(secretary_a, ehpad_a, "ANCIENNE", days_ago=60),
        "recent": waiting(secretary_a, ehpad_a, "RECENTE", days_ago=5),
        "urgent": waiting(secretary_a, ehpad_a, "URGENTE", days_ago=1, urgent=True),
        "middle": waiting(secretary_a, ehpad_a, "MILIEU", days_ago=20),
    }


def names(user, establishment):
    return [
        r.person.birth_name for r in selectors.waiting_list(user=user, establishment=establishment)
    ]


def test_the_waiting_list_puts_urgent_first_then_the_oldest(queue, secretary_a, ehpad_a):
    assert names(secretary_a, ehpad_a) == ["URGENTE", "ANCIENNE", "MILIEU", "RECENTE"]


def test_a_manual_rank_comes_before_the_date_but_after_urgency(
    queue, secretary_a, director_a, ehpad_a
):
    waiting_list_rank_set(
        acting_user=director_a,
        request=queue["recent"],
        rank=1,
        reason="Aidant hospitalisé, retour à domicile impossible",
    )
    assert names(secretary_a, ehpad_a) == ["URGENTE", "RECENTE", "ANCIENNE", "MILIEU"]
    event = AdmissionEvent.objects.filter(request=queue["recent"]).latest("pk")
    assert "Aidant hospitalisé" in event.note and event.by == director_a
    assert event.from_status == event.to_status == S.WAITING_LIST
    queue["recent"].refresh_from_db()
    assert queue["recent"].waiting_rank == 1
    assert AccessEvent.objects.filter(
        user=director_a, action=AccessAction.UPDATE, person=queue["recent"].person
    ).exists()
    # Removing the rank puts it back in date order.
    waiting_list_rank_set(
        acting_user=director_a, request=queue["recent"], rank=None, reason="Situation réglée"
    )
    assert names(secretary_a, ehpad_a) == ["URGENTE", "ANCIENNE", "MILIEU", "RECENTE"]


def test_a_manager_may_rank_too(queue, ehpad_a):
    manager = professional(
        username="cadre.a", profession="ide", establishment=ehpad_a, role=AssignmentRole.MANAGER
    )
    waiting_list_rank_set(acting_user=manager, request=queue["middle"], rank=2, reason="Besoin")


def test_a_secretary_cannot_rank_the_waiting_list(queue, secretary_a):
    with pytest.raises(PermissionDenied):
        waiting_list_rank_set(acting_user=secretary_a, request=queue["old"], rank=1, reason="x")
    queue["old"].refresh_from_db()
    assert queue["old"].waiting_rank is None


def test_a_director_of_another_establishment_cannot_rank(queue, director_b):
    with pytest.raises(PermissionDenied):
        waiting_list_rank_set(acting_user=director_b, request=queue["old"], rank=1, reason="x")


def test_a_rank_needs_a_reason_and_an_application_on_the_waiting_list(
    queue, director_a, secretary_a, ehpad_a
):
    with pytest.raises(ValidationError):
        waiting_list_rank_set(acting_user=director_a, request=queue["old"], rank=1, reason=" ")
    received = services.admission_request_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        person=PersonFactory(),
        source="direct",
        place_kind="permanent",
        received_on=TODAY,
    )
    with pytest.raises(ValidationError):
        waiting_list_rank_set(acting_user=director_a, request=received, rank=1, reason="x")


def test_the_waiting_list_page_lets_the_director_rank_with_a_reason(
    logged_in_client, queue, director_a
):
    client = logged_in_client(director_a)
    page = client.get(reverse("admissions:waiting_list"))
    body = page.content.decode()
    assert body.index("URGENTE") < body.index("ANCIENNE") < body.index("RECENTE")
    assert "Changer le rang" in body
    url = reverse("admissions:waiting_rank", args=[queue["recent"].public_id])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"rank": "1", "reason": "", "idempotency_key": str(uuid.uuid4())})
    assert refused.status_code == 400
    done = client.post(
        url, {"rank": "1", "reason": "Urgence sociale", "idempotency_key": str(uuid.uuid4())}
    )
    assert done.status_code == 302
    queue["recent"].refresh_from_db()
    assert queue["recent"].waiting_rank == 1


def test_the_waiting_list_page_offers_no_ranking_to_a_secretary(
    logged_in_client, queue, secretary_a
):
    client = logged_in_client(secretary_a)
    assert "Changer le rang" not in client.get(reverse("admissions:waiting_list")).content.decode()
    url = reverse("admissions:waiting_rank", args=[queue["old"].public_id])
    response = client.post(url, {"rank": "1", "reason": "x", "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 403
    queue["old"].refresh_from_db()
    assert queue["old"].waiting_rank is None


def test_the_establishment_orders_its_waiting_list_by_its_own_rules(db):
    """Geographic origin first, then dependency (last validated GIR), as the direction set."""
    from datetime import date

    from django.utils import timezone

    from dui.admissions import waiting_list as wl
    from dui.admissions.models import AdmissionRequest, AdmissionStatus
    from dui.admissions.selectors import waiting_list
    from dui.assessments.models import Assessment
    from dui.people.models import AdministrativeFile
    from tests.factories import (
        AssignmentFactory,
        EstablishmentFactory,
        PersonFactory,
        UserFactory,
        profession,
    )

    ehpad = EstablishmentFactory()
    director = UserFactory(profession=profession("directeur"))
    AssignmentFactory(user=director, establishment=ehpad, unit=None, role="director")
    from dui.access.models import CareTeamMembership

    def waiting(name, postcode, gir, received):
        person = PersonFactory(birth_name=name)
        CareTeamMembership.objects.create(
            person=person, establishment=ehpad, reason="application", valid_from=timezone.now()
        )
        AdministrativeFile.objects.create(person=person, previous_postcode=postcode)
        if gir:
            Assessment.objects.create(
                person=person,
                establishment=ehpad,
                instrument_code="aggir",
                instrument_version="2008",
                category="care",
                assessed_on=date(2026, 1, 5),
                assessed_by=director,
                status="validated",
                validated_by=director,
                validated_at=timezone.now(),
                score=gir,
                result_label=f"GIR {gir}",
            )
        return AdmissionRequest.objects.create(
            establishment=ehpad,
            person=person,
            source="direct",
            place_kind="permanent",
            received_on=received,
            status=AdmissionStatus.WAITING_LIST,
        )

    far_old = waiting("LOIN", "75011", 2, date(2026, 1, 1))
    local_gir4 = waiting("LOCAL4", "69003", 4, date(2026, 2, 1))
    local_gir2 = waiting("LOCAL2", "69100", 2, date(2026, 3, 1))

    default = [r.pk for r in waiting_list(user=director, establishment=ehpad)]
    assert default == [far_old.pk, local_gir4.pk, local_gir2.pk]  # date only by default

    wl.waiting_list_policy_set(
        acting_user=director,
        establishment=ehpad,
        criteria=["local", "dependency", "date"],
        local_postcodes="69",
    )
    ordered = [r.pk for r in waiting_list(user=director, establishment=ehpad)]
    assert ordered == [local_gir2.pk, local_gir4.pk, far_old.pk]


def test_only_the_direction_sets_the_rules(secretary_a, ehpad_a):
    import pytest
    from django.core.exceptions import PermissionDenied

    from dui.admissions import waiting_list as wl

    with pytest.raises(PermissionDenied):
        wl.waiting_list_policy_set(
            acting_user=secretary_a, establishment=ehpad_a, criteria=["date"]
        )
