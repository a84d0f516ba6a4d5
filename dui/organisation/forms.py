from django import forms

from .finess import normalise_finess
from .models import Establishment


class FinessFormField(forms.CharField):
    """Accepts a FINESS number typed with spaces ("690 000 018") and keeps it without them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The 9-character limit applies after normalisation; leave room to type spaces.
        self.widget.attrs["maxlength"] = "15"

    def to_python(self, value):
        return normalise_finess(super().to_python(value))


class EstablishmentForm(forms.ModelForm):
    class Meta:
        model = Establishment
        fields = [
            "organisation",
            "name",
            "finess",
            "category",
            "address_line",
            "postal_code",
            "city",
            "phone",
            "time_zone",
        ]
        field_classes = {"finess": FinessFormField}
