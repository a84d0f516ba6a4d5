from django import template

from dui.access.journal_labels import object_type_label

register = template.Library()


@register.filter
def journal_object(code: str) -> str:
    """`{{ entry.object_type|journal_object }}`: « Page : Synthèse du dossier », « Usager »."""
    return object_type_label(code)
