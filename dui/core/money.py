"""Amounts of money, the French way, in one place: every page, letter and contract shows an
amount through `format_amount` (or the `euros` template filter that calls it), and every form
reads one through `parse_amount` (`EuroAmountField`).

The format is the one of the French locale in CLDR (and of the Imprimerie nationale's
typographic rules): a decimal comma, two decimals, thousands grouped by a NARROW no-break space
(U+202F, « espace fine insécable ») and a no-break space (U+00A0) before the euro sign, so that
« 1 234,50 € » never breaks across lines: "1\u202f234,50\u00a0€".
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

THOUSANDS = "\u202f"  # espace fine insécable
BEFORE_SIGN = "\u00a0"  # espace insécable
CENT = Decimal("0.01")


def format_amount(amount, *, sign: bool = True) -> str:
    """ "72,50 €", "1 234,50 €" (narrow no-break space for thousands, no-break space before €),
    "-3,00 €". An empty value gives "" (the caller shows its own dash)."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    grouped = f"{abs(value):,.2f}".replace(",", THOUSANDS).replace(".", ",")
    text = ("-" if value < 0 else "") + grouped
    return f"{text}{BEFORE_SIGN}€" if sign else text


def parse_amount(text) -> Decimal:
    """An amount typed the French way: "1 234,56", "1234,56 €", "1234.56". Raises
    InvalidOperation when it is not a finite number."""
    if isinstance(text, Decimal):
        value = text
    else:
        raw = str(text).strip()
        for char in (" ", BEFORE_SIGN, THOUSANDS, "€"):
            raw = raw.replace(char, "")
        value = Decimal(raw.replace(",", "."))
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


class EuroAmountField(forms.DecimalField):
    """A form field for an amount typed the French way, shown as "1234,56"."""

    default_error_messages = {"invalid": _("Saisissez un montant en euros, par ex. 72,50.")}

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = str(parse_amount(value))
            except InvalidOperation:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return super().to_python(value)

    def prepare_value(self, value):
        if value is None or value == "" or isinstance(value, str):
            return value
        return format_amount(value, sign=False).replace(THOUSANDS, "")
