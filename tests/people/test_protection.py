"""Legal protection measures: who exercises them, who signs, and the rules that keep them sound."""

import html
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dui.access.decorators import CATEGORY_NOT_WRITTEN
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.coordination import services as coordination
from dui.coordination.models import Partner, PartnerKind
from dui.core import dates
from dui.people import entourage as services
from dui.people.models import LegalProtection, ProtectionKind
from tests.factories import OrganisationFactory
from tests.people.entourage_factories import (
    ContactFactory,
    LegalProtectionFactory,
    PartnerFactory,
)
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

TODAY = dates.today  # called when used: never a day computed at import


def text(response) -> str:
    return html.unescape(response.content.decode())


def journal(action, obj) -> list[AccessEvent]:
    return list(
        AccessEvent.objects.filter(
            action=action, object_type=obj._meta.label, object_id=str(obj.public_id)
        )
    )


def key() -> str:
    return str(uuid.uuid4())


def tutelle(**overrides) -> dict:
    return {
        "kind": ProtectionKind.TUTELLE,
        "started_on": TODAY() - timedelta(days=100),
        "review_on": TODAY() + timedelta(days=365 * 5),
        "court": "Tribunal judiciaire de Lyon",
        "judgement_reference": "RG 25/01234",
        **overrides,
    }


def constraint(name: str):
    return next(c for c in LegalProtection._meta.constraints if c.name == name)


# --- Services ---------------------------------------------------------------------------------


