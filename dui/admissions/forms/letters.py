"""Forms of the letters page and of the letter templates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import LetterKind
from .fields import setting_version_field

APPLICATION_LETTERS = [(k, label) for k, label in LetterKind.choices if k != LetterKind.CONTRACT]


class LetterGenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Courrier"), choices=APPLICATION_LETTERS)


class LetterTemplateForm(forms.Form):
    title = forms.CharField(label=_("Titre (objet du courrier)"), max_length=150)
    body = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 18, "aria-describedby": "variables-help"}),
        strip=False,
    )
    version = setting_version_field()
