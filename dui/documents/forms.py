import json

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.access.models import InformationCategory
from dui.core import dates
from dui.core.forms import DateInput, VersionedForm

from .filetypes import ACCEPTED
from .models import DocumentKind, default_category
from .uploads import too_large_message


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de document"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Titre"),
        max_length=150,
        required=False,
        help_text=_("Laissé vide, le titre reprend le type de document."),
    )
    document_date = forms.DateField(
        label=_("Date du document"),
        widget=DateInput,
    )
    category = forms.ChoiceField(
        label=_("Partie du dossier"),
        help_text=_(
            "Seules les professions qui lisent cette partie du dossier verront le document."
        ),
    )
    file = forms.FileField(
        label=_("Fichier"),
        widget=forms.FileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )

    def __init__(self, *args, writable, max_mb: int, file_too_large=False, kind="", **kwargs):
        """`writable`: the categories the user may write for this person (the only choices);
        `file_too_large`: the upload handler skipped the file for its size."""
        initial = kwargs.setdefault("initial", {})
        kind = kind if kind in DocumentKind.values else DocumentKind.OTHER
        initial.setdefault("kind", kind)
        initial.setdefault("document_date", dates.today())
        initial.setdefault(
            "category",
            default_category(kind)
            if default_category(kind) in writable
            else next(iter(writable), ""),
        )
        super().__init__(*args, **kwargs)
        self.file_too_large = file_too_large
        self.fields["category"].choices = [
            (code, label) for code, label in InformationCategory.choices if code in writable
        ]
        # Read by upload.js to move the category along with the kind chosen.
        self.fields["kind"].widget.attrs["data-default-categories"] = json.dumps(
            {code: str(default_category(code)) for code in DocumentKind.values}
        )
        self.fields["file"].help_text = _("PDF ou image (JPEG, PNG, TIFF), %(max)s Mo au plus.") % {
            "max": max_mb
        }
        if file_too_large:
            # The file never reached the form: say why instead of "this field is required".
            self.fields["file"].required = False

    def clean_file(self):
        if self.file_too_large:
            raise forms.ValidationError(too_large_message())
        return self.cleaned_data["file"]


class EnteredInErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Indiquez pourquoi ce document a été déposé par erreur.")},
    )
