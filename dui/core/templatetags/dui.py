import uuid

from django import template
from django.utils.html import format_html

from dui.core import agreement
from dui.core.idempotency import FORM_FIELD
from dui.core.money import format_amount

register = template.Library()


@register.simple_tag
def idempotency_field():
    """A fresh key per rendered form: a resubmission of the same form reuses it."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, uuid.uuid4())


@register.filter
def euros(amount):
    """{{ amount|euros }} → "1 234,50 €" (`dui.core.money.format_amount`); "" when empty."""
    return format_amount(amount)


@register.simple_tag
def agree(person, masculine: str, feminine: str) -> str:
    """`{% agree person "né" "née" %}`: the word agreed with the person's sex (issue 12)."""
    return agreement.agree(person, masculine, feminine)
