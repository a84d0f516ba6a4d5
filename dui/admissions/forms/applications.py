"""Forms of the application page: each one feeds one service of `services/evaluation.py` or
`services/applications.py`. Those that move the application carry its version."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, VersionedForm

from ..models import AdmissionStatus, DecisionOutcome, OpinionKind, OpinionValue, PieceKind
from .fields import DateTimeInput


class TransitionForm(VersionedForm):
    to_status = forms.ChoiceField(choices=AdmissionStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PieceExpectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Pièce à ajouter à la liste"), choices=PieceKind.choices)


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

    field_order = ["outcome", "reason", "committee", "decided_on", "version"]

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = [
                c for c in DecisionOutcome.choices if c[0] in outcomes
            ]
