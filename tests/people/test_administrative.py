"""The "Administratif" tab: administrative file (address, social security, complementary
insurance, GP) and social aids, as the secretary, the social worker, the nurse and the nurse of
another EHPAD live them."""

import html
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dui.access.decorators import CATEGORY_NOT_READ, CATEGORY_NOT_WRITTEN, NOT_FOLLOWED
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.coordination.models import Partner, PartnerKind
from dui.core import dates
from dui.people import administrative
from dui.people.administrative import (
    administrative_file_save,
    constraint_message,
    general_practitioner_choices,
    social_aid_create,
    social_aid_mark_entered_in_error,
    social_aid_update,
)
from dui.people.models import AdministrativeFile, SocialAid, SocialAidKind
from dui.people.nir import nir_key
from tests.factories import EstablishmentFactory, OrganisationFactory, professional
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

VALID_NIR = "2410369383012" + f"{nir_key('2410369383012'):02d}"
WRONG_KEY_NIR = "2410369383012" + f"{(nir_key('2410369383012') + 1) % 97:02d}"
NIR_MESSAGE = "Ce numéro n'est pas un NIR valide"
CONFLICT = "a été modifié par quelqu'un d'autre pendant votre saisie"


def text(response) -> str:
    return html.unescape(response.content.decode())


def tab_url(person) -> str:
    return reverse("people:administrative", kwargs={"person_id": person.public_id})


def edit_url(person) -> str:
    return reverse("people:administrative_edit", kwargs={"person_id": person.public_id})


def aid_create_url(person) -> str:
    return reverse("people:social_aid_create", kwargs={"person_id": person.public_id})


def aid_url(name, aid) -> str:
    return reverse(name, kwargs={"person_id": aid.person.public_id, "aid_id": aid.public_id})


def journal(**filters):
    return list(AccessEvent.objects.filter(**filters).order_by("sequence"))


