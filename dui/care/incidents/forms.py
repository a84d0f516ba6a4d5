"""French forms of falls and wounds. The rules live in the models' `clean()` and the services (so
every caller gets them); a form only shapes the input for a tablet: radio buttons and
checkboxes rather than selects, the body diagram beside the zone select."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, MomentField, RadioSelect, VersionedForm, version_field
from dui.documents.uploads import max_document_bytes, too_large_message

from ..notes.forms import DateTimeInput
from .models import ALERTED, Fall, FallConsequence, Wound, WoundAssessment

YES_NO_UNKNOWN = [("", _("Non précisé")), ("yes", _("Oui")), ("no", _("Non"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class FallForm(forms.ModelForm):
    occurred_at = MomentField(
        label=_("Date et heure de la chute"),
        widget=DateTimeInput,
        error_messages={"required": _("Indiquez quand la personne est tombée.")},
    )
    consequences = forms.MultipleChoiceField(
        label=_("Conséquences"),
        choices=FallConsequence.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez les conséquences (« Aucune » s'il n'y en a pas).")},
    )
    got_up_alone = forms.TypedChoiceField(
        label=_("S'est relevé(e) seul(e)"),
        choices=YES_NO_UNKNOWN,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Fall
        fields = (
            "occurred_at",
            "place",
            "place_detail",
            "circumstances",
            "witnessed",
            "minutes_on_floor",
            "got_up_alone",
            "consequences",
            "consequences_detail",
            *(field for field, _label in ALERTED),
            "follow_up",
        )
        widgets = {
            "place": RadioSelect,
            "circumstances": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "minutes_on_floor": _(
                "Si la personne a été retrouvée au sol : depuis combien de "
                "temps environ. Vide si inconnu."
            ),
            "follow_up": _("Surveillance prévue, examens, consignes (complété ensuite)."),
        }
        error_messages = {
            "place": {"required": _("Indiquez où la personne est tombée.")},
            "circumstances": {"required": _("Décrivez les circonstances de la chute.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in ALERTED:
            self.fields[field] = MomentField(
                label=_("%(who)s prévenu(e) à") % {"who": label},
                widget=DateTimeInput,
                required=False,
            )
        if self.instance.pk and self.instance.got_up_alone is not None:
            self.initial["got_up_alone"] = "yes" if self.instance.got_up_alone else "no"
        if not self.instance.pk and "occurred_at" not in self.initial:
            self.initial["occurred_at"] = dates.now().replace(second=0, microsecond=0)

    def _post_clean(self):
        # The model's rules run in the service (one place); the form only shapes the data.
        pass


class FallAmendForm(FallForm):
    version = version_field()
    reason = forms.CharField(
        label=_("Motif de la modification"),
        max_length=200,
        required=False,
        help_text=_("Ex. : heure corrigée, conséquence apparue ensuite."),
    )


class FollowUpForm(VersionedForm):
    follow_up = forms.CharField(
        label=_("Suivi"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Le texte remplace le précédent ; chaque version reste dans l'historique, "
            "datée et signée."
        ),
        error_messages={"required": _("Écrivez le suivi.")},
    )


class WoundForm(forms.ModelForm):
    lines = forms.ModelMultipleChoiceField(
        label=_("Soins du plan qui traitent cette plaie"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )
    acquired_here = forms.TypedChoiceField(
        label=_("Apparue dans l'établissement"),
        choices=YES_NO_UNKNOWN,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Wound
        fields = ("kind", "body_site", "body_site_detail", "acquired_here", "opened_on", "note")
        widgets = {"kind": RadioSelect, "opened_on": DateInput}
        error_messages = {
            "kind": {"required": _("Indiquez le type de plaie.")},
            "body_site": {"required": _("Touchez la zone sur le schéma ou choisissez-la.")},
            "opened_on": {"required": _("Indiquez quand la plaie a été constatée.")},
        }

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = lines
        self.fields["body_site"].widget.attrs["data-body-site"] = "1"
        self.initial.setdefault("opened_on", dates.today())
        if not self.fields["lines"].queryset.exists():
            del self.fields["lines"]

    def _post_clean(self):
        pass


class CareLinesForm(forms.Form):
    lines = forms.ModelMultipleChoiceField(
        label=_("Soins du plan qui traitent cette plaie"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = lines


class WoundAssessmentForm(forms.ModelForm):
    assessed_at = MomentField(
        label=_("Évaluée le"),
        widget=DateTimeInput,
        error_messages={"required": _("Indiquez quand la plaie a été évaluée.")},
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("Seulement si la personne a consenti à être photographiée."),
        error_messages={
            "invalid_image": _(
                "Ce fichier n'est pas une image lisible (JPEG, PNG) : la photo n'est pas "
                "enregistrée."
            )
        },
    )

    class Meta:
        model = WoundAssessment
        fields = (
            "assessed_at",
            "stage",
            "length_mm",
            "width_mm",
            "depth_mm",
            "tissue",
            "exudate",
            "pain",
            "notes",
        )
        widgets = {
            "stage": RadioSelect,
            "tissue": RadioSelect,
            "exudate": RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            field: {"min_value": _("Une dimension ne peut pas être négative.")}
            for field in ("length_mm", "width_mm", "depth_mm")
        }

    def __init__(self, *args, wound=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.wound = wound
        if wound is not None and not wound.is_pressure_ulcer and not self.data.get("stage"):
            # Staging is for pressure ulcers only: not offered (refused, next to the field,
            # if posted anyway).
            self.fields["stage"].widget = forms.HiddenInput()
        for field in ("length_mm", "width_mm", "depth_mm", "pain"):
            self.fields[field].widget.attrs.update({"inputmode": "numeric"})
        self.initial.setdefault("assessed_at", dates.now().replace(second=0, microsecond=0))

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > max_document_bytes():
            raise forms.ValidationError(too_large_message())
        return photo

    def _post_clean(self):
        pass


class HealForm(VersionedForm):
    healed_on = forms.DateField(
        label=_("Cicatrisée le"),
        widget=DateInput,
        error_messages={"required": _("Indiquez la date de cicatrisation.")},
    )


class EnteredInErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi cette saisie est-elle une erreur ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle reste lisible dans l'historique, barrée, avec ce motif."),
        error_messages={"required": _("Indiquez pourquoi cette saisie est une erreur.")},
    )
