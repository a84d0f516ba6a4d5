"""Form of the admission page: unit, place, referent (by public id), date; the version of the
application it admits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput, VersionedForm
from dui.organisation.models import Place, Unit

from ..selectors import referent_candidates


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({obj.profession})" if getattr(obj, "profession", None) else name


class AdmissionForm(VersionedForm):
    unit = forms.ModelChoiceField(
        label=_("Unité"), queryset=Unit.objects.none(), to_field_name="public_id"
    )
    started_on = forms.DateField(label=_("Date d'admission"), widget=DateInput())
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        to_field_name="public_id",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Cette place n'est pas disponible dans l'unité.")},
    )
    referent = StaffChoiceField(
        label=_("Professionnel référent"),
        queryset=None,
        required=False,
        to_field_name="public_id",
    )

    field_order = ["unit", "started_on", "place", "referent", "version"]

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(establishment=establishment).order_by(
            "name"
        )
        self.fields["place"].queryset = Place.objects.filter(
            establishment=establishment, is_active=True
        )
        self.fields["referent"].queryset = referent_candidates(establishment)
