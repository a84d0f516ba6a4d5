"""Step 1: an inquiry is logged, followed up, closed, or converted into an application in one
action (the record opened on the way, with the duplicate check)."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership, CategoryPermission
from dui.accounts.models import Profession
from dui.admissions.models import AdmissionRequest, Inquiry, InquiryStatus
from dui.admissions.services import inquiries as services
from dui.core import dates
from dui.people.models import Person
from dui.people.services import ProbableDuplicates
from tests.admissions.helpers import key, text
from tests.refusals import assert_refused, assert_service_refused

# The application page.
APPLICATION_URL = re.compile(r"^/admissions/demandes/[0-9a-f-]{36}/$")
INQUIRIES_REFUSED = "Les demandes de renseignement (identité et coordonnées des personnes"


def log_inquiry(user, establishment, **extra) -> Inquiry:
    data = {
        "received_at": dates.now(),
        "channel": "phone",
        "requester_kind": "relative",
        "requester_name": "Mme Claire Martin (fille)",
        "requester_phone": "06 12 34 56 78",
        "prospect_birth_name": "MARTIN",
        "prospect_first_names": "Jeanne Marie",
        "prospect_birth_date": date(1938, 4, 2),
        "prospect_sex": "F",
        "place_kind": "permanent",
        "documents_sent": ["livret_accueil", "tarifs"],
        "follow_up_on": dates.today() + timedelta(days=7),
    }
    data.update(extra)
    return services.inquiry_create(acting_user=user, establishment=establishment, data=data)


def convert(user, inquiry, **extra):
    inquiry.refresh_from_db()
    return services.inquiry_convert(
        acting_user=user,
        inquiry=inquiry,
        expected_version=inquiry.version,
        source="direct",
        place_kind="permanent",
        received_on=dates.today(),
        **extra,
    )


def close(user, inquiry, note):
    inquiry.refresh_from_db()
    return services.inquiry_close(
        acting_user=user, inquiry=inquiry, note=note, expected_version=inquiry.version
    )


def journal_lines(inquiry, action):
    return AccessEvent.objects.filter(
        action=action, object_type="admissions.Inquiry", object_id=str(inquiry.public_id)
    )


def test_converting_an_inquiry_about_a_prospect_opens_the_record_and_the_application(
    secretary_a, ehpad_a
):
    inquiry = log_inquiry(secretary_a, ehpad_a)
    application = convert(secretary_a, inquiry)
    person = application.person
    assert (person.birth_name, person.first_names, person.birth_date, person.sex) == (
        "MARTIN",
        "Jeanne Marie",
        date(1938, 4, 2),
        "F",
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CONVERTED and inquiry.person == person
    assert application.inquiry == inquiry and application.establishment == ehpad_a
    assert CareTeamMembership.objects.filter(person=person, establishment=ehpad_a).exists()


def test_converting_an_inquiry_about_a_known_person_uses_that_record(
    secretary_a, ehpad_a, resident_a
):
    inquiry = log_inquiry(
        secretary_a,
        ehpad_a,
        person=resident_a,
        prospect_birth_name="",
        prospect_first_names="",
        prospect_birth_date=None,
    )
    persons_before = Person.objects.count()
    application = convert(secretary_a, inquiry, urgent=True)
    assert application.person == resident_a and application.urgent
    assert Person.objects.count() == persons_before


def test_a_prospect_without_birth_date_is_converted_only_once_it_is_given(secretary_a, ehpad_a):
    inquiry = log_inquiry(secretary_a, ehpad_a, prospect_birth_date=None)
    with pytest.raises(ValidationError) as error:
        convert(secretary_a, inquiry)
    assert "date de naissance" in " ".join(error.value.messages)
    assert not AdmissionRequest.objects.exists() and not Person.objects.exists()
    application = convert(secretary_a, inquiry, identity={"birth_date": date(1940, 1, 5)})
    assert application.person.birth_date == date(1940, 1, 5)


def test_a_probable_duplicate_stops_the_conversion_until_a_reason_is_given(
    secretary_a, ehpad_a, resident_a
):
    inquiry = log_inquiry(
        secretary_a,
        ehpad_a,
        prospect_birth_name=resident_a.birth_name,
        prospect_first_names=resident_a.first_names,
        prospect_birth_date=resident_a.birth_date,
    )
    with pytest.raises(ProbableDuplicates):
        convert(secretary_a, inquiry)
    assert not AdmissionRequest.objects.exists()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    application = convert(
        secretary_a, inquiry, duplicate_reason="Homonyme : autre commune de naissance"
    )
    assert application.person != resident_a


def test_a_closed_inquiry_cannot_be_converted(secretary_a, ehpad_a):
    inquiry = log_inquiry(secretary_a, ehpad_a)
    close(secretary_a, inquiry, "La famille a choisi un autre EHPAD")
    with pytest.raises(ValidationError) as error:
        convert(secretary_a, inquiry)
    assert "close" in " ".join(error.value.messages)
    assert not AdmissionRequest.objects.exists()


def test_closing_an_inquiry_needs_a_note(secretary_a, ehpad_a):
    inquiry = log_inquiry(secretary_a, ehpad_a)
    with pytest.raises(ValidationError):
        close(secretary_a, inquiry, "  ")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN


def test_an_inquiry_is_converted_only_once(secretary_a, ehpad_a):
    inquiry = log_inquiry(secretary_a, ehpad_a)
    convert(secretary_a, inquiry)
    with pytest.raises(ValidationError):
        convert(secretary_a, inquiry)
    assert AdmissionRequest.objects.count() == 1


# --- Pages -------------------------------------------------------------------------------


def test_the_secretary_logs_a_phone_inquiry_through_the_form(
    logged_in_client, secretary_a, ehpad_a, today
):
    client = logged_in_client(secretary_a)
    assert client.get(reverse("admissions:inquiry_new")).status_code == 200
    response = client.post(
        reverse("admissions:inquiry_new"),
        {
            "channel": "phone",
            "requester_kind": "hospital",
            "requester_name": "M. Durand, assistant social",
            "requester_organisation": "CH de Lens",
            "prospect_birth_name": "PETIT",
            "prospect_first_names": "Louis",
            "prospect_birth_date": "1935-02-11",
            "prospect_sex": "M",
            "place_kind": "temporary",
            "explained": "Tarifs, délais, visite possible.",
            "documents_sent": ["livret_accueil", "dossier_admission"],
            "follow_up_on": (today + timedelta(days=3)).isoformat(),
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.establishment == ehpad_a and inquiry.created_by == secretary_a
    assert inquiry.documents_sent == ["livret_accueil", "dossier_admission"]
    assert inquiry.prospect_birth_date == date(1935, 2, 11)
    assert journal_lines(inquiry, AccessAction.CREATE).get().person is None


def test_an_inquiry_for_nobody_is_refused_with_a_message(logged_in_client, secretary_a):
    response = logged_in_client(secretary_a).post(
        reverse("admissions:inquiry_new"),
        {
            "channel": "phone",
            "requester_kind": "relative",
            "requester_name": "M. X",
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 400
    assert "nom de naissance" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_the_inquiry_form_finds_a_visible_person_by_name(
    logged_in_client, secretary_a, resident_a, resident_b
):
    client = logged_in_client(secretary_a)
    page = client.get(reverse("admissions:inquiry_new"), {"q": resident_a.birth_name}).content
    assert resident_a.display_name in page.decode()
    page = client.get(reverse("admissions:inquiry_new"), {"q": resident_b.birth_name}).content
    assert resident_b.display_name not in page.decode()
    response = client.post(
        reverse("admissions:inquiry_new"),
        {
            "channel": "visit",
            "requester_kind": "person",
            "requester_name": "Elle-même",
            "person": str(resident_a.public_id),
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    assert Inquiry.objects.get().person == resident_a


def test_an_invisible_person_cannot_be_chosen_for_an_inquiry(
    logged_in_client, secretary_a, resident_b
):
    response = logged_in_client(secretary_a).post(
        reverse("admissions:inquiry_new"),
        {
            "channel": "visit",
            "requester_kind": "person",
            "requester_name": "X",
            "person": str(resident_b.public_id),
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 400 and not Inquiry.objects.exists()


def test_the_follow_up_list_orders_by_date_and_flags_the_overdue(
    logged_in_client, secretary_a, ehpad_a, today
):
    later = log_inquiry(secretary_a, ehpad_a, prospect_birth_name="LATER")
    late = log_inquiry(
        secretary_a, ehpad_a, prospect_birth_name="LATE", follow_up_on=today - timedelta(days=2)
    )
    closed = log_inquiry(secretary_a, ehpad_a, prospect_birth_name="CLOSED")
    close(secretary_a, closed, "Sans suite")
    page = logged_in_client(secretary_a).get(reverse("admissions:inquiry_list"))
    body = page.content.decode()
    assert body.index("LATE ") < body.index("LATER") and "CLOSED" not in body
    assert body.count('data-testid="overdue"') == 1
    assert later.public_id and late.public_id


def test_a_secretary_of_ehpad_b_sees_nothing_of_ehpad_a(
    logged_in_client, secretary_a, secretary_b, ehpad_a
):
    inquiry = log_inquiry(secretary_a, ehpad_a)
    client = logged_in_client(secretary_b)
    assert "MARTIN" not in client.get(reverse("admissions:inquiry_list")).content.decode()
    url = reverse("admissions:inquiry_convert", args=[inquiry.public_id])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("admissions:inquiry_close", args=[inquiry.public_id]),
        {"note": "x", "idempotency_key": key()},
    )
    assert response.status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN


def test_the_conversion_page_opens_the_record_and_goes_to_the_application(
    logged_in_client, secretary_a, ehpad_a, today
):
    inquiry = log_inquiry(secretary_a, ehpad_a, prospect_birth_date=None)
    client = logged_in_client(secretary_a)
    url = reverse("admissions:inquiry_convert", args=[inquiry.public_id])
    page = client.get(url).content.decode()
    assert 'value="MARTIN"' in page and "Date de naissance" in page
    form = {
        "source": "hospital",
        "place_kind": "permanent",
        "received_on": today.isoformat(),
        "birth_name": "MARTIN",
        "first_names": "Jeanne Marie",
        "sex": "F",
        "version": inquiry.version,
    }
    missing = client.post(url, {**form, "idempotency_key": key()})
    assert missing.status_code == 400 and not AdmissionRequest.objects.exists()
    done = client.post(url, {**form, "birth_date": "1938-04-02", "idempotency_key": key()})
    assert done.status_code == 302 and APPLICATION_URL.match(done.url)
    application = AdmissionRequest.objects.get()
    assert application.source == "hospital" and application.person.birth_date == date(1938, 4, 2)


def test_the_conversion_page_shows_the_duplicates_then_accepts_a_reason(
    logged_in_client, secretary_a, ehpad_a, resident_a, today
):
    inquiry = log_inquiry(
        secretary_a,
        ehpad_a,
        prospect_birth_name=resident_a.birth_name,
        prospect_first_names=resident_a.first_names,
        prospect_birth_date=resident_a.birth_date,
    )
    client = logged_in_client(secretary_a)
    url = reverse("admissions:inquiry_convert", args=[inquiry.public_id])
    form = {
        "source": "direct",
        "place_kind": "permanent",
        "received_on": today.isoformat(),
        "birth_name": resident_a.birth_name,
        "first_names": resident_a.first_names,
        "birth_date": resident_a.birth_date.isoformat(),
        "sex": resident_a.sex,
        "version": inquiry.version,
    }
    warned = client.post(url, {**form, "idempotency_key": key()})
    body = warned.content.decode()
    assert warned.status_code == 400 and 'data-testid="duplicates"' in body
    assert resident_a.display_name in body and not AdmissionRequest.objects.exists()
    confirmed = client.post(
        url, {**form, "duplicate_reason": "Homonyme vérifié", "idempotency_key": key()}
    )
    assert confirmed.status_code == 302 and APPLICATION_URL.match(confirmed.url)
    assert AdmissionRequest.objects.get().person != resident_a


def test_the_close_page_closes_with_a_note(logged_in_client, secretary_a, ehpad_a):
    inquiry = log_inquiry(secretary_a, ehpad_a)
    client = logged_in_client(secretary_a)
    url = reverse("admissions:inquiry_close", args=[inquiry.public_id])
    assert client.get(url).status_code == 200
    version = inquiry.version
    empty = client.post(url, {"note": "", "version": version, "idempotency_key": key()})
    assert empty.status_code == 400
    response = client.post(
        url, {"note": "Sans suite", "version": version, "idempotency_key": key()}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    assert journal_lines(inquiry, AccessAction.UPDATE).get().user == secretary_a


def test_the_follow_up_list_runs_the_same_queries_for_3_or_30_inquiries(
    logged_in_client, secretary_a, ehpad_a, resident_a, django_assert_max_num_queries
):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:inquiry_list")

    def make(n):
        for i in range(n):
            extra = {"person": resident_a, "prospect_birth_name": ""} if i % 2 else {}
            log_inquiry(secretary_a, ehpad_a, **extra)

    counts = []
    for n in (3, 27):
        make(n)
        with django_assert_max_num_queries(15) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


# --- Journal, versions, who handles inquiries -------------------------------------------------


def test_every_inquiry_write_is_journaled_even_without_a_person(secretary_a, ehpad_a):
    logged = log_inquiry(secretary_a, ehpad_a, prospect_birth_name="JOURNAL")
    closed = log_inquiry(secretary_a, ehpad_a, prospect_birth_name="CLOSE")
    close(secretary_a, closed, "Sans suite")
    application = convert(secretary_a, logged)

    created = journal_lines(logged, AccessAction.CREATE).get()
    assert created.user == secretary_a and created.person is None
    assert journal_lines(closed, AccessAction.UPDATE).get().person is None
    converted = journal_lines(logged, AccessAction.UPDATE).get()
    assert converted.person == application.person


def test_closing_an_inquiry_read_before_another_change_is_refused(secretary_a, ehpad_a):
    inquiry = log_inquiry(secretary_a, ehpad_a)
    read_at = inquiry.version
    convert(secretary_a, inquiry)
    inquiry.refresh_from_db()
    with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
        services.inquiry_close(
            acting_user=secretary_a, inquiry=inquiry, note="Sans suite", expected_version=read_at
        )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CONVERTED


def test_an_inquiry_about_a_person_the_secretary_does_not_follow_is_refused(
    secretary_a, ehpad_a, resident_b
):
    with pytest.raises(AccessDenied) as refused:
        log_inquiry(secretary_a, ehpad_a, person=resident_b, prospect_birth_name="")
    assert_service_refused(refused, "Vous n'avez pas accès au dossier de cette personne.")
    assert refused.value.person == resident_b
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("persona", ["nurse_a", "aide_a"])
def test_care_staff_do_not_see_the_prospects_and_are_refused_with_a_journaled_reason(
    persona, request, logged_in_client, secretary_a, ehpad_a
):
    """Prospects' identities and phone numbers are for who handles the establishment's
    administrative files, per the matrix (secretariat, direction, social worker by default)."""
    user = request.getfixturevalue(persona)
    inquiry = log_inquiry(secretary_a, ehpad_a)
    client = logged_in_client(user)
    urls = [
        reverse("admissions:inquiry_list"),
        reverse("admissions:inquiry_new"),
        reverse("admissions:inquiry_close", args=[inquiry.public_id]),
        reverse("admissions:inquiry_convert", args=[inquiry.public_id]),
    ]
    for url in urls:
        response = client.get(url)
        line = assert_refused(response, INQUIRIES_REFUSED, user=user)
        assert "06 12 34 56 78" not in text(response) and "MARTIN" not in text(response)
        assert line.person is None
    home = text(client.get(reverse("core:home")))
    assert reverse("admissions:inquiry_list") not in home
    assert reverse("admissions:inquiry_new") not in home


def test_the_secretary_sees_the_prospects_and_the_menu_entries(
    logged_in_client, secretary_a, ehpad_a
):
    log_inquiry(secretary_a, ehpad_a)
    client = logged_in_client(secretary_a)
    page = text(client.get(reverse("admissions:inquiry_list")))
    assert "MARTIN Jeanne Marie" in page
    assert "06 12 34 56 78" in page
    home = text(client.get(reverse("core:home")))
    assert reverse("admissions:inquiry_list") in home


def test_an_establishment_may_open_the_inquiries_to_its_nurses(
    logged_in_client, secretary_a, nurse_a, ehpad_a
):
    CategoryPermission.objects.create(
        establishment=ehpad_a,
        profession=Profession.objects.get(code="ide"),
        category="administrative",
        can_read=True,
        can_write=True,
    )
    log_inquiry(secretary_a, ehpad_a)
    page = logged_in_client(nurse_a).get(reverse("admissions:inquiry_list"))
    assert page.status_code == 200 and "06 12 34 56 78" in text(page)
