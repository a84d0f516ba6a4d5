"""Forms of the application page: each one feeds one service of `evaluation.py`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput

from .models import AdmissionStatus, DecisionOutcome, OpinionKind, OpinionValue, PieceKind


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=AdmissionStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PieceExpectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Pièce à ajouter à la liste"), choices=PieceKind.choices)


class PieceReceiveForm(forms.Form):
    kind = forms.ChoiceField(choices=PieceKind.choices, widget=forms.HiddenInput)
    received_on = forms.DateField(label=_("Reçue le"), widget=DateInput, initial=timezone.localdate)
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
    establishment_type = forms.CharField(
        label=_("Type d'établissement ou de service"),
        max_length=80,
        help_text=_("Par exemple : MAS, FAM, IME, ESAT, SESSAD."),
    )
    valid_from = forms.DateField(label=_("Valable du"), widget=DateInput)
    valid_to = forms.DateField(label=_("Jusqu'au"), widget=DateInput)
    reference = forms.CharField(label=_("Référence"), max_length=60, required=False)


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(choices=OpinionKind.choices, widget=forms.HiddenInput)
    value = forms.ChoiceField(label=_("Conclusion"), choices=OpinionValue.choices)
    text = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitPlanForm(forms.Form):
    planned_at = forms.DateTimeField(label=_("Visite prévue le"), widget=DateTimeInput)
    participants = forms.CharField(label=_("Participants"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VisitReportForm(forms.Form):
    done_at = forms.DateTimeField(label=_("Visite faite le"), widget=DateTimeInput)
    participants = forms.CharField(label=_("Participants"), max_length=300, required=False)
    report = forms.CharField(
        label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
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
    decided_on = forms.DateField(
        label=_("Décidée le"), widget=DateInput, initial=timezone.localdate
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = [
                c for c in DecisionOutcome.choices if c[0] in outcomes
            ]
