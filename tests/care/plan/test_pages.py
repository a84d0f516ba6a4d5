"""The pages of the care plan: the record's tab, the unit's list per shift (across midnight,
overdue tasks, absences, bounded queries), the printable plan of the day, the home items."""

import html
import io
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dui.care.plan import services
from dui.care.plan.models import CarePlanLine, CareTask
from dui.core import dates
from tests.care.plan.conftest import line_data, local
from tests.factories import CareTeamMembershipFactory, PersonFactory, PlaceFactory
from tests.refusals import assert_refused
from tests.stays.factories import StayFactory

pytestmark = pytest.mark.django_db
TASKS = reverse("care:plan_tasks")


def text(response) -> str:
    return html.unescape(response.content.decode())


def plan_url(person) -> str:
    return reverse("care:plan", kwargs={"person_id": person.public_id})


def residents(unit, nurse, count: int, times=("08:00", "10:00", "12:00")):
    for n in range(count):
        person = PersonFactory(birth_name=f"Résident{n}")
        CareTeamMembershipFactory(person=person, establishment=unit.establishment, unit=unit)
        StayFactory(
            person=person,
            place=PlaceFactory(unit=unit, label=f"Chambre {n + 1}"),
            started_on=dates.today() - timedelta(days=10),
        )
        services.care_plan_line_create(
            acting_user=nurse, person=person, data=line_data(times=list(times))
        )


# --- The record's tab ------------------------------------------------------------------------


