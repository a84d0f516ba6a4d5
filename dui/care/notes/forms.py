from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, MomentField, VersionedForm

from .models import NoteCategory


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; the value travels as ISO 8601."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


OTHER_FOCUS = ""


class NoteForm(forms.Form):
    """A targeted note in a few taps: the focus as big buttons (the unit's frequent ones
    first), D/A/R, « important », the time of the event prefilled with now. The rules
    (a focus, a text, no future, a category the profession writes) are the service's: its
    French messages come back next to their fields."""

    focus_key = forms.ChoiceField(
        label=_("Cible"), required=False, widget=forms.RadioSelect(attrs={"class": "focus-choice"})
    )
    focus_text = forms.CharField(
        label=_("Autre cible"),
        max_length=120,
        required=False,
        help_text=_("Si la cible n'est pas dans la liste."),
    )
    data = forms.CharField(
        label=_("Données"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que vous avez observé ou ce que la personne dit."),
    )
    actions = forms.CharField(
        label=_("Actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ce qui a été fait."),
    )
    results = forms.CharField(
        label=_("Résultats"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("L'effet constaté (ou à surveiller)."),
    )
    important = forms.BooleanField(label=_("Important — à transmettre"), required=False)
    category = forms.ChoiceField(label=_("Catégorie"))
    occurred_at = MomentField(
        label=_("Heure de l'évènement"),
        widget=DateTimeInput,
        error_messages={"required": _("Indiquez l'heure de l'évènement.")},
    )

    def __init__(self, *args, focus_choices=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_key"].choices = [(c.key, c.label) for c in focus_choices] + [
            (OTHER_FOCUS, _("Autre (à écrire)"))
        ]
        labels = dict(NoteCategory.choices)
        self.fields["category"].choices = [(c, labels[c]) for c in categories]
        if len(categories) == 1:
            self.fields["category"].widget = forms.HiddenInput()
        self.fields["category"].error_messages["invalid_choice"] = _(
            "Votre profession ne peut pas écrire de transmission de cette catégorie."
        )
        if not self.is_bound:
            self.initial.setdefault("occurred_at", dates.now())
            if categories:
                self.initial.setdefault(
                    "category",
                    NoteCategory.CARE if NoteCategory.CARE in categories else categories[0],
                )

    @property
    def note_fields(self):
        """The fields after the focus, in order (`form.data` is the bound data in a
        template, not the field)."""
        return [
            self[name]
            for name in ("data", "actions", "results", "important", "category", "occurred_at")
        ]


class NoteAmendForm(NoteForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoteErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi cette transmission est-elle une erreur ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle reste lisible dans le fil, barrée, avec ce motif."),
    )


class TimelineFilterForm(forms.Form):
    """Filters of a person's timeline (GET)."""

    categorie = forms.ChoiceField(label=_("Catégorie"), required=False)
    cible = forms.ChoiceField(label=_("Cible"), required=False)
    auteur = forms.ChoiceField(label=_("Auteur"), required=False)
    du = forms.DateField(label=_("Du"), required=False, widget=DateInput)
    au = forms.DateField(label=_("Au"), required=False, widget=DateInput)

    def __init__(self, *args, categories=(), focuses=(), authors=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(NoteCategory.choices)
        self.fields["categorie"].choices = [("", _("Toutes"))] + [
            (c, labels[c]) for c in categories
        ]
        self.fields["cible"].choices = [("", _("Toutes"))] + [
            (f.public_id.hex, f.label) for f in focuses
        ]
        self.fields["auteur"].choices = [("", _("Tous"))] + [
            (u.public_id.hex, u.get_full_name() or u.username) for u in authors
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            self.add_error("au", _("La fin de la période précède son début."))
        return cleaned


class FocusForm(forms.Form):
    label = forms.CharField(label=_("Cible"), max_length=80)
    category = forms.ChoiceField(
        label=_("Catégorie par défaut"), choices=NoteCategory.choices, initial=NoteCategory.CARE
    )


class FocusEditForm(FocusForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
