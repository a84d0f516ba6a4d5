"""The establishment's price list (grille tarifaire): dated lists whose periods never overlap,
each with its lines. Set by the direction; every write journaled, with a version. Contracts
copy the lines in force on the entry day (`contracts.contract_generate`): changing a list never
alters a contract already generated."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction
from dui.core.money import parse_amount
from dui.organisation.models import Establishment

from ..models import PriceKind, PriceList, PriceListLine, PriceUnit
from ..permissions import is_director_of

PRICES_REFUSED = _("La grille tarifaire est fixée par la direction de l'établissement.")
STALE_PRICES = _(
    "Cette grille tarifaire a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)


def _clean_lines(lines) -> list[dict]:
    """[{"label", "amount", "unit", "kind"}] → checked values, with a French message naming the
    line (1-based) at fault."""
    cleaned = []
    for number, line in enumerate(lines or [], start=1):
        label = str(line.get("label") or "").strip()
        raw_amount = line.get("amount")
        try:
            amount = parse_amount(raw_amount) if raw_amount not in (None, "") else None
        except (InvalidOperation, ValueError):
            amount = None
        if not label:
            raise ValidationError(
                {"lines": _("Ligne %(n)s : indiquez le libellé du tarif.") % {"n": number}}
            )
        if amount is None:
            raise ValidationError(
                {
                    "lines": _(
                        "Ligne %(n)s : le montant « %(value)s » n'est pas un nombre (ex. 72,50)."
                    )
                    % {"n": number, "value": raw_amount or ""}
                }
            )
        if amount < 0:
            raise ValidationError(
                {"lines": _("Ligne %(n)s : un tarif ne peut être négatif.") % {"n": number}}
            )
        if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("10000000"):
            raise ValidationError(
                {
                    "lines": _(
                        "Ligne %(n)s : un montant a deux décimales au plus et moins de 10 "
                        "millions d'euros."
                    )
                    % {"n": number}
                }
            )
        if line.get("unit") not in PriceUnit.values:
            raise ValidationError(
                {
                    "lines": _("Ligne %(n)s : un tarif est dû par jour, par mois ou par acte.")
                    % {"n": number}
                }
            )
        if line.get("kind") not in PriceKind.values:
            raise ValidationError(
                {"lines": _("Ligne %(n)s : indiquez la nature du tarif.") % {"n": number}}
            )
        cleaned.append(
            {"label": label[:150], "amount": amount, "unit": line["unit"], "kind": line["kind"]}
        )
    if not cleaned:
        raise ValidationError({"lines": _("Une grille tarifaire a au moins un tarif.")})
    return cleaned


def _refuse_overlap(establishment, valid_from: date, valid_until: date | None, *, exclude=None):
    """Two price lists of one establishment are never in force on the same day."""
    others = PriceList.objects.filter(establishment=establishment)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    overlapping = others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    other = overlapping.order_by("valid_from").first()
    if other is not None:
        until = (
            _("jusqu'au %(day)s") % {"day": f"{other.valid_until:%d/%m/%Y}"}
            if other.valid_until
            else _("sans date de fin")
        )
        raise ValidationError(
            {
                "valid_from": _(
                    "Cette période chevauche la grille en vigueur à partir du %(start)s "
                    "(%(until)s) : fixez une date de fin à l'une des deux."
                )
                % {"start": f"{other.valid_from:%d/%m/%Y}", "until": until}
            },
            code="overlap",
        )


def _check(acting_user, establishment, valid_from, valid_until):
    if not is_director_of(acting_user, establishment):
        raise AccessDenied(PRICES_REFUSED)
    if valid_from is None:
        raise ValidationError({"valid_from": _("Indiquez le début de validité.")})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(
            {"valid_until": _("La fin de validité ne peut précéder le début de validité.")}
        )


def _write_lines(price_list, lines, acting_user) -> None:
    price_list.lines.all().delete()
    for position, line in enumerate(lines):
        row = PriceListLine(price_list=price_list, position=position, **line)
        writes.save(row, acting_user=acting_user, created=True)


@transaction.atomic
def price_list_create(
    *, acting_user, establishment, valid_from, valid_until=None, absence_billing="", lines
) -> PriceList:
    """A new price list of the establishment, in force from `valid_from` (to `valid_until`,
    included, or open)."""
    _check(acting_user, establishment, valid_from, valid_until)
    # Lists of one establishment are written one at a time: the overlap check stays true.
    Establishment.objects.select_for_update().get(pk=establishment.pk)
    cleaned = _clean_lines(lines)
    _refuse_overlap(establishment, valid_from, valid_until)
    price_list = PriceList(
        establishment=establishment,
        valid_from=valid_from,
        valid_until=valid_until,
        absence_billing=(absence_billing or "").strip(),
    )
    writes.save(price_list, acting_user=acting_user, created=True)
    _write_lines(price_list, cleaned, acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=price_list)
    return price_list


@transaction.atomic
def price_list_update(
    *,
    acting_user,
    price_list,
    valid_from,
    valid_until=None,
    absence_billing="",
    lines,
    expected_version,
) -> PriceList:
    """Change a price list's period and lines. Contracts already generated keep their copy."""
    establishment = price_list.establishment
    _check(acting_user, establishment, valid_from, valid_until)
    Establishment.objects.select_for_update().get(pk=establishment.pk)
    price_list = writes.lock(
        price_list, expected_version=expected_version, stale_message=STALE_PRICES
    )
    cleaned = _clean_lines(lines)
    _refuse_overlap(establishment, valid_from, valid_until, exclude=price_list)
    price_list.valid_from = valid_from
    price_list.valid_until = valid_until
    price_list.absence_billing = (absence_billing or "").strip()
    writes.save(price_list, acting_user=acting_user)
    _write_lines(price_list, cleaned, acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=price_list)
    return price_list
