"""Step 3: an accepted application becomes a stay on a free place (stays.services.stay_admit)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dui.access.models import CareTeamMembership, MembershipReason
from dui.access.policy import person_access, persons_visible_to
from dui.admissions.models import AdmissionStatus as S
from dui.organisation.models import PlaceKind
from dui.stays.models import Stay
from dui.stays.services import stay_admit
from tests.factories import PlaceFactory
from tests.stays.factories import StayFactory
from tests.stays.helpers import ACCEPTED, RECEIVED_ON, TODAY, application_for


def messages_of(error) -> str:
    return " ".join(error.value.messages)


def admit(user, request, place, started_on=TODAY, **extra):
    return stay_admit(
        acting_user=user,
        request=request,
        unit=place.unit,
        place=place,
        started_on=started_on,
        **extra,
    )


def test_admitting_an_accepted_application_creates_the_stay_and_moves_it_to_admitted(
    accepted, secretary_a, room_101, nurse_a
):
    stay = admit(secretary_a, accepted, room_101, referent=nurse_a)
    accepted.refresh_from_db()
    assert accepted.status == S.ADMITTED
    assert stay.person == accepted.person and stay.place == room_101
    assert stay.kind == PlaceKind.PERMANENT and stay.referent == nurse_a
    assert stay.admission_request == accepted and stay.ended_on is None
    membership = CareTeamMembership.objects.get(person=stay.person, reason=MembershipReason.STAY)
    assert membership.unit == room_101.unit
    assert membership.source == f"stays.Stay:{stay.public_id}"
    # The application membership stays as it is (establishment level).
    assert CareTeamMembership.objects.filter(
        person=stay.person, reason=MembershipReason.APPLICATION, valid_to__isnull=True
    ).exists()


def test_the_nurse_of_the_unit_sees_the_admitted_person_afterwards(
    accepted, secretary_a, room_101, nurse_a
):
    assert not persons_visible_to(user=nurse_a).filter(pk=accepted.person.pk).exists()
    admit(secretary_a, accepted, room_101)
    nurse_a.__dict__.pop("_dui_active_assignments", None)
    assert persons_visible_to(user=nurse_a).filter(pk=accepted.person.pk).exists()
    assert person_access(user=nurse_a, person=accepted.person).visible


def test_a_person_on_the_waiting_list_may_be_admitted(secretary_a, ehpad_a, room_101):
    request = application_for(secretary_a, ehpad_a, statuses=(*ACCEPTED, S.WAITING_LIST))
    assert admit(secretary_a, request, room_101).pk


def test_an_admission_from_a_received_application_is_refused(secretary_a, ehpad_a, room_101):
    request = application_for(secretary_a, ehpad_a)
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, request, room_101)
    assert "« Reçue »" in messages_of(error)
    assert not Stay.objects.exists()


def test_an_admission_date_before_the_application_is_refused(accepted, secretary_a, room_101):
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101, started_on=RECEIVED_ON - timedelta(days=1))
    assert "La date d'admission ne peut précéder la réception de la demande." in messages_of(error)
    assert not Stay.objects.exists()


def test_an_admission_on_the_day_the_application_was_received_is_accepted(
    accepted, secretary_a, room_101
):
    assert admit(secretary_a, accepted, room_101, started_on=RECEIVED_ON).started_on == RECEIVED_ON


def test_a_unit_of_another_establishment_is_refused(accepted, secretary_a, unit_b):
    place_b = PlaceFactory(unit=unit_b, label="201")
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, place_b)
    assert "n'appartient pas à l'établissement" in messages_of(error)
    assert not Stay.objects.exists()


def test_a_place_of_another_unit_is_refused(accepted, secretary_a, unit_a, unit_a2):
    other = PlaceFactory(unit=unit_a2, label="301")
    with pytest.raises(ValidationError) as error:
        stay_admit(
            acting_user=secretary_a, request=accepted, unit=unit_a, place=other, started_on=TODAY
        )
    assert "n'appartient pas à l'unité" in messages_of(error)


def test_a_place_out_of_service_or_of_another_kind_is_refused(accepted, secretary_a, unit_a):
    closed = PlaceFactory(unit=unit_a, label="401", is_active=False)
    day_care = PlaceFactory(unit=unit_a, label="AJ1", kind=PlaceKind.DAY_CARE)
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, closed)
    assert "pas en service" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, day_care)
    assert "Accueil de jour" in messages_of(error)


def test_an_admission_on_an_occupied_place_is_refused(accepted, secretary_a, room_101):
    StayFactory(place=room_101, started_on=TODAY - timedelta(days=100))
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101)
    assert "La place 101 est occupée du" in messages_of(error)
    assert "par une autre personne" in messages_of(error)
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED
    assert Stay.objects.filter(person=accepted.person).count() == 0


def test_a_stay_ending_the_day_before_leaves_the_place_free(accepted, secretary_a, room_101):
    StayFactory(
        place=room_101, started_on=TODAY - timedelta(days=100), ended_on=TODAY - timedelta(days=1)
    )
    assert admit(secretary_a, accepted, room_101).pk


def test_a_stay_ending_the_same_day_leaves_the_place_free_that_day(accepted, secretary_a, room_101):
    """The exit day is free: the next person enters the day the other one leaves."""
    StayFactory(place=room_101, started_on=TODAY - timedelta(days=100), ended_on=TODAY)
    assert admit(secretary_a, accepted, room_101).pk


def test_a_stay_ending_the_day_after_still_occupies_the_place(accepted, secretary_a, room_101):
    StayFactory(
        place=room_101, started_on=TODAY - timedelta(days=100), ended_on=TODAY + timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101)
    assert "au " + f"{TODAY + timedelta(days=1):%d/%m/%Y}" in messages_of(error)


def test_a_planned_future_stay_blocks_an_open_ended_admission(accepted, secretary_a, room_101):
    StayFactory(place=room_101, started_on=TODAY + timedelta(days=20))
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101)
    assert "occupée" in messages_of(error)


def test_a_temporary_stay_fits_before_a_planned_one(secretary_a, ehpad_a, unit_a):
    place = PlaceFactory(unit=unit_a, label="T1", kind=PlaceKind.TEMPORARY)
    StayFactory(place=place, kind=PlaceKind.TEMPORARY, started_on=TODAY + timedelta(days=20))
    request = application_for(
        secretary_a,
        ehpad_a,
        statuses=ACCEPTED,
        place_kind=PlaceKind.TEMPORARY,
        wished_start=TODAY,
        wished_end=TODAY + timedelta(days=20),
    )
    stay = admit(secretary_a, request, place)
    assert stay.ended_on == TODAY + timedelta(days=20)


def test_a_referent_from_another_establishment_is_refused(accepted, secretary_a, room_101, nurse_b):
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101, referent=nurse_b)
    assert "référent" in messages_of(error)


def test_a_profession_that_cannot_write_administrative_data_cannot_admit(
    accepted, aide_a, room_101
):
    with pytest.raises(PermissionDenied):
        admit(aide_a, accepted, room_101)


# --- The admission page -----------------------------------------------------------------------


def test_the_admission_page_lists_places_with_their_occupancy(
    accepted,
    secretary_a,
    room_101,
    room_102,
    resident_a,
    logged_in_client,
    django_assert_max_num_queries,
):
    StayFactory(place=room_101, person=resident_a, started_on=TODAY - timedelta(days=100))
    stranger = StayFactory(place=room_102, started_on=TODAY - timedelta(days=3)).person
    PlaceFactory(unit=room_101.unit, label="103")
    client = logged_in_client(secretary_a)
    url = reverse("stays:admit", args=[accepted.public_id])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    choices = {c["row"].place.label: c["selectable"] for c in response.context["choices"]}
    assert choices == {"101": False, "102": False, "103": True}
    body = response.content.decode()
    # Names only for the persons the secretary may see; the others' place says « occupée ».
    assert resident_a.display_name in body
    assert stranger.display_name not in body and "occupée" in body


def test_the_admission_page_runs_as_many_queries_for_5_or_40_places(
    accepted, secretary_a, unit_a, logged_in_client, django_assert_max_num_queries
):
    client = logged_in_client(secretary_a)
    url = reverse("stays:admit", args=[accepted.public_id])
    counts = []
    for total in (5, 40):
        for n in range(total - unit_a.places.count()):
            StayFactory(place=PlaceFactory(unit=unit_a, label=f"{total}-{n}"))
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_admission_page_admits_and_redirects_to_the_welcome_checklist(
    accepted, secretary_a, room_101, nurse_a, logged_in_client
):
    client = logged_in_client(secretary_a)
    url = reverse("stays:admit", args=[accepted.public_id])
    response = client.post(
        url,
        {
            "unit": room_101.unit.pk,
            "started_on": TODAY.isoformat(),
            "place": room_101.pk,
            "referent": nurse_a.pk,
            "idempotency_key": "6b0f5e3c-4d7a-4f4e-9a52-0c2f2b1d9e01",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("stays:welcome", args=[accepted.person.public_id])
    assert Stay.objects.get(person=accepted.person).place == room_101


def test_the_admission_page_shows_the_refusal_next_to_the_place(
    accepted, secretary_a, room_101, logged_in_client
):
    StayFactory(place=room_101, started_on=TODAY - timedelta(days=5))
    client = logged_in_client(secretary_a)
    response = client.post(
        reverse("stays:admit", args=[accepted.public_id]),
        {
            "unit": room_101.unit.pk,
            "started_on": TODAY.isoformat(),
            "place": room_101.pk,
            "idempotency_key": "6b0f5e3c-4d7a-4f4e-9a52-0c2f2b1d9e02",
        },
    )
    assert response.status_code == 400
    assert "est occupée du" in response.content.decode()


def test_a_professional_of_another_establishment_cannot_open_the_admission_page(
    accepted, nurse_b, logged_in_client
):
    response = logged_in_client(nurse_b).get(reverse("stays:admit", args=[accepted.public_id]))
    assert response.status_code == 403
