"""Forms of the application page: each one feeds one service of `services/evaluation.py` or
`services/applications.py`. Those that move the application carry its version."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, VersionedForm

from ..models import (
    AdmissionStatus,
    DecisionOutcome,
    OpinionKind,
    OpinionValue,
    OrientationKind,
    OrientationQualification,
    PieceKind,
    ReceptionTemporality,
    RequesterKind,
)
from .fields import DateTimeInput, setting_version_field


class TransitionForm(VersionedForm):
    to_status = forms.ChoiceField(choices=AdmissionStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PieceExpectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Pièce à ajouter à la liste"), choices=PieceKind.choices)
    detail = forms.CharField(
        label=_("Précision"),
        max_length=150,
        required=False,
        help_text=_("Obligatoire pour « Autre pièce » : elle figure dans le courrier."),
    )


class PieceReceiveForm(forms.Form):
    kind = forms.ChoiceField(choices=PieceKind.choices, widget=forms.HiddenInput)
    received_on = forms.DateField(label=_("Reçue le"), widget=DateInput, initial=dates.today)
    document = forms.ChoiceField(label=_("Document du dossier (facultatif)"), required=False)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {str(d.public_id): d for d in documents}
        self.fields["document"].choices = [("", "—")] + [
            (str(d.public_id), f"{d.title} ({d.document_date:%d/%m/%Y})") for d in documents
        ]

    def clean_document(self):
        value = self.cleaned_data.get("document")
        return self.documents.get(value) if value else None


class OrientationForm(forms.Form):
    decided_on = forms.DateField(label=_("Décision CDAPH du"), widget=DateInput)
    kind = forms.ChoiceField(
        label=_("Type d'orientation"),
        choices=[("", "—"), *OrientationKind.choices],
        help_text=_("Tel qu'il figure sur la notification (nomenclature nationale des MDPH)."),
    )
    detail = forms.CharField(
        label=_("Précision"),
        max_length=80,
        required=False,
        help_text=_("Par exemple : section, internat ou externat."),
    )
    qualification = forms.ChoiceField(
        label=_("Qualification"),
        choices=OrientationQualification.choices,
        initial=OrientationQualification.TARGET,
        required=False,
    )
    temporality = forms.ChoiceField(
        label=_("Temporalité d'accueil"),
        choices=[("", "—"), *ReceptionTemporality.choices],
        required=False,
    )
    creton = forms.BooleanField(label=_("Amendement Creton"), required=False)
    valid_from = forms.DateField(label=_("Valable du"), widget=DateInput)
    valid_to = forms.DateField(label=_("Jusqu'au"), widget=DateInput)
    reference = forms.CharField(label=_("Référence"), max_length=60, required=False)
    mdph = forms.CharField(
        label=_("MDPH qui a rendu la décision (nom et adresse)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Si ce n'est pas celle des réglages des admissions de l'établissement."),
    )


class OrientationOverrideForm(forms.Form):
    on = forms.DateField(label=_("Pour une entrée le"), widget=DateInput)
    reason = forms.CharField(
        label=_("Pourquoi admettre malgré l'orientation ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApplicantForm(VersionedForm):
    applicant_kind = forms.ChoiceField(label=_("Demande faite par"), choices=RequesterKind.choices)
    applicant_name = forms.CharField(
        label=_("Nom du demandeur"),
        max_length=150,
        required=False,
        help_text=_("Vide si la personne fait la demande elle-même."),
    )
    applicant_organisation = forms.CharField(label=_("Organisme"), max_length=150, required=False)
    applicant_address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    applicant_postcode = forms.CharField(label=_("Code postal"), max_length=5, required=False)
    applicant_city = forms.CharField(label=_("Commune"), max_length=100, required=False)


class AdmissionSettingsForm(forms.Form):
    visit_required = forms.BooleanField(
        label=_("Visite de pré-admission obligatoire avant l'acceptation"), required=False
    )
    mdph_name = forms.CharField(label=_("MDPH du département"), max_length=150, required=False)
    mdph_address = forms.CharField(
        label=_("Adresse postale de la MDPH"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = setting_version_field()


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(choices=OpinionKind.choices, widget=forms.HiddenInput)
    value = forms.ChoiceField(label=_("Conclusion"), choices=OpinionValue.choices)
    text = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitPlanForm(VersionedForm):
    planned_at = forms.DateTimeField(label=_("Visite prévue le"), widget=DateTimeInput)
    participants = forms.CharField(label=_("Participants"), max_length=300, required=False)


class VisitReportForm(VersionedForm):
    done_at = forms.DateTimeField(label=_("Visite faite le"), widget=DateTimeInput)
    participants = forms.CharField(label=_("Participants"), max_length=300, required=False)
    report = forms.CharField(
        label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("Décision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un refus ou un ajournement (il figure dans le courrier)."),
    )
    committee = forms.CharField(label=_("Membres de la commission"), max_length=300, required=False)
    decided_on = forms.DateField(label=_("Décidée le"), widget=DateInput, initial=dates.today)
    without_medical_opinion_reason = forms.CharField(
        label=_("Acceptation sans l'avis du médecin coordonnateur : pourquoi ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "CASF D312-158 2° : le médecin coordonnateur donne un avis sur les admissions."
        ),
    )
    orientation_override_reason = forms.CharField(
        label=_("Acceptation malgré l'orientation CDAPH : pourquoi ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = [
        "outcome",
        "reason",
        "committee",
        "decided_on",
        "without_medical_opinion_reason",
        "orientation_override_reason",
        "version",
    ]

    def __init__(self, *args, outcomes=None, ask_medical=False, ask_orientation=False, **kwargs):
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = [
                c for c in DecisionOutcome.choices if c[0] in outcomes
            ]
        # The reasons are asked only when the acceptance would need them.
        if not ask_medical:
            del self.fields["without_medical_opinion_reason"]
        if not ask_orientation:
            del self.fields["orientation_override_reason"]
