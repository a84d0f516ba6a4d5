"""French forms of the background. The rules themselves live in the models' `clean()` and the
services (so that every caller gets them); a form only shapes the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput, RadioSelect, VersionedForm

from .models import AdvanceDirective, Diet, DietPlan, MedicalHistory, PersonDevice, Vaccination


class MedicalHistoryForm(forms.ModelForm):
    class Meta:
        model = MedicalHistory
        fields = (
            "kind",
            "label",
            "cim10_code",
            "relative",
            "onset_on",
            "onset_year",
            "onset_text",
            "ended_on",
            "note",
        )
        widgets = {"kind": RadioSelect, "onset_on": DateInput, "ended_on": DateInput}
        help_texts = {
            "label": _("Ex. : hypertension artérielle, fracture du col du fémur opérée."),
            "cim10_code": _(
                "Facultatif. Ex. : I10, E11.9. Seule la forme du code est vérifiée (pas de "
                "table CIM-10 dans l'application)."
            ),
            "relative": _("Pour un antécédent familial : mère, père, frère…"),
            "onset_on": _("Début : une date, ou seulement l'année, ou en clair (« enfance »)."),
            "onset_text": _("Ex. : enfance, vers 60 ans."),
            "ended_on": _("Si le problème est résolu : il reste listé, inactif."),
        }


class VaccinationForm(forms.ModelForm):
    class Meta:
        model = Vaccination
        fields = (
            "vaccine_label",
            "administered_on",
            "dose_number",
            "lot_number",
            "administered_by",
            "cis_code",
        )
        widgets = {"administered_on": DateInput}
        help_texts = {
            "vaccine_label": _("Ex. : grippe saisonnière, Covid-19, DTP (rappel)."),
            "administered_by": _("Ex. : IDE de l'établissement, Dr Martin."),
            "cis_code": _("Facultatif : code CIS à 8 chiffres de la base des médicaments."),
        }


class DeviceForm(forms.ModelForm):
    class Meta:
        model = PersonDevice
        fields = ("kind", "detail", "marked_with_name", "since")
        widgets = {"kind": RadioSelect, "since": DateInput}
        help_texts = {
            "detail": _("Ex. : complète, partielle ; lunettes de vue de près ; marque."),
            "marked_with_name": _("Le nom de la personne est gravé ou marqué sur l'appareil."),
        }


class DeviceRemoveForm(VersionedForm):
    removed_on = forms.DateField(label=_("Retiré le"), widget=DateInput)


class DietPlanForm(forms.ModelForm):
    diets = forms.MultipleChoiceField(
        label=_("Régimes"),
        choices=Diet.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DietPlan
        fields = ("since", "food_level", "drink_level", "diets", "meal_help", "note")
        widgets = {
            "since": DateInput,
            "food_level": RadioSelect,
            "drink_level": RadioSelect,
            "meal_help": RadioSelect,
        }
        help_texts = {
            "food_level": _(
                "Niveaux IDDSI (iddsi.org). Libellés français : libellés DUI (la traduction "
                "française officielle n'a pas pu être vérifiée)."
            ),
        }


class AdvanceDirectiveForm(forms.ModelForm):
    class Meta:
        model = AdvanceDirective
        fields = ("existence", "written_on", "kept_where", "checked_on")
        widgets = {"existence": RadioSelect, "written_on": DateInput, "checked_on": DateInput}
        help_texts = {
            "kept_where": _("Ex. : dans le dossier papier, chez la fille, chez le médecin."),
            "checked_on": _("Aujourd'hui si vide."),
        }

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].required = False
        # A copy already deposited in the person's documents (the documents brick).
        choices = [("", _("Aucun"))] + [
            (str(d.public_id), f"{d.title} ({d.document_date:%d/%m/%Y})") for d in documents or []
        ]
        self.fields["document"] = forms.ChoiceField(
            label=_("Copie déposée dans les documents"), choices=choices, required=False
        )
        self._documents = {str(d.public_id): d for d in documents or []}

    def clean_document(self):
        value = self.cleaned_data.get("document")
        return self._documents.get(value) if value else None


class StatementForm(forms.Form):
    """« Aucune allergie connue »: the acting user checks it today."""


class EnteredInErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi cette saisie est-elle une erreur ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle reste lisible dans l'historique, barrée, avec ce motif."),
    )


class HistoryEndForm(VersionedForm):
    ended_on = forms.DateField(label=_("Terminé / guéri le"), widget=DateInput)
