"""NIR checks (dui/people/nir.py) against published examples, each with its source."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dui.people.nir import compact, format_nir, is_valid_nir, nir_key

SHARED_FHIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "fhir"


# --- Published examples ------------------------------------------------------------------------


def test_the_science_etonnante_example_is_valid_and_its_key_is_15():
    """David Louapre, « La clé du numéro de sécurité sociale », Science étonnante
    (scienceetonnante.com/?p=255): 1 37 04 76 243 484 15 — 1370476243484 mod 97 = 82,
    key 97 − 82 = 15."""
    assert 1370476243484 % 97 == 82
    assert nir_key("1370476243484") == 15
    assert is_valid_nir("1 37 04 76 243 484 15")


def test_the_science_etonnante_misspelt_example_is_refused():
    """Same article: writing 4 for the 3 of the year gives 1 47 04 76 243 484, whose key is
    10, not 15 — the key catches the mistake."""
    assert nir_key("1470476243484") == 10
    assert not is_valid_nir("1 47 04 76 243 484 15")


def test_the_lbcd78_example_of_a_woman_born_in_paris_11e_has_key_64():
    """lbcd78.fr, « Calcul de la clé du n° de sécurité sociale » (26/02/2007):
    2 06 12 75 111 005, a woman born in December 1906 in Paris 11e, key 64."""
    assert nir_key("2061275111005") == 64
    assert is_valid_nir("206127511100564")


def test_the_tech_io_exercise_example_has_key_94():
    """tech.io, « Recueil d'exercices pour apprendre Python au lycée — Numéros de sécurité
    sociale »: 9700000000100 mod 97 = 3, key 97 − 3 = 94."""
    assert nir_key("9700000000100") == 94


def test_the_python_stdnum_doctest_examples_behave_as_documented():
    """python-stdnum 2.2, stdnum/fr/nir.py module docstring (its doctests): '2 95 10 99 126 111
    93' is valid; '295109912611199' has an invalid check digit; '253072C07300443' has an
    invalid format; '6546546546546703' (16 digits) an invalid length."""
    assert is_valid_nir("2 95 10 99 126 111 93")
    assert not is_valid_nir("295109912611199")
    assert not is_valid_nir("253072C07300443")
    assert not is_valid_nir("6546546546546703")
    assert format_nir("295109912611193") == "2 95 10 99 126 111 93"


# --- Corsica -------------------------------------------------------------------------------------


def test_a_nir_born_in_corse_du_sud_2a_counts_2a_as_19():
    """python-stdnum doctest '253072A07300443'. 2A → 19: 2530719073004 mod 97 = 54,
    key 97 − 54 = 43."""
    assert 2530719073004 % 97 == 54
    assert nir_key("253072A073004") == 43
    assert is_valid_nir("253072A07300443")


def test_a_nir_born_in_haute_corse_2b_counts_2b_as_18():
    """python-stdnum doctest '253072B07300470'. 2B → 18: 2530718073004 mod 97 = 27,
    key 97 − 27 = 70."""
    assert 2530718073004 % 97 == 27
    assert nir_key("253072B073004") == 70
    assert is_valid_nir("253072B07300470")


def test_corsica_letters_may_be_typed_in_lower_case():
    assert is_valid_nir("2 53 07 2a 073 004 43")
    assert compact("2 53 07 2b 073 004 70") == "253072B07300470"


def test_the_2a_key_does_not_validate_a_2b_number():
    assert not is_valid_nir("253072B07300443")


# --- Input shape ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "1 37 04 76 243 484 15",
        "137047624348415",
        " 137047624348415 ",
        "1\u00a037\u00a004\u00a076\u00a0243\u00a0484\u00a015",  # non-breaking spaces, from a PDF
        "1 37 04 76 243 484\t15",
        "1.37.04.76.243.484.15",
        "1-37-04-76-243-484-15",
    ],
)
def test_spaces_and_separators_are_tolerated(typed):
    assert is_valid_nir(typed)


def test_a_wrong_key_is_refused():
    assert not is_valid_nir("137047624348416")
    assert not is_valid_nir("137047624348400")


@pytest.mark.parametrize("typed", ["13704762434841", "1370476243484150", "1 37 04 76 243 484 1"])
def test_14_or_16_characters_are_refused(typed):
    assert not is_valid_nir(typed)


@pytest.mark.parametrize(
    "typed", ["1370476243X8415", "A37047624348415", "13704762434841O", "1370A7624348415"]
)
def test_letters_outside_the_corsican_department_are_refused(typed):
    assert not is_valid_nir(typed)


def test_empty_or_missing_values_are_not_valid():
    assert not is_valid_nir("")
    assert not is_valid_nir(None)


@pytest.mark.parametrize("first_13", ["137047624348", "13704762434845", "1370476243X84", ""])
def test_nir_key_refuses_anything_but_13_characters(first_13):
    with pytest.raises(ValueError):
        nir_key(first_13)


def test_nir_key_tolerates_spaces_in_the_first_13_characters():
    assert nir_key("1 37 04 76 243 484") == 15


# --- Illustrative INS of the FHIR guides -------------------------------------------------------


def test_the_fr_core_patient_ins_example_has_an_invalid_key():
    """/work/shared/data/fhir/FRCorePatientINSExample.fsh (hl7.fhir.fr.core) carries
    INS-NIR 123456789012244: illustrative only, its key should be 12."""
    source = SHARED_FHIR / "FRCorePatientINSExample.fsh"
    if source.exists():
        assert '"123456789012244"' in source.read_text(encoding="utf-8")
    assert nir_key("1234567890122") == 12
    assert not is_valid_nir("123456789012244")


def test_the_tddui_patient_ins_example_has_an_invalid_key():
    """/work/shared/data/fhir/Patient-tddui-patient-ins-example.json (ANS TDDUI guide) carries
    INS-NIR 147720425367411: illustrative only, its key should be 30."""
    source = SHARED_FHIR / "Patient-tddui-patient-ins-example.json"
    if source.exists():
        assert '"147720425367411"' in source.read_text(encoding="utf-8")
    assert nir_key("1477204253674") == 30
    assert not is_valid_nir("147720425367411")


# --- Property ----------------------------------------------------------------------------------

first_13_digits = st.text(alphabet="0123456789", min_size=13, max_size=13)
corsican_first_13 = st.tuples(
    st.text(alphabet="0123456789", min_size=5, max_size=5),
    st.sampled_from(["2A", "2B"]),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
).map("".join)


@given(first_13=st.one_of(first_13_digits, corsican_first_13), other=st.integers(0, 99))
def test_the_computed_key_is_the_only_valid_one(first_13, other):
    key = nir_key(first_13)
    assert 1 <= key <= 97
    assert is_valid_nir(first_13 + f"{key:02d}")
    if other != key:
        assert not is_valid_nir(first_13 + f"{other:02d}")
