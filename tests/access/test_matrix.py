"""The profession × information category matrix, as a professional of the person's unit sees it."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access import services
from dui.access.errors import AccessDenied
from dui.access.models import CategoryPermission, InformationCategory
from dui.access.policy import person_access
from dui.accounts.models import AssignmentRole, ProfessionCode
from tests.factories import AssignmentFactory, UserFactory, profession
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

# The legal defaults, written out by hand (not derived from DEFAULT_MATRIX): a change to the
# defaults must be a decision, made here too. "-" nothing, "r" read, "rw" read and write.
EXPECTED = """
profession                adm  soc  edu  care med  psy
as                        r    r    r    rw   -    -
aes                       r    r    rw   rw   -    -
amp                       r    r    rw   rw   -    -
ide                       r    r    r    rw   r    -
idec                      r    r    r    rw   r    -
medecin_coordonnateur     r    r    r    rw   rw   r
medecin                   r    r    r    rw   rw   r
pharmacien                r    -    -    r    r    -
psychologue               r    r    r    r    -    rw
educateur_specialise      r    r    rw   r    -    -
moniteur_educateur        r    r    rw   r    -    -
assistant_service_social  rw   rw   r    -    -    -
ergotherapeute            r    -    r    rw   r    -
kinesitherapeute          r    -    r    rw   r    -
secretaire                rw   -    -    -    -    -
cadre_sante               r    r    r    rw   r    -
chef_service              rw   rw   rw   r    -    -
directeur                 rw   r    r    -    -    -
administrateur            -    -    -    -    -    -
"""
COLUMNS = {
    "adm": InformationCategory.ADMINISTRATIVE,
    "soc": InformationCategory.SOCIAL,
    "edu": InformationCategory.EDUCATIONAL,
    "care": InformationCategory.CARE,
    "med": InformationCategory.MEDICAL,
    "psy": InformationCategory.PSYCHOLOGICAL,
}
DIRECTOR_ONLY = re.escape(
    "Seul(e) le directeur ou la directrice de l'établissement modifie ces droits."
)


def _expected_table() -> dict[str, dict[str, str]]:
    header, *rows = [line.split() for line in EXPECTED.strip().splitlines()]
    return {
        row[0]: {COLUMNS[col]: level for col, level in zip(header[1:], row[1:], strict=True)}
        for row in rows
    }


TABLE = _expected_table()


def test_the_expected_table_covers_every_profession_and_every_category():
    assert set(TABLE) == set(ProfessionCode.values)
    for code, row in TABLE.items():
        assert set(row) == set(InformationCategory.values), code


def _member_of_unit_a(code, unit_a):
    user = UserFactory(profession=code)
    AssignmentFactory(user=user, establishment=unit_a.establishment, unit=unit_a)
    return user


@pytest.mark.parametrize("code", ProfessionCode.values)
def test_each_profession_reads_and_writes_exactly_the_categories_of_the_legal_defaults(
    code, unit_a, resident_a
):
    user = _member_of_unit_a(code, unit_a)
    access = person_access(user=user, person=resident_a)
    # A profession that reads no category does not see the person at all (the administrator).
    assert access.visible == any(level != "-" for level in TABLE[code].values())
    got = {
        category: (
            "rw" if access.can_write(category) else "r" if access.can_read(category) else "-"
        )
        for category in InformationCategory.values
    }
    assert got == TABLE[code]


@pytest.mark.parametrize(
    "code",
    [
        "as",
        "secretaire",
        "directeur",
        "educateur_specialise",
        "assistant_service_social",
        "administrateur",
    ],
)
def test_medical_data_is_closed_to_professions_outside_the_care_team(code, unit_a, resident_a):
    access = person_access(user=_member_of_unit_a(code, unit_a), person=resident_a)
    assert not access.can_read(InformationCategory.MEDICAL)


def test_the_administrator_reads_nothing_of_a_persons_record(unit_a, resident_a):
    access = person_access(user=_member_of_unit_a("administrateur", unit_a), person=resident_a)
    assert access.readable == frozenset()
    assert access.writable == frozenset()


def test_a_directors_override_changes_the_rights_in_their_establishment_only(
    director_a, ehpad_a, aide_a, resident_a, unit_b, resident_b
):
    aide_b = UserFactory(profession="as")
    AssignmentFactory(user=aide_b, establishment=unit_b.establishment, unit=unit_b)
    assert not person_access(user=aide_a, person=resident_a).can_write(InformationCategory.SOCIAL)

    services.category_permission_set(
        acting_user=director_a,
        establishment=ehpad_a,
        profession=profession("as"),
        category=InformationCategory.SOCIAL,
        can_read=True,
        can_write=True,
    )

    # Rights are cached per request on the user object: the next request loads the user anew.
    aide_a = type(aide_a).objects.get(pk=aide_a.pk)
    assert person_access(user=aide_a, person=resident_a).can_write(InformationCategory.SOCIAL)
    assert not person_access(user=aide_b, person=resident_b).can_write(InformationCategory.SOCIAL)


def test_a_director_can_also_close_a_category_to_a_profession(
    director_a, ehpad_a, nurse_a, resident_a
):
    services.category_permission_set(
        acting_user=director_a,
        establishment=ehpad_a,
        profession=profession("ide"),
        category=InformationCategory.SOCIAL,
        can_read=False,
        can_write=False,
    )
    access = person_access(user=nurse_a, person=resident_a)
    assert not access.can_read(InformationCategory.SOCIAL)
    assert access.can_read(InformationCategory.MEDICAL)


def test_a_director_cannot_open_medical_data_to_a_profession_outside_the_care_team(
    director_a, ehpad_a
):
    with pytest.raises(ValidationError) as refused:
        services.category_permission_set(
            acting_user=director_a,
            establishment=ehpad_a,
            profession=profession("secretaire"),
            category=InformationCategory.MEDICAL,
            can_read=True,
            can_write=False,
        )
    assert "réservées à l'équipe de soins" in " ".join(refused.value.messages)
    assert not CategoryPermission.objects.exists()


def test_write_access_without_read_access_is_refused(director_a, ehpad_a):
    with pytest.raises(ValidationError) as refused:
        services.category_permission_set(
            acting_user=director_a,
            establishment=ehpad_a,
            profession=profession("as"),
            category=InformationCategory.SOCIAL,
            can_read=False,
            can_write=True,
        )
    assert "suppose le droit de lecture" in " ".join(refused.value.messages)


@pytest.mark.parametrize("who", ["nurse_a", "doctor_a", "secretary_a", "director_b"])
def test_only_the_director_of_the_establishment_can_change_its_matrix(who, request, ehpad_a):
    user = request.getfixturevalue(who)
    with pytest.raises(AccessDenied, match=DIRECTOR_ONLY):
        services.category_permission_set(
            acting_user=user,
            establishment=ehpad_a,
            profession=profession("as"),
            category=InformationCategory.SOCIAL,
            can_read=True,
            can_write=True,
        )
    assert not CategoryPermission.objects.exists()


def test_a_dpo_cannot_change_the_matrix_either(ehpad_a):
    dpo = UserFactory(profession="directeur")
    AssignmentFactory(user=dpo, establishment=ehpad_a, unit=None, role=AssignmentRole.DPO)
    with pytest.raises(AccessDenied, match=DIRECTOR_ONLY):
        services.category_permission_set(
            acting_user=dpo,
            establishment=ehpad_a,
            profession=profession("as"),
            category=InformationCategory.SOCIAL,
            can_read=True,
            can_write=False,
        )
    assert not CategoryPermission.objects.exists()


# --- The matrix screen ------------------------------------------------------------------------


def test_the_director_changes_a_right_from_the_matrix_screen(
    logged_in_client, director_a, aide_a, resident_a
):
    client = logged_in_client(director_a)
    page = client.get(reverse("access:category_matrix"))
    assert page.status_code == 200
    form = {
        row["profession"].code: {c["name"]: c["level"] for c in row["cells"]}
        for row in page.context["rows"]
    }
    data = {name: level for cells in form.values() for name, level in cells.items()}
    data["as__social"] = "rw"
    data["idempotency_key"] = str(uuid.uuid4())

    response = client.post(reverse("access:category_matrix"), data, follow=True)

    assert response.status_code == 200
    assert person_access(user=aide_a, person=resident_a).can_write(InformationCategory.SOCIAL)
    assert list(CategoryPermission.objects.values_list("profession__code", "category")) == [
        ("as", "social")
    ]
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 droit(s) modifié(s)" in m for m in messages)


def test_a_refused_right_on_the_matrix_screen_saves_nothing_and_says_why(
    logged_in_client, director_a
):
    """The matrix is one use case: one refused cell and no right changes (DESIGN §4.6)."""
    client = logged_in_client(director_a)
    page = client.get(reverse("access:category_matrix"))
    data = {c["name"]: c["level"] for row in page.context["rows"] for c in row["cells"]}
    data["as__social"] = "rw"
    data["secretaire__medical"] = "r"  # refused: medical data stays with the care team
    data["idempotency_key"] = str(uuid.uuid4())

    response = client.post(reverse("access:category_matrix"), data)

    assert response.status_code == 200
    assert not CategoryPermission.objects.exists()
    body = response.content.decode()
    assert "réservées à l&#x27;équipe de soins" in body or "réservées à l'équipe de soins" in body
    assert "Rien n&#x27;a été enregistré" in body or "Rien n'a été enregistré" in body


@pytest.mark.parametrize("who", ["nurse_a", "secretary_a"])
def test_only_the_direction_opens_the_matrix_screen(who, request, logged_in_client):
    user = request.getfixturevalue(who)

    response = logged_in_client(user).get(reverse("access:category_matrix"))

    assert_refused(response, "Réservé à la direction de l'établissement.", user=user)


def test_the_matrix_screen_costs_the_same_few_queries_whatever_the_overrides(
    logged_in_client, director_a, ehpad_a, django_assert_max_num_queries
):
    client = logged_in_client(director_a)
    for code in ("as", "aes", "amp", "ide"):
        services.category_permission_set(
            acting_user=director_a,
            establishment=ehpad_a,
            profession=profession(code),
            category=InformationCategory.SOCIAL,
            can_read=True,
            can_write=True,
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("access:category_matrix")).status_code == 200
