"""Instrument definitions: questions, answer options, scoring rule, interpretation.

An instrument is identified by (code, version). A change of the published grid or of a
regulation makes a new version; assessments keep the version they were filled with, and the
registry keeps every version so that old assessments are still shown and recomputed as they were.
Definitions are code (reviewed, tested against the published examples), not database rows.

Answers are a dict {question key: value}:
- "choice": the option's `value` (str);
- "number": a number (Decimal), within min/max;
- "boolean": True/False;
- "adverbs" (AGGIR): {"s": bool, "t": bool, "c": bool, "h": bool};
- "text": free text (comments).
`clean(answers, complete=...)` checks them and returns the cleaned dict, or raises
ValidationError({question key: French message}). `score(cleaned)` is only called with complete
answers; `partial(answers)` gives the live total while filling (htmx), never trusted on save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ADVERBS = ("s", "t", "c", "h")
ADVERB_LABELS = {
    "s": "Spontanément",
    "t": "Totalement",
    "c": "Correctement",
    "h": "Habituellement",
}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    points: Decimal | int | None = None


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: str = "choice"  # choice | number | boolean | adverbs | text
    options: tuple[Option, ...] = ()
    help: str = ""
    group: str = ""  # heading the question is shown under
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    decimals: int = 0
    unit: str = ""
    required: bool = True

    def option(self, value) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Result:
    """What an assessment gives: a score (for charts), its label, an interpretation."""

    score: Decimal | None
    label: str  # e.g. "GIR 2", "24 / 30"
    interpretation: str
    level: str = "neutral"  # ok | warn | danger | neutral (badge colour)
    details: dict = field(default_factory=dict)  # sub-scores, GIR variables… (JSON-serialisable)
    complete: bool = True


class Instrument:
    """Subclass per instrument (and per version). Class attributes describe it."""

    code: str = ""
    version: str = "1"
    name: str = ""
    short_name: str = ""
    category: str = "care"  # dui.access InformationCategory value
    source: str = ""  # the published reference the scoring follows
    # Professions (dui.accounts Profession codes) allowed to fill / validate; None: any
    # profession with write access to the category.
    fill_professions: frozenset[str] | None = None
    validate_professions: frozenset[str] | None = None
    # For charts: the score's range and whether a higher score means more risk/dependence.
    score_min: Decimal | int | None = None
    score_max: Decimal | int | None = None
    higher_is_worse: bool = False
    questions: tuple[Question, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.version)

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)

    # --- answers -------------------------------------------------------------------------

    def clean(self, answers: dict, *, complete: bool = True) -> dict:
        """Check every answer against its question; with `complete`, every required question
        must be answered. Unknown keys are refused (never stored silently)."""
        errors: dict[str, str] = {}
        cleaned: dict = {}
        known = {q.key for q in self.questions}
        for key in answers:
            if key not in known:
                errors[key] = _("Question inconnue pour cet instrument.")
        for q in self.questions:
            value = answers.get(q.key)
            if value in (None, "", {}):
                if complete and q.required:
                    errors[q.key] = _("Répondez à cette question.")
                continue
            try:
                cleaned[q.key] = self._clean_value(q, value)
            except ValidationError as error:
                errors[q.key] = error.messages[0]
        if errors:
            raise ValidationError(errors)
        return cleaned

    def _clean_value(self, q: Question, value):
        if q.kind == "choice":
            if q.option(str(value)) is None:
                raise ValidationError(_("Cette réponse ne fait pas partie des choix proposés."))
            return str(value)
        if q.kind == "number":
            try:
                number = Decimal(str(value).replace(",", "."))
            except (InvalidOperation, ValueError):
                raise ValidationError(_("Saisissez un nombre.")) from None
            if not number.is_finite():
                raise ValidationError(_("Saisissez un nombre."))
            if q.minimum is not None and number < Decimal(str(q.minimum)):
                raise ValidationError(_("La valeur minimale est %(v)s.") % {"v": q.minimum})
            if q.maximum is not None and number > Decimal(str(q.maximum)):
                raise ValidationError(_("La valeur maximale est %(v)s.") % {"v": q.maximum})
            if q.decimals == 0 and number != number.to_integral_value():
                # A count or an integer scale: 4.5 is a typo, not 4 or 5.
                raise ValidationError(_("Saisissez un nombre entier."))
            return str(round(number, q.decimals))
        if q.kind == "boolean":
            if value in (True, "true", "on", "1", "oui"):
                return True
            if value in (False, "false", "0", "non"):
                return False
            raise ValidationError(_("Répondez par oui ou non."))
        if q.kind == "adverbs":
            if not isinstance(value, dict) or set(value) != set(ADVERBS):
                raise ValidationError(_("Indiquez chacun des quatre adverbes (S, T, C, H)."))
            if not all(isinstance(v, bool) for v in value.values()):
                raise ValidationError(_("Chaque adverbe est coché ou non."))
            return {a: value[a] for a in ADVERBS}
        if q.kind == "text":
            text = str(value).strip()
            if len(text) > 2000:
                raise ValidationError(_("2 000 caractères au plus."))
            return text
        raise ValidationError(f"unknown question kind {q.kind}")

    def is_complete(self, answers: dict) -> bool:
        try:
            self.clean(answers, complete=True)
        except ValidationError:
            return False
        return True

    # --- scoring ---------------------------------------------------------------------------

    def score(self, cleaned: dict) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def partial(self, answers: dict) -> Result | None:
        """Live result while filling. Default: the full score when complete, else the sum of
        the points of the choices answered so far, marked incomplete."""
        try:
            cleaned = self.clean(answers, complete=False)
        except ValidationError:
            return None
        if self.is_complete(cleaned):
            return self.score(cleaned)
        total = self.points(cleaned)
        required = [q.key for q in self.questions if q.required]
        answered = sum(1 for key in required if key in cleaned)
        return Result(
            score=None,
            label=_("%(n)s / %(total)s réponses") % {"n": answered, "total": len(required)},
            interpretation=_("Évaluation incomplète : sous-total %(t)s.") % {"t": total}
            if total is not None
            else _("Évaluation incomplète."),
            complete=False,
        )

    def points(self, cleaned: dict) -> Decimal | None:
        """Sum of the points of the answered choice/number questions (None if none count)."""
        total = None
        for q in self.questions:
            if q.key not in cleaned:
                continue
            if q.kind == "choice":
                option = q.option(cleaned[q.key])
                if option and option.points is not None:
                    total = (total or Decimal(0)) + Decimal(str(option.points))
        return total


_registry: dict[tuple[str, str], Instrument] = {}


def register(instrument_class: type[Instrument]) -> type[Instrument]:
    """Class decorator: add an instrument version to the registry."""
    instrument = instrument_class()
    if not instrument.code or not instrument.name:
        raise ValueError(f"{instrument_class.__name__}: code and name are required")
    _registry[instrument.key] = instrument
    return instrument_class


def get(code: str, version: str | None = None) -> Instrument | None:
    if version is not None:
        return _registry.get((code, version))
    versions = [i for (c, _v), i in _registry.items() if c == code]
    return max(versions, key=lambda i: _version_key(i.version)) if versions else None


def latest_instruments() -> list[Instrument]:
    codes = sorted({c for c, _v in _registry})
    return [get(c) for c in codes]


def _version_key(version: str):
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))
