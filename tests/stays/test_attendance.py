"""The presence/absence record (TDDUI « présence/absence », issue 11): one record per person
and day at most, recorded, validated, marked entered in error — never deleted; the selectors
the medication round, billing and the IME attendance sheet read; the record's tab."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.core import dates
from dui.stays.models import (
    J405_CODES,
    J406_CODES,
    AbsenceKind,
    Attendance,
    AttendanceKind,
    AttendanceStatus,
)
from dui.stays.selectors import absent_person_ids, attendance_days, is_present
from dui.stays.services import (
    attendance_mark_entered_in_error,
    attendance_record,
    attendance_validate,
)
from tests.factories import PersonFactory
from tests.refusals import assert_refused, assert_service_refused
from tests.stays.factories import StayFactory

# TDDUI TDDUISlotPresenceAbsence, invariant SlotPresenceAbsenceIdentifierFormat.
TDDUI_PA_ID = re.compile(r"^3[0-9]{9}/[A-Za-z0-9]+-PA-[A-Za-z0-9]+$")
OVERLAP = "Cette période chevauche"


def day(today, n):
    return today + timedelta(days=n)


@pytest.fixture
def stay(room_101, resident_a, today):
    """Mrs Lefebvre lives in room 101 of unit A since 100 days."""
    return StayFactory(place=room_101, person=resident_a, started_on=day(today, -100))


def absence(user, stay, start, end=None, **extra):
    extra.setdefault("absence_kind", AbsenceKind.HOSPITALISATION)
    return attendance_record(
        acting_user=user,
        stay=stay,
        kind=AttendanceKind.ABSENT,
        starts_on=start,
        ends_on=end,
        **extra,
    )


# --- Recording ------------------------------------------------------------------------------------


def test_a_planned_absence_is_recorded_with_its_author_and_journal_line(secretary_a, stay, today):
    recorded = absence(
        secretary_a,
        stay,
        day(today, 10),
        day(today, 14),
        absence_kind=AbsenceKind.FAMILY,
        reason="Une semaine chez sa fille",
        planned_absence=True,
        billable=False,
    )
    assert recorded.status == AttendanceStatus.PLANNED and recorded.days == 5
    assert recorded.status_changed_by == secretary_a and recorded.created_by == secretary_a
    assert recorded.person == stay.person and not recorded.billable
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, person=stay.person, object_id=str(recorded.public_id)
    ).exists()


def test_it_maps_onto_the_tddui_codes(secretary_a, stay, today):
    """TDDUI J405 (1 présence, 2 absence), J406 (1 hospitalisation, 2 raisons personnelles),
    statut PLANIFIE → busy-tentative, VALIDE → busy; the identifier 3+FINESS/local-PA-n."""
    assert J405_CODES == {"present": "1", "absent": "2"}
    assert J406_CODES == {"hospitalisation": "1", "family": "2", "other": "2"}
    hospital = absence(secretary_a, stay, day(today, 1))
    family = absence(secretary_a, stay, day(today, 5), absence_kind=AbsenceKind.OTHER)
    assert (hospital.type_code, hospital.absence_reason_code) == ("2", "1")
    assert family.absence_reason_code == "2" and hospital.slot_status == "busy-tentative"
    identifier = hospital.export_identifier
    assert TDDUI_PA_ID.match(identifier)
    assert identifier.startswith(f"3{stay.establishment.finess}/{stay.person.public_id.hex}-PA-")


def test_an_absence_without_its_motif_is_refused(secretary_a, stay, today):
    """TDDUI invariant motifAbsenceCardinality: an absence carries its motif."""
    with pytest.raises(ValidationError) as error:
        absence(secretary_a, stay, today, absence_kind="")
    assert error.value.message_dict == {"absence_kind": ["Indiquez le motif de l'absence."]}
    assert not Attendance.objects.exists()


def test_a_presence_carries_no_absence_details(secretary_a, stay, today):
    present = attendance_record(
        acting_user=secretary_a,
        stay=stay,
        kind=AttendanceKind.PRESENT,
        starts_on=today,
        absence_kind=AbsenceKind.FAMILY,
        planned_absence=True,
        status=AttendanceStatus.VALIDATED,
    )
    assert (present.absence_kind, present.planned_absence) == ("", False)
    assert present.type_code == "1" and present.absence_reason_code == ""


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (3, 1, "ends_on", "La fin ne peut précéder le début."),
        (-101, -99, "starts_on", "La période commence avant l'entrée"),
    ],
)
def test_a_period_out_of_order_or_before_the_entry_is_refused(
    secretary_a, stay, today, start, end, field, message
):
    with pytest.raises(ValidationError) as error:
        absence(secretary_a, stay, day(today, start), day(today, end))
    assert message in error.value.message_dict[field][0]
    assert not Attendance.objects.exists()


def test_a_period_after_the_actual_exit_is_refused(secretary_a, room_102, resident_a, today):
    left = StayFactory(
        place=room_102, person=resident_a, started_on=day(today, -50), ended_on=day(today, -5)
    )
    with pytest.raises(ValidationError) as error:
        absence(secretary_a, left, day(today, -6), day(today, -4))
    assert "La période finit après la sortie" in error.value.message_dict["ends_on"][0]


def test_two_records_of_one_person_never_share_a_day(secretary_a, stay, today):
    absence(secretary_a, stay, day(today, 5), day(today, 9))
    with pytest.raises(ValidationError) as error:
        absence(secretary_a, stay, day(today, 9), day(today, 12), absence_kind=AbsenceKind.FAMILY)
    shown = error.value.message_dict["starts_on"][0]
    assert OVERLAP in shown and f"du {day(today, 5):%d/%m/%Y} au {day(today, 9):%d/%m/%Y}" in shown
    assert Attendance.objects.count() == 1
    # The days just after are free.
    assert absence(secretary_a, stay, day(today, 10), day(today, 12)).pk


def test_the_database_refuses_two_standing_records_on_the_same_day(secretary_a, stay, today):
    first = absence(secretary_a, stay, day(today, 5), day(today, 9))
    twin = Attendance(
        person=first.person,
        stay=stay,
        kind=AttendanceKind.PRESENT,
        starts_on=day(today, 9),
        ends_on=day(today, 9),
        status_changed_by=secretary_a,
        status_changed_at=dates.now(),
    )
    with pytest.raises(IntegrityError, match="attendance_no_overlap"), transaction.atomic():
        twin.save()
    assert Attendance.objects.count() == 1


def test_a_record_entered_in_error_frees_its_days_and_is_never_deleted(secretary_a, stay, today):
    wrong = absence(secretary_a, stay, day(today, 5), day(today, 9))

    struck = attendance_mark_entered_in_error(
        acting_user=secretary_a,
        attendance=wrong,
        reason="Autre résidente",
        expected_version=wrong.version,
    )

    assert struck.entered_in_error and struck.entered_in_error_reason == "Autre résidente"
    assert Attendance.objects.filter(pk=wrong.pk).exists()
    assert absence(secretary_a, stay, day(today, 5), day(today, 9)).pk
    assert AccessEvent.objects.filter(
        action=AccessAction.AMEND, object_id=str(wrong.public_id)
    ).exists()


def test_entered_in_error_needs_a_reason(secretary_a, stay, today):
    wrong = absence(secretary_a, stay, day(today, 5))
    with pytest.raises(ValidationError) as error:
        attendance_mark_entered_in_error(
            acting_user=secretary_a, attendance=wrong, reason="  ", expected_version=wrong.version
        )
    assert "reason" in error.value.message_dict
    wrong.refresh_from_db()
    assert not wrong.entered_in_error


def test_a_profession_that_does_not_write_the_administrative_record_cannot_record(
    nurse_a, stay, today
):
    with pytest.raises(AccessDenied) as refused:
        absence(nurse_a, stay, today)
    assert_service_refused(refused, "ne peut pas enregistrer les présences et absences")
    assert not Attendance.objects.exists()


# --- Validating -----------------------------------------------------------------------------------


def test_an_absence_is_validated_once_it_has_begun(secretary_a, director_a, stay, today):
    ahead = absence(secretary_a, stay, day(today, 3))
    with pytest.raises(ValidationError, match="ne se valide pas avant son début"):
        attendance_validate(acting_user=secretary_a, attendance=ahead, expected_version=1)

    begun = absence(secretary_a, stay, day(today, -2), today)
    validated = attendance_validate(
        acting_user=director_a, attendance=begun, expected_version=begun.version
    )

    assert validated.status == AttendanceStatus.VALIDATED and validated.slot_status == "busy"
    assert validated.status_changed_by == director_a
    with pytest.raises(ValidationError, match="déjà validée"):
        attendance_validate(
            acting_user=director_a, attendance=validated, expected_version=validated.version
        )


def test_a_validation_from_a_page_read_before_another_change_is_refused(secretary_a, stay, today):
    begun = absence(secretary_a, stay, today)
    attendance_mark_entered_in_error(
        acting_user=secretary_a, attendance=begun, reason="doublon", expected_version=1
    )
    with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
        attendance_validate(acting_user=secretary_a, attendance=begun, expected_version=1)


def test_an_absence_cannot_be_validated_before_it_begins_even_at_creation(secretary_a, stay, today):
    with pytest.raises(ValidationError) as error:
        absence(secretary_a, stay, day(today, 1), status=AttendanceStatus.VALIDATED)
    assert "ne se valide pas avant son début" in error.value.message_dict["starts_on"][0]


# --- What the other bricks ask ------------------------------------------------------------------


def test_present_on_a_day_means_a_current_stay_and_no_absence_that_day(secretary_a, stay, today):
    absence(secretary_a, stay, day(today, 2), day(today, 4))
    person = stay.person
    assert is_present(person=person, day=day(today, 1))
    assert not is_present(person=person, day=day(today, 2))
    assert not is_present(person=person, day=day(today, 4))
    assert is_present(person=person, day=day(today, 5))
    # Before the entry there is no stay: not present.
    assert not is_present(person=person, day=day(today, -101))
    assert not is_present(person=PersonFactory(), day=today)


def test_the_absent_persons_of_a_day_in_one_query(
    secretary_a, stay, room_102, today, django_assert_num_queries
):
    neighbour = StayFactory(place=room_102, started_on=day(today, -10))
    absence(secretary_a, stay, today)
    with django_assert_num_queries(1):
        absent = set(absent_person_ids(day=today, establishment=stay.establishment))
    assert absent == {stay.person_id}
    assert neighbour.person_id not in absent


def test_days_by_kind_over_a_period(secretary_a, stay, today):
    """Period [D-10, D+5] = 16 days of the stay. Hospitalisation D-8..D-6 (3 days, billed),
    presence D-3..D-1 (3 days, billed), family stay D+2..D+8 clipped to D+5 (4 days, not
    billed), a wrong entry D-10 that does not count: 3 present, 3 + 4 absent, 6 billable,
    16 − 10 = 6 days without a record."""
    absence(secretary_a, stay, day(today, -8), day(today, -6))
    attendance_record(
        acting_user=secretary_a,
        stay=stay,
        kind=AttendanceKind.PRESENT,
        starts_on=day(today, -3),
        ends_on=day(today, -1),
    )
    absence(
        secretary_a,
        stay,
        day(today, 2),
        day(today, 8),
        absence_kind=AbsenceKind.FAMILY,
        billable=False,
    )
    wrong = absence(secretary_a, stay, day(today, -10))
    attendance_mark_entered_in_error(
        acting_user=secretary_a, attendance=wrong, reason="erreur", expected_version=1
    )

    counted = attendance_days(stay=stay, start=day(today, -10), end=day(today, 5))

    assert counted.stay_days == 16 and counted.present == 3
    assert counted.absent == {"hospitalisation": 3, "family": 4, "other": 0}
    assert counted.billable == 6 and counted.unrecorded == 6


# --- The record's tab -------------------------------------------------------------------------------


def tab_url(person):
    return reverse("stays:attendance", args=[person.public_id])


def form_url(person):
    return reverse("stays:attendance_absence_new", args=[person.public_id])


def test_the_tab_lists_the_records_and_offers_a_planned_absence_to_writers(
    secretary_a, stay, logged_in_client, today
):
    absence(secretary_a, stay, day(today, 10), day(today, 12), reason="Chirurgie de la hanche")
    response = logged_in_client(secretary_a).get(tab_url(stay.person))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Présences et absences" in body and "Chirurgie de la hanche" in body
    assert f"du {day(today, 10):%d/%m/%Y} au {day(today, 12):%d/%m/%Y} (3 jours)" in body
    assert form_url(stay.person) in body


def test_a_reader_sees_the_tab_without_the_form_and_is_refused_the_form_itself(
    nurse_a, stay, logged_in_client
):
    client = logged_in_client(nurse_a)
    assert form_url(stay.person) not in client.get(tab_url(stay.person)).content.decode()
    assert_refused(
        client.get(form_url(stay.person)),
        "Votre profession ne peut pas modifier cette partie du dossier",
        user=nurse_a,
        person=stay.person,
    )


def post_absence(client, person, **fields):
    data = {"absence_kind": "hospitalisation", "idempotency_key": str(uuid.uuid4())}
    data.update({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in fields.items()})
    return client.post(form_url(person), data)


def test_the_form_records_a_planned_absence(secretary_a, stay, logged_in_client, today):
    response = post_absence(
        logged_in_client(secretary_a),
        stay.person,
        starts_on=day(today, 20),
        ends_on=day(today, 22),
        absence_kind="family",
        planned_absence="on",
        billable="on",
    )
    assert response.status_code == 302 and response["Location"] == tab_url(stay.person)
    recorded = Attendance.objects.get()
    assert (recorded.absence_kind, recorded.planned_absence, recorded.stay) == (
        "family",
        True,
        stay,
    )


def test_the_form_shows_an_overlap_next_to_the_first_day_and_saves_nothing(
    secretary_a, stay, logged_in_client, today
):
    absence(secretary_a, stay, day(today, 20), day(today, 25))
    response = post_absence(
        logged_in_client(secretary_a), stay.person, starts_on=day(today, 24), ends_on=day(today, 26)
    )
    assert response.status_code == 400
    assert OVERLAP in response.context["form"].errors["starts_on"][0]
    assert Attendance.objects.count() == 1


def test_the_form_refuses_a_day_no_stay_covers(secretary_a, stay, logged_in_client, today):
    response = post_absence(logged_in_client(secretary_a), stay.person, starts_on=day(today, -300))
    assert response.status_code == 400
    assert "Aucun séjour de cette personne" in response.context["form"].errors["starts_on"][0]
    assert not Attendance.objects.exists()


def test_the_tab_validates_and_strikes_records(secretary_a, stay, logged_in_client, today):
    begun = absence(secretary_a, stay, day(today, -1), day(today, 1))
    client = logged_in_client(secretary_a)
    client.post(
        reverse("stays:attendance_validate", args=[stay.person.public_id, begun.public_id]),
        {"version": begun.version, "idempotency_key": str(uuid.uuid4())},
    )
    begun.refresh_from_db()
    assert begun.status == AttendanceStatus.VALIDATED
    response = client.post(
        reverse("stays:attendance_error", args=[stay.person.public_id, begun.public_id]),
        {
            "version": begun.version,
            "reason": "Saisie sur la mauvaise personne",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    begun.refresh_from_db()
    assert begun.entered_in_error
    body = client.get(tab_url(stay.person)).content.decode()
    assert "saisie par erreur : Saisie sur la mauvaise personne" in body


def test_the_tab_runs_as_many_queries_for_5_or_40_records(
    secretary_a, stay, logged_in_client, today, django_assert_max_num_queries
):
    client = logged_in_client(secretary_a)
    counts = []
    for total in (5, 40):
        for n in range(Attendance.objects.count(), total):
            absence(secretary_a, stay, day(today, 2 * n + 1))
        client.get(tab_url(stay.person))
        with django_assert_max_num_queries(30) as captured:
            response = client.get(tab_url(stay.person))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert len(response.context["page"].object_list) == 30


def test_the_tab_is_in_the_record_of_those_who_read_administrative_data(
    secretary_a, stay, logged_in_client
):
    body = (
        logged_in_client(secretary_a)
        .get(reverse("people:record", args=[stay.person.public_id]))
        .content.decode()
    )
    assert tab_url(stay.person) in body