def test_the_nurse_adds_a_care_to_the_plan_and_sees_it_in_the_tab(
    clock, stay_a, nurse_a, carer_profession, logged_in_client
):
    clock(local(9))
    client = logged_in_client(nurse_a)
    response = client.post(
        reverse("care:plan_line_create", kwargs={"person_id": stay_a.person.public_id}),
        {
            "idempotency_key": str(uuid.uuid4()),
            "kind": "repositioning",
            "label": "Repositionnement",
            "instructions": "Décubitus latéral 30°",
            "profession": "as",
            "times": "06:00",
            "every_hours": "3",
            "starts_on": dates.today().isoformat(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    page = text(client.get(plan_url(stay_a.person)))
    assert "Repositionnement" in page and "toutes les 3 h à partir de 06:00" in page
    assert "tous les jours" in page


def test_a_carer_reads_the_plan_and_is_refused_its_form(
    clock, stay_a, aide_a, make_line, logged_in_client
):
    clock(local(9))
    make_line()
    client = logged_in_client(aide_a)
    page = text(client.get(plan_url(stay_a.person)))
    assert "Toilette complète" in page and "Ajouter un soin au plan" not in page
    response = client.get(
        reverse("care:plan_line_create", kwargs={"person_id": stay_a.person.public_id})
    )
    assert_refused(response, "Le plan de soins est modifié par les infirmiers", user=aide_a)


def test_a_changed_line_shows_its_former_version(
    clock, stay_a, nurse_a, make_line, logged_in_client
):
    clock(local(9))
    line = make_line()
    client = logged_in_client(nurse_a)
    url = reverse(
        "care:plan_line_change",
        kwargs={"person_id": stay_a.person.public_id, "line_id": line.public_id},
    )
    assert "08:00, 20:00" in text(client.get(url))
    response = client.post(
        url,
        {
            "idempotency_key": str(uuid.uuid4()),
            "version": line.version,
            "kind": "hygiene",
            "label": "Toilette au lit",
            "profession": "as",
            "times": "09:00",
            "starts_on": dates.today().isoformat(),
            "change_reason": "Alitée",
        },
    )
    assert response.status_code == 302
    page = text(client.get(plan_url(stay_a.person)))
    assert "Toilette au lit" in page
    assert "Modifié (remplacé par une nouvelle version)" in page and "Alitée" in page


# --- The unit's task list --------------------------------------------------------------------


def test_the_shift_list_groups_the_tasks_by_room_and_counts_the_overdue_ones(
    clock, make_line, aide_a, logged_in_client
):
    clock(local(6))
    make_line(times=["07:30", "10:00", "13:00"])
    clock(local(10, 0))  # 7 h 30 + 2 h passed: overdue; 10 h: to do; 13 h: to do
    page = text(logged_in_client(aide_a).get(TASKS))
    assert ("Chambre 12" in page and "Lefebvre" in page.upper()) or "LEFEBVRE" in page
    assert "1 en retard" in page
    assert page.count('data-testid="care-task"') == 3
    assert "Poste du matin" in page


def test_the_list_of_the_afternoon_is_one_tap_away(clock, make_line, aide_a, logged_in_client):
    clock(local(6))
    make_line(times=["07:30", "15:00"])
    clock(local(7, 5))
    client = logged_in_client(aide_a)
    page = text(client.get(TASKS))
    assert "07:30" in page and "15:00" not in page
    following = client.get(f"{TASKS}?jour={dates.today().isoformat()}&poste=afternoon")
    assert "15:00" in text(following) and "07:30" not in text(following)


def test_my_profession_filter_leaves_out_the_nurses_tasks(
    clock, make_line, aide_a, logged_in_client
):
    from tests.factories import profession

    clock(local(6))
    make_line(times=["09:00"], label="Toilette")
    make_line(
        times=["09:30"], label="Pansement talon", kind="dressing", profession=profession("ide")
    )
    clock(local(8))
    client = logged_in_client(aide_a)
    assert "Pansement talon" in text(client.get(TASKS))
    assert "Pansement talon" not in text(client.get(f"{TASKS}?mes=1"))


def night_line(clock, make_line):
    clock(local(7))
    return make_line(times=["22:00", "02:00"])


@pytest.mark.parametrize("utc_time", [time(22, 30), time(23, 30)])
def test_the_night_list_runs_across_midnight(clock, make_line, aide_a, logged_in_client, utc_time):
    night_line(clock, make_line)
    clock(datetime.combine(dates.today(), utc_time, tzinfo=UTC))
    page = text(logged_in_client(aide_a).get(TASKS))
    assert "Poste du nuit" in page or "nuit du" in page
    assert "22:00" in page and "02:00" in page


def test_at_half_past_midnight_the_ten_oclock_task_is_overdue(
    clock, make_line, aide_a, logged_in_client
):
    night_line(clock, make_line)
    clock(local(0, 30, days=1))
    page = text(logged_in_client(aide_a).get(TASKS))
    assert "1 en retard" in page and "02:00" in page


def test_an_absent_person_is_named_on_the_list(
    clock, make_line, stay_a, nurse_a, aide_a, logged_in_client
):
    from tests.care.plan.test_generation import absence

    clock(local(6))
    make_line(times=["09:00"])
    absence(stay_a, dates.today(), dates.today(), nurse_a)
    services.care_tasks_generate(
        establishment=stay_a.establishment, until=dates.now() + timedelta(hours=48)
    )
    clock(local(8))
    page = text(logged_in_client(aide_a).get(TASKS))
    assert "pas de soins prévus" in page and "Aucun soin prévu pendant ce poste." in page


def test_a_get_of_the_list_plans_nothing(clock, make_line, aide_a, logged_in_client):
    clock(local(6))
    make_line(times=["09:00"])
    CareTask.objects.all().delete()
    logged_in_client(aide_a).get(TASKS)
    assert not CareTask.objects.exists()


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_reads_a_bounded_number_of_queries(
    clock, unit_a, nurse_a, aide_a, logged_in_client, django_assert_max_num_queries, count
):
    clock(local(6))
    residents(unit_a, nurse_a, count)
    clock(local(11))
    client = logged_in_client(aide_a)
    with django_assert_max_num_queries(20):
        response = client.get(TASKS)
    assert text(response).count('data-testid="care-task"') == 3 * count


def test_the_person_has_no_tasks_of_another_unit_on_my_list(
    clock, unit_a2, aide_a, logged_in_client
):
    from tests.factories import professional

    idec = professional(username="idec.a", profession="idec", establishment=unit_a2.establishment)
    clock(local(8))
    residents(unit_a2, idec, 2)
    assert CareTask.objects.filter(unit=unit_a2).exists()
    page = text(logged_in_client(aide_a).get(TASKS))
    assert "Aucun soin prévu pendant ce poste." in page


# --- The printable plan of the day -----------------------------------------------------------


def test_the_plan_of_the_day_prints_every_task_with_its_instructions(
    clock, make_line, aide_a, logged_in_client
):
    clock(local(6))
    make_line(times=["08:00", "22:00"], instructions="Crème hydratante sur les talons")
    client = logged_in_client(aide_a)
    response = client.get(reverse("care:plan_day_pdf"))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    content = " ".join(page.extract_text() for page in pages)
    assert "Toilette complète" in content and "Crème hydratante sur les talons" in content
    assert "LEFEBVRE" in content.upper() and "Chambre 12" in content
    assert "08:00" in content and "22:00" in content
    printable = text(client.get(reverse("care:plan_day_print")))
    assert "Crème hydratante sur les talons" in printable and "Initiales" in printable


def test_a_care_repeated_in_a_shift_prints_on_one_row_with_a_box_per_time(
    clock, make_line, aide_a, logged_in_client
):
    clock(local(6))
    make_line(label="Change", times=["07:30", "10:00", "13:00"])
    printable = text(logged_in_client(aide_a).get(reverse("care:plan_day_print")))

    rows = [r for r in printable.split('data-testid="print-task"')[1:] if "Change" in r]
    assert len(rows) == 1
    assert "07:30 ☐ · 10:00 ☐ · 13:00 ☐" in rows[0]


# --- Home -----------------------------------------------------------------------------------


def test_the_home_page_counts_the_overdue_tasks_and_those_of_the_shift(
    clock, make_line, aide_a, logged_in_client
):
    clock(local(6))
    make_line(times=["07:30", "10:00", "12:00"])
    clock(local(10, 0))
    page = text(logged_in_client(aide_a).get(reverse("core:home")))
    assert "soin en retard" in page
    assert "soins à faire ce poste" in page
    assert "1 soin en retard" in page and "3 soins à faire" in page


def test_the_menu_offers_the_care_of_the_day(clock, aide_a, logged_in_client):
    page = text(logged_in_client(aide_a).get(reverse("core:home")))
    assert "Soins du jour" in page


def test_nothing_here_for_a_secretary(secretary_a, logged_in_client):
    assert CarePlanLine.objects.count() == 0
    page = text(logged_in_client(secretary_a).get(reverse("core:home")))
    assert "Soins du jour" not in page


def test_each_persons_card_opens_a_measure_or_a_note_that_comes_back_to_the_list(
    clock, make_line, aide_a, resident_a, logged_in_client
):
    clock(local(6))
    make_line(times=["07:30"])
    clock(local(7))
    page = text(logged_in_client(aide_a).get(TASKS))

    back = "?next=" + TASKS.replace("/", "%2F")
    measure = reverse("care:obs_new", kwargs={"person_id": resident_a.public_id})
    note = reverse("care:notes_create", kwargs={"person_id": resident_a.public_id})
    assert f"{measure}{back}" in page and f"{note}{back}" in page
    assert f'Mesure<span class="visually-hidden"> — {resident_a.display_name}' in page


def test_the_weight_entered_from_the_card_goes_back_to_the_shift_list(
    clock, make_line, aide_a, resident_a, logged_in_client
):
    clock(local(6))
    make_line(times=["07:30"])
    clock(local(7))
    client = logged_in_client(aide_a)
    measure = reverse("care:obs_new", kwargs={"person_id": resident_a.public_id})

    form = text(client.get(f"{measure}?next={TASKS}"))
    response = client.post(
        measure,
        {
            "idempotency_key": str(uuid.uuid4()),
            "occurred_at": dates.now().astimezone(dates.zone_of()).strftime("%Y-%m-%dT%H:%M"),
            "weight": "61,5",
            "next": TASKS,
        },
    )

    assert f'name="next" value="{TASKS}"' in form
    assert response.status_code == 302 and response.url == TASKS
    assert "Mesures enregistrées : 61,5 kg" in text(client.get(TASKS))


def test_a_profession_that_only_reads_care_gets_no_entry_buttons(
    clock, make_line, psychologist_a, logged_in_client
):
    clock(local(6))
    make_line(times=["07:30"])
    clock(local(7))
    page = text(logged_in_client(psychologist_a).get(TASKS))

    assert 'data-testid="care-task"' in page
    assert "care-quick" not in page


def test_the_list_offers_the_other_outcomes_on_demand_and_htmx_opens_them_in_the_row(
    clock, make_line, aide_a, logged_in_client
):
    clock(local(6))
    make_line(times=["07:30", "11:00"])
    clock(local(10))  # 07:30 is past its 2-hour window: a late entry; 11:00 is still to come
    client = logged_in_client(aide_a)
    page = text(client.get(TASKS))

    assert page.count('data-testid="task-other"') == 2
    assert "Tracer (saisie tardive)…" in page and "Autre…" in page
    assert 'name="reason"' not in page  # no full form per row: the list stays light
    task = CareTask.objects.get(due_at=local(7, 30))
    url = reverse("care:plan_task_record", kwargs={"task_id": task.public_id})
    row = text(client.get(url, HTTP_HX_REQUEST="true"))
    assert "Motif de la saisie tardive (obligatoire)" in row and 'name="reason"' in row
    assert "<html" not in row
