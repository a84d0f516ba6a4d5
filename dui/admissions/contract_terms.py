"""The terms of the contract (contrat de séjour, or DIPC for services): which one an
establishment signs, by when, and what a price line is (CASF L311-4)."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.core import dates
from dui.organisation.models import EstablishmentCategory

from .models import ContractKind

# Services at home or in the community sign a DIPC; establishments, a contrat de séjour.
DIPC_CATEGORIES = {
    EstablishmentCategory.SESSAD,
    EstablishmentCategory.SSIAD,
    EstablishmentCategory.SAVS,
    EstablishmentCategory.SAMSAH,
}
# CASF L311-4: the contract is signed within one month of admission. The DIPC delay is set by
# the establishment; 15 days until that setting exists.
CONTRACT_DELAY_MONTHS = 1
DIPC_DELAY_DAYS = 15
PRICE_UNITS = {"jour": gettext_lazy("par jour"), "mois": gettext_lazy("par mois")}


def contract_kind_for(establishment) -> str:
    return ContractKind.DIPC if establishment.category in DIPC_CATEGORIES else ContractKind.CONTRACT


def contract_due_by(kind: str, started_on: date) -> date:
    if kind == ContractKind.DIPC:
        return started_on + timedelta(days=DIPC_DELAY_DAYS)
    return dates.add_months(started_on, CONTRACT_DELAY_MONTHS)


def contract_label(kind: str) -> str:
    """How the contract names itself in its text (« contrat de séjour » / « document … »)."""
    if kind == ContractKind.CONTRACT:
        return str(ContractKind(kind).label).lower()
    return _("document individuel de prise en charge")


def clean_price_lines(price_lines) -> list[dict]:
    """[{"label", "amount", "unit"}] with a positive decimal amount per day or month."""
    cleaned = []
    for line in price_lines or []:
        label = str(line.get("label", "")).strip()
        unit = line.get("unit", "")
        try:
            amount = Decimal(str(line.get("amount", "")).replace(",", "."))
        except InvalidOperation:
            amount = None
        if not label or amount is None or not amount.is_finite() or amount < 0:
            raise ValidationError(
                {"price_lines": _("Chaque tarif a un libellé et un montant positif en euros.")}
            )
        if unit not in PRICE_UNITS:
            raise ValidationError({"price_lines": _("Un tarif est dû par jour ou par mois.")})
        cleaned.append(
            {"label": label[:150], "amount": f"{amount.quantize(Decimal('0.01'))}", "unit": unit}
        )
    return cleaned
