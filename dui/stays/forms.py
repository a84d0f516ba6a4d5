"""Forms of the stays brick: the admission (issue 4, step 3)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput
from dui.organisation.models import Place, Unit


def establishment_staff(establishment):
    """Professionals assigned today to the establishment (the possible referents)."""
    from dui.accounts.models import Assignment

    return (
        get_user_model()
        .objects.filter(
            pk__in=Assignment.objects.active().filter(establishment=establishment).values("user_id")
        )
        .select_related("profession")
        .order_by("last_name", "first_name", "pk")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({obj.profession})" if getattr(obj, "profession", None) else name


class AdmissionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unité"), queryset=Unit.objects.none())
    started_on = forms.DateField(label=_("Date d'admission"), widget=DateInput())
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Cette place n'est pas disponible dans l'unité.")},
    )
    referent = StaffChoiceField(label=_("Professionnel référent"), queryset=None, required=False)

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(establishment=establishment).order_by(
            "name"
        )
        self.fields["place"].queryset = Place.objects.filter(
            establishment=establishment, is_active=True
        )
        self.fields["referent"].queryset = establishment_staff(establishment)