def file_form(**overrides) -> dict:
    data = {
        "previous_address": "12 rue des Lilas",
        "previous_postcode": "69003",
        "previous_city": "Lyon",
        "insured_number": VALID_NIR,
        "scheme": "general",
        "insurance_fund": "CPAM du Rhône",
        "insurance_fund_code": "691",
        "long_term_condition": "on",
        "exemption_detail": "",
        "complementary_name": "Mutuelle des Cèdres",
        "complementary_number": "A-1234",
        "general_practitioner": "",
        "expected_version": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def file_data(**overrides) -> dict:
    """What the form hands the service."""
    data = {
        "previous_address": "12 rue des Lilas",
        "previous_postcode": "69003",
        "previous_city": "Lyon",
        "insured_number": VALID_NIR,
        "scheme": "general",
        "insurance_fund": "CPAM du Rhône",
        "long_term_condition": True,
    }
    data.update(overrides)
    return data


def aid_form(**overrides) -> dict:
    data = {
        "kind": SocialAidKind.APA,
        "payer": "Conseil départemental du Rhône",
        "decision_on": "2025-01-15",
        "starts_on": "2025-02-01",
        "ends_on": "",
        "monthly_amount": "1 234,56",
        "reference": "APA-2025-001",
        "notes": "",
        "expected_version": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def make_aid(person, **fields) -> SocialAid:
    values = {"kind": SocialAidKind.APA, "decision_on": date(2025, 1, 15)}
    values.update(fields)
    return SocialAid.objects.create(person=person, **values)


@pytest.fixture
def social_worker_a(ehpad_a):
    return professional(
        username="ass.a", profession="assistant_service_social", establishment=ehpad_a
    )


@pytest.fixture
def gp(organisation):
    return Partner.objects.create(
        organisation=organisation,
        kind=PartnerKind.GENERAL_PRACTITIONER,
        name="Dr Paul Garnier",
        phone="04 78 00 00 01",
        rpps="10001234567",
    )


@pytest.fixture
def other_organisation_gp():
    return Partner.objects.create(
        organisation=OrganisationFactory(name="Fondation Voisine"),
        kind=PartnerKind.GENERAL_PRACTITIONER,
        name="Dr Ailleurs",
    )


# --- The tab ----------------------------------------------------------------------------------


def test_the_tab_is_listed_in_the_record_and_says_not_filled_in_with_a_button_to_fill_it(
    logged_in_client, secretary_a, resident_a
):
    client = logged_in_client(secretary_a)
    record = text(client.get(reverse("people:record", kwargs={"person_id": resident_a.public_id})))
    assert tab_url(resident_a) in record and "Administratif" in record

    response = client.get(tab_url(resident_a))

    assert response.status_code == 200
    body = text(response)
    assert "non renseigné" in body
    assert "Renseigner les données administratives" in body
    assert edit_url(resident_a) in body
    [read] = journal(action=AccessAction.READ, person=resident_a, user=secretary_a)[-1:]
    assert read.object_type == "page:people:administrative"


def test_a_secretary_fills_in_the_file_and_the_tab_shows_it_with_the_gp(
    logged_in_client, secretary_a, resident_a, gp
):
    client = logged_in_client(secretary_a)
    form_page = text(client.get(edit_url(resident_a)))
    assert "Dr Paul Garnier" in form_page

    response = client.post(edit_url(resident_a), file_form(general_practitioner=str(gp.public_id)))

    assert response.status_code == 302
    assert response["Location"] == tab_url(resident_a)
    file = AdministrativeFile.objects.get(person=resident_a)
    assert file.version == 1
    assert file.insured_number == VALID_NIR
    assert file.general_practitioner == gp
    assert file.created_by == secretary_a and file.updated_by == secretary_a
    [created] = journal(action=AccessAction.CREATE, person=resident_a)
    assert created.user == secretary_a
    assert created.object_id == str(file.public_id)
    body = text(client.get(tab_url(resident_a)))
    assert "Dr Paul Garnier" in body and "04 78 00 00 01" in body
    assert "2 41 03 69 383 012" in body
    assert "CPAM du Rhône" in body and "69003 Lyon" in body
    assert "Données administratives enregistrées." in body


def test_an_insured_number_typed_with_spaces_is_stored_without_them(
    logged_in_client, secretary_a, resident_a
):
    spaced = " ".join([VALID_NIR[0], VALID_NIR[1:3], VALID_NIR[3:5], VALID_NIR[5:]])
    response = logged_in_client(secretary_a).post(
        edit_url(resident_a), file_form(insured_number=spaced)
    )
    assert response.status_code == 302
    assert AdministrativeFile.objects.get(person=resident_a).insured_number == VALID_NIR


def test_an_insured_number_with_a_wrong_key_is_refused_next_to_the_field_and_nothing_is_saved(
    logged_in_client, secretary_a, resident_a
):
    response = logged_in_client(secretary_a).post(
        edit_url(resident_a), file_form(insured_number=WRONG_KEY_NIR)
    )

    assert response.status_code == 400
    assert NIR_MESSAGE in text(response)
    assert NIR_MESSAGE in " ".join(response.context["form"].errors["insured_number"])
    assert not AdministrativeFile.objects.exists()
    assert not journal(action=AccessAction.CREATE)


def test_the_service_refuses_a_wrong_nir_key_too_and_saves_nothing(secretary_a, resident_a):
    with pytest.raises(ValidationError) as refused:
        administrative_file_save(
            acting_user=secretary_a,
            person=resident_a,
            data=file_data(insured_number=WRONG_KEY_NIR),
            expected_version=None,
        )
    assert NIR_MESSAGE in " ".join(refused.value.message_dict["insured_number"])
    assert not AdministrativeFile.objects.exists()
    assert not journal(action=AccessAction.CREATE)


def test_a_postcode_must_have_5_digits_with_the_message_of_the_named_constraint(
    logged_in_client, secretary_a, resident_a
):
    message = constraint_message(AdministrativeFile, "administrative_postcode_5_digits")
    response = logged_in_client(secretary_a).post(
        edit_url(resident_a), file_form(previous_postcode="6903")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["previous_postcode"] == [message]

    with pytest.raises(ValidationError) as refused:
        administrative_file_save(
            acting_user=secretary_a,
            person=resident_a,
            data=file_data(previous_postcode="69A03"),
            expected_version=None,
        )
    assert refused.value.message_dict["previous_postcode"] == [message]
    assert not AdministrativeFile.objects.exists()


def test_the_database_refuses_a_bad_postcode_by_the_constraint_name(resident_a):
    with (
        pytest.raises(IntegrityError, match="administrative_postcode_5_digits"),
        transaction.atomic(),
    ):
        AdministrativeFile.objects.create(person=resident_a, previous_postcode="123")


def test_the_first_save_creates_the_file_and_later_saves_update_it_with_a_version_check(
    secretary_a, resident_a
):
    file = administrative_file_save(
        acting_user=secretary_a, person=resident_a, data=file_data(), expected_version=None
    )
    assert file.version == 1

    file = administrative_file_save(
        acting_user=secretary_a,
        person=resident_a,
        data={"previous_city": "Villeurbanne", "previous_postcode": "69100"},
        expected_version=1,
    )
    assert file.version == 2
    assert AdministrativeFile.objects.get(person=resident_a).previous_city == "Villeurbanne"

    with pytest.raises(ValidationError, match=CONFLICT):
        administrative_file_save(
            acting_user=secretary_a,
            person=resident_a,
            data={"previous_city": "Bron"},
            expected_version=1,
        )
    file.refresh_from_db()
    assert (file.version, file.previous_city) == (2, "Villeurbanne")
    assert [e.action for e in journal(person=resident_a)] == [
        AccessAction.CREATE,
        AccessAction.UPDATE,
    ]
    assert file.history.count() == 2


def test_two_users_editing_the_file_at_once_the_second_gets_a_conflict_and_overwrites_nothing(
    logged_in_client, secretary_a, director_a, resident_a
):
    administrative_file_save(
        acting_user=secretary_a, person=resident_a, data=file_data(), expected_version=None
    )
    secretary, director = logged_in_client(secretary_a), logged_in_client(director_a)
    read_by_secretary = secretary.get(edit_url(resident_a)).context["form"]
    read_by_director = director.get(edit_url(resident_a)).context["form"]
    assert read_by_secretary.initial["expected_version"] == 1
    assert read_by_director.initial["expected_version"] == 1

    first = secretary.post(
        edit_url(resident_a), file_form(previous_city="Villeurbanne", expected_version="1")
    )
    second = director.post(
        edit_url(resident_a), file_form(previous_city="Bron", expected_version="1")
    )

    assert first.status_code == 302
    assert second.status_code == 409
    assert CONFLICT in text(second)
    file = AdministrativeFile.objects.get(person=resident_a)
    assert (file.version, file.previous_city, file.updated_by) == (2, "Villeurbanne", secretary_a)


def test_two_users_filling_in_an_empty_file_at_once_the_second_gets_a_conflict(
    logged_in_client, secretary_a, director_a, resident_a
):
    secretary, director = logged_in_client(secretary_a), logged_in_client(director_a)

    first = secretary.post(edit_url(resident_a), file_form(previous_city="Lyon"))
    second = director.post(edit_url(resident_a), file_form(previous_city="Bron"))

    assert first.status_code == 302
    assert second.status_code == 409
    assert CONFLICT in text(second)
    assert AdministrativeFile.objects.get(person=resident_a).previous_city == "Lyon"


def test_the_gp_is_chosen_among_the_active_gps_of_the_users_organisation(
    secretary_a, resident_a, organisation, gp, other_organisation_gp
):
    Partner.objects.create(organisation=organisation, kind=PartnerKind.SPECIALIST, name="Dr Spé")
    Partner.objects.create(
        organisation=organisation,
        kind=PartnerKind.GENERAL_PRACTITIONER,
        name="Dr Retraité",
        is_active=False,
    )

    choices = list(general_practitioner_choices(user=secretary_a))

    assert choices == [gp]
    with pytest.raises(ValidationError) as refused:
        administrative_file_save(
            acting_user=secretary_a,
            person=resident_a,
            data=file_data(general_practitioner=other_organisation_gp),
            expected_version=None,
        )
    assert "general_practitioner" in refused.value.message_dict
    assert not AdministrativeFile.objects.exists()


def test_a_gp_no_longer_active_stays_on_the_file_when_other_fields_change(
    secretary_a, resident_a, gp
):
    administrative_file_save(
        acting_user=secretary_a,
        person=resident_a,
        data=file_data(general_practitioner=gp),
        expected_version=None,
    )
    gp.is_active = False
    gp.save()

    file = administrative_file_save(
        acting_user=secretary_a,
        person=resident_a,
        data=file_data(general_practitioner=gp, previous_city="Bron"),
        expected_version=1,
    )

    assert file.general_practitioner == gp
    assert gp in general_practitioner_choices(user=secretary_a, current=gp)


def test_a_nurse_reads_the_file_but_may_not_edit_it(
    logged_in_client, nurse_a, secretary_a, resident_a
):
    administrative_file_save(
        acting_user=secretary_a, person=resident_a, data=file_data(), expected_version=None
    )
    client = logged_in_client(nurse_a)

    body = text(client.get(tab_url(resident_a)))
    assert "CPAM du Rhône" in body
    assert "Modifier les données administratives" not in body
    assert_refused(
        client.get(edit_url(resident_a)), CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a
    )
    assert_refused(
        client.post(edit_url(resident_a), file_form(expected_version="1")),
        CATEGORY_NOT_WRITTEN,
        user=nurse_a,
        person=resident_a,
    )
    with pytest.raises(AccessDenied, match="ne peut pas modifier les données administratives"):
        administrative_file_save(
            acting_user=nurse_a, person=resident_a, data=file_data(), expected_version=1
        )
    assert AdministrativeFile.objects.get(person=resident_a).version == 1


def test_a_nurse_of_another_ehpad_is_refused_and_the_attempt_is_journaled(
    logged_in_client, nurse_b, resident_a
):
    client = logged_in_client(nurse_b)

    for response in (
        client.get(tab_url(resident_a)),
        client.post(edit_url(resident_a), file_form()),
        client.post(aid_create_url(resident_a), aid_form()),
    ):
        assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)

    assert {e.action for e in journal(person=resident_a, user=nurse_b)} == {AccessAction.DENIED}
    assert not AdministrativeFile.objects.exists() and not SocialAid.objects.exists()
    with pytest.raises(AccessDenied, match="ne peut pas modifier les données administratives"):
        administrative_file_save(
            acting_user=nurse_b, person=resident_a, data=file_data(), expected_version=None
        )
    assert not AdministrativeFile.objects.exists()


# --- Social aids (category SOCIAL) ------------------------------------------------------------


def test_social_aids_are_shown_only_to_professions_reading_the_social_record(
    logged_in_client, secretary_a, nurse_a, resident_a
):
    make_aid(resident_a, reference="APA-SECRET-42")

    secretary_page = text(logged_in_client(secretary_a).get(tab_url(resident_a)))
    nurse_page = text(logged_in_client(nurse_a).get(tab_url(resident_a)))

    assert "Données administratives" in secretary_page
    assert "Aides sociales" not in secretary_page and "APA-SECRET-42" not in secretary_page
    assert "Aides sociales" in nurse_page and "APA-SECRET-42" in nurse_page
    assert "Ajouter une aide sociale" not in nurse_page  # the nurse reads, does not write


def test_aids_are_listed_current_first_with_french_amounts_and_ended_or_cancelled_ones_marked(
    logged_in_client, social_worker_a, resident_a
):
    today = dates.today()
    make_aid(
        resident_a,
        kind=SocialAidKind.HOUSING,
        decision_on=today - timedelta(days=900),
        starts_on=today - timedelta(days=800),
        ends_on=today - timedelta(days=10),
        monthly_amount=Decimal("180.00"),
    )
    make_aid(
        resident_a,
        kind=SocialAidKind.ASH,
        decision_on=today - timedelta(days=5),
        entered_in_error=True,
        entered_in_error_reason="Doublon de la décision APA",
    )
    make_aid(
        resident_a,
        kind=SocialAidKind.APA,
        decision_on=today - timedelta(days=400),
        starts_on=today - timedelta(days=390),
        monthly_amount=Decimal("1234.56"),
    )

    response = logged_in_client(social_worker_a).get(tab_url(resident_a))

    rows = [(aid.kind, aid.state_label.label) for aid in response.context["aids"]]
    assert rows == [
        (SocialAidKind.APA, "en cours"),
        (SocialAidKind.HOUSING, "terminée"),
        (SocialAidKind.ASH, "saisie par erreur"),
    ]
    body = text(response)
    assert "1\u202f234,56\u00a0€" in body  # dui.core.money.format_amount
    assert "180,00\u00a0€" in body
    assert "Doublon de la décision APA" in body
    assert "<s>Aide sociale à l'hébergement</s>" in body
    assert body.count('class="entry-ended"') == 2


def test_a_social_worker_adds_an_aid_typed_the_french_way_and_it_is_journaled(
    logged_in_client, social_worker_a, resident_a
):
    client = logged_in_client(social_worker_a)
    assert client.get(aid_create_url(resident_a)).status_code == 200

    response = client.post(aid_create_url(resident_a), aid_form())

    assert response.status_code == 302
    aid = SocialAid.objects.get(person=resident_a)
    assert aid.monthly_amount == Decimal("1234.56")
    assert aid.created_by == social_worker_a
    [created] = journal(action=AccessAction.CREATE, person=resident_a)
    assert (created.user, created.object_id) == (social_worker_a, str(aid.public_id))


def test_an_aid_ending_before_it_starts_is_refused_with_the_message_of_the_named_constraint(
    logged_in_client, social_worker_a, resident_a
):
    message = constraint_message(SocialAid, "social_aid_end_after_start")
    assert message == "La fin de l'aide doit suivre son début."

    response = logged_in_client(social_worker_a).post(
        aid_create_url(resident_a), aid_form(starts_on="2025-03-01", ends_on="2025-02-01")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == [message]

    with pytest.raises(ValidationError) as refused:
        social_aid_create(
            acting_user=social_worker_a,
            person=resident_a,
            kind=SocialAidKind.PCH,
            decision_on=date(2025, 1, 1),
            starts_on=date(2025, 3, 1),
            ends_on=date(2025, 2, 1),
        )
    assert refused.value.message_dict["ends_on"] == [message]
    assert not SocialAid.objects.exists()
    assert not journal(action=AccessAction.CREATE)


def test_a_negative_amount_is_refused_with_the_message_of_the_named_constraint(
    logged_in_client, social_worker_a, resident_a
):
    message = constraint_message(SocialAid, "social_aid_amount_not_negative")

    response = logged_in_client(social_worker_a).post(
        aid_create_url(resident_a), aid_form(monthly_amount="-12,50")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["monthly_amount"] == [message]

    with pytest.raises(ValidationError) as refused:
        social_aid_create(
            acting_user=social_worker_a,
            person=resident_a,
            kind=SocialAidKind.AAH,
            decision_on=date(2025, 1, 1),
            monthly_amount=Decimal("-1"),
        )
    assert refused.value.message_dict["monthly_amount"] == [message]
    assert not SocialAid.objects.exists()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        (
            {"starts_on": date(2025, 3, 1), "ends_on": date(2025, 2, 1)},
            "social_aid_end_after_start",
        ),
        ({"monthly_amount": Decimal("-5")}, "social_aid_amount_not_negative"),
    ],
)
def test_the_database_refuses_an_inconsistent_aid_by_the_constraint_name(
    resident_a, fields, constraint
):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make_aid(resident_a, **fields)


def test_a_nurse_may_not_add_an_aid_and_the_service_refuses_too(
    logged_in_client, nurse_a, resident_a
):
    client = logged_in_client(nurse_a)

    assert_refused(
        client.get(aid_create_url(resident_a)),
        CATEGORY_NOT_WRITTEN,
        user=nurse_a,
        person=resident_a,
    )
    assert_refused(
        client.post(aid_create_url(resident_a), aid_form()),
        CATEGORY_NOT_WRITTEN,
        user=nurse_a,
        person=resident_a,
    )
    with pytest.raises(AccessDenied, match="ne peut pas modifier les aides sociales"):
        social_aid_create(
            acting_user=nurse_a,
            person=resident_a,
            kind=SocialAidKind.APA,
            decision_on=date(2025, 1, 1),
        )
    assert not SocialAid.objects.exists()


def test_a_secretary_who_does_not_read_the_social_record_cannot_open_the_aid_form(
    logged_in_client, secretary_a, resident_a
):
    response = logged_in_client(secretary_a).get(aid_create_url(resident_a))
    assert_refused(response, CATEGORY_NOT_READ, user=secretary_a, person=resident_a)
    [denied] = journal(action=AccessAction.DENIED, person=resident_a)
    assert denied.user == secretary_a


def test_an_aid_is_updated_with_a_version_check(social_worker_a, director_a, resident_a):
    aid = make_aid(resident_a)

    aid = social_aid_update(
        acting_user=social_worker_a,
        aid=aid,
        expected_version=1,
        ends_on=date(2026, 1, 31),
        monthly_amount=Decimal("420.10"),
    )
    assert aid.version == 2

    with pytest.raises(ValidationError, match="Cette aide sociale a été modifiée"):
        social_aid_update(
            acting_user=social_worker_a, aid=aid, expected_version=1, monthly_amount=Decimal("1")
        )
    aid.refresh_from_db()
    assert aid.monthly_amount == Decimal("420.10")
    assert [e.action for e in journal(person=resident_a)] == [AccessAction.UPDATE]


def test_the_edit_form_shows_the_amount_the_french_way_and_saves_the_change(
    logged_in_client, social_worker_a, resident_a
):
    aid = make_aid(resident_a, monthly_amount=Decimal("1234.50"))
    client = logged_in_client(social_worker_a)
    assert 'value="1234,50"' in text(client.get(aid_url("people:social_aid_edit", aid)))

    response = client.post(
        aid_url("people:social_aid_edit", aid),
        aid_form(monthly_amount="1 300", expected_version="1"),
    )

    assert response.status_code == 302
    aid.refresh_from_db()
    assert (aid.monthly_amount, aid.version) == (Decimal("1300"), 2)


def test_an_aid_entered_in_error_needs_a_reason_stays_visible_and_is_journaled(
    logged_in_client, social_worker_a, resident_a
):
    aid = make_aid(resident_a)
    client = logged_in_client(social_worker_a)
    url = aid_url("people:social_aid_mark_in_error", aid)

    refused = client.post(url, {"reason": "", "idempotency_key": str(uuid.uuid4())})
    assert refused.status_code == 400
    aid.refresh_from_db()
    assert not aid.entered_in_error

    response = client.post(
        url,
        {
            "reason": "Saisie sur le mauvais dossier",
            "expected_version": "1",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 302
    aid.refresh_from_db()
    assert aid.entered_in_error
    assert aid.entered_in_error_reason == "Saisie sur le mauvais dossier"
    assert aid.history.first().history_change_reason == (
        "Saisie par erreur : Saisie sur le mauvais dossier"
    )
    [amend] = journal(action=AccessAction.AMEND, person=resident_a)
    assert amend.object_id == str(aid.public_id)
    assert SocialAid.objects.filter(pk=aid.pk).exists()  # never deleted
    with pytest.raises(ValidationError):
        social_aid_update(acting_user=social_worker_a, aid=aid, expected_version=2, notes="x")


def test_the_service_refuses_to_mark_an_aid_in_error_without_a_reason(social_worker_a, resident_a):
    aid = make_aid(resident_a)
    with pytest.raises(ValidationError) as refused:
        social_aid_mark_entered_in_error(
            acting_user=social_worker_a, aid=aid, reason="  ", expected_version=aid.version
        )
    assert "reason" in refused.value.message_dict


def test_an_aid_of_another_person_cannot_be_reached_through_this_persons_url(
    logged_in_client, social_worker_a, resident_a, unit_a
):
    from tests.factories import CareTeamMembershipFactory, PersonFactory

    other = PersonFactory()
    CareTeamMembershipFactory(person=other, establishment=unit_a.establishment, unit=unit_a)
    aid = make_aid(other)
    url = reverse(
        "people:social_aid_edit",
        kwargs={"person_id": resident_a.public_id, "aid_id": aid.public_id},
    )
    assert logged_in_client(social_worker_a).get(url).status_code == 404


# --- Bounded work -----------------------------------------------------------------------------


def test_the_tab_costs_the_same_number_of_queries_for_2_or_15_aids(
    logged_in_client, social_worker_a, resident_a, gp, django_assert_max_num_queries
):
    administrative_file_save(
        acting_user=social_worker_a,
        person=resident_a,
        data=file_data(general_practitioner=gp),
        expected_version=None,
    )
    client = logged_in_client(social_worker_a)
    client.get(tab_url(resident_a))
    for _ in range(2):
        make_aid(resident_a, monthly_amount=Decimal("10"))

    with CaptureQueriesContext(connection) as with_2:
        assert client.get(tab_url(resident_a)).status_code == 200
    for _ in range(13):
        make_aid(resident_a, monthly_amount=Decimal("10"))
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as with_15:
        response = client.get(tab_url(resident_a))
    assert len(response.context["aids"]) == 15
    assert len(with_15.captured_queries) == len(with_2.captured_queries)


def test_the_module_keeps_the_field_lists_in_step_with_the_models():
    model_fields = {f.name for f in AdministrativeFile._meta.fields}
    assert set(administrative.ADMINISTRATIVE_FILE_FIELDS) <= model_fields
    assert set(administrative.SOCIAL_AID_FIELDS) <= {f.name for f in SocialAid._meta.fields}


def test_a_director_of_the_same_organisation_elsewhere_sees_no_gp_of_another_organisation(
    resident_a, gp, other_organisation_gp
):
    other_ehpad = EstablishmentFactory(organisation=other_organisation_gp.organisation)
    elsewhere = professional(username="sec.x", profession="secretaire", establishment=other_ehpad)
    assert list(general_practitioner_choices(user=elsewhere)) == [other_organisation_gp]
