"""Password rules (CNIL, délibération 2022-100): 12 characters at least, no common password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_ten_character_password_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_password("Xq7!vR2#pL")

    assert any("12 caractères" in message for message in caught.value.messages)


@pytest.mark.parametrize("password", ["motdepasse", "azertyuiop", "telechargement", "qwerty123456"])
def test_a_common_password_is_refused(password):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)

    assert any("trop courant" in message for message in caught.value.messages)


def test_a_password_resembling_the_username_is_refused():
    user = UserFactory.build(username="claire.martin", first_name="Claire", last_name="Martin")

    with pytest.raises(ValidationError):
        validate_password("claire.martin1", user=user)


def test_a_long_uncommon_password_is_accepted():
    assert validate_password("Tilleuls-Glycines-2026") is None  # raises when refused
