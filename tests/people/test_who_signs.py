"""Who signs, who assists, who represents, who is informed (`protection.who_signs`): every
protection kind × scope (person / property / both) × age (minor / adult), each row citing the
article it rests on; then the acts that concern the person only, the personne de confiance,
dates, minors and the check of who actually signed."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from dui.core import dates
from dui.people.majority import Majority
from dui.people.models import (
    AuthorityExercise,
    BirthDatePrecision,
    GuardianRelation,
    PersonalActs,
    ProtectionKind,
    ProtectionScope,
)
from dui.people.protection import Act, Role, Side, check_signatures, rules_table, who_signs
from tests.factories import PersonFactory
from tests.people.entourage_factories import (
    ContactFactory,
    LegalProtectionFactory,
    ParentalAuthorityFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

K = ProtectionKind
BOTH, PERSON, ASSETS = (
    ProtectionScope.PERSON_AND_ASSETS,
    ProtectionScope.PERSON,
    ProtectionScope.ASSETS,
)
SIGNS, CO_SIGNS, REPRESENTS = Role.SIGNS, Role.CO_SIGNS, Role.REPRESENTS
CONSULTED, INFORMED = Role.CONSULTED, Role.INFORMED


def years_ago(years: int) -> date:
    today = dates.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def adult(**kwargs):
    return PersonFactory(birth_date=years_ago(80), **kwargs)


def measure(person, kind, scope=BOTH, **kwargs):
    """A measure in force, exercised by a relative (none for a simple sauvegarde, the MASP)."""
    if kind in (K.SAUVEGARDE, K.MASP):
        kwargs.setdefault("representative_contact", None)
    kwargs.setdefault("started_on", dates.today() - timedelta(days=400))
    return LegalProtectionFactory(person=person, kind=kind, scope=scope, **kwargs)


def roles(signing, person, protection=None) -> dict:
    """{"person": role, "protector": role} as the result says (None: not a party)."""
    found = {"person": signing.role_of(person)}
    if protection is not None:
        party = protection.representative_contact or protection.representative_partner
        found["protector"] = signing.role_of(party) if party is not None else None
    return found


# --- Adults: every kind × scope, the contract (person side + property side) -------------------

# (kind, scope, person's role, protector's role, article the row rests on)
ADULT_CONTRACT = [
    # Sauvegarde de justice: the person keeps the exercise of her rights.
    (K.SAUVEGARDE, BOTH, SIGNS, None, "C. civ. 435"),
    (K.SAUVEGARDE, PERSON, SIGNS, None, "C. civ. 435"),
    (K.SAUVEGARDE, ASSETS, SIGNS, None, "C. civ. 435"),
    # Mandataire spécial: only for the acts the ordonnance lists (here not the contract).
    (K.SAUVEGARDE_MANDATAIRE, BOTH, SIGNS, INFORMED, "C. civ. 437"),
    (K.SAUVEGARDE_MANDATAIRE, PERSON, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    (K.SAUVEGARDE_MANDATAIRE, ASSETS, SIGNS, INFORMED, "C. civ. 437"),
    # Curatelle: the curator signs beside the person for the fees (467 al. 2); the stay is
    # the person's choice (459-2).
    (K.CURATELLE_SIMPLE, BOTH, SIGNS, CO_SIGNS, "C. civ. 440, 467"),
    (K.CURATELLE_SIMPLE, PERSON, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    (K.CURATELLE_SIMPLE, ASSETS, SIGNS, CO_SIGNS, "C. civ. 440, 467"),
    (K.CURATELLE_RENFORCEE, BOTH, SIGNS, CO_SIGNS, "C. civ. 467, 472"),
    (K.CURATELLE_RENFORCEE, PERSON, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    (K.CURATELLE_RENFORCEE, ASSETS, SIGNS, CO_SIGNS, "C. civ. 467, 472"),
    # Tutelle: the tutor represents for the fees (473, 474); without the judge's 459 al. 2
    # decision the person decides her stay herself.
    (K.TUTELLE, BOTH, SIGNS, REPRESENTS, "C. civ. 473, 474"),
    (K.TUTELLE, PERSON, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    (K.TUTELLE, ASSETS, SIGNS, REPRESENTS, "C. civ. 473, 474"),
    # Habilitation familiale: assistance as in 467, or representation (494-1, 494-6).
    (K.HABILITATION_ASSISTANCE, BOTH, SIGNS, CO_SIGNS, "C. civ. 494-1, 467"),
    (K.HABILITATION_ASSISTANCE, PERSON, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    (K.HABILITATION_ASSISTANCE, ASSETS, SIGNS, CO_SIGNS, "C. civ. 494-1, 467"),
    (K.HABILITATION_REPRESENTATION, BOTH, SIGNS, REPRESENTS, "C. civ. 494-1, 494-6"),
    (K.HABILITATION_REPRESENTATION, PERSON, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    (K.HABILITATION_REPRESENTATION, ASSETS, SIGNS, REPRESENTS, "C. civ. 494-1, 494-6"),
    # Mandat de protection future: the mandataire represents within the mandate (477, 479).
    (K.MANDAT_PROTECTION_FUTURE, BOTH, SIGNS, REPRESENTS, "C. civ. 477, 479"),
    (K.MANDAT_PROTECTION_FUTURE, PERSON, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    (K.MANDAT_PROTECTION_FUTURE, ASSETS, SIGNS, REPRESENTS, "C. civ. 477, 479"),
    # MASP (a contract with the département) and MAJ take no capacity away; the MJPM of a MAJ
    # receives the prestations, he is told.
    (K.MASP, BOTH, SIGNS, None, "CASF L271-1"),
    (K.MASP, PERSON, SIGNS, None, "C. civ. 414"),
    (K.MASP, ASSETS, SIGNS, None, "CASF L271-1"),
    (K.MAJ, BOTH, SIGNS, INFORMED, "C. civ. 495-3, 495-7"),
    (K.MAJ, PERSON, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    (K.MAJ, ASSETS, SIGNS, INFORMED, "C. civ. 495-3, 495-7"),
]


@pytest.mark.parametrize(
    ("kind", "scope", "person_role", "protector_role", "article"),
    ADULT_CONTRACT,
    ids=[f"{k}-{s}" for k, s, *_ in ADULT_CONTRACT],
)
def test_an_adult_s_contract_is_signed_as_the_measure_and_its_scope_say(
    kind, scope, person_role, protector_role, article
):
    person = adult()
    protection = measure(person, kind, scope)

    signing = who_signs(person, Act.CONTRACT)

    assert signing.majority == Majority.ADULT
    assert roles(signing, person, protection) == {
        "person": person_role,
        "protector": protector_role,
    }
    cited = " ; ".join(s.article for s in signing.signatories)
    assert article in cited
    assert "CASF L311-4" in signing.articles  # rights exercised as title XI of the Code civil says
    assert not signing.minor_opinion_required


@pytest.mark.parametrize(
    ("kind", "scope", "person_role", "protector_role", "article"),
    ADULT_CONTRACT,
    ids=[f"{k}-{s}" for k, s, *_ in ADULT_CONTRACT],
)
def test_a_minor_is_represented_by_the_holders_of_parental_authority_whatever_the_measure_to_come(
    kind, scope, person_role, protector_role, article
):
    """C. civ. 371-1, 372: the parents represent the child; a measure for adults pronounced
    to take effect at majority (429 al. 2) does not count before; CASF D311 III: « L'avis du
    mineur doit être recueilli »."""
    child = PersonFactory(birth_date=years_ago(12))
    mother = ParentalAuthorityFactory(person=child, relation=GuardianRelation.MOTHER)
    father = ParentalAuthorityFactory(person=child, relation=GuardianRelation.FATHER)
    measure(child, kind, scope, started_on=years_ago(12).replace(year=years_ago(12).year + 18))

    signing = who_signs(child, Act.CONTRACT)

    assert signing.majority == Majority.MINOR
    assert signing.role_of(mother.holder_contact) == REPRESENTS
    assert signing.role_of(father.holder_contact) == REPRESENTS
    assert signing.role_of(child) == CONSULTED
    assert not signing.measures  # not in force yet
    assert signing.minor_opinion_required
    assert "CASF D311 III ; C. civ. 371-1 al. 4" in signing.articles
    assert "C. civ. 371-1, 372" in signing.articles


# --- Adults: what the judge decided changes the answer ----------------------------------------

# (kind, scope, extra facts, person's role, protector's role, article)
JUDGE_DECIDED = [
    # 459 al. 2: representation for personal acts; the residence stays her choice (459-2),
    # her participation is required (CASF D311 III).
    (K.TUTELLE, BOTH, {"personal_acts": PersonalActs.REPRESENTATION}, CONSULTED, REPRESENTS, "C. civ. 459 al. 2, 459-2"),
    (K.HABILITATION_REPRESENTATION, BOTH, {"personal_acts": PersonalActs.REPRESENTATION}, CONSULTED, REPRESENTS, "C. civ. 459 al. 2, 459-2"),
    # A mandate for the person only: the mandataire for her stay, she herself for the fees.
    (K.MANDAT_PROTECTION_FUTURE, PERSON, {"personal_acts": PersonalActs.REPRESENTATION}, SIGNS, REPRESENTS, "C. civ. 479, 459-2"),
    # 459 al. 2: assistance for personal acts.
    (K.CURATELLE_SIMPLE, PERSON, {"personal_acts": PersonalActs.ASSISTANCE}, SIGNS, CO_SIGNS, "C. civ. 459 al. 2"),
    (K.HABILITATION_ASSISTANCE, BOTH, {"personal_acts": PersonalActs.ASSISTANCE}, SIGNS, CO_SIGNS, "C. civ. 459 al. 2"),
    # 472 al. 2: the curator is authorised to conclude the convention d'hébergement alone.
    (K.CURATELLE_RENFORCEE, BOTH, {"curator_signs_accommodation_alone": True}, CONSULTED, REPRESENTS, "C. civ. 472 al. 2"),
    # 435 al. 1, 437: the ordonnance lists the contract among the mandataire spécial's acts.
    (K.SAUVEGARDE_MANDATAIRE, ASSETS, {"covers_accommodation_contract": True}, SIGNS, REPRESENTS, "C. civ. 435, 437"),
    # 494-6: an habilitation spéciale that does not name the contract leaves it to the person.
    (K.HABILITATION_REPRESENTATION, ASSETS, {"acts_listed": True}, SIGNS, INFORMED, "C. civ. 494-6"),
    (K.HABILITATION_REPRESENTATION, ASSETS, {"acts_listed": True, "covers_accommodation_contract": True}, SIGNS, REPRESENTS, "C. civ. 494-1, 494-6"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "scope", "facts", "person_role", "protector_role", "article"), JUDGE_DECIDED
)
def test_what_the_judge_decided_is_what_the_contract_says(
    kind, scope, facts, person_role, protector_role, article
):
    person = adult()
    protection = measure(person, kind, scope, **facts)

    signing = who_signs(person, Act.CONTRACT)

    assert roles(signing, person, protection) == {
        "person": person_role,
        "protector": protector_role,
    }
    assert any(article in s.article for s in signing.signatories)


def test_a_tutelle_with_representation_reads_as_one_sentence():
    person = adult()
    tutor = ContactFactory(person=person, last_name="Lefevre", first_name="Paul")
    measure(
        person, K.TUTELLE, representative_contact=tutor, personal_acts=PersonalActs.REPRESENTATION
    )

    signing = who_signs(person)

    assert signing.sentence == (
        "LEFEVRE Paul (tuteur) signe au nom de la personne ; la personne participe et donne "
        "son avis."
    )
    assert [s.role for s in signing.signers] == [REPRESENTS]


def test_a_curatelle_names_who_signs_for_what():
    person = adult()
    curator = PartnerFactory(name="UDAF du Rhône")
    measure(
        person, K.CURATELLE_RENFORCEE, representative_contact=None, representative_partner=curator
    )

    signing = who_signs(person)

    assert signing.sentence == (
        "La personne signe ; UDAF du Rhône (curateur) l'assiste et signe à côté d'elle pour "
        "les frais de séjour."
    )
    curator_line = next(s for s in signing.signatories if s.role == CO_SIGNS)
    assert curator_line.sides == (Side.ASSETS,)


# --- Acts that concern the person only ---------------------------------------------------------


@pytest.mark.parametrize("act", [Act.PERSONAL_PLAN, Act.SHARING_CONSENT])
@pytest.mark.parametrize(
    ("kind", "scope", "facts", "person_role", "protector_role", "article"),
    [
        # A measure covering property only does not count for the person's acts.
        (K.TUTELLE, ASSETS, {}, SIGNS, None, "C. civ. 414"),
        (K.CURATELLE_RENFORCEE, ASSETS, {}, SIGNS, None, "C. civ. 414"),
        # Covering the person, without a 459 al. 2 decision: she decides (459 al. 1).
        (K.TUTELLE, BOTH, {}, SIGNS, INFORMED, "C. civ. 459 al. 1"),
        (K.CURATELLE_SIMPLE, BOTH, {}, SIGNS, INFORMED, "C. civ. 459 al. 1"),
        # With representation: the tutor « tient compte de l'avis » (CASF L311-3 3°).
        (K.TUTELLE, BOTH, {"personal_acts": PersonalActs.REPRESENTATION}, CONSULTED, REPRESENTS, "CASF L311-3 3°"),
        (K.CURATELLE_SIMPLE, BOTH, {"personal_acts": PersonalActs.ASSISTANCE}, SIGNS, CO_SIGNS, "C. civ. 459 al. 2"),
        # 472 al. 2 is about the convention d'hébergement only.
        (K.CURATELLE_RENFORCEE, BOTH, {"curator_signs_accommodation_alone": True}, SIGNS, INFORMED, "C. civ. 459 al. 1"),
    ],
)  # fmt: skip
def test_the_plan_and_the_consents_concern_the_person_only(
    act, kind, scope, facts, person_role, protector_role, article
):
    person = adult()
    protection = measure(person, kind, scope, **facts)

    signing = who_signs(person, act)

    assert roles(signing, person, protection) == {
        "person": person_role,
        "protector": protector_role,
    }
    assert all(s.sides == (Side.PERSON,) for s in signing.signatories)
    assert any(article in s.article for s in signing.signatories)


# --- Dates --------------------------------------------------------------------------------------


def test_a_measure_that_has_not_started_yet_does_not_count():
    person = adult()
    later = dates.today() + timedelta(days=10)
    tutelle = measure(person, K.TUTELLE, started_on=later)

    assert roles(who_signs(person), person, tutelle) == {"person": SIGNS, "protector": None}
    assert roles(who_signs(person, on=later), person, tutelle) == {
        "person": SIGNS,
        "protector": REPRESENTS,
    }


def test_a_lifted_measure_counts_until_the_day_before_its_lifting():
    person = adult()
    tutelle = measure(person, K.TUTELLE, ended_on=dates.today())

    assert roles(who_signs(person), person, tutelle)["protector"] is None
    yesterday = dates.today() - timedelta(days=1)
    assert roles(who_signs(person, on=yesterday), person, tutelle)["protector"] == REPRESENTS


def test_a_measure_entered_in_error_does_not_count():
    person = adult()
    tutelle = measure(person, K.TUTELLE, entered_in_error=True)

    assert roles(who_signs(person), person, tutelle)["protector"] is None


def test_the_age_is_the_one_on_the_date_of_the_act():
    """C. civ. 414: majority at eighteen « accomplis ». The day before the birthday, the
    parents sign; on the birthday, the person herself."""
    born = years_ago(18)
    person = PersonFactory(birth_date=born)
    mother = ParentalAuthorityFactory(person=person)

    yesterday = dates.today() - timedelta(days=1)
    assert who_signs(person, on=yesterday).role_of(mother.holder_contact) == REPRESENTS
    assert who_signs(person).role_of(mother.holder_contact) is None
    assert who_signs(person).role_of(person) == SIGNS


def test_an_unknown_birth_day_and_month_leave_majority_uncertain_and_both_sign():
    """Born « 00/00/YYYY », eighteen years before this year: on 30 June the person may or may
    not be eighteen yet; the cautious answer has both the person and the parents sign, and
    the personne de confiance waits."""
    year = dates.today().year
    person = PersonFactory(
        birth_date=date(year - 18, 1, 1), birth_date_precision=BirthDatePrecision.YEAR
    )
    mother = ParentalAuthorityFactory(person=person)
    mid_year = date(year, 6, 30)

    signing = who_signs(person, on=mid_year)

    assert signing.majority == Majority.UNCERTAIN
    assert signing.role_of(person) == SIGNS
    assert signing.role_of(mother.holder_contact) == REPRESENTS
    assert "majorité de la personne à cette date est incertaine" in " ".join(signing.warnings)
    assert who_signs(person, Act.TRUSTED_PERSON, on=mid_year).refusal
    assert who_signs(person, on=date(year, 12, 31)).majority == Majority.ADULT


# --- Minors and parental authority --------------------------------------------------------------


def child(**kwargs):
    return PersonFactory(birth_date=years_ago(9), **kwargs)


def test_both_parents_sign_for_the_child_and_the_child_gives_an_opinion():
    kid = child()
    mother = ParentalAuthorityFactory(person=kid, relation=GuardianRelation.MOTHER)
    father = ParentalAuthorityFactory(person=kid, relation=GuardianRelation.FATHER)

    signing = who_signs(kid)

    assert signing.sentence == (
        f"{mother.holder_name} (mère) et {father.holder_name} (père) signent pour l'enfant ; "
        "l'avis de l'enfant est recueilli."
    )
    assert not signing.warnings


def test_a_parent_without_the_exercise_is_informed_and_does_not_sign():
    """C. civ. 373-2-1: the parent without the exercise « doit être informé des choix
    importants »."""
    kid = child()
    mother = ParentalAuthorityFactory(person=kid, exercise=AuthorityExercise.SOLE)
    father = ParentalAuthorityFactory(
        person=kid, relation=GuardianRelation.FATHER, exercise=AuthorityExercise.NONE
    )

    signing = who_signs(kid)

    assert signing.role_of(mother.holder_contact) == REPRESENTS
    assert signing.role_of(father.holder_contact) == INFORMED
    assert "C. civ. 373-2-1" in signing.articles


def test_a_joint_authority_with_one_holder_recorded_warns():
    kid = child()
    ParentalAuthorityFactory(person=kid)

    warnings = " ".join(who_signs(kid).warnings)

    assert "un seul titulaire est enregistré" in warnings
    assert "C. civ. 372-2" in warnings


def test_a_child_without_holders_recorded_warns_before_anyone_signs():
    signing = who_signs(child())

    assert not signing.signers
    assert "Aucun titulaire de l'autorité parentale" in signing.warnings[0]


def test_the_service_to_whom_the_child_is_entrusted_is_informed_only():
    """C. civ. 375-7, 373-4: the ASE does the usual acts; the parents keep the rest."""
    kid = child()
    mother = ParentalAuthorityFactory(person=kid, exercise=AuthorityExercise.SOLE)
    ase = ParentalAuthorityFactory(
        person=kid,
        role="custodian",
        exercise=AuthorityExercise.NONE,
        relation="",
        holder_contact=None,
        holder_partner=PartnerFactory(kind="social", name="ASE du Rhône"),
        decision_kind="children_judge",
        decision_date=dates.today() - timedelta(days=30),
    )

    signing = who_signs(kid)

    assert signing.role_of(mother.holder_contact) == REPRESENTS
    assert signing.role_of(ase.holder_partner) == INFORMED


def test_a_tutor_of_the_minor_signs_for_the_child():
    """C. civ. 390, 408: the tutor represents the minor in every act of civil life."""
    kid = child()
    tutor = ParentalAuthorityFactory(
        person=kid,
        role="tutor",
        exercise=AuthorityExercise.SOLE,
        relation=GuardianRelation.AUNT,
        decision_kind="guardianship",
        decision_date=dates.today() - timedelta(days=200),
    )

    signing = who_signs(kid)

    assert signing.role_of(tutor.holder_contact) == REPRESENTS
    assert "C. civ. 390, 408" in signing.articles


# --- The personne de confiance ------------------------------------------------------------------


def test_the_personne_de_confiance_is_not_offered_to_a_minor():
    signing = who_signs(child(), Act.TRUSTED_PERSON)

    assert "n'est proposée qu'aux personnes majeures (CASF L311-5-1, CSP L1111-6)" in (
        signing.refusal
    )
    assert not signing.signatories


@pytest.mark.parametrize(
    ("kind", "scope", "personal_acts", "needs_authorisation", "article"),
    [
        (K.TUTELLE, BOTH, PersonalActs.REPRESENTATION, True, "CASF L311-5-1 al. 4 ; CSP L1111-6"),
        (K.CURATELLE_SIMPLE, BOTH, PersonalActs.ASSISTANCE, True, "CASF L311-5-1 al. 4"),
        (K.MANDAT_PROTECTION_FUTURE, PERSON, PersonalActs.REPRESENTATION, True, "CSP L1111-6"),
        (K.TUTELLE, BOTH, PersonalActs.NONE, False, "CASF L311-5-1"),
        (K.TUTELLE, ASSETS, PersonalActs.NONE, False, "CASF L311-5-1"),
        (K.CURATELLE_RENFORCEE, BOTH, PersonalActs.NONE, False, "CASF L311-5-1"),
    ],
)
def test_the_designation_needs_an_authorisation_under_assistance_or_representation_of_the_person(
    kind, scope, personal_acts, needs_authorisation, article
):
    person = adult()
    measure(person, kind, scope, personal_acts=personal_acts)

    signing = who_signs(person, Act.TRUSTED_PERSON)

    assert signing.authorisation_required is needs_authorisation
    assert signing.role_of(person) == SIGNS  # the designation is hers
    assert any(article in a for a in signing.articles)


# --- Checking who actually signed -------------------------------------------------------------


def test_a_curator_signing_alone_is_refused():
    person = adult()
    curatelle = measure(person, K.CURATELLE_SIMPLE)

    with pytest.raises(ValidationError) as refused:
        check_signatures(
            who_signs(person),
            person_signed=False,
            signed_by=[curatelle.representative_contact],
        )

    assert "Un curateur ne signe pas seul" in str(refused.value.message_dict["representative"])


def test_the_person_under_curatelle_signing_without_her_curator_is_refused():
    person = adult()
    measure(person, K.CURATELLE_SIMPLE)

    with pytest.raises(ValidationError) as refused:
        check_signatures(who_signs(person), person_signed=True, signed_by=[])

    assert "qui signe à côté d'elle (C. civ. 440, 467)" in str(refused.value)


def test_the_person_and_her_curator_together_is_accepted():
    person = adult()
    curatelle = measure(person, K.CURATELLE_SIMPLE)

    accepted = check_signatures(
        who_signs(person), person_signed=True, signed_by=[curatelle.representative_contact]
    )

    assert accepted is None  # no refusal


def test_a_parent_without_parental_authority_signing_for_the_child_is_refused():
    kid = child()
    mother = ParentalAuthorityFactory(person=kid, exercise=AuthorityExercise.SOLE)
    father = ParentalAuthorityFactory(
        person=kid, relation=GuardianRelation.FATHER, exercise=AuthorityExercise.NONE
    )

    with pytest.raises(ValidationError) as refused:
        check_signatures(
            who_signs(kid),
            person_signed=False,
            signed_by=[mother.holder_contact, father.holder_contact],
        )

    assert f"{father.holder_name} n'exerce pas l'autorité parentale" in str(refused.value)


def test_one_parent_of_two_signing_needs_the_other_s_written_agreement():
    kid = child()
    mother = ParentalAuthorityFactory(person=kid)
    father = ParentalAuthorityFactory(person=kid, relation=GuardianRelation.FATHER)
    signing = who_signs(kid)

    with pytest.raises(ValidationError) as refused:
        check_signatures(signing, person_signed=False, signed_by=[mother.holder_contact])
    assert f"La signature de {father.holder_name} (père) manque" in str(refused.value)

    check_signatures(
        signing,
        person_signed=False,
        signed_by=[mother.holder_contact],
        written_agreement_of=[father.holder_contact],
    )


def test_a_relative_who_represents_nobody_cannot_sign_for_an_adult():
    person = adult()
    neighbour = ContactFactory(person=person)

    with pytest.raises(ValidationError) as refused:
        check_signatures(who_signs(person), person_signed=True, signed_by=[neighbour])

    assert "ne représente pas la personne" in str(refused.value)


# --- The table shown with the protection form ---------------------------------------------------


def test_the_form_s_table_is_the_function_s_table():
    rows = {row.label: row for row in rules_table()}

    assert rows[
        "Tutelle — représentation autorisée par le juge (c. civ. 459 al. 2)"
    ].person_side == ("le tuteur signe au nom de la personne")
    assert rows["Curatelle simple — la personne décide seule (c. civ. 459 al. 1)"].assets_side == (
        "la personne signe, le curateur signe à côté d'elle"
    )
    assert {row.label.split(" — ")[0] for row in rules_table()} == {
        str(label) for _code, label in ProtectionKind.choices
    }


# --- The measures recorded before issue 11 -----------------------------------------------------


def test_the_data_migration_maps_the_former_kinds():
    """A sauvegarde exercised by someone had a mandataire spécial (C. civ. 437); the former
    « accompagnement » is a MAJ when a mandataire judiciaire exercises it (C. civ. 495-6), a
    MASP otherwise (CASF L271-1)."""
    import importlib

    from django.apps import apps

    from dui.people.models import LegalProtection

    migration = importlib.import_module("dui.people.migrations.0011_migrate_kinds_and_first_name")
    person = adult()
    exercised = measure(person, K.TUTELLE)
    simple = measure(person, K.TUTELLE, representative_contact=None)
    maj = measure(
        person, K.TUTELLE, representative_contact=None, representative_partner=PartnerFactory()
    )
    masp = measure(person, K.TUTELLE, representative_contact=None)
    LegalProtection.objects.filter(pk__in=[exercised.pk, simple.pk]).update(kind="sauvegarde")
    LegalProtection.objects.filter(pk__in=[maj.pk, masp.pk]).update(kind="accompagnement")

    migration.kinds_forward(apps, None)

    kinds = dict(LegalProtection.objects.values_list("pk", "kind"))
    assert kinds[exercised.pk] == K.SAUVEGARDE_MANDATAIRE
    assert kinds[simple.pk] == K.SAUVEGARDE
    assert kinds[maj.pk] == K.MAJ
    assert kinds[masp.pk] == K.MASP