class TestProtectionServices:
    def test_a_tutelle_exercised_by_a_daughter_is_recorded_and_journaled(
        self, secretary_a, resident_a
    ):
        daughter = ContactFactory(person=resident_a)

        protection = services.legal_protection_create(
            acting_user=secretary_a,
            person=resident_a,
            data=tutelle(representative_contact=daughter),
        )

        assert protection.is_current and protection.created_by == secretary_a
        assert protection.representative_name == daughter.display_name
        assert len(journal(AccessAction.CREATE, protection)) == 1
        assert daughter.is_legal_representative

    def test_a_tutelle_without_representative_is_refused(self, secretary_a, resident_a):
        with pytest.raises(ValidationError) as refused:
            services.legal_protection_create(
                acting_user=secretary_a, person=resident_a, data=tutelle()
            )

        assert "Indiquez qui exerce la mesure" in str(
            refused.value.message_dict["representative_contact"]
        )
        assert not LegalProtection.objects.exists()
        assert not AccessEvent.objects.filter(action=AccessAction.CREATE).exists()

    def test_a_sauvegarde_de_justice_needs_no_representative(self, secretary_a, resident_a):
        protection = services.legal_protection_create(
            acting_user=secretary_a,
            person=resident_a,
            data=tutelle(kind=ProtectionKind.SAUVEGARDE),
        )
        assert protection.representative_name == ""

    def test_a_representative_from_another_person_s_entourage_is_refused(
        self, secretary_a, resident_a, resident_b
    ):
        someone_elses_son = ContactFactory(person=resident_b)

        with pytest.raises(ValidationError) as refused:
            services.legal_protection_create(
                acting_user=secretary_a,
                person=resident_a,
                data=tutelle(representative_contact=someone_elses_son),
            )

        assert refused.value.message_dict["representative_contact"] == [
            "Ce proche appartient à l'entourage d'une autre personne."
        ]

    def test_a_former_contact_cannot_exercise_a_new_measure(self, secretary_a, resident_a):
        former = ContactFactory(person=resident_a, ended=True)
        with pytest.raises(ValidationError) as refused:
            services.legal_protection_create(
                acting_user=secretary_a,
                person=resident_a,
                data=tutelle(representative_contact=former),
            )
        assert "representative_contact" in refused.value.message_dict

    def test_a_mandataire_judiciaire_of_the_organisation_may_exercise_it(
        self, secretary_a, resident_a, organisation
    ):
        udaf = PartnerFactory(organisation=organisation, name="UDAF du Rhône")

        protection = services.legal_protection_create(
            acting_user=secretary_a,
            person=resident_a,
            data=tutelle(representative_partner=udaf),
        )

        assert protection.representative_name == "UDAF du Rhône"

    def test_a_partner_who_is_not_a_mandataire_or_of_another_organisation_is_refused(
        self, secretary_a, resident_a, organisation
    ):
        gp = PartnerFactory(organisation=organisation, kind=PartnerKind.GENERAL_PRACTITIONER)
        elsewhere = PartnerFactory(organisation=OrganisationFactory(name="Autre association"))

        for partner in (gp, elsewhere):
            with pytest.raises(ValidationError) as refused:
                services.legal_protection_create(
                    acting_user=secretary_a,
                    person=resident_a,
                    data=tutelle(representative_partner=partner),
                )
            assert "representative_partner" in refused.value.message_dict

    def test_a_contact_and_a_mandataire_at_once_are_refused_by_the_named_constraint(
        self, secretary_a, resident_a, organisation
    ):
        with pytest.raises(ValidationError) as refused:
            services.legal_protection_create(
                acting_user=secretary_a,
                person=resident_a,
                data=tutelle(
                    representative_contact=ContactFactory(person=resident_a),
                    representative_partner=PartnerFactory(organisation=organisation),
                ),
            )
        assert constraint("protection_one_representative").violation_error_message in (
            refused.value.messages
        )

    def test_a_measure_starting_later_is_recorded_but_does_not_count_yet(
        self, secretary_a, resident_a
    ):
        protection = services.legal_protection_create(
            acting_user=secretary_a,
            person=resident_a,
            data=tutelle(kind=ProtectionKind.SAUVEGARDE, started_on=TODAY() + timedelta(days=10)),
        )

        assert protection.is_upcoming and not protection.is_current
        assert not LegalProtection.objects.current().exists()
        assert LegalProtection.objects.current(TODAY() + timedelta(days=10)).get() == protection

    def test_an_end_date_before_the_start_is_refused_with_the_named_constraint_s_message(
        self, secretary_a, resident_a
    ):
        protection = LegalProtectionFactory(person=resident_a)

        with pytest.raises(ValidationError) as refused:
            services.legal_protection_end(
                acting_user=secretary_a,
                protection=protection,
                ended_on=protection.started_on - timedelta(days=1),
                reason="Mainlevée",
                expected_version=protection.version,
            )

        message = constraint("protection_end_after_start").violation_error_message
        assert refused.value.messages == [message]
        assert LegalProtection.objects.get(pk=protection.pk).ended_on is None

    def test_the_database_itself_refuses_an_end_before_the_start(self, resident_a):
        protection = LegalProtectionFactory(person=resident_a)

        with (
            pytest.raises(IntegrityError, match="protection_end_after_start"),
            transaction.atomic(),
        ):
            LegalProtection.objects.filter(pk=protection.pk).update(
                ended_on=protection.started_on - timedelta(days=1)
            )

    def test_lifting_a_measure_keeps_it_readable_and_its_representative_is_no_longer_one(
        self, secretary_a, resident_a
    ):
        protection = LegalProtectionFactory(person=resident_a)

        services.legal_protection_end(
            acting_user=secretary_a,
            protection=protection,
            ended_on=TODAY(),
            reason="Mainlevée",
            expected_version=protection.version,
        )

        protection.refresh_from_db()
        assert not protection.is_current and protection.version == 2
        assert protection.history.first().history_change_reason == "Levée : Mainlevée"
        assert not protection.representative_contact.is_legal_representative
        assert len(journal(AccessAction.UPDATE, protection)) == 1

    def test_a_stale_form_is_refused_with_a_conflict_message(self, secretary_a, resident_a):
        protection = LegalProtectionFactory(person=resident_a)
        services.legal_protection_update(
            acting_user=secretary_a,
            protection=protection,
            data={"court": "TJ de Lyon"},
            expected_version=1,
        )

        with pytest.raises(ValidationError) as stale:
            services.legal_protection_update(
                acting_user=secretary_a,
                protection=protection,
                data={"court": "TJ de Villefranche"},
                expected_version=1,
            )

        assert stale.value.code == "stale_version"
        assert "modifiée par quelqu'un d'autre" in stale.value.messages[0]
        assert LegalProtection.objects.get(pk=protection.pk).court == "TJ de Lyon"
        assert len(journal(AccessAction.UPDATE, protection)) == 1  # the first update only

    def test_entered_in_error_keeps_the_measure_and_its_history(self, secretary_a, resident_a):
        protection = LegalProtectionFactory(person=resident_a)

        services.legal_protection_mark_entered_in_error(
            acting_user=secretary_a,
            protection=protection,
            reason="Mauvais dossier",
            expected_version=protection.version,
        )

        protection.refresh_from_db()
        assert protection.entered_in_error and not protection.is_current
        assert protection.history.count() == 2
        assert len(journal(AccessAction.AMEND, protection)) == 1
        with pytest.raises(ValidationError):
            services.legal_protection_update(
                acting_user=secretary_a,
                protection=protection,
                data={"court": "x"},
                expected_version=None,
            )

    def test_a_nurse_cannot_record_a_measure(self, nurse_a, resident_a):
        with pytest.raises(AccessDenied, match="ne peut pas modifier cette partie") as refused:
            services.legal_protection_create(
                acting_user=nurse_a,
                person=resident_a,
                data=tutelle(kind=ProtectionKind.SAUVEGARDE),
            )
        assert refused.value.person == resident_a
        assert not LegalProtection.objects.exists()


