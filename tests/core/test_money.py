"""Amounts in French format everywhere (issue 11 item 4): one function, one filter."""

from decimal import Decimal, InvalidOperation

import pytest
from django.template import Context, Template

from dui.core.money import EuroAmountField, format_amount, parse_amount

NARROW = "\u202f"  # thousands: espace fine insécable
NBSP = "\u00a0"  # before the euro sign: espace insécable


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("72.5"), f"72,50{NBSP}€"),
        (Decimal("1234.5"), f"1{NARROW}234,50{NBSP}€"),
        (Decimal("1234567.891"), f"1{NARROW}234{NARROW}567,89{NBSP}€"),
        (Decimal("0"), f"0,00{NBSP}€"),
        (Decimal("-3"), f"-3,00{NBSP}€"),
        (Decimal("0.005"), f"0,01{NBSP}€"),  # half up, as on an invoice
        ("68.50", f"68,50{NBSP}€"),
    ],
)
def test_an_amount_is_shown_the_french_way(amount, shown):
    assert format_amount(amount) == shown


def test_an_empty_amount_shows_nothing():
    assert format_amount(None) == "" and format_amount("") == ""


def test_the_template_filter_shows_the_same():
    rendered = Template("{% load dui %}{{ amount|euros }}").render(
        Context({"amount": Decimal("1234.56")})
    )
    assert rendered == f"1{NARROW}234,56{NBSP}€"


@pytest.mark.parametrize("typed", ["1 234,56", "1234,56 €", "1234.56", f"1{NARROW}234,56"])
def test_an_amount_typed_the_french_way_is_read(typed):
    assert parse_amount(typed) == Decimal("1234.56")


@pytest.mark.parametrize("typed", ["abc", "12,3,4", "NaN", "Infinity"])
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(InvalidOperation):
        parse_amount(typed)


def test_the_form_field_says_in_french_what_is_wrong():
    field = EuroAmountField(max_digits=9, decimal_places=2)
    assert field.clean("72,50") == Decimal("72.50")
    with pytest.raises(Exception) as error:
        field.clean("soixante")
    assert "montant en euros" in str(error.value)
