"""Form of the admission page: unit, place, referent (by public id), entry date, planned end;
the version of the application it admits."""

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
    planned_end = forms.DateField(
        label=_("Fin prévue le"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Obligatoire pour un hébergement temporaire. C'est une sortie prévue : le séjour "
            "reste en cours jusqu'à la sortie effective."
        ),
    )
    referent = StaffChoiceField(
        label=_("Professionnel référent"),
        queryset=None,
        required=False,
        to_field_name="public_id",
    )

    orientation_override_reason = forms.CharField(
        label=_("Admission malgré l'orientation CDAPH : pourquoi ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Réservé à la direction ; la raison est enregistrée au journal."),
    )

    field_order = [
        "unit",
        "started_on",
        "place",
        "planned_end",
        "referent",
        "orientation_override_reason",
        "version",
    ]

    def __init__(
        self, *args, establishment, temporary: bool = False, ask_orientation=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        # Asked only when the entry day does not rest on a fitting CDAPH orientation.
        if not ask_orientation:
            del self.fields["orientation_override_reason"]
        # CASF D312-8 I: a temporary stay is « organisé pour une durée limitée ».
        self.fields["planned_end"].required = temporary
        self.fields["planned_end"].error_messages["required"] = _(
            "Indiquez la fin prévue de l'hébergement temporaire."
        )
        self.fields["unit"].queryset = Unit.objects.filter(establishment=establishment).order_by(
            "name"
        )
        self.fields["place"].queryset = Place.objects.filter(
            establishment=establishment, is_active=True
        )
        self.fields["referent"].queryset = referent_candidates(establishment)

    def clean(self):
        data = super().clean()
        started_on, planned_end = data.get("started_on"), data.get("planned_end")
        if started_on and planned_end and planned_end <= started_on:
            self.add_error("planned_end", _("La fin prévue doit suivre la date d'entrée."))
        return data
