"""Form of the welcome checklist: tick one item."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput

from ..models import WelcomeItem


class WelcomeTickForm(forms.Form):
    item = forms.ChoiceField(choices=WelcomeItem.choices, widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("Fait le"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)
