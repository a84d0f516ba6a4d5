"""The one table of the measures a care team takes (constantes), used by the model's
constraints, the forms, the round, the charts and the exports.

Per measure: the LOINC code and the UCUM unit of the exchange format (FR Core vital-signs
profiles inherit the HL7 FHIR R4 `observation-vitalsignresult` value set: weight 29463-7 kg,
height 8302-2 cm, BP panel 85354-9 with 8480-6 / 8462-4 mm[Hg], pulse 8867-4 /min, temperature
8310-5 Cel, SpO2 2708-6 %, respiratory rate 9279-1 /min); the French label and unit; the
**refusal bounds** (a value outside is impossible: refused, nothing saved) and the **normal
range** (a value outside is saved and shown with a warning).

Refusal bounds have no published source: they are physical / device plausibility limits
(« convention »), wide enough never to refuse a real value (research notes §2.7). Normal ranges
follow the NEWS2 chart (Royal College of Physicians, National Early Warning Score 2, 2017:
0 point at temperature 36,1–38,0 °C, pulse 51–90 /min, respiratory rate 12–20 /min,
SpO2 ≥ 96 % on scale 1, systolic 111–219 mmHg — 101–110 scoring 1 is left out to spare false
alarms) and, for glucose, the usual French definitions (hypoglycaemia < 0,70 g/L treatment
threshold, hyperglycaemia > 2,50 g/L: research notes §2.4). Where no text fixes a bound it says
« convention ».

Codes the research could not verify are local (`urn:dui:care:…`) rather than invented LOINC
numbers: stools, Bristol scale, fluid intake; capillary glucose 41653-7 and diuresis 9187-6
are marked « non vérifié ».
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    WEIGHT = "weight", _("Poids")
    HEIGHT = "height", _("Taille")
    BLOOD_PRESSURE = "blood_pressure", _("Tension artérielle")
    PULSE = "pulse", _("Pouls")
    TEMPERATURE = "temperature", _("Température")
    SPO2 = "spo2", _("Saturation en oxygène (SpO2)")
    RESPIRATORY_RATE = "respiratory_rate", _("Fréquence respiratoire")
    CAPILLARY_GLUCOSE = "capillary_glucose", _("Glycémie capillaire")
    STOOLS = "stools", _("Selles")
    DIURESIS = "diuresis", _("Diurèse")
    FLUID_INTAKE = "fluid_intake", _("Hydratation (apports)")


class HeightMethod(models.TextChoices):
    MEASURED = "measured", _("mesurée")
    ESTIMATED = "estimated", _("estimée (talon-genou)")
    DECLARED = "declared", _("déclarée")


class TemperatureSite(models.TextChoices):
    TYMPANIC = "tympanic", _("tympanique")
    AXILLARY = "axillary", _("axillaire")
    ORAL = "oral", _("buccale")
    RECTAL = "rectal", _("rectale")
    FRONTAL = "frontal", _("frontale")


LOINC = "http://loinc.org"
LOCAL = "urn:dui:care:measure"


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    label: str
    unit_label: str  # as the French screen shows it
    ucum: str  # stored by the service, never typed
    loinc: tuple[str, str]  # (system, code)
    minimum: Decimal  # refused below
    maximum: Decimal  # refused above
    normal_low: Decimal | None  # warned below (None: no low warning)
    normal_high: Decimal | None  # warned above
    warning_source: str
    decimals: int = 1
    # Blood pressure: the diastolic's own bounds and code.
    minimum2: Decimal | None = None
    maximum2: Decimal | None = None
    loinc2: tuple[str, str] | None = None
    # Diuresis and intake: the normal range is per 24 h, the value is over `period_hours`.
    per_24_hours: bool = False

    @property
    def step(self) -> str:
        return "1" if self.decimals == 0 else "0." + "0" * (self.decimals - 1) + "1"


D = Decimal
NEWS2 = "NEWS2 (Royal College of Physicians, 2017)"

MEASURES: dict[str, MeasureSpec] = {
    Measure.WEIGHT: MeasureSpec(
        Measure.WEIGHT,
        "Poids",
        "kg",
        "kg",
        (LOINC, "29463-7"),
        D(1),
        D(350),
        None,
        None,
        # Losses are judged by the undernutrition rules (HAS 2019 / HAS-FFN 2021), not here.
        "Pertes de poids : HAS 2019 / HAS-FFN 2021 (alerte dénutrition)",
    ),
    Measure.HEIGHT: MeasureSpec(
        Measure.HEIGHT,
        "Taille",
        "cm",
        "cm",
        (LOINC, "8302-2"),
        D(50),
        D(250),
        None,
        None,
        "convention",
        decimals=0,
    ),
    Measure.BLOOD_PRESSURE: MeasureSpec(
        Measure.BLOOD_PRESSURE,
        "Tension artérielle",
        "mmHg",
        "mm[Hg]",
        (LOINC, "8480-6"),
        D(50),
        D(300),
        D(101),
        D(219),
        NEWS2 + " : systolique ≤ 100 ou ≥ 220",
        decimals=0,
        minimum2=D(20),
        maximum2=D(200),
        loinc2=(LOINC, "8462-4"),
    ),
    Measure.PULSE: MeasureSpec(
        Measure.PULSE,
        "Pouls",
        "/min",
        "/min",
        (LOINC, "8867-4"),
        D(20),
        D(250),
        D(51),
        D(90),
        NEWS2 + " : ≤ 50 ou ≥ 91 /min",
        decimals=0,
    ),
    Measure.TEMPERATURE: MeasureSpec(
        Measure.TEMPERATURE,
        "Température",
        "°C",
        "Cel",
        (LOINC, "8310-5"),
        D(30),
        D(44),
        D("36.1"),
        D("37.9"),
        NEWS2 + " : ≤ 36,0 °C ; fièvre ≥ 38,0 °C (usage français)",
    ),
    Measure.SPO2: MeasureSpec(
        Measure.SPO2,
        "SpO2",
        "%",
        "%",
        (LOINC, "2708-6"),
        D(50),
        D(100),
        D(96),
        None,
        NEWS2 + " échelle 1 : ≤ 95 %",
        decimals=0,
    ),
    Measure.RESPIRATORY_RATE: MeasureSpec(
        Measure.RESPIRATORY_RATE,
        "Fréquence respiratoire",
        "/min",
        "/min",
        (LOINC, "9279-1"),
        D(4),
        D(60),
        D(12),
        D(20),
        NEWS2 + " : ≤ 11 ou ≥ 21 /min",
        decimals=0,
    ),
    Measure.CAPILLARY_GLUCOSE: MeasureSpec(
        # 41653-7 « Glucose [Mass/volume] in Capillary blood by Glucometer »: number non vérifié.
        Measure.CAPILLARY_GLUCOSE,
        "Glycémie capillaire",
        "g/L",
        "g/L",
        (LOINC, "41653-7"),
        D("0.10"),
        D("6.00"),
        D("0.70"),
        D("2.50"),
        "< 0,70 g/L ou > 2,50 g/L (définitions usuelles, réglables par l'établissement)",
        decimals=2,
    ),
    Measure.STOOLS: MeasureSpec(
        # Count of stools; the Bristol type (1–7) beside it. No verified LOINC: local code.
        Measure.STOOLS,
        "Selles",
        "selle(s)",
        "{#}",
        (LOCAL, "stools"),
        D(0),
        D(15),
        None,
        None,
        "Échelle de Bristol : types 1–2 (dures) ou 6–7 (liquides) — convention",
        decimals=0,
    ),
    Measure.DIURESIS: MeasureSpec(
        # 9187-6 « Urine output »: meaning non vérifié for a bedside measure.
        Measure.DIURESIS,
        "Diurèse",
        "mL",
        "mL",
        (LOINC, "9187-6"),
        D(0),
        D(10000),
        D(500),
        None,
        "< 500 mL / 24 h (oligurie) — convention",
        decimals=0,
        per_24_hours=True,
    ),
    Measure.FLUID_INTAKE: MeasureSpec(
        Measure.FLUID_INTAKE,
        "Hydratation",
        "mL",
        "mL",
        (LOCAL, "fluid-intake"),
        D(0),
        D(10000),
        D(1000),
        None,
        "< 1 000 mL / 24 h — convention (objectif usuel 1,5 L/jour)",
        decimals=0,
        per_24_hours=True,
    ),
}
BRISTOL_MIN, BRISTOL_MAX = 1, 7
BRISTOL_NORMAL = range(3, 6)  # types 3–5: convention (the scale's « normal » stools)
PERIOD_HOURS_MAX = 72


def spec(measure: str) -> MeasureSpec:
    return MEASURES[measure]


def fr_number(value, decimals: int | None = None) -> str:
    """French display: decimal comma, no useless zeros (37.50 → « 37,5 »)."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals)) if decimals else number
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f").replace(".", ",")


def refusal_message(measure: str) -> str:
    s = MEASURES[measure]
    return (
        f"{s.label} impossible : la valeur doit être comprise entre {fr_number(s.minimum)} et "
        f"{fr_number(s.maximum)} {s.unit_label}."
    )


def warning_of(measure: str, value, *, value2=None, bristol=None, period_hours=None) -> str:
    """The warning shown beside an out-of-normal value (saved all the same), or ""."""
    s = MEASURES[measure]
    if value is None:
        return ""
    value = Decimal(str(value))
    if s.per_24_hours and period_hours:
        value = value * 24 / Decimal(period_hours)
    low = s.normal_low is not None and value < s.normal_low
    high = s.normal_high is not None and value > s.normal_high
    if measure == Measure.STOOLS and bristol is not None and bristol not in BRISTOL_NORMAL:
        kind = "dures" if bristol < BRISTOL_NORMAL.start else "liquides"
        return f"Selles {kind} (Bristol type {bristol}) — {s.warning_source}"
    if low or high:
        where = "basse" if low else "élevée"
        return f"{s.label} {where} : hors des valeurs habituelles ({s.warning_source})."
    return ""
