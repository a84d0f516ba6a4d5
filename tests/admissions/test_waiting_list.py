"""The waiting list: urgent first, then the manual rank, then the date of reception; the
direction and the management set a manual rank with a reason, a secretary cannot."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership
from dui.accounts.models import AssignmentRole
from dui.admissions.models import AdmissionEvent, AdmissionRequest, WaitingListPolicy
from dui.admissions.selectors import waiting_list
from dui.admissions.services.waiting_list import waiting_list_policy_set, waiting_list_rank_set
from dui.assessments.models import Assessment
from dui.core import dates
from dui.people.models import AdministrativeFile
from tests.admissions.helpers import TO_WAITING_LIST, S, key, new_application
from tests.factories import (
    AssignmentFactory,
    EstablishmentFactory,
    PersonFactory,
    UserFactory,
    profession,
    professional,
)
from tests.refusals import assert_refused, assert_service_refused

RANK_REFUSED = (
    "Seules la direction et l'encadrement peuvent modifier le rang sur la liste d'attente."
)
RULES_REFUSED = "Seules la direction et l'encadrement fixent les règles de la liste d'attente."


def waiting(user, establishment, name, *, days_ago, urgent=False):
    return new_application(
        user,
        establishment,
        person=PersonFactory(birth_name=name),
        received_on=dates.today() - timedelta(days=days_ago),
        urgent=urgent,
        statuses=TO_WAITING_LIST,
    )


def rank(user, application, value, reason):
    application.refresh_from_db()
    return waiting_list_rank_set(
        acting_user=user,
        application=application,
        rank=value,
        reason=reason,
        expected_version=application.version,
    )


@pytest.fixture
def queue(secretary_a, ehpad_a):
    return {
        "old": waiting(secretary_a, ehpad_a, "ANCIENNE", days_ago=60),
        "recent": waiting(secretary_a, ehpad_a, "RECENTE", days_ago=5),
        "urgent": waiting(secretary_a, ehpad_a, "URGENTE", days_ago=1, urgent=True),
        "middle": waiting(secretary_a, ehpad_a, "MILIEU", days_ago=20),
    }


def names(user, establishment):
    return [a.person.birth_name for a in waiting_list(user=user, establishment=establishment)]


def test_the_waiting_list_puts_urgent_first_then_the_oldest(queue, secretary_a, ehpad_a):
    assert names(secretary_a, ehpad_a) == ["URGENTE", "ANCIENNE", "MILIEU", "RECENTE"]


def test_a_manual_rank_comes_before_the_date_but_after_urgency(
    queue, secretary_a, director_a, ehpad_a
):
    rank(director_a, queue["recent"], 1, "Aidant hospitalisé, retour à domicile impossible")
    assert names(secretary_a, ehpad_a) == ["URGENTE", "RECENTE", "ANCIENNE", "MILIEU"]
    event = AdmissionEvent.objects.filter(application=queue["recent"]).latest("pk")
    assert "Aidant hospitalisé" in event.note and event.by == director_a
    assert event.from_status == event.to_status == S.WAITING_LIST
    queue["recent"].refresh_from_db()
    assert queue["recent"].waiting_rank == 1
    assert AccessEvent.objects.filter(
        user=director_a, action=AccessAction.UPDATE, person=queue["recent"].person
    ).exists()
    # Removing the rank puts it back in date order.
    rank(director_a, queue["recent"], None, "Situation réglée")
    assert names(secretary_a, ehpad_a) == ["URGENTE", "ANCIENNE", "MILIEU", "RECENTE"]


def test_a_manager_may_rank_too(queue, secretary_a, ehpad_a):
    manager = professional(
        username="cadre.a", profession="ide", establishment=ehpad_a, role=AssignmentRole.MANAGER
    )
    ranked = rank(manager, queue["middle"], 1, "Besoin")
    assert ranked.waiting_rank == 1
    assert names(secretary_a, ehpad_a) == ["URGENTE", "MILIEU", "ANCIENNE", "RECENTE"]


def test_a_secretary_cannot_rank_the_waiting_list(queue, secretary_a):
    with pytest.raises(AccessDenied) as refused:
        rank(secretary_a, queue["old"], 1, "x")
    assert_service_refused(refused, RANK_REFUSED)
    assert refused.value.person == queue["old"].person
    queue["old"].refresh_from_db()
    assert queue["old"].waiting_rank is None


def test_a_director_of_another_establishment_cannot_rank(queue, director_b):
    with pytest.raises(AccessDenied) as refused:
        rank(director_b, queue["old"], 1, "x")
    assert_service_refused(refused, RANK_REFUSED)
    queue["old"].refresh_from_db()
    assert queue["old"].waiting_rank is None


def test_a_rank_needs_a_reason_an_application_on_the_waiting_list_and_a_fresh_form(
    queue, director_a, secretary_a, ehpad_a
):
    with pytest.raises(ValidationError):
        rank(director_a, queue["old"], 1, " ")
    received = new_application(secretary_a, ehpad_a, person=PersonFactory())
    with pytest.raises(ValidationError, match="pas sur la liste d'attente"):
        rank(director_a, received, 1, "x")
    with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
        waiting_list_rank_set(
            acting_user=director_a,
            application=queue["old"],
            rank=1,
            reason="x",
            expected_version=queue["old"].version - 1,
        )
    queue["old"].refresh_from_db()
    assert queue["old"].waiting_rank is None


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
    version = queue["recent"].version
    refused = client.post(
        url, {"rank": "1", "reason": "", "version": version, "idempotency_key": key()}
    )
    assert refused.status_code == 400
    done = client.post(
        url,
        {"rank": "1", "reason": "Urgence sociale", "version": version, "idempotency_key": key()},
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
    response = client.post(
        url,
        {"rank": "1", "reason": "x", "version": queue["old"].version, "idempotency_key": key()},
    )
    assert_refused(response, RANK_REFUSED, user=secretary_a, person=queue["old"].person)
    queue["old"].refresh_from_db()
    assert queue["old"].waiting_rank is None


def test_the_establishment_orders_its_waiting_list_by_its_own_rules(db):
    """Geographic origin first, then dependency (last validated GIR), as the direction set."""
    ehpad = EstablishmentFactory()
    director = UserFactory(profession=profession("directeur"))
    AssignmentFactory(user=director, establishment=ehpad, unit=None, role="director")

    def on_the_list(name, postcode, gir, received):
        person = PersonFactory(birth_name=name)
        CareTeamMembership.objects.create(
            person=person, establishment=ehpad, reason="application", valid_from=dates.now()
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
                validated_at=dates.now(),
                score=gir,
                result_label=f"GIR {gir}",
            )
        return AdmissionRequest.objects.create(
            establishment=ehpad,
            person=person,
            source="direct",
            place_kind="permanent",
            received_on=received,
            status=S.WAITING_LIST,
        )

    far_old = on_the_list("LOIN", "75011", 2, date(2026, 1, 1))
    local_gir4 = on_the_list("LOCAL4", "69003", 4, date(2026, 2, 1))
    local_gir2 = on_the_list("LOCAL2", "69100", 2, date(2026, 3, 1))

    default = [a.pk for a in waiting_list(user=director, establishment=ehpad)]
    assert default == [far_old.pk, local_gir4.pk, local_gir2.pk]  # date only by default

    policy = waiting_list_policy_set(
        acting_user=director,
        establishment=ehpad,
        criteria=["local", "dependency", "date"],
        local_postcodes="69",
        expected_version=0,
    )
    ordered = [a.pk for a in waiting_list(user=director, establishment=ehpad)]
    assert ordered == [local_gir2.pk, local_gir4.pk, far_old.pk]
    assert policy.version == 1
    with pytest.raises(ValidationError, match="modifiées par quelqu'un d'autre"):
        waiting_list_policy_set(
            acting_user=director, establishment=ehpad, criteria=["date"], expected_version=0
        )
    assert WaitingListPolicy.objects.get().criteria == ["local", "dependency", "date"]


def test_only_the_direction_sets_the_rules(secretary_a, ehpad_a, logged_in_client):
    with pytest.raises(AccessDenied) as refused:
        waiting_list_policy_set(
            acting_user=secretary_a, establishment=ehpad_a, criteria=["date"], expected_version=0
        )
    assert_service_refused(refused, RULES_REFUSED)
    assert_refused(
        logged_in_client(secretary_a).get(reverse("admissions:waiting_list_policy")),
        RULES_REFUSED,
        user=secretary_a,
    )
    assert not WaitingListPolicy.objects.exists()


def test_the_director_sets_the_rules_through_the_page(director_a, ehpad_a, logged_in_client):
    client = logged_in_client(director_a)
    url = reverse("admissions:waiting_list_policy")
    assert 'name="version" value="0"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "criterion_1": "urgent",
            "criterion_2": "date",
            "version": "0",
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    assert WaitingListPolicy.objects.get(establishment=ehpad_a).criteria == ["urgent", "date"]
    assert AccessEvent.objects.filter(user=director_a, action=AccessAction.CONFIGURE).exists()
