"""The partner directory: each organisation keeps its own list of GPs, mandataires, hospitals…;
everyone assigned there reads it, those who keep the administrative record add and edit."""

import html
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.coordination import services
from dui.coordination.models import Partner, PartnerKind
from dui.coordination.selectors import partner_manager_organisations, partners_visible_to
from tests.factories import EstablishmentFactory, OrganisationFactory, professional
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

LIST = reverse("coordination:partner_list")
CREATE = reverse("coordination:partner_create")
RPPS_MESSAGE = "Le numéro RPPS compte 11 chiffres."


def text(response) -> str:
    return html.unescape(response.content.decode())


def edit_url(partner) -> str:
    return reverse("coordination:partner_edit", kwargs={"partner_id": partner.public_id})


def partner_form(**overrides) -> dict:
    data = {
        "kind": PartnerKind.GENERAL_PRACTITIONER,
        "name": "Dr Sophie Roux",
        "rpps": "10003456789",
        "phone": "04 78 11 22 33",
        "email": "",
        "address": "3 place Bellecour, Lyon",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def gp(organisation):
    return Partner.objects.create(
        organisation=organisation, kind=PartnerKind.GENERAL_PRACTITIONER, name="Dr Paul Garnier"
    )


@pytest.fixture
def elsewhere():
    """A partner of another organisation, and a secretary there."""
    other = OrganisationFactory(name="Fondation Voisine")
    partner = Partner.objects.create(
        organisation=other, kind=PartnerKind.GENERAL_PRACTITIONER, name="Dr Ailleurs"
    )
    secretary = professional(
        username="sec.x",
        profession="secretaire",
        establishment=EstablishmentFactory(organisation=other),
    )
    return partner, secretary


def test_the_list_shows_only_the_partners_of_the_users_organisation(
    logged_in_client, nurse_a, gp, elsewhere
):
    response = logged_in_client(nurse_a).get(LIST)

    assert response.status_code == 200
    assert list(response.context["page"]) == [gp]
    body = text(response)
    assert "Dr Paul Garnier" in body and "Dr Ailleurs" not in body


def test_the_list_filters_by_kind_and_searches_by_name(logged_in_client, nurse_a, organisation, gp):
    pharmacy = Partner.objects.create(
        organisation=organisation, kind=PartnerKind.PHARMACY, name="Pharmacie du Parc"
    )
    Partner.objects.create(organisation=organisation, kind=PartnerKind.HOSPITAL, name="CH du Parc")
    client = logged_in_client(nurse_a)

    assert list(client.get(LIST, {"type": "pharmacy"}).context["page"]) == [pharmacy]
    assert list(client.get(LIST, {"q": "pharmacie parc"}).context["page"]) == [pharmacy]
    assert list(partners_visible_to(user=nurse_a, kind=PartnerKind.GENERAL_PRACTITIONER)) == [gp]


def test_a_nurse_reads_the_directory_but_may_not_add_to_it(logged_in_client, nurse_a, gp):
    client = logged_in_client(nurse_a)

    assert "Ajouter un partenaire" not in text(client.get(LIST))
    cannot_add = "Votre profession ne peut pas ajouter de partenaire."
    assert_refused(client.get(CREATE), cannot_add, user=nurse_a)
    assert_refused(client.post(CREATE, partner_form()), cannot_add, user=nurse_a)
    line = assert_refused(
        client.get(edit_url(gp)),
        "Votre profession ne peut pas modifier ce partenaire.",
        user=nurse_a,
    )
    assert line.object_id == str(gp.public_id) and line.person is None
    assert Partner.objects.count() == 1


def test_a_secretary_adds_a_gp_and_the_creation_is_journaled(
    logged_in_client, secretary_a, organisation
):
    client = logged_in_client(secretary_a)
    assert "Ajouter un partenaire" in text(client.get(LIST))
    assert client.get(CREATE, {"type": "gp"}).context["form"].initial["kind"] == "gp"

    response = client.post(CREATE, partner_form(organisation=str(organisation.public_id)))

    assert response.status_code == 302
    partner = Partner.objects.get()
    assert (partner.organisation, partner.kind, partner.rpps) == (
        organisation,
        PartnerKind.GENERAL_PRACTITIONER,
        "10003456789",
    )
    assert partner.created_by == secretary_a
    [created] = AccessEvent.objects.filter(action=AccessAction.CREATE)
    assert (created.user, created.object_id, created.person) == (
        secretary_a,
        str(partner.public_id),
        None,
    )


def test_after_adding_a_gp_from_the_administrative_form_the_secretary_goes_back_to_it(
    logged_in_client, secretary_a, organisation
):
    back = "/usagers/00000000-0000-0000-0000-000000000000/administratif/modifier/"
    response = logged_in_client(secretary_a).post(
        CREATE, partner_form(organisation=str(organisation.public_id), next=back)
    )
    assert response["Location"] == back

    response = logged_in_client(secretary_a).post(
        CREATE,
        partner_form(
            name="Dr Autre", organisation=str(organisation.public_id), next="https://evil.example/"
        ),
    )
    assert response["Location"] == LIST


def test_an_rpps_must_have_11_digits_with_the_message_of_the_named_constraint(
    logged_in_client, secretary_a, organisation
):
    response = logged_in_client(secretary_a).post(
        CREATE, partner_form(organisation=str(organisation.public_id), rpps="1234")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["rpps"] == [RPPS_MESSAGE]

    with pytest.raises(ValidationError) as refused:
        services.partner_create(
            acting_user=secretary_a,
            organisation=organisation,
            kind=PartnerKind.GENERAL_PRACTITIONER,
            name="Dr Roux",
            rpps="1000345678X",
        )
    assert RPPS_MESSAGE in refused.value.messages
    assert not Partner.objects.exists()


def test_the_database_refuses_a_bad_rpps_by_the_constraint_name(organisation):
    with pytest.raises(IntegrityError, match="partner_rpps_11_digits"), transaction.atomic():
        Partner.objects.create(
            organisation=organisation,
            kind=PartnerKind.GENERAL_PRACTITIONER,
            name="X",
            rpps="12",
        )


def test_a_secretary_edits_and_deactivates_a_partner_never_deleting_it(
    logged_in_client, secretary_a, gp
):
    client = logged_in_client(secretary_a)
    form = client.get(edit_url(gp)).context["form"]
    read_at = form.initial["version"]

    response = client.post(
        edit_url(gp),
        partner_form(name="Dr Paul Garnier", phone="04 72 00 00 00", version=read_at),
    )

    assert response.status_code == 302
    gp.refresh_from_db()
    assert gp.phone == "04 72 00 00 00" and gp.version == read_at + 1
    assert not gp.is_active  # the box "actif" was not sent: unchecked
    assert AccessEvent.objects.filter(action=AccessAction.UPDATE, object_id=str(gp.public_id))
    assert gp in partners_visible_to(user=secretary_a)
    assert gp not in partners_visible_to(user=secretary_a, active_only=True)


def test_a_partner_changed_meanwhile_ends_in_a_conflict(
    logged_in_client, secretary_a, director_a, gp
):
    secretary, director = logged_in_client(secretary_a), logged_in_client(director_a)
    read_at = secretary.get(edit_url(gp)).context["form"].initial["version"]
    director.post(
        edit_url(gp),
        partner_form(
            name="Dr Paul Garnier",
            phone="01",
            is_active="on",
            version=director.get(edit_url(gp)).context["form"].initial["version"],
        ),
    )

    response = secretary.post(
        edit_url(gp),
        partner_form(name="Dr Paul Garnier", phone="02", is_active="on", version=read_at),
    )

    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in text(response)
    gp.refresh_from_db()
    assert gp.phone == "01"


def test_a_partner_of_another_organisation_is_not_found_and_not_editable(
    logged_in_client, secretary_a, elsewhere
):
    partner, _secretary = elsewhere
    assert logged_in_client(secretary_a).get(edit_url(partner)).status_code == 404
    with pytest.raises(AccessDenied, match="ne peut pas modifier les partenaires"):
        services.partner_update(
            acting_user=secretary_a, partner=partner, phone="00", expected_version=1
        )
    partner.refresh_from_db()
    assert partner.phone == ""


def test_an_edit_that_does_not_say_which_version_it_read_is_refused(
    logged_in_client, secretary_a, gp
):
    response = logged_in_client(secretary_a).post(
        edit_url(gp), partner_form(name="Dr Paul Garnier", phone="09", is_active="on")
    )

    assert response.status_code == 400
    assert "version de la fiche manquante" in text(response)
    with pytest.raises(ValidationError, match="version de la fiche manquante"):
        services.partner_update(
            acting_user=secretary_a, partner=gp, phone="09", expected_version=None
        )
    gp.refresh_from_db()
    assert gp.phone == "" and gp.version == 1


def test_who_manages_the_directory(secretary_a, director_a, nurse_a, organisation, elsewhere):
    _partner, other_secretary = elsewhere
    assert partner_manager_organisations(secretary_a) == [organisation]
    assert partner_manager_organisations(director_a) == [organisation]
    assert partner_manager_organisations(nurse_a) == []
    assert partner_manager_organisations(other_secretary) != [organisation]


def test_the_directory_needs_a_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
