"""The form of an instrument, built from its definition; answers go back as the dict the
instrument's `clean` expects. Each AGGIR adverb is a yes/no pair (an unanswered adverb is not
a "no")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dui.core import dates
from dui.core.forms import DateInput, VersionedForm, version_field

from .instruments.base import ADVERB_LABELS, ADVERBS, Instrument

YES_NO = [("1", _("oui")), ("0", _("non"))]
# An optional question (e.g. the MNA-SF's F2, answered only when the BMI F1 cannot be had) can
# be cleared: a chosen radio cannot be unticked in a browser, so the list offers « no answer »
# (issue 12: answering F1 and F2 forced re-entering the whole form).
NO_ANSWER = ("", _("Sans réponse"))


def _choices(question, choices: list) -> list:
    return [NO_ANSWER, *choices] if not question.required else choices


def _option_label(option) -> str:
    if option.points is None:
        return option.label
    return f"{option.label} ({option.points})"


class AssessmentForm(forms.Form):
    """`editing`: the form changes a stored draft and carries the version it was read at."""

    assessed_on = forms.DateField(label=_("Date de l'évaluation"), widget=DateInput)

    def __init__(
        self,
        *args,
        instrument: Instrument,
        answers: dict | None = None,
        editing: bool = False,
        **kwargs,
    ):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("assessed_on", dates.today())
        answers = answers or {}
        for q in instrument.questions:
            value = answers.get(q.key)
            if q.kind == "adverbs" and isinstance(value, dict):
                for adverb in ADVERBS:
                    kwargs["initial"][f"{q.key}__{adverb}"] = "1" if value.get(adverb) else "0"
            elif q.kind == "boolean" and value is not None:
                kwargs["initial"][q.key] = "1" if value else "0"
            elif value is not None:
                kwargs["initial"][q.key] = value
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        if editing:
            self.fields["version"] = version_field()
        for q in instrument.questions:
            if q.kind == "choice":
                self.fields[q.key] = forms.ChoiceField(
                    label=q.label,
                    choices=_choices(q, [(o.value, _option_label(o)) for o in q.options]),
                    widget=forms.RadioSelect,
                    required=False,
                    help_text=q.help,
                )
            elif q.kind == "number":
                self.fields[q.key] = forms.CharField(
                    label=f"{q.label} ({q.unit})" if q.unit else q.label,
                    required=False,
                    help_text=q.help,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                )
            elif q.kind == "boolean":
                self.fields[q.key] = forms.ChoiceField(
                    label=q.label,
                    choices=_choices(q, YES_NO),
                    widget=forms.RadioSelect,
                    required=False,
                    help_text=q.help,
                )
            elif q.kind == "adverbs":
                for adverb in ADVERBS:
                    self.fields[f"{q.key}__{adverb}"] = forms.ChoiceField(
                        label=ADVERB_LABELS[adverb],
                        choices=YES_NO,
                        widget=forms.RadioSelect,
                        required=False,
                    )
            elif q.kind == "text":
                self.fields[q.key] = forms.CharField(
                    label=q.label,
                    required=False,
                    help_text=q.help,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def answers(self) -> dict:
        """The answers as typed (not yet checked by the instrument): {} parts are dropped."""
        data = self.cleaned_data
        answers = {}
        for q in self.instrument.questions:
            if q.kind == "adverbs":
                given = {a: data.get(f"{q.key}__{a}") for a in ADVERBS}
                if all(v in ("1", "0") for v in given.values()):
                    answers[q.key] = {a: v == "1" for a, v in given.items()}
                elif any(v in ("1", "0") for v in given.values()):
                    answers[q.key] = {a: v == "1" for a, v in given.items() if v in ("1", "0")}
            elif q.kind == "boolean":
                if data.get(q.key) in ("1", "0"):
                    answers[q.key] = data[q.key] == "1"
            elif data.get(q.key) not in (None, ""):
                answers[q.key] = data[q.key]
        return answers

    def rows(self):
        """Questions with their bound fields, grouped, for the template."""
        groups = []
        for q in self.instrument.questions:
            if not groups or groups[-1]["title"] != q.group:
                groups.append({"title": q.group, "questions": []})
            if q.kind == "adverbs":
                fields = [self[f"{q.key}__{a}"] for a in ADVERBS]
            else:
                fields = [self[q.key]]
            groups[-1]["questions"].append({"question": q, "fields": fields})
        return groups

    def add_answer_errors(self, error_dict: dict) -> None:
        for key, messages in error_dict.items():
            q = next((q for q in self.instrument.questions if q.key == key), None)
            if q is None:
                self.add_error(None, messages)
            elif q.kind == "adverbs":
                self.add_error(f"{key}__s", messages)
            else:
                self.add_error(key, messages)


class ReasonForm(VersionedForm):
    """Correct or strike an assessment: the reason, and the version it was read at."""

    reason = forms.CharField(
        label=_("Motif"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