class TestMandataireDirectory:
    def test_the_secretary_adds_a_mandataire_and_it_is_journaled(self, secretary_a, organisation):
        partner = coordination.partner_create(
            acting_user=secretary_a,
            organisation=organisation,
            kind=PartnerKind.PROTECTION_SERVICE,
            name="ATMP du Rhône",
        )

        assert partner.created_by == secretary_a
        assert len(journal(AccessAction.CREATE, partner)) == 1

    def test_a_twin_of_an_active_mandataire_is_refused(self, secretary_a, organisation):
        PartnerFactory(organisation=organisation, name="UDAF du Rhône")
        with pytest.raises(ValidationError) as refused:
            coordination.partner_create(
                acting_user=secretary_a,
                organisation=organisation,
                kind=PartnerKind.PROTECTION_SERVICE,
                name="udaf du rhône",
            )
        assert "name" in refused.value.message_dict

    def test_a_nurse_cannot_add_to_the_directory(self, nurse_a, organisation):
        with pytest.raises(AccessDenied, match="ne peut pas ajouter de partenaire"):
            coordination.partner_create(
                acting_user=nurse_a,
                organisation=organisation,
                kind=PartnerKind.PROTECTION_SERVICE,
                name="UDAF",
            )
        assert not Partner.objects.exists()

    def test_a_nurse_is_refused_the_mandataire_form_of_a_record_and_it_is_journaled(
        self, logged_in_client, nurse_a, resident_a
    ):
        url = reverse(
            "people:protection_partner_create", kwargs={"person_id": resident_a.public_id}
        )

        response = logged_in_client(nurse_a).post(
            url, {"partner_name": "UDAF", "idempotency_key": str(uuid.uuid4())}
        )

        assert_refused(response, CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a)
        assert not Partner.objects.exists()

    @pytest.mark.parametrize("page", ["protection_create", "protection_update", "protection_end"])
    def test_a_nurse_who_only_reads_is_refused_the_protection_forms(
        self, logged_in_client, nurse_a, resident_a, page
    ):
        protection = LegalProtectionFactory(person=resident_a)
        kwargs = {"person_id": resident_a.public_id}
        if page != "protection_create":
            kwargs["protection_id"] = protection.public_id

        response = logged_in_client(nurse_a).get(reverse(f"people:{page}", kwargs=kwargs))

        assert_refused(response, CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a)


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def secretary(logged_in_client, secretary_a):
    return logged_in_client(secretary_a)


def entourage_url(person) -> str:
    return reverse("people:entourage", kwargs={"person_id": person.public_id})


