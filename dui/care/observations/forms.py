from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, MomentField, VersionedForm

from ..models import CareSettings
from .measures import (
    BRISTOL_MAX,
    BRISTOL_MIN,
    MEASURES,
    PERIOD_HOURS_MAX,
    HeightMethod,
    Measure,
    TemperatureSite,
    refusal_message,
)
from .models import UndernutritionEtiology


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MeasureField(forms.DecimalField):
    """A number typed on a tablet: French decimal comma accepted (« 37,8 »), refused outside
    the measure's bounds with the measure's own message, next to the field."""

    def __init__(self, measure: str, *, bound: str = "value", **kwargs):
        s = MEASURES[measure]
        self.measure = measure
        low, high = (s.minimum2, s.maximum2) if bound == "value2" else (s.minimum, s.maximum)
        self.low, self.high = low, high
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", s.label)
        super().__init__(
            max_digits=7,
            decimal_places=2,
            widget=forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "class": "measure-input"}
            ),
            error_messages={"invalid": _("Saisissez un nombre (ex. : 37,8).")},
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and not (self.low <= value <= self.high):
            if self.low == MEASURES[self.measure].minimum:
                raise forms.ValidationError(refusal_message(self.measure))
            raise forms.ValidationError(
                _("Diastolique impossible : entre %(low)s et %(high)s mmHg.")
                % {"low": self.low, "high": self.high}
            )


def _hours(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=PERIOD_HOURS_MAX,
        initial=24,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("La période de recueil va de 1 à 72 heures."),
            "max_value": _("La période de recueil va de 1 à 72 heures."),
        },
    )


class ObservationsForm(forms.Form):
    """One or several measures taken at the same time (all optional, at least one)."""

    occurred_at = MomentField(
        label=_("Mesuré le"),
        widget=DateTimeInput,
        help_text=_("L'heure où les mesures ont été prises."),
    )
    weight = MeasureField(Measure.WEIGHT, label=_("Poids (kg)"))
    height = MeasureField(Measure.HEIGHT, label=_("Taille (cm)"))
    height_method = forms.ChoiceField(
        label=_("Taille"),
        choices=HeightMethod.choices,
        initial=HeightMethod.MEASURED,
        required=False,
    )
    systolic = MeasureField(Measure.BLOOD_PRESSURE, label=_("Tension : systolique (mmHg)"))
    diastolic = MeasureField(
        Measure.BLOOD_PRESSURE, bound="value2", label=_("Tension : diastolique (mmHg)")
    )
    pulse = MeasureField(Measure.PULSE, label=_("Pouls (/min)"))
    temperature = MeasureField(Measure.TEMPERATURE, label=_("Température (°C)"))
    temperature_site = forms.ChoiceField(
        label=_("Site de la température"),
        choices=TemperatureSite.choices,
        initial=TemperatureSite.TYMPANIC,
        required=False,
    )
    spo2 = MeasureField(Measure.SPO2, label=_("SpO2 (%)"))
    respiratory_rate = MeasureField(
        Measure.RESPIRATORY_RATE, label=_("Fréquence respiratoire (/min)")
    )
    capillary_glucose = MeasureField(
        Measure.CAPILLARY_GLUCOSE, label=_("Glycémie capillaire (g/L)")
    )
    stools = MeasureField(Measure.STOOLS, label=_("Selles (nombre)"))
    bristol = forms.TypedChoiceField(
        label=_("Type de selles (Bristol)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Non précisé"))]
        + [(n, str(n)) for n in range(BRISTOL_MIN, BRISTOL_MAX + 1)],
    )
    diuresis = MeasureField(Measure.DIURESIS, label=_("Diurèse (mL)"))
    diuresis_hours = _hours(_("Diurèse recueillie sur (heures)"))
    fluid_intake = MeasureField(Measure.FLUID_INTAKE, label=_("Hydratation : apports (mL)"))
    fluid_intake_hours = _hours(_("Apports sur (heures)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", dates.now().astimezone(dates.zone_of()))

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value and value > dates.now():
            raise forms.ValidationError(_("L'heure de la mesure ne peut être dans le futur."))
        return value

    def clean(self):
        data = super().clean()
        systolic, diastolic = data.get("systolic"), data.get("diastolic")
        if (systolic is None) != (diastolic is None) and not self.has_error("systolic"):
            if not self.has_error("diastolic"):
                missing = "diastolic" if diastolic is None else "systolic"
                self.add_error(missing, _("Saisissez la systolique et la diastolique."))
        elif systolic is not None and diastolic is not None and systolic <= diastolic:
            self.add_error(
                "diastolic",
                _("Tension impossible : la systolique doit être supérieure à la diastolique."),
            )
        if data.get("bristol") is not None and data.get("stools") in (None, Decimal(0)):
            self.add_error("bristol", _("Le type de selles se saisit avec au moins une selle."))
        if not self.errors and not self.entries():
            raise forms.ValidationError(_("Saisissez au moins une mesure."))
        return data

    def entries(self) -> list[dict]:
        d = self.cleaned_data
        found = []

        def add(measure, value, **extra):
            if value is not None:
                found.append({"measure": measure, "value": value, **extra})

        add(Measure.WEIGHT, d.get("weight"))
        add(Measure.HEIGHT, d.get("height"), method=d.get("height_method") or "")
        if d.get("systolic") is not None and d.get("diastolic") is not None:
            add(Measure.BLOOD_PRESSURE, d["systolic"], value2=d["diastolic"])
        add(Measure.PULSE, d.get("pulse"))
        add(Measure.TEMPERATURE, d.get("temperature"), method=d.get("temperature_site") or "")
        add(Measure.SPO2, d.get("spo2"))
        add(Measure.RESPIRATORY_RATE, d.get("respiratory_rate"))
        add(Measure.CAPILLARY_GLUCOSE, d.get("capillary_glucose"))
        add(Measure.STOOLS, d.get("stools"), bristol=d.get("bristol"))
        add(Measure.DIURESIS, d.get("diuresis"), period_hours=d.get("diuresis_hours") or 24)
        add(
            Measure.FLUID_INTAKE,
            d.get("fluid_intake"),
            period_hours=d.get("fluid_intake_hours") or 24,
        )
        return found


# Measures a round can take, one value per person (blood pressure needs two: not in a round).
ROUND_MEASURES = [
    m
    for m in Measure
    if m not in (Measure.BLOOD_PRESSURE, Measure.STOOLS, Measure.DIURESIS, Measure.FLUID_INTAKE)
]


class RoundChoiceForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("Mesure de la tournée"),
        choices=[(m.value, m.label) for m in ROUND_MEASURES],
        initial=Measure.WEIGHT,
    )


