"""Demo identities: NIRs built from the traits, and the PDF of the showcase documents."""

import random
import re
from datetime import date

import pytest

from dui.demo import data
from dui.demo.documents import demo_pdf
from dui.demo.identity import NirAllocator, nir_for
from dui.documents import filetypes
from dui.people import nir
from dui.people.birthplaces import is_known_birthplace


def test_it_builds_insee_s_example_nir_from_its_traits():
    # INSEE, « Le numéro d'inscription au répertoire »: 1 84 12 76 451 089 46.
    built = nir_for(sex="M", birth_date=date(1984, 12, 3), birthplace_code="76451", order=89)

    assert built == "184127645108946"


@pytest.mark.parametrize(
    ("born", "department"), [(date(1950, 6, 1), "20"), (date(1990, 6, 1), "2A")]
)
def test_corsicans_born_before_1976_keep_department_20(born, department):
    built = nir_for(sex="F", birth_date=born, birthplace_code="2A004", order=1)

    assert built[5:10] == f"{department}004"
    assert nir.is_valid_nir(built)


def test_a_person_born_abroad_has_99_and_the_country_code():
    built = nir_for(sex="M", birth_date=date(1935, 3, 8), birthplace_code="99127", order=12)

    assert built[5:13] == "99127012"
    assert nir.is_valid_nir(built)


def test_an_unknown_birthplace_is_refused():
    with pytest.raises(ValueError):
        nir_for(sex="M", birth_date=date(1935, 3, 8), birthplace_code="99999", order=1)


def test_the_allocator_never_hands_out_the_same_number_twice():
    allocator = NirAllocator(random.Random(1), taken=["184127645108946"])
    numbers = [
        allocator.allocate(sex="M", birth_date=date(1984, 12, 3), birthplace_code="76451")
        for _ in range(500)
    ]

    assert len(set(numbers)) == 500
    assert "184127645108946" not in numbers
    assert all(nir.is_valid_nir(n) for n in numbers)


def test_the_demo_birthplaces_are_in_the_cog():
    codes = [code for code, _w in (*data.FRENCH_BIRTHPLACES, *data.FOREIGN_BIRTHPLACES)]
    codes += [plan.birthplace_code for plan in data.SHOWCASE_PERSONS]

    assert all(is_known_birthplace(code) for code in codes)


def test_the_demo_pdf_is_a_well_formed_pdf():
    content = demo_pdf("Carte nationale d'identité (copie)", ["Nom : DUPRÉ-LEFÈVRE", "Œ (x)"])

    assert filetypes.detect_type(content[: filetypes.HEAD_BYTES]) == filetypes.PDF
    # Every cross-reference offset points at its object, and startxref at the table.
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", content)]
    for number, offset in enumerate(offsets, start=1):
        assert content[offset:].startswith(b"%d 0 obj" % number)
    startxref = int(re.search(rb"startxref\n(\d+)", content).group(1))
    assert content[startxref:].startswith(b"xref")
    assert content.rstrip().endswith(b"%%EOF")
