"""Step 3: an accepted application becomes a stay on a free place
(admissions.services.admission.stay_admit, which opens the stay through the stays brick)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership, MembershipReason
from dui.access.policy import person_access, persons_visible_to
from dui.admissions.services.admission import stay_admit
from dui.organisation.models import PlaceKind
from dui.stays.models import Stay
from tests.admissions.helpers import TO_ACCEPTED, TO_WAITING_LIST, S, key, new_application
from tests.factories import PlaceFactory
from tests.refusals import assert_refused, assert_service_refused
from tests.stays.factories import StayFactory


def messages_of(error) -> str:
    return " ".join(error.value.messages)


def admit(user, application, place, started_on, **extra):
    application.refresh_from_db()
    extra.setdefault("expected_version", application.version)
    return stay_admit(
        acting_user=user,
        application=application,
        unit=place.unit,
        place=place,
        started_on=started_on,
        **extra,
    )


def test_admitting_an_accepted_application_creates_the_stay_and_moves_it_to_admitted(
    accepted, secretary_a, room_101, nurse_a, today
):
    stay = admit(secretary_a, accepted, room_101, today, referent=nurse_a)
    accepted.refresh_from_db()
    assert accepted.status == S.ADMITTED
    assert stay.person == accepted.person and stay.place == room_101
    assert stay.kind == PlaceKind.PERMANENT and stay.referent == nurse_a
    assert stay.admission_request == accepted and stay.ended_on is None
    assert stay.planned_end is None and stay.admitted_on == today
    membership = CareTeamMembership.objects.get(person=stay.person, reason=MembershipReason.STAY)
    assert membership.unit == room_101.unit
    assert membership.source == f"stays.Stay:{stay.public_id}"
    # The application membership stays as it is (establishment level).
    assert CareTeamMembership.objects.filter(
        person=stay.person, reason=MembershipReason.APPLICATION, valid_to__isnull=True
    ).exists()
    created = AccessEvent.objects.get(action=AccessAction.CREATE, object_type="stays.Stay")
    assert created.person == stay.person and created.user == secretary_a


def test_the_nurse_of_the_unit_sees_the_admitted_person_afterwards(
    accepted, secretary_a, room_101, nurse_a, today
):
    assert not persons_visible_to(user=nurse_a).filter(pk=accepted.person.pk).exists()
    admit(secretary_a, accepted, room_101, today)
    nurse_a.__dict__.pop("_dui_active_assignments", None)
    assert persons_visible_to(user=nurse_a).filter(pk=accepted.person.pk).exists()
    assert person_access(user=nurse_a, person=accepted.person).visible


def test_a_person_on_the_waiting_list_may_be_admitted(secretary_a, ehpad_a, room_101, today):
    application = new_application(secretary_a, ehpad_a, statuses=TO_WAITING_LIST)
    assert admit(secretary_a, application, room_101, today).pk


def test_an_admission_from_a_received_application_is_refused(secretary_a, ehpad_a, room_101, today):
    application = new_application(secretary_a, ehpad_a)
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, application, room_101, today)
    assert "« Reçue »" in messages_of(error)
    assert not Stay.objects.exists()


def test_an_admission_from_a_form_read_before_another_change_is_refused(
    accepted, secretary_a, room_101, today
):
    with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
        admit(secretary_a, accepted, room_101, today, expected_version=accepted.version - 1)
    assert not Stay.objects.exists()


def test_an_admission_date_before_the_application_is_refused(accepted, secretary_a, room_101):
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101, accepted.received_on - timedelta(days=1))
    assert "La date d'admission ne peut précéder la réception de la demande." in messages_of(error)
    assert not Stay.objects.exists()


def test_an_admission_on_the_day_the_application_was_received_is_accepted(
    accepted, secretary_a, room_101
):
    received_on = accepted.received_on
    assert admit(secretary_a, accepted, room_101, received_on).started_on == received_on


def test_a_unit_of_another_establishment_is_refused(accepted, secretary_a, unit_b, today):
    place_b = PlaceFactory(unit=unit_b, label="201")
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, place_b, today)
    assert "n'appartient pas à l'établissement" in messages_of(error)
    assert not Stay.objects.exists()


def test_a_place_of_another_unit_is_refused(accepted, secretary_a, unit_a, unit_a2, today):
    other = PlaceFactory(unit=unit_a2, label="301")
    with pytest.raises(ValidationError) as error:
        stay_admit(
            acting_user=secretary_a,
            application=accepted,
            unit=unit_a,
            place=other,
            started_on=today,
            expected_version=accepted.version,
        )
    assert "n'appartient pas à l'unité" in messages_of(error)
    assert not Stay.objects.exists()


def test_a_place_out_of_service_or_of_another_kind_is_refused(accepted, secretary_a, unit_a, today):
    closed = PlaceFactory(unit=unit_a, label="401", is_active=False)
    day_care = PlaceFactory(unit=unit_a, label="AJ1", kind=PlaceKind.DAY_CARE)
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, closed, today)
    assert "pas en service" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, day_care, today)
    assert "Accueil de jour" in messages_of(error)
    assert not Stay.objects.exists()


def test_an_admission_on_an_occupied_place_is_refused(accepted, secretary_a, room_101, today):
    StayFactory(place=room_101, started_on=today - timedelta(days=100))
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101, today)
    assert "La place 101 est occupée du" in messages_of(error)
    assert "par une autre personne" in messages_of(error)
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED
    assert Stay.objects.filter(person=accepted.person).count() == 0


def test_a_stay_ending_the_day_before_leaves_the_place_free(accepted, secretary_a, room_101, today):
    StayFactory(
        place=room_101, started_on=today - timedelta(days=100), ended_on=today - timedelta(days=1)
    )
    assert admit(secretary_a, accepted, room_101, today).pk


def test_a_stay_ending_the_same_day_leaves_the_place_free_that_day(
    accepted, secretary_a, room_101, today
):
    """The exit day is free: the next person enters the day the other one leaves."""
    StayFactory(place=room_101, started_on=today - timedelta(days=100), ended_on=today)
    assert admit(secretary_a, accepted, room_101, today).pk


def test_a_stay_planned_to_end_the_day_after_still_occupies_the_place(
    accepted, secretary_a, room_101, today
):
    StayFactory(
        place=room_101,
        started_on=today - timedelta(days=100),
        planned_end=today + timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101, today)
    assert "au " + f"{today + timedelta(days=1):%d/%m/%Y}" in messages_of(error)


def test_a_planned_future_stay_blocks_an_open_ended_admission(
    accepted, secretary_a, room_101, today
):
    StayFactory(place=room_101, started_on=today + timedelta(days=20))
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101, today)
    assert "occupée" in messages_of(error)


def test_a_temporary_stay_fits_before_a_planned_one(secretary_a, ehpad_a, unit_a, today):
    place = PlaceFactory(unit=unit_a, label="T1", kind=PlaceKind.TEMPORARY)
    StayFactory(place=place, kind=PlaceKind.TEMPORARY, started_on=today + timedelta(days=20))
    application = new_application(
        secretary_a,
        ehpad_a,
        statuses=TO_ACCEPTED,
        place_kind=PlaceKind.TEMPORARY,
        wished_start=today,
        wished_end=today + timedelta(days=20),
    )
    stay = admit(secretary_a, application, place, today)
    # The wished end of the application is the planned end — not an exit.
    assert stay.planned_end == today + timedelta(days=20) and stay.ended_on is None
    assert Stay.objects.current(today).filter(pk=stay.pk).exists()


def temporary_application(secretary_a, ehpad_a, today, wished_end=None):
    """An accepted application for a temporary stay (it has its wished end: the application's
    own rule), by default a fortnight."""
    return new_application(
        secretary_a,
        ehpad_a,
        statuses=TO_ACCEPTED,
        place_kind=PlaceKind.TEMPORARY,
        wished_start=today,
        wished_end=wished_end or today + timedelta(days=14),
    )


def test_a_planned_end_before_the_entry_is_refused(secretary_a, ehpad_a, unit_a, today):
    place = PlaceFactory(unit=unit_a, label="T1", kind=PlaceKind.TEMPORARY)
    application = temporary_application(secretary_a, ehpad_a, today)
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, application, place, today, planned_end=today - timedelta(days=1))
    assert error.value.message_dict == {
        "planned_end": ["La fin prévue doit suivre la date d'entrée."]
    }
    application.refresh_from_db()
    assert application.status == S.ACCEPTED and not Stay.objects.exists()


def test_an_admission_on_a_later_day_is_a_planned_stay_that_reserves_the_place(
    accepted, secretary_a, room_101, today
):
    stay = admit(secretary_a, accepted, room_101, today + timedelta(days=15))
    assert stay.state_on(today) == "planned"
    assert Stay.objects.planned(today).filter(pk=stay.pk).exists()
    other = new_application(secretary_a, accepted.establishment, statuses=TO_ACCEPTED)
    with pytest.raises(ValidationError, match="est occupée du"):
        admit(secretary_a, other, room_101, today)


def test_a_referent_from_another_establishment_is_refused(
    accepted, secretary_a, room_101, nurse_b, today
):
    with pytest.raises(ValidationError) as error:
        admit(secretary_a, accepted, room_101, today, referent=nurse_b)
    assert "référent" in messages_of(error)
    assert not Stay.objects.exists()


def test_a_profession_that_cannot_write_administrative_data_cannot_admit(
    accepted, aide_a, room_101, today
):
    with pytest.raises(AccessDenied) as refused:
        admit(aide_a, accepted, room_101, today)
    assert_service_refused(refused, "Votre profession ne peut pas prononcer d'admission ici.")
    assert refused.value.person == accepted.person
    assert not Stay.objects.exists()


# --- The admission page -----------------------------------------------------------------------


def admit_url(application) -> str:
    return reverse("admissions:admit", args=[application.public_id])


def test_the_admission_page_keeps_its_path_under_the_stays(accepted):
    assert admit_url(accepted) == f"/sejours/admettre/{accepted.public_id}/"


def test_the_admission_page_lists_places_with_their_occupancy(
    accepted,
    secretary_a,
    room_101,
    room_102,
    resident_a,
    logged_in_client,
    django_assert_max_num_queries,
    today,
):
    StayFactory(place=room_101, person=resident_a, started_on=today - timedelta(days=100))
    stranger = StayFactory(place=room_102, started_on=today - timedelta(days=3)).person
    PlaceFactory(unit=room_101.unit, label="103")
    client = logged_in_client(secretary_a)
    with django_assert_max_num_queries(25):
        response = client.get(admit_url(accepted))
    assert response.status_code == 200
    choices = {c["row"].place.label: c["selectable"] for c in response.context["choices"]}
    assert choices == {"101": False, "102": False, "103": True}
    body = response.content.decode()
    # Names only for the persons the secretary may see; the others' place says « occupée ».
    assert resident_a.display_name in body
    assert stranger.display_name not in body and "occupée" in body


def test_the_admission_page_names_units_places_and_referents_by_public_id(
    accepted, secretary_a, room_101, unit_a, unit_a2, nurse_a, logged_in_client
):
    body = logged_in_client(secretary_a).get(admit_url(accepted)).content.decode()
    assert f'value="{unit_a.public_id}"' in body and f'value="{unit_a2.public_id}"' in body
    assert f'value="{room_101.public_id}"' in body
    assert f'value="{nurse_a.public_id}"' in body
    for pk in (unit_a.pk, room_101.pk, nurse_a.pk):
        assert f'value="{pk}"' not in body


def test_the_admission_page_shows_the_places_of_the_unit_asked_for(
    accepted, secretary_a, unit_a2, logged_in_client
):
    PlaceFactory(unit=unit_a2, label="H1")
    client = logged_in_client(secretary_a)
    response = client.get(admit_url(accepted), {"unit": str(unit_a2.public_id)})
    assert response.context["unit"] == unit_a2
    assert [c["row"].place.label for c in response.context["choices"]] == ["H1"]


def test_the_admission_page_runs_as_many_queries_for_5_or_40_places(
    accepted, secretary_a, unit_a, logged_in_client, django_assert_max_num_queries
):
    client = logged_in_client(secretary_a)
    client.get(admit_url(accepted))  # the first read of a chain also looks for its anchor
    counts = []
    for total in (5, 40):
        for n in range(total - unit_a.places.count()):
            StayFactory(place=PlaceFactory(unit=unit_a, label=f"{total}-{n}"))
        with django_assert_max_num_queries(25) as captured:
            assert client.get(admit_url(accepted)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_admission_page_admits_and_redirects_to_the_welcome_checklist(
    accepted, secretary_a, room_101, nurse_a, logged_in_client, today
):
    client = logged_in_client(secretary_a)
    response = client.post(
        admit_url(accepted),
        {
            "unit": str(room_101.unit.public_id),
            "started_on": today.isoformat(),
            "place": str(room_101.public_id),
            "referent": str(nurse_a.public_id),
            "version": accepted.version,
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admissions:welcome", args=[accepted.person.public_id])
    stay = Stay.objects.get(person=accepted.person)
    assert stay.place == room_101 and stay.referent == nurse_a


def test_the_admission_page_takes_the_planned_end_of_a_temporary_stay(
    secretary_a, ehpad_a, unit_a, logged_in_client, today
):
    place = PlaceFactory(unit=unit_a, label="T1", kind=PlaceKind.TEMPORARY)
    application = temporary_application(
        secretary_a, ehpad_a, today, wished_end=today + timedelta(days=30)
    )
    client = logged_in_client(secretary_a)
    page = client.get(admit_url(application)).content.decode()
    assert f'name="planned_end" value="{(today + timedelta(days=30)).isoformat()}"' in page
    response = client.post(
        admit_url(application),
        {
            "unit": str(unit_a.public_id),
            "started_on": today.isoformat(),
            "place": str(place.public_id),
            "planned_end": (today + timedelta(days=21)).isoformat(),
            "version": application.version,
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    stay = Stay.objects.get(person=application.person)
    assert stay.planned_end == today + timedelta(days=21) and stay.ended_on is None


@pytest.mark.parametrize(
    ("planned_end", "message"),
    [
        ("", "Indiquez la fin prévue de l&#x27;hébergement temporaire."),
        ("same-day", "La fin prévue doit suivre la date d&#x27;entrée."),
    ],
)
def test_the_admission_page_shows_a_missing_or_early_planned_end_next_to_it(
    secretary_a, ehpad_a, unit_a, logged_in_client, today, planned_end, message
):
    place = PlaceFactory(unit=unit_a, label="T1", kind=PlaceKind.TEMPORARY)
    application = temporary_application(secretary_a, ehpad_a, today)
    response = logged_in_client(secretary_a).post(
        admit_url(application),
        {
            "unit": str(unit_a.public_id),
            "started_on": today.isoformat(),
            "place": str(place.public_id),
            "planned_end": today.isoformat() if planned_end == "same-day" else planned_end,
            "version": application.version,
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors["planned_end"]
    assert not Stay.objects.exists()


def test_the_admission_page_shows_the_refusal_next_to_the_place(
    accepted, secretary_a, room_101, logged_in_client, today
):
    StayFactory(place=room_101, started_on=today - timedelta(days=5))
    client = logged_in_client(secretary_a)
    response = client.post(
        admit_url(accepted),
        {
            "unit": str(room_101.unit.public_id),
            "started_on": today.isoformat(),
            "place": str(room_101.public_id),
            "version": accepted.version,
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 400
    assert "est occupée du" in response.content.decode()


def test_a_professional_of_another_establishment_cannot_open_the_admission_page(
    accepted, nurse_b, logged_in_client
):
    assert_refused(
        logged_in_client(nurse_b).get(admit_url(accepted)),
        "Cette demande est instruite par un autre établissement.",
        user=nurse_b,
        person=accepted.person,
    )


def test_a_reader_of_the_establishment_is_refused_the_admission_form_itself(
    accepted, nurse_ehpad_a, logged_in_client
):
    """Opening the form is a refused write, journaled as such."""
    assert_refused(
        logged_in_client(nurse_ehpad_a).get(admit_url(accepted)),
        "Votre profession ne peut pas modifier cette partie du dossier",
        user=nurse_ehpad_a,
        person=accepted.person,
    )
    assert not Stay.objects.exists()