class TestProtectionPages:
    def test_the_entourage_page_shows_that_the_tutor_signs_for_the_person(
        self, logged_in_client, nurse_a, resident_a
    ):
        protection = LegalProtectionFactory(person=resident_a, judgement_reference="RG 25/1")

        page = text(logged_in_client(nurse_a).get(entourage_url(resident_a)))

        tutor = protection.representative_contact.display_name
        assert "Tutelle" in page
        # Tutelle of person and property, the judge deciding nothing on personal acts: the
        # person signs for her stay (C. civ. 459 al. 1, 459-2), the tutor for the fees (473).
        assert (
            f"La personne signe pour son accueil ; {tutor} (tuteur) signe au nom de la personne "
            "pour les frais de séjour" in page
        )
        assert tutor in page
        assert "RG 25/1" in page

    def test_an_overdue_review_is_flagged(self, secretary, resident_a):
        LegalProtectionFactory(
            person=resident_a,
            kind=ProtectionKind.CURATELLE_RENFORCEE,
            review_on=TODAY() - timedelta(days=1),
        )

        page = text(secretary.get(entourage_url(resident_a)))

        assert "échéance dépassée" in page
        assert "l'assiste et signe à côté d'elle pour les frais de séjour" in page

    def test_lifted_and_erroneous_measures_are_listed_below(self, secretary, resident_a):
        LegalProtectionFactory(person=resident_a, kind=ProtectionKind.SAUVEGARDE, ended_on=TODAY())
        LegalProtectionFactory(
            person=resident_a, entered_in_error=True, entered_in_error_reason="Doublon"
        )

        page = text(secretary.get(entourage_url(resident_a)))

        assert "Aucune mesure de protection en cours" in page
        assert "Mesures levées ou saisies par erreur (2)" in page
        assert "saisie par erreur : Doublon" in page

    def test_the_secretary_records_a_tutelle_through_the_form(self, secretary, resident_a):
        daughter = ContactFactory(person=resident_a, last_name="Lefebvre", first_name="Sophie")
        url = reverse("people:protection_create", kwargs={"person_id": resident_a.public_id})
        form_page = text(secretary.get(url))
        assert "LEFEBVRE Sophie" in form_page
        assert "le tuteur signe au nom de la personne" in form_page  # the table of who signs

        response = secretary.post(
            url,
            {
                "kind": "tutelle",
                "scope": "both",
                "personal_acts": "representation",
                "started_on": (TODAY() - timedelta(days=10)).isoformat(),
                "representative": f"contact:{daughter.public_id}",
                "judgement_reference": "RG 26/00042",
                "idempotency_key": key(),
            },
        )

        assert response.status_code == 302
        protection = LegalProtection.objects.get(person=resident_a)
        assert protection.representative_contact == daughter
        assert protection.personal_acts == "representation"
        header = text(secretary.get(entourage_url(resident_a)))
        assert (
            "LEFEBVRE Sophie (tuteur) signe au nom de la personne ; la personne participe et "
            "donne son avis" in header
        )

    def test_a_tutelle_without_representative_is_shown_again_next_to_the_field(
        self, secretary, resident_a
    ):
        url = reverse("people:protection_create", kwargs={"person_id": resident_a.public_id})
        response = secretary.post(
            url,
            {
                "kind": "tutelle",
                "scope": "both",
                "personal_acts": "none",
                "started_on": TODAY().isoformat(),
                "representative": "",
                "idempotency_key": key(),
            },
        )
        assert response.status_code == 400
        assert "Indiquez qui exerce la mesure" in text(response)
        assert not LegalProtection.objects.exists()

    def test_a_mandataire_added_from_the_form_comes_back_selected_with_htmx(
        self, secretary, resident_a
    ):
        url = reverse(
            "people:protection_partner_create", kwargs={"person_id": resident_a.public_id}
        )

        response = secretary.post(
            url,
            {
                "partner_name": "UDAF du Rhône",
                "partner_phone": "04 72 00 00 00",
                "idempotency_key": key(),
            },
            HTTP_HX_REQUEST="true",
        )

        partner = Partner.objects.get(name="UDAF du Rhône")
        assert partner.kind == PartnerKind.PROTECTION_SERVICE
        assert response.status_code == 200
        body = response.content.decode()
        assert f'value="partner:{partner.public_id}" selected' in body
        assert 'hx-swap-oob="true"' in body  # a fresh idempotency key for the next one

    def test_without_javascript_the_mandataire_is_preselected_back_on_the_form(
        self, secretary, resident_a
    ):
        url = reverse(
            "people:protection_partner_create", kwargs={"person_id": resident_a.public_id}
        )
        back = reverse("people:protection_create", kwargs={"person_id": resident_a.public_id})

        response = secretary.post(
            url, {"partner_name": "ATMP", "next": back, "idempotency_key": key()}
        )

        partner = Partner.objects.get(name="ATMP")
        assert response.status_code == 302
        assert response["Location"] == f"{back}?mandataire={partner.public_id}"
        form_page = secretary.get(response["Location"]).content.decode()
        assert f'value="partner:{partner.public_id}" selected' in form_page

    def test_lifting_a_measure_through_the_form(self, secretary, resident_a):
        protection = LegalProtectionFactory(person=resident_a)
        url = reverse(
            "people:protection_end",
            kwargs={"person_id": resident_a.public_id, "protection_id": protection.public_id},
        )

        response = secretary.post(
            url,
            {
                "ended_on": TODAY().isoformat(),
                "reason": "Jugement de mainlevée",
                "version": "1",
                "idempotency_key": key(),
            },
        )

        assert response.status_code == 302
        assert not LegalProtection.objects.get(pk=protection.pk).is_current

    def test_editing_with_a_stale_version_shows_the_conflict(
        self, secretary, secretary_a, resident_a
    ):
        protection = LegalProtectionFactory(person=resident_a)
        services.legal_protection_update(
            acting_user=secretary_a,
            protection=protection,
            data={"court": "TJ de Lyon"},
            expected_version=1,
        )
        url = reverse(
            "people:protection_update",
            kwargs={"person_id": resident_a.public_id, "protection_id": protection.public_id},
        )

        response = secretary.post(
            url,
            {
                "kind": "tutelle",
                "scope": "both",
                "personal_acts": "none",
                "started_on": protection.started_on.isoformat(),
                "representative": f"contact:{protection.representative_contact.public_id}",
                "court": "Autre",
                "version": "1",
                "idempotency_key": key(),
            },
        )

        assert response.status_code == 400
        assert "modifiée par quelqu'un d'autre" in text(response)
