from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core.forms import DateInput, MomentField, RadioSelect, VersionedForm, version_field
from dui.support.models import EventCancelReason

from ..notes.forms import DateTimeInput
from .models import Accompaniment, AppointmentKind, TransportBooking, TransportMode


class AppointmentForm(forms.Form):
    """An external appointment in one screen: what, when, with whom, how the person gets there
    and who goes with them. The rules (dates, stay, partner, transport) are the service's: its
    French messages come back next to their fields. `reason` only for who writes medical."""

    kind = forms.ChoiceField(
        label=_("Type de rendez-vous"), choices=AppointmentKind.choices, widget=RadioSelect
    )
    partner = forms.ChoiceField(label=_("Partenaire (annuaire)"), required=False)
    label = forms.CharField(
        label=_("Libellé"),
        max_length=150,
        required=False,
        help_text=_("Laissé vide : le type et le partenaire (« Consultation — Dr … »)."),
    )
    starts_at = MomentField(
        label=_("Début"),
        widget=DateTimeInput,
        error_messages={"required": _("Indiquez la date et l'heure de début.")},
    )
    ends_at = MomentField(
        label=_("Fin (prévue)"),
        widget=DateTimeInput,
        error_messages={"required": _("Indiquez l'heure de fin.")},
    )
    place = forms.CharField(
        label=_("Lieu"),
        max_length=200,
        required=False,
        help_text=_("Laissé vide : l'adresse du partenaire."),
    )
    transport_mode = forms.ChoiceField(
        label=_("Transport"), choices=TransportMode.choices, widget=RadioSelect
    )
    transport_booking = forms.ChoiceField(
        label=_("Transport réservé par"), choices=TransportBooking.choices, widget=RadioSelect
    )
    accompaniment = forms.ChoiceField(
        label=_("Accompagné(e) par"), choices=Accompaniment.choices, widget=RadioSelect
    )
    companion = forms.CharField(label=_("Nom de l'accompagnant"), max_length=120, required=False)
    documents_to_bring = forms.CharField(
        label=_("Documents à emporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Carte Vitale, ordonnance, dernier bilan, DLU…"),
    )
    reason = forms.CharField(
        label=_("Motif (médical)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, partners=(), medical=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("— Aucun (lieu à écrire) —"))] + [
            (p.public_id.hex, f"{p.name} ({p.get_kind_display()})") for p in partners
        ]
        # The service answers for a partner outside the list (another establishment's).
        self.fields["partner"].valid_value = lambda value: True
        if not medical:
            del self.fields["reason"]
        if not self.is_bound:
            self.initial.setdefault("transport_mode", TransportMode.NONE)
            self.initial.setdefault("transport_booking", TransportBooking.NOT_NEEDED)
            self.initial.setdefault("accompaniment", Accompaniment.NONE)
            self.initial.setdefault("kind", AppointmentKind.CONSULTATION)


class AppointmentEditForm(AppointmentForm):
    version = version_field()


class CancelForm(VersionedForm):
    cancel_reason = forms.ChoiceField(
        label=_("Motif de l'annulation"), choices=EventCancelReason.choices, widget=RadioSelect
    )
    cancel_reason_text = forms.CharField(label=_("Précision"), max_length=300, required=False)


class OutcomeForm(VersionedForm):
    report_file = forms.FileField(
        label=_("Compte rendu reçu (PDF ou photo)"),
        required=False,
        help_text=_("Rangé dans les documents du dossier, partie médicale."),
    )
    report = forms.CharField(
        label=_("Compte rendu (l'essentiel)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up = forms.CharField(
        label=_("Suites à donner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Prochain rendez-vous, traitement à surveiller, examen à programmer…"),
    )


class AgendaForm(forms.Form):
    """The agenda's period (GET): from a day, for one day or a week."""

    du = forms.DateField(label=_("À partir du"), required=False, widget=DateInput)
    jours = forms.TypedChoiceField(
        label=_("Période"),
        coerce=int,
        required=False,
        choices=[(1, _("Ce jour")), (8, _("8 jours"))],
    )


class EnteredInErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi ce rendez-vous est-il une erreur ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Il reste dans le dossier, barré, avec ce motif ; il quitte l'agenda."),
        error_messages={"required": _("Indiquez pourquoi ce rendez-vous est une erreur.")},
    )