class ObservationErrorForm(VersionedForm):
    reason = forms.CharField(
        label=_("Pourquoi cette mesure est-elle une erreur ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle reste lisible dans l'historique, barrée, avec ce motif."),
    )


class AlertAcknowledgeForm(VersionedForm):
    action_taken = forms.CharField(
        label=_("Ce qui a été fait"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ex. : médecin prévenu, contrôle de la température dans 2 heures."),
        error_messages={"required": _("Indiquez ce qui a été fait.")},
    )


class EtiologyForm(forms.ModelForm):
    class Meta:
        model = UndernutritionEtiology
        fields = ("reduced_intake", "reduced_absorption", "aggression", "noted_on", "comment")
        widgets = {"noted_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("noted_on", dates.today())

    def clean_noted_on(self):
        value = self.cleaned_data.get("noted_on")
        if value and value > dates.today():
            raise forms.ValidationError(_("Cette date ne peut être dans le futur."))
        return value

    def clean(self):
        data = super().clean()
        if not any(data.get(f) for f in ("reduced_intake", "reduced_absorption", "aggression")):
            raise forms.ValidationError(_("Cochez au moins un critère étiologique."))
        return data


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class CareSettingsForm(forms.ModelForm):
    """The establishment's care settings; the version the form was read at travels with it
    (0 while the defaults apply)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = CareSettings
        fields = (
            "morning_starts_at",
            "afternoon_starts_at",
            "night_starts_at",
            "late_entry_minutes",
            "fever_celsius",
            "hypothermia_celsius",
            "hypoglycaemia_g_per_l",
            "hyperglycaemia_g_per_l",
            "no_stools_days",
        )
        widgets = {
            "morning_starts_at": TimeInput,
            "afternoon_starts_at": TimeInput,
            "night_starts_at": TimeInput,
        }
        help_texts = {
            "fever_celsius": _("Par défaut 38,0 °C (usage français ; NEWS2 compte dès 38,1 °C)."),
            "hypothermia_celsius": _("Par défaut 35,0 °C (NEWS2 : 3 points à 35,0 °C et moins)."),
            "hypoglycaemia_g_per_l": _("Par défaut 0,70 g/L (≈ 4,0 mmol/L, seuil de resucrage)."),
            "hyperglycaemia_g_per_l": _("Par défaut 2,50 g/L."),
            "no_stools_days": _("Par défaut 3 jours (convention des protocoles d'EHPAD)."),
            "late_entry_minutes": _("Par défaut 120 minutes (2 heures)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "fever_celsius",
            "hypothermia_celsius",
            "hypoglycaemia_g_per_l",
            "hyperglycaemia_g_per_l",
        ):
            self.fields[name].localize = True
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields[name].widget.is_localized = True
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        data = super().clean()
        morning, afternoon, night = (
            data.get("morning_starts_at"),
            data.get("afternoon_starts_at"),
            data.get("night_starts_at"),
        )
        if morning and afternoon and night and not (morning < afternoon < night):
            self.add_error(
                "afternoon_starts_at",
                _("Les postes se suivent dans la journée : matin, puis après-midi, puis nuit."),
            )
        for low, high, message in (
            (
                "hypothermia_celsius",
                "fever_celsius",
                _("Le seuil d'hypothermie doit être inférieur à celui de la fièvre."),
            ),
            (
                "hypoglycaemia_g_per_l",
                "hyperglycaemia_g_per_l",
                _("Le seuil d'hypoglycémie doit être inférieur à celui de l'hyperglycémie."),
            ),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] >= data[high]:
                self.add_error(low, message)
        return data

    def validate_unique(self):
        # One row per establishment: the service finds it; nothing for the form to check.
        pass
