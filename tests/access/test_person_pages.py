"""The person record page, break-glass and the journal screens, as each persona lives them."""

import html
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from dui.access.models import AccessAction, AccessEvent, BreakGlass
from dui.accounts.models import AssignmentRole
from tests.factories import (
    CareTeamMembershipFactory,
    EstablishmentFactory,
    OrganisationFactory,
    UnitFactory,
    days_ahead,
    login,
    professional,
)
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

IP = "192.0.2.44"
NOT_FOLLOWED = "Vous n'avez pas accès au dossier de cette personne"
MANAGEMENT_ONLY = "Réservé à la direction et au délégué à la protection des données."
GOOD_REASON = "Chute dans le couloir la nuit, besoin des traitements en cours"


def record_url(person) -> str:
    return reverse("people:record", kwargs={"person_id": person.public_id})


def break_glass(client, person, reason=GOOD_REASON, key=None):
    return client.post(
        reverse("access:break_glass_open", kwargs={"person_id": person.public_id}),
        {"reason": reason, "idempotency_key": str(key or uuid.uuid4())},
        REMOTE_ADDR=IP,
    )


def text(response) -> str:
    """The page as the user reads it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def events(**filters):
    return list(AccessEvent.objects.filter(**filters).order_by("pk"))


# --- The record page --------------------------------------------------------------------------


def test_the_logged_in_client_opens_the_home_page(logged_in_client, nurse_a):
    assert logged_in_client(nurse_a).get(reverse("core:home")).status_code == 200


def test_a_nurse_opens_the_record_of_a_resident_of_her_unit_and_the_read_is_journaled(
    logged_in_client, nurse_a, resident_a
):
    response = logged_in_client(nurse_a).get(record_url(resident_a), REMOTE_ADDR=IP)

    assert response.status_code == 200
    assert resident_a.birth_name.upper() in text(response)
    [read] = events(action=AccessAction.READ, person=resident_a)
    assert read.user == nurse_a
    assert read.assignment == nurse_a.assignments.get()
    assert read.ip_address == IP
    assert read.break_glass is False


def test_a_nurse_of_another_ehpad_is_refused_and_the_attempt_is_journaled(
    logged_in_client, nurse_b, resident_a
):
    response = logged_in_client(nurse_b).get(record_url(resident_a), REMOTE_ADDR=IP)

    assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)
    body = text(response)
    assert resident_a.birth_name.upper() not in body
    assert "Ouvrir l'accès exceptionnel" in body  # same organisation: break-glass is offered
    [denied] = events(person=resident_a, user=nurse_b)
    assert denied.action == AccessAction.DENIED
    assert denied.ip_address == IP
    assert not events(action=AccessAction.READ, person=resident_a)


def test_an_unknown_person_is_not_found(logged_in_client, nurse_a):
    response = logged_in_client(nurse_a).get(
        reverse("people:record", kwargs={"person_id": uuid.uuid4()})
    )
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, resident_a):
    response = client.get(record_url(resident_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not AccessEvent.objects.exists()


def test_the_record_page_costs_a_bounded_number_of_queries(
    logged_in_client, nurse_a, unit_a, resident_a, django_assert_max_num_queries
):
    client = logged_in_client(nurse_a)
    client.get(record_url(resident_a))
    for _ in range(10):
        CareTeamMembershipFactory(person=resident_a, unit=unit_a, ended=True)
        CareTeamMembershipFactory(unit=unit_a)
    # Access, journal, header (identity, placement) and one query per header badge provider
    # (allergies, care alerts, open wounds, GIR, assessments due): the same for 1 or 21 teams
    # (26 on SQLite; PostgreSQL adds the journal chain's advisory lock).
    with django_assert_max_num_queries(27):
        assert client.get(record_url(resident_a)).status_code == 200


# --- Break-glass ------------------------------------------------------------------------------


def test_break_glass_without_a_real_reason_is_refused_with_a_french_message(
    logged_in_client, nurse_b, resident_a
):
    response = break_glass(logged_in_client(nurse_b), resident_a, reason="urgence")

    assert response.status_code == 400
    assert "Indiquez le motif de l'accès exceptionnel (au moins 15 caractères)" in text(response)
    assert not BreakGlass.objects.exists()
    assert not events(action=AccessAction.BREAK_GLASS)


def test_break_glass_with_a_reason_opens_the_record_and_reads_are_flagged(
    logged_in_client, nurse_b, resident_a
):
    client = logged_in_client(nurse_b)

    response = break_glass(client, resident_a)

    assert response.status_code == 302
    assert response["Location"] == record_url(resident_a)
    grant = BreakGlass.objects.get()
    assert (grant.user, grant.person, grant.reason) == (nurse_b, resident_a, GOOD_REASON)
    [opened] = events(action=AccessAction.BREAK_GLASS)
    assert opened.break_glass and opened.ip_address == IP

    page = client.get(record_url(resident_a), REMOTE_ADDR=IP)

    assert page.status_code == 200
    assert "Accès exceptionnel (bris de glace) en cours" in text(page)
    [read] = events(action=AccessAction.READ, person=resident_a)
    assert read.user == nurse_b
    assert read.break_glass is True
    assert read.assignment == nurse_b.assignments.get()


def test_a_refusal_met_during_an_emergency_access_is_journaled_as_part_of_it(
    logged_in_client, nurse_b, resident_a
):
    """Emergency access is for reading: a write form is refused, and the refusal's line says
    it happened under the emergency access (finding 7 of issue 10)."""
    client = logged_in_client(nurse_b)
    break_glass(client, resident_a)

    response = client.get(
        reverse("care:allergy_create", kwargs={"person_id": resident_a.public_id})
    )

    line = assert_refused(
        response,
        "Votre profession ne peut pas modifier cette partie du dossier",
        user=nurse_b,
        person=resident_a,
    )
    assert line.break_glass is True
    assert line.assignment == nurse_b.assignments.get()


def test_break_glass_expires_after_its_duration(logged_in_client, nurse_b, resident_a):
    break_glass(logged_in_client(nurse_b), resident_a)
    expiry = BreakGlass.objects.get().expires_at
    assert expiry - BreakGlass.objects.get().opened_at == settings.BREAK_GLASS_DURATION

    with freeze_time(expiry - timedelta(minutes=1)):
        assert logged_in_client(nurse_b).get(record_url(resident_a)).status_code == 200
    with freeze_time(expiry + timedelta(seconds=1)):
        response = logged_in_client(nurse_b).get(record_url(resident_a))
    assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)


def test_break_glass_is_useless_and_refused_for_someone_who_already_has_access(
    logged_in_client, nurse_a, resident_a
):
    response = break_glass(logged_in_client(nurse_a), resident_a)
    assert response.status_code == 400
    assert "déjà accès" in text(response)
    assert not BreakGlass.objects.exists()


@pytest.mark.parametrize(
    ("profession", "role"),
    [("administrateur", AssignmentRole.DPO), ("administrateur", AssignmentRole.ADMIN)],
)
def test_the_dpo_and_the_system_administrator_cannot_open_an_emergency_access(
    logged_in_client, ehpad_b, resident_a, profession, role
):
    """Finding 3 of issue 10: their profession reads no part of a record; the DPO reads the
    journal, not the record. The refusal page does not offer the emergency access, and the
    attempt itself is refused, explained and journaled."""
    user = professional(
        username=f"{role}.b", profession=profession, establishment=ehpad_b, role=role
    )
    client = logged_in_client(user)

    denied = client.get(record_url(resident_a))
    assert_refused(denied, NOT_FOLLOWED, user=user, person=resident_a)
    assert "Ouvrir l'accès exceptionnel" not in text(denied)

    response = break_glass(client, resident_a)
    assert response.status_code == 400
    assert "L'accès exceptionnel est réservé aux professions qui lisent les soins" in text(response)
    assert not BreakGlass.objects.exists()
    assert events(action=AccessAction.DENIED, user=user, person=resident_a, break_glass=True)
    assert_refused(client.get(record_url(resident_a)), NOT_FOLLOWED, user=user, person=resident_a)


def test_a_secretary_of_another_ehpad_cannot_open_an_emergency_access(
    logged_in_client, ehpad_b, resident_a
):
    secretary = professional(username="sec.b", profession="secretaire", establishment=ehpad_b)

    response = break_glass(logged_in_client(secretary), resident_a)

    assert response.status_code == 400
    assert "réservé aux professions qui lisent les soins ou le dossier médical" in text(response)
    assert not BreakGlass.objects.exists()


def test_a_person_of_another_organisation_cannot_be_break_glassed(logged_in_client, nurse_a):
    elsewhere = UnitFactory(
        establishment=EstablishmentFactory(organisation=OrganisationFactory(name="Autre asso"))
    )
    stranger = CareTeamMembershipFactory(unit=elsewhere).person
    client = logged_in_client(nurse_a)

    denied = client.get(record_url(stranger))
    assert_refused(denied, NOT_FOLLOWED, user=nurse_a, person=stranger)
    assert "Ouvrir l'accès exceptionnel" not in text(denied)

    response = break_glass(client, stranger)
    assert response.status_code == 400
    assert "n'est pas suivie par votre organisme" in text(response)
    assert not BreakGlass.objects.exists()
    assert_refused(client.get(record_url(stranger)), NOT_FOLLOWED, user=nurse_a, person=stranger)
    assert len(events(action=AccessAction.DENIED, person=stranger, break_glass=True)) == 1


def test_the_record_shows_only_the_path_within_the_users_organisation(
    logged_in_client, nurse_a, resident_a
):
    elsewhere = EstablishmentFactory(
        name="Foyer d'une autre association", organisation=OrganisationFactory(name="Autre asso")
    )
    CareTeamMembershipFactory(
        person=resident_a, unit=UnitFactory(establishment=elsewhere), ended=True
    )
    page = text(logged_in_client(nurse_a).get(record_url(resident_a)))
    assert "Foyer d'une autre association" not in page


@pytest.fixture
def grant(logged_in_client, nurse_a, resident_b):
    """Nurse A (EHPAD A) opened the record of a resident of EHPAD B in an emergency."""
    break_glass(logged_in_client(nurse_a), resident_b)
    return BreakGlass.objects.get()


@pytest.mark.parametrize("director", ["director_a", "director_b"])
def test_both_directors_concerned_see_the_break_glass_and_can_review_it(
    director, request, logged_in_client, grant
):
    reviewer = request.getfixturevalue(director)
    client = logged_in_client(reviewer)

    page = client.get(reverse("access:break_glass_review_list"))
    assert page.status_code == 200
    assert list(page.context["page"]) == [grant]
    assert GOOD_REASON in text(page)

    response = client.post(
        reverse("access:break_glass_review", kwargs={"grant_id": grant.public_id}),
        {"note": "Appel du SAMU confirmé", "idempotency_key": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == reviewer
    assert grant.review_note == "Appel du SAMU confirmé"
    [review] = events(action=AccessAction.REVIEW)
    assert (review.user, review.person) == (reviewer, grant.person)
    # Reviewed grants leave the "to review" list but stay in the full list.
    assert list(client.get(reverse("access:break_glass_review_list")).context["page"]) == []
    assert list(
        client.get(reverse("access:break_glass_review_list"), {"tous": "1"}).context["page"]
    ) == [grant]


def test_a_director_of_an_unrelated_establishment_does_not_see_the_break_glass(
    logged_in_client, grant, organisation
):
    other = EstablishmentFactory(organisation=organisation)
    director_c = professional(
        username="dir.c", profession="directeur", establishment=other, role="director"
    )
    page = logged_in_client(director_c).get(reverse("access:break_glass_review_list"))
    assert list(page.context["page"]) == []
    response = logged_in_client(director_c).post(
        reverse("access:break_glass_review", kwargs={"grant_id": grant.public_id}),
        {"idempotency_key": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.reviewed_at is None


@pytest.mark.parametrize("who", ["nurse_a", "doctor_a", "secretary_a"])
def test_staff_other_than_the_direction_cannot_see_the_review_list(
    who, request, logged_in_client, grant
):
    user = request.getfixturevalue(who)
    client = logged_in_client(user)
    assert_refused(
        client.get(reverse("access:break_glass_review_list")), MANAGEMENT_ONLY, user=user
    )
    response = client.post(
        reverse("access:break_glass_review", kwargs={"grant_id": grant.public_id}),
        {"idempotency_key": str(uuid.uuid4())},
    )
    assert_refused(response, MANAGEMENT_ONLY, user=user)
    grant.refresh_from_db()
    assert grant.reviewed_at is None


# --- Journal screens --------------------------------------------------------------------------


def journal_url(person) -> str:
    return reverse("access:person_journal", kwargs={"person_id": person.public_id})


@pytest.fixture
def visited(logged_in_client, nurse_a, nurse_b, resident_a):
    """The nurse of the unit read the record twice; a nurse of EHPAD B was refused once."""
    client = logged_in_client(nurse_a)
    client.get(record_url(resident_a), REMOTE_ADDR=IP)
    client.get(record_url(resident_a), REMOTE_ADDR=IP)
    logged_in_client(nurse_b).get(record_url(resident_a))
    return resident_a


def test_the_director_lists_who_accessed_a_persons_record(logged_in_client, director_a, visited):
    page = logged_in_client(director_a).get(journal_url(visited))

    assert page.status_code == 200
    shown = list(page.context["page"])
    actions = [(e.user.username, e.action) for e in shown]
    assert actions.count(("ide.a", AccessAction.READ)) == 2
    assert ("ide.b", AccessAction.DENIED) in actions
    assert all(e.person_id == visited.pk for e in shown)
    assert "Claire Martin" in text(page)
    # Reading the journal is itself a read of the person's record, and is journaled.
    assert events(
        action=AccessAction.READ, object_type="page:access:person_journal", user=director_a
    )


def test_the_director_filters_the_journal_by_action(logged_in_client, director_a, visited):
    page = logged_in_client(director_a).get(journal_url(visited), {"action": "denied"})
    assert [(e.user.username, e.action) for e in page.context["page"]] == [
        ("ide.b", AccessAction.DENIED)
    ]


def test_the_director_filters_the_journal_by_date(logged_in_client, director_a, visited):
    tomorrow = days_ahead(1).isoformat()
    page = logged_in_client(director_a).get(journal_url(visited), {"date_from": tomorrow})
    assert list(page.context["page"]) == []


def test_the_csv_export_holds_the_entries_and_is_itself_journaled(
    logged_in_client, director_a, visited
):
    response = logged_in_client(director_a).get(
        journal_url(visited), {"format": "csv"}, REMOTE_ADDR=IP
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("date_heure_utc;")
    assert sum("Consultation" in line and "Claire Martin" in line for line in lines) == 2
    assert sum("Accès refusé" in line for line in lines) == 1
    [export] = events(action=AccessAction.EXPORT)
    assert (export.user, export.person, export.ip_address) == (director_a, visited, IP)


def test_a_nurse_cannot_read_the_journal_even_of_a_resident_she_cares_for(
    logged_in_client, nurse_a, visited
):
    client = logged_in_client(nurse_a)
    assert_refused(client.get(journal_url(visited)), MANAGEMENT_ONLY, user=nurse_a, person=visited)
    csv = client.get(journal_url(visited), {"format": "csv"})
    assert_refused(csv, MANAGEMENT_ONLY, user=nurse_a, person=visited)
    assert not events(action=AccessAction.EXPORT)
    # Refused before the record is resolved: no read of the journal page is recorded.
    assert not events(action=AccessAction.READ, object_type="page:access:person_journal")


def test_the_director_of_another_ehpad_cannot_read_this_persons_journal(
    logged_in_client, director_b, visited
):
    response = logged_in_client(director_b).get(journal_url(visited))

    assert_refused(response, NOT_FOLLOWED, user=director_b, person=visited)


def test_the_journal_page_costs_a_bounded_number_of_queries(
    logged_in_client, director_a, nurse_a, resident_a, django_assert_max_num_queries
):
    reader = logged_in_client(nurse_a)
    for _ in range(15):
        reader.get(record_url(resident_a))
    client = logged_in_client(director_a)
    with django_assert_max_num_queries(25):
        assert client.get(journal_url(resident_a)).status_code == 200


def test_login_again_after_time_travel_is_needed_and_works(nurse_a, resident_a, client):
    login(client, nurse_a)
    with freeze_time(timezone.now() + settings.SESSION_IDLE_LOCK + timedelta(minutes=1)):
        assert client.get(record_url(resident_a)).status_code == 302  # idle lock
        login(client, nurse_a)
        assert client.get(record_url(resident_a)).status_code == 200


def test_the_csv_export_neutralises_spreadsheet_formulas_in_names(
    logged_in_client, director_a, nurse_a, resident_a
):
    nurse_a.first_name, nurse_a.last_name = "", "=1+1"
    nurse_a.save()
    logged_in_client(nurse_a).get(record_url(resident_a))

    response = logged_in_client(director_a).get(journal_url(resident_a), {"format": "csv"})

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ";'=1+1;" in content
    assert ";=1+1;" not in content
