"""The establishment's price list (grille tarifaire): dated, edited by the direction (journaled,
versioned), never overlapping; bad input gets a French message and saves nothing; the contract
copies the lines in force on the entry day (CASF L311-4 al. 2 « coût prévisionnel », D311 VIII
annexe tarifaire)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessEvent
from dui.admissions.models import PriceList, PriceListLine
from dui.admissions.selectors import price_lines_in_force
from dui.admissions.services.price_lists import price_list_create, price_list_update
from tests.admissions.helpers import key, text
from tests.refusals import assert_refused

LINES = [
    {
        "label": "Socle hébergement chambre seule",
        "amount": "72,50",
        "unit": "day",
        "kind": "accommodation_base",
    },
    {"label": "Tarif dépendance GIR 5-6", "amount": "6.20", "unit": "day", "kind": "dependency"},
]


def test_the_director_creates_a_dated_price_list_journaled(director_a, ehpad_a, today):
    grid = price_list_create(
        acting_user=director_a, establishment=ehpad_a, valid_from=today, lines=LINES
    )
    assert [(line.label, line.amount) for line in grid.lines.all()] == [
        ("Socle hébergement chambre seule", Decimal("72.50")),
        ("Tarif dépendance GIR 5-6", Decimal("6.20")),
    ]
    assert grid.version == 1 and grid.created_by == director_a
    assert AccessEvent.objects.filter(user=director_a, action="configure").exists()
    assert list(price_lines_in_force(ehpad_a, today + timedelta(days=400))) == list(
        grid.lines.all()
    )
    assert not price_lines_in_force(ehpad_a, today - timedelta(days=1)).exists()


def test_only_the_direction_sets_prices(secretary_a, ehpad_a, today):
    with pytest.raises(AccessDenied):
        price_list_create(
            acting_user=secretary_a, establishment=ehpad_a, valid_from=today, lines=LINES
        )
    assert not PriceList.objects.exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"amount": "-1"}, "Ligne 1 : un tarif ne peut être négatif."),
        ({"amount": "soixante"}, "Ligne 1 : le montant « soixante » n'est pas un nombre"),
        ({"amount": "1,234"}, "deux décimales au plus"),
        ({"label": " "}, "Ligne 1 : indiquez le libellé du tarif."),
        ({"unit": "year"}, "par jour, par mois ou par acte"),
    ],
)
def test_a_bad_line_is_refused_with_its_number_and_nothing_is_saved(
    director_a, ehpad_a, today, line, message
):
    with pytest.raises(ValidationError) as error:
        price_list_create(
            acting_user=director_a,
            establishment=ehpad_a,
            valid_from=today,
            lines=[{**LINES[0], **line}],
        )
    assert message in error.value.message_dict["lines"][0]
    assert not PriceList.objects.exists() and not PriceListLine.objects.exists()


def test_periods_never_overlap(director_a, ehpad_a, today):
    first = price_list_create(
        acting_user=director_a, establishment=ehpad_a, valid_from=today, lines=LINES
    )
    with pytest.raises(ValidationError) as error:
        price_list_create(
            acting_user=director_a,
            establishment=ehpad_a,
            valid_from=today + timedelta(days=30),
            lines=LINES,
        )
    assert "chevauche la grille en vigueur" in error.value.message_dict["valid_from"][0]
    assert PriceList.objects.count() == 1
    first = price_list_update(
        acting_user=director_a,
        price_list=first,
        valid_from=today,
        valid_until=today + timedelta(days=29),
        lines=LINES,
        expected_version=1,
    )
    second = price_list_create(
        acting_user=director_a,
        establishment=ehpad_a,
        valid_from=today + timedelta(days=30),
        lines=[{**LINES[0], "amount": "75"}],
    )
    assert list(price_lines_in_force(ehpad_a, today + timedelta(days=30))) == list(
        second.lines.all()
    )
    with pytest.raises(ValidationError, match="quelqu'un d'autre"):
        price_list_update(
            acting_user=director_a,
            price_list=first,
            valid_from=today,
            lines=LINES,
            expected_version=1,
        )
    with pytest.raises(ValidationError) as error:
        price_list_update(
            acting_user=director_a,
            price_list=first,
            valid_from=today,
            valid_until=today - timedelta(days=1),
            lines=LINES,
            expected_version=2,
        )
    assert "ne peut précéder" in error.value.message_dict["valid_until"][0]


def test_the_price_list_page_shows_french_amounts_and_the_form_refuses_bad_input(
    director_a, secretary_a, ehpad_a, logged_in_client, today
):
    price_list_create(
        acting_user=director_a,
        establishment=ehpad_a,
        valid_from=today,
        lines=[{**LINES[0], "amount": "1234.5"}],
    )
    client = logged_in_client(director_a)
    page = client.get(reverse("admissions:price_lists"))
    assert "1\u202f234,50\u00a0€ par jour" in text(page)
    response = client.post(
        reverse("admissions:price_list_new"),
        {
            "valid_from": (today + timedelta(days=10)).isoformat(),
            "version": "0",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-label": "Hébergement",
            "lines-0-amount": "-5",
            "lines-0-unit": "day",
            "lines-0-kind": "accommodation",
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 400
    assert "un tarif ne peut être négatif" in text(response)
    assert PriceList.objects.count() == 1
    secretary = logged_in_client(secretary_a)
    assert secretary.get(reverse("admissions:price_lists")).status_code == 200
    refused = secretary.get(reverse("admissions:price_list_new"))
    assert_refused(refused, "La grille tarifaire est fixée par la direction", user=secretary_a)
