import uuid

from django import template
from django.utils.html import format_html

from dui.core.idempotency import FORM_FIELD

register = template.Library()


@register.simple_tag
def idempotency_field():
    """A fresh key per rendered form: a resubmission of the same form reuses it."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, uuid.uuid4())
