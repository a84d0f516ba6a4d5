"""`manage.py seed_demo`: a believable demo organisation, built once, scalable."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum

from dui.access import journal
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership
from dui.access.policy import persons_visible_to
from dui.accounts.models import Assignment, Profession, ProfessionCode
from dui.care.models import Allergy
from dui.coordination.models import Partner
from dui.demo import data
from dui.documents.models import Document
from dui.organisation.finess import is_valid_finess
from dui.organisation.models import Establishment, EstablishmentCapacity, Place, Unit
from dui.people import nir
from dui.people.birthplaces import is_known_birthplace
from dui.people.models import (
    HIGH_TRUST_EVIDENCE,
    AdministrativeFile,
    Contact,
    IdentityEvidence,
    LegalProtection,
    Person,
    PersonAlert,
    SocialAid,
)
from dui.people.selectors import person_search
from dui.stays.models import Stay

pytestmark = pytest.mark.django_db


def seed_demo(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def user(username: str):
    return get_user_model().objects.get(username=username)


def counts() -> dict[str, int]:
    models = [
        Establishment,
        EstablishmentCapacity,
        Unit,
        Place,
        get_user_model(),
        Assignment,
        Person,
        Person.history.model,
        CareTeamMembership,
        AccessEvent,
        Partner,
        Stay,
        IdentityEvidence,
        Contact,
        Contact.history.model,
        LegalProtection,
        AdministrativeFile,
        SocialAid,
        Allergy,
        PersonAlert,
        Document,
    ]
    return {model._meta.label: model.objects.count() for model in models}


def test_it_creates_the_three_establishments_with_their_units():
    seed_demo()

    establishments = {e.name: e for e in Establishment.objects.all()}
    assert set(establishments) == {
        "EHPAD Les Tilleuls",
        "EHPAD Le Clos des Vignes",
        "IME Les Sources",
    }
    assert establishments["IME Les Sources"].category == "ime"
    assert all(is_valid_finess(e.finess) for e in establishments.values())
    assert set(
        Unit.objects.filter(establishment=establishments["EHPAD Les Tilleuls"]).values_list(
            "name", flat=True
        )
    ) == {"Les Lilas", "Les Roses", "UVP Les Glycines"}


def test_the_places_of_each_establishment_match_its_authorised_capacity():
    seed_demo()

    for capacity in EstablishmentCapacity.objects.all():
        places = Place.objects.filter(establishment=capacity.establishment_id, kind=capacity.kind)
        assert places.count() == capacity.authorised_places, capacity
    kinds = set(EstablishmentCapacity.objects.values_list("kind", flat=True))
    assert kinds == {"permanent", "temporary", "day_care"}


def test_every_profession_has_a_demo_login():
    seed_demo()

    with_logins = set(
        Profession.objects.annotate(n=Count("users")).filter(n__gt=0).values_list("code", flat=True)
    )
    assert with_logins == set(ProfessionCode.values)
    assert not get_user_model().objects.filter(is_demo=False).exists()


@pytest.mark.parametrize(
    ("username", "profession", "establishment", "unit", "role"),
    [
        ("ide.tilleuls", "ide", "EHPAD Les Tilleuls", "Les Lilas", "staff"),
        ("as.tilleuls", "as", "EHPAD Les Tilleuls", "Les Lilas", "staff"),
        ("ide.vignes", "ide", "EHPAD Le Clos des Vignes", "Unité Bleue", "staff"),
        ("directeur.tilleuls", "directeur", "EHPAD Les Tilleuls", None, "director"),
        ("directeur.vignes", "directeur", "EHPAD Le Clos des Vignes", None, "director"),
        ("directrice.ime", "directeur", "IME Les Sources", None, "director"),
        ("secretaire.tilleuls", "secretaire", "EHPAD Les Tilleuls", None, "staff"),
        ("medco.tilleuls", "medecin_coordonnateur", "EHPAD Les Tilleuls", None, "staff"),
        ("psychologue.tilleuls", "psychologue", "EHPAD Les Tilleuls", None, "staff"),
        ("educateur.ime", "educateur_specialise", "IME Les Sources", "Groupe des Grands", "staff"),
    ],
)
def test_the_named_logins_have_their_profession_and_assignment(
    username, profession, establishment, unit, role
):
    seed_demo()

    login = user(username)
    assert login.is_demo
    assert login.check_password(data.DEMO_PASSWORD)
    assert login.profession.code == profession
    assignment = Assignment.objects.active().get(user=login)
    assert assignment.establishment.name == establishment
    assert (assignment.unit.name if assignment.unit else None) == unit
    assert assignment.role == role
    assert assignment.end_date is None


@pytest.mark.parametrize(("username", "role"), [("dpo", "dpo"), ("admin", "admin")])
def test_the_dpo_and_the_administrator_cover_the_three_establishments(username, role):
    seed_demo()

    assignments = Assignment.objects.filter(user__username=username)
    assert assignments.count() == 3
    assert set(assignments.values_list("role", flat=True)) == {role}
    assert user(username).profession.code == "administrateur"
    assert user("admin").is_superuser and user("admin").is_staff


def test_it_prints_the_demo_logins_with_the_password():
    out = seed_demo()

    assert "Comptes de démonstration (mot de passe : Demo-DUI-2026!)" in out
    assert "ide.tilleuls" in out and "Les Lilas" in out


def test_a_second_run_changes_nothing():
    seed_demo(journal_per_person=2)
    before = counts()

    out = seed_demo(journal_per_person=2)

    assert counts() == before
    assert "rien à ajouter" in out


def test_the_demo_has_residents_in_every_unit_applicants_and_discharged_persons():
    seed_demo()

    assert 70 <= Person.objects.count() <= 90
    current = CareTeamMembership.objects.filter(valid_to__isnull=True)
    assert set(current.exclude(unit=None).values_list("unit__name", flat=True)) == set(
        Unit.objects.values_list("name", flat=True)
    )
    assert current.filter(reason="application", unit=None).exists()
    assert CareTeamMembership.objects.filter(valid_to__isnull=False, reason="stay").exists()
    assert Person.objects.exclude(used_name="").exists()
    assert not Person.objects.filter(search_name="").exists()


def test_ide_tilleuls_finds_helene_dupre_lefevre_without_typing_the_accents():
    seed_demo()

    found = person_search(user=user("ide.tilleuls"), query="dupre lefevre")

    assert [p.first_names for p in found] == ["Hélène Marie"]


def test_ide_tilleuls_does_not_see_the_residents_of_the_other_ehpad():
    seed_demo()

    visible = persons_visible_to(user=user("ide.tilleuls"))

    assert visible.filter(birth_name="DUPRÉ-LEFÈVRE").exists()
    assert not visible.filter(birth_name="ÉTIENNE").exists()
    assert persons_visible_to(user=user("ide.vignes")).filter(birth_name="ÉTIENNE").exists()


def test_persons_option_adds_persons_with_their_memberships_up_to_the_total():
    seed_demo()

    seed_demo(persons=300, years=2)

    assert Person.objects.count() == 300
    assert not Person.objects.filter(care_team_memberships=None).exists()
    assert Person.history.model.objects.count() == 300
    ages = {
        p.age for p in Person.objects.filter(care_team_memberships__establishment__category="ime")
    }
    assert min(ages) >= 6 and max(ages) <= 20


def test_persons_option_adds_nothing_once_the_total_is_reached():
    seed_demo(persons=300)
    before = counts()

    seed_demo(persons=300)
    seed_demo(persons=100)

    assert counts() == before


def test_the_same_seed_gives_the_same_persons():
    def seeded_persons():
        with transaction.atomic():
            seed_demo(persons=120)
            persons = list(
                Person.objects.order_by("public_id").values_list(
                    "public_id", "search_name", "birth_date"
                )
            )
            transaction.set_rollback(True)
        return persons

    first = seeded_persons()

    assert len(first) == 120
    assert seeded_persons() == first


def test_journal_entries_continue_the_hash_chain():
    seed_demo()
    # An entry written by the application first: the seeded ones must chain after it.
    journal.record(
        user=user("ide.tilleuls"), action=AccessAction.SESSION, object_type="accounts.login"
    )

    seed_demo(persons=150, journal_per_person=4)

    assert AccessEvent.objects.count() > 100
    assert list(journal.verify_chain()) == []
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, object_type="access.CareTeamMembership"
    ).exists()


def test_journal_entries_are_made_by_members_of_the_persons_team():
    seed_demo(journal_per_person=3)

    reads = AccessEvent.objects.filter(action=AccessAction.READ).select_related("assignment")
    assert reads.exists()
    for event in reads:
        covered = CareTeamMembership.objects.filter(
            person_id=event.person_id, establishment_id=event.assignment.establishment_id
        )
        if event.assignment.unit_id:
            covered = covered.filter(unit_id=event.assignment.unit_id)
        assert covered.exists(), event.pk


def test_capacities_add_up_to_the_planned_places():
    seed_demo()

    planned = sum(unit.places for plan in data.ESTABLISHMENTS for unit in plan.units)
    assert EstablishmentCapacity.objects.aggregate(n=Sum("authorised_places"))["n"] == planned


def test_bench_measures_every_scenario_on_the_seeded_demo():
    out = StringIO()

    call_command("bench", persons=100, runs=2, warmups=1, stdout=out)

    table = out.getvalue()
    assert "ÉCHEC" not in table
    for name in (
        "connexion",
        "page d'accueil",
        "recherche d'usager : 3 lettres",
        "recherche d'usager : nom complet",
        "recherche d'usager : date de naissance",
        "recherche d'usager : NIR",
        "recherche d'usager : chambre",
        "recherche d'usager (htmx) : 3 lettres",
        "dossier de l'usager",
    ):
        assert name in table


# -- identities, entourage and records of the persons ----------------------------------------


def nir_matches_traits(person: Person, value: str) -> bool:
    """Sex, year and month of birth, and birthplace (COG code; 20 for Corsica before 1976)."""
    place = person.birthplace_code
    if place[:2] in ("2A", "2B") and person.birth_date.year < 1976:
        place = "20" + place[2:]
    return (
        value[0] == ("2" if person.sex == "F" else "1")
        and value[1:3] == f"{person.birth_date.year % 100:02d}"
        and value[3:5] == f"{person.birth_date.month:02d}"
        and value[5:10] == place
    )


def test_every_person_has_a_birthplace_from_the_cog():
    seed_demo(persons=300)

    codes = set(Person.objects.values_list("birthplace_code", flat=True))
    assert "" not in codes
    assert all(is_known_birthplace(code) for code in codes)
    assert any(code.startswith("99") for code in codes), "some persons are born abroad"


def test_an_ins_is_a_valid_nir_of_the_persons_traits_with_the_demonstration_oid():
    seed_demo(persons=300)

    with_ins = Person.objects.exclude(ins_number="")
    assert with_ins.count() > 100
    for person in with_ins:
        assert nir.is_valid_nir(person.ins_number), person.ins_number
        assert nir_matches_traits(person, person.ins_number), (person, person.ins_number)
        assert person.ins_oid == nir.INS_OID_DEMO
        assert person.identity_status in ("RECUP", "QUAL")
        assert person.ins_retrieved_at and person.ins_retrieved_by_id
    assert not Person.objects.filter(identity_status__in=["PROV", "VALI"]).exclude(ins_number="")


def test_identity_statuses_are_mixed_and_mostly_validated_or_qualified():
    seed_demo(persons=300)

    statuses = Counter(Person.objects.values_list("identity_status", flat=True))
    assert set(statuses) == {"PROV", "RECUP", "VALI", "QUAL"}
    assert statuses["VALI"] + statuses["QUAL"] > 300 / 2


def test_validated_and_qualified_identities_have_a_high_trust_document_checked_by_staff():
    seed_demo(persons=300)

    validated = Person.objects.filter(identity_status__in=["VALI", "QUAL"])
    assert validated.exists()
    for person in validated.prefetch_related("identity_evidence__checked_by"):
        evidence = list(person.identity_evidence.all())
        assert evidence, person
        assert all(e.kind in HIGH_TRUST_EVIDENCE for e in evidence)
        assert all(e.checked_by.is_demo and e.checked_by.profession_id for e in evidence)
    assert not IdentityEvidence.objects.filter(person__identity_status__in=["PROV", "RECUP"])


def test_every_showcase_person_with_an_ins_has_a_valid_nir_of_her_traits():
    seed_demo()

    for plan in data.SHOWCASE_PERSONS:
        person = Person.objects.get(
            birth_name=plan.birth_name.upper(), first_names=plan.first_names
        )
        assert person.identity_status == plan.identity_status
        assert person.birthplace_code == plan.birthplace_code
        if person.ins_number:
            assert nir.is_valid_nir(person.ins_number)
            assert nir_matches_traits(person, person.ins_number)


def test_insured_numbers_are_valid_nirs_and_an_adults_own():
    seed_demo(persons=200)

    files = AdministrativeFile.objects.select_related("person")
    assert files.count() == Person.objects.count()
    for file in files:
        assert nir.is_valid_nir(file.insured_number), file.insured_number
        if file.person.age >= 18:
            assert nir_matches_traits(file.person, file.insured_number)
        if file.person.ins_number:
            assert file.person.ins_number in (file.insured_number,) or file.person.age < 18


def test_the_ins_numbers_are_unique():
    seed_demo(persons=300)

    numbers = list(Person.objects.exclude(ins_number="").values_list("ins_number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_a_person_has_one_trusted_person_at_most_with_a_designation_date():
    seed_demo(persons=300)

    trusted = Contact.objects.filter(is_trusted_person=True)
    per_person = Counter(trusted.values_list("person_id", flat=True))
    assert per_person and max(per_person.values()) == 1
    assert not trusted.filter(trusted_person_designated_on=None).exists()
    adults_with_trusted = len(per_person) / Person.objects.count()
    assert 0.3 < adults_with_trusted < 0.8


def test_persons_have_family_and_emergency_contacts_with_a_phone():
    seed_demo(persons=200)

    assert not Person.objects.filter(contacts=None).exists()
    emergency = Contact.objects.filter(is_emergency_contact=True)
    assert emergency.values("person").distinct().count() == Person.objects.count()
    assert not emergency.filter(phone="").exists()
    relationships = set(Contact.objects.values_list("relationship", flat=True))
    assert {"child", "parent"} <= relationships


def test_some_persons_are_protected_by_a_relative_or_the_mandataire_association():
    seed_demo(persons=400)

    protections = LegalProtection.objects.select_related("representative_contact")
    share = protections.values("person").distinct().count() / Person.objects.count()
    assert 0.05 < share < 0.3
    assert protections.exclude(representative_partner=None).exists()
    assert protections.exclude(representative_contact=None).exists()
    for protection in protections:
        protection.full_clean()  # representative, dates: what the form would accept
        if protection.representative_contact:
            assert protection.representative_contact.person_id == protection.person_id


def test_partners_are_two_gps_a_mandataire_association_and_the_specialists_seen_outside():
    seed_demo()

    kinds = Counter(Partner.objects.values_list("kind", flat=True))
    # Issue 13, item 6: the specialists of the demo's external appointments (care_appointments).
    assert kinds == {"gp": 2, "protection": 1, "specialist": 3, "hospital": 1}
    assert AdministrativeFile.objects.exclude(general_practitioner=None).exists()


def test_ehpad_residents_receive_the_apa():
    seed_demo(persons=200)

    apa = SocialAid.objects.filter(kind="apa")
    assert apa.exists()
    assert not apa.filter(person__care_team_memberships__establishment__category="ime").exists()


def test_about_a_fifth_of_the_persons_have_an_allergy_and_some_an_alert():
    seed_demo(persons=400)

    share = Allergy.objects.values("person").distinct().count() / Person.objects.count()
    assert 0.1 < share < 0.3
    assert PersonAlert.objects.exists()


def test_current_stays_never_share_a_place_and_use_places_of_their_unit():
    """400 persons in 116 places: the units fill up to their places and the others are
    former residents (a unit of 18 places does not hold 40 persons, as a real one never
    does), so every current stay has a place of its unit."""
    seed_demo(persons=400)

    current = Stay.objects.filter(ended_on=None)
    placed = current.exclude(place=None).select_related("place")
    places = [stay.place_id for stay in placed]
    assert len(places) == len(set(places))
    assert all(stay.place.unit_id == stay.unit_id for stay in placed)
    assert not current.filter(place=None).exists()
    assert Stay.objects.exclude(ended_on=None).count() > current.count()
    persons = Counter(current.values_list("person_id", flat=True))
    assert max(persons.values()) == 1


def test_every_current_resident_has_a_current_stay_in_the_unit_of_her_membership():
    seed_demo()

    residents = CareTeamMembership.objects.filter(valid_to=None).exclude(unit=None)
    for membership in residents:
        stay = Stay.objects.get(person_id=membership.person_id, ended_on=None)
        assert (stay.establishment_id, stay.unit_id) == (
            membership.establishment_id,
            membership.unit_id,
        )


def test_the_showcase_persons_have_what_the_demo_shows():
    seed_demo()

    helene = Person.objects.get(birth_name="DUPRÉ-LEFÈVRE")
    assert helene.identity_status == "QUAL"
    assert helene.allergies.get().substance == "Pénicillines"
    assert helene.contacts.get(is_trusted_person=True).is_family_referent
    assert Stay.objects.get(person=helene, ended_on=None).place.label == "101"
    marcel = Person.objects.get(birth_name="AUBERT")
    tutelle = marcel.legal_protections.get()
    assert tutelle.kind == "tutelle" and tutelle.representative_partner.kind == "protection"
    genevieve = Person.objects.get(birth_name="MARTIN", used_name="GIRARD")
    curatelle = genevieve.legal_protections.get()
    assert curatelle.kind == "curatelle_renforcee"
    assert curatelle.representative_contact.relationship in ("child", "spouse")


def test_the_showcase_documents_are_real_pdfs_linked_to_the_record():
    seed_demo()

    helene = Person.objects.get(birth_name="DUPRÉ-LEFÈVRE")
    documents = {d.kind: d for d in Document.objects.filter(person=helene)}
    assert set(documents) == {"identity", "trusted_person_form"}
    identity = documents["identity"]
    assert identity.content_type == "application/pdf"
    with identity.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert helene.identity_evidence.get().document == identity
    trusted = helene.contacts.get(is_trusted_person=True)
    assert trusted.trusted_person_form == documents["trusted_person_form"]
    marcel = Person.objects.get(birth_name="AUBERT")
    assert marcel.legal_protections.get().judgement_document.kind == "judgement"
    assert not Document.objects.exclude(
        person__birth_name__in=[p.birth_name.upper() for p in data.SHOWCASE_PERSONS]
    )


def test_ide_tilleuls_finds_helene_by_room_nir_and_birth_date():
    seed_demo()
    nurse = user("ide.tilleuls")
    helene = Person.objects.get(birth_name="DUPRÉ-LEFÈVRE")

    for typed in ("ch 101", nir.format_nir(helene.ins_number), "12/04/1936", "12/04/36"):
        assert list(person_search(user=nurse, query=typed)) == [helene], typed
