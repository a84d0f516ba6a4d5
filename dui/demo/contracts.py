"""Demo price lists: each establishment gets the list in force since a year ago (and an EHPAD
the one before it, ended), so that the contract page offers its lines (issue 11 item 4).
Idempotent: an establishment with a price list is skipped."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from dui.admissions.models import PriceKind, PriceList, PriceListLine, PriceUnit
from dui.core import dates
from dui.organisation.models import EstablishmentCategory

if TYPE_CHECKING:
    from .seeding import DemoSeeder

EHPAD_LINES = [
    (
        "Socle de prestations d'hébergement — chambre seule",
        "72.50",
        PriceUnit.DAY,
        PriceKind.ACCOMMODATION_BASE,
    ),
    ("Tarif dépendance GIR 1-2", "22.86", PriceUnit.DAY, PriceKind.DEPENDENCY),
    ("Tarif dépendance GIR 3-4", "14.51", PriceUnit.DAY, PriceKind.DEPENDENCY),
    ("Tarif dépendance GIR 5-6", "6.16", PriceUnit.DAY, PriceKind.DEPENDENCY),
    ("Coiffure", "25.00", PriceUnit.ACT, PriceKind.OPTION),
    ("Marquage du linge", "45.00", PriceUnit.ACT, PriceKind.OPTION),
]
OTHER_LINES = [
    (
        "Accompagnement (financé par l'Assurance maladie, sans participation de la famille)",
        "0.00",
        PriceUnit.DAY,
        PriceKind.CARE,
    ),
]
EHPAD_ABSENCE = (
    "Absence de plus de 72 heures (hospitalisation ou convenances personnelles) : le tarif "
    "dépendance n'est pas facturé et le tarif hébergement est minoré du forfait journalier "
    "hospitalier, sur présentation du bulletin de situation."
)


def _price_list(establishment, valid_from, valid_until, lines, absence, user) -> None:
    grid = PriceList.objects.create(
        establishment=establishment,
        valid_from=valid_from,
        valid_until=valid_until,
        absence_billing=absence,
        created_by=user,
        updated_by=user,
    )
    PriceListLine.objects.bulk_create(
        PriceListLine(
            price_list=grid,
            position=n,
            label=label,
            amount=Decimal(amount),
            unit=unit,
            kind=kind,
            created_by=user,
            updated_by=user,
        )
        for n, (label, amount, unit, kind) in enumerate(lines)
    )


def seed_price_lists(seeder: DemoSeeder) -> int:
    today = dates.today()
    director = next(iter(seeder.users.values()), None)
    created = 0
    for seeded in seeder.establishments.values():
        establishment = seeded.establishment
        if PriceList.objects.filter(establishment=establishment).exists():
            continue
        start = dates.add_months(today, -12)
        if establishment.category == EstablishmentCategory.EHPAD:
            before = [
                (label, f"{Decimal(a) * Decimal('0.98'):.2f}", u, k)
                for label, a, u, k in EHPAD_LINES
            ]
            _price_list(
                establishment,
                dates.add_months(start, -12),
                start - timedelta(days=1),
                before,
                EHPAD_ABSENCE,
                director,
            )
            _price_list(establishment, start, None, EHPAD_LINES, EHPAD_ABSENCE, director)
            created += 2
        else:
            _price_list(establishment, start, None, OTHER_LINES, "", director)
            created += 1
    return created
