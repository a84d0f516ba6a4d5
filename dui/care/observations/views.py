"""The « Constantes » tab of a person's record, the charts, the unit's measurement round and
alerts list, acknowledging an alert and recording the etiological criterion of undernutrition."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dui.access import journal
from dui.access.decorators import no_person_data, object_view, person_data_view, person_view
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import user_rights_in
from dui.core import dates
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.core.redirects import safe_next
from dui.people.record_page import render_record

from .. import nutrition
from ..shifts import care_settings
from . import selectors, services
from .alerts import latest_height_m, nutrition_status
from .charts import Band, ChartPoint, Guide, measure_chart
from .forms import (
    ROUND_MEASURES,
    AlertAcknowledgeForm,
    EtiologyForm,
    MeasureField,
    ObservationErrorForm,
    ObservationsForm,
    RoundChoiceForm,
)
from .measures import MEASURES, Measure, fr_number
from .models import CareAlert, Observation

CARE = InformationCategory.CARE
SECTION = "constantes"
PAGE_SIZE = 20
ALERTS_PAGE_SIZE = 30
CHART_MONTHS = (3, 6, 12)
NO_ASSIGNMENT = _("Vous n'avez aucune affectation active.")
NO_CARE_RIGHT = _("Votre profession ne saisit pas les soins dans cet établissement.")


def _tab(person):
    return redirect("care:obs_list", person_id=person.public_id)


def _nutrition_context(person, latest=None):
    result = nutrition_status(person=person, latest=latest)
    if result is None:
        return {"nutrition": None}
    return {
        "nutrition": result,
        "nutrition_label": nutrition.STATUS_LABELS[result.status],
        "severity_label": nutrition.SEVERITY_LABELS.get(result.severity or "", ""),
    }


@login_required
@person_view(category=CARE)
def observation_list(request, person_id):
    """The last value of each measure with its date, the BMI beside the weight, the last pain
    score, the open alerts, the undernutrition status and the recent values (paginated)."""
    person = request.person
    latest = selectors.latest_by_measure(person=person)
    last = [
        {"spec": MEASURES[m], "observation": latest.get(m)}
        for m in Measure
        if m in latest or m in (Measure.WEIGHT, Measure.TEMPERATURE, Measure.BLOOD_PRESSURE)
    ]
    return render_record(
        request,
        "care/observations/list.html",
        {
            "last": last,
            "bmi": selectors.bmi_of(latest),
            "pain": selectors.last_pain(person=person, access=request.person_access),
            "alerts": selectors.open_alerts_of(person),
            "page": page_of(request, selectors.recent_observations(person=person), PAGE_SIZE),
            "can_write": request.person_access.can_write(CARE),
            **_nutrition_context(person, latest),
        },
        section=SECTION,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def observation_new(request, person_id):
    person = request.person
    form = ObservationsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.observations_record(
                acting_user=request.user,
                person=person,
                occurred_at=form.cleaned_data["occurred_at"],
                entries=form.entries(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            shown = ", ".join(o.shown for o in done["observations"])
            messages.success(request, _("Mesures enregistrées : %(s)s.") % {"s": shown})
            for o in done["observations"]:
                if o.warning:
                    messages.warning(request, o.warning)
            for alert in done["alerts"]:
                messages.error(
                    request,
                    _("Alerte : %(k)s — %(d)s")
                    % {"k": alert.get_kind_display(), "d": alert.detail},
                )
            back = safe_next(request)
            return redirect(back) if back else _tab(person)
    latest = selectors.latest_by_measure(person=person)
    return render_record(
        request,
        "care/observations/form.html",
        {"form": form, "latest": latest, "next": safe_next(request, "")},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def observation_error(request, person_id, observation_id):
    observation = get_object_or_404(Observation, person=request.person, public_id=observation_id)
    if observation.entered_in_error:
        messages.info(request, _("Cette mesure est déjà marquée comme saisie par erreur."))
        return _tab(request.person)
    form = ObservationErrorForm(request.POST or None, initial={"version": observation.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_mark_entered_in_error(
                acting_user=request.user,
                observation=observation,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La mesure est marquée comme saisie par erreur."))
            return _tab(request.person)
    return render_record(
        request,
        "care/observations/error.html",
        {"form": form, "observation": observation},
        section=SECTION,
        status=form_status(request),
    )


def _months(request) -> int:
    try:
        months = int(request.GET.get("mois", 6))
    except ValueError:
        return 6
    return months if months in CHART_MONTHS else 6


def _weight_chart(person, weights, period, height_m):
    bands, guides = [], []
    older = person.age >= nutrition.OLDER_AGE
    if height_m:
        square = height_m * height_m
        limit = nutrition.BMI_PHENOTYPIC_70_PLUS if older else nutrition.BMI_PHENOTYPIC_UNDER_70
        severe = nutrition.BMI_SEVERE_BELOW_70_PLUS if older else nutrition.BMI_SEVERE_MAX_UNDER_70
        low_kg = (limit * square).quantize(nutrition.ONE_DECIMAL)
        severe_kg = (severe * square).quantize(nutrition.ONE_DECIMAL)
        bands = [
            Band(severe_kg, low_kg, "warn", f"IMC < {fr_number(limit)} : {fr_number(low_kg)} kg"),
            Band(
                severe_kg - 30,
                severe_kg,
                "danger",
                f"IMC < {fr_number(severe)} (dénutrition sévère) : {fr_number(severe_kg)} kg",
            ),
        ]
    if weights:
        six_months_ago = weights[-1].occurred_at - timedelta(days=183)
        reference = max(o.value for o in weights if o.occurred_at >= six_months_ago)
        guides = [
            Guide((reference * pct).quantize(nutrition.ONE_DECIMAL), f"−{label} %")
            for pct, label in (
                (Decimal("0.95"), 5),
                (Decimal("0.90"), 10),
            )
        ]
    points = [
        ChartPoint(dates.date_of(o.occurred_at), o.value, label=f"{fr_number(o.value)} kg")
        for o in weights
    ]
    return measure_chart(
        points,
        title="Courbe de poids",
        unit="kg",
        chart_id="chart-weight",
        bands=bands,
        guides=guides,
        period=period,
    )


@login_required
@person_view(category=CARE)
def observation_charts(request, person_id):
    """Weight (HAS thresholds), blood pressure, temperature and glucose over 3, 6 or 12 months;
    four queries whatever the number of observations."""
    person = request.person
    months = _months(request)
    today = dates.today()
    period = (dates.add_months(today, -months), today)
    series = selectors.chart_series(person=person, months=months, on=today)
    settings = care_settings(getattr(request.assignment, "establishment", None))
    bp, temperature, glucose = (
        series[Measure.BLOOD_PRESSURE],
        series[Measure.TEMPERATURE],
        series[Measure.CAPILLARY_GLUCOSE],
    )
    bp_spec = MEASURES[Measure.BLOOD_PRESSURE]
    charts = [
        _weight_chart(person, series[Measure.WEIGHT], period, latest_height_m(person=person)),
        measure_chart(
            [
                ChartPoint(
                    dates.date_of(o.occurred_at),
                    o.value,
                    o.value2,
                    label=f"{fr_number(o.value)} / {fr_number(o.value2)} mmHg",
                )
                for o in bp
            ],
            title="Tension artérielle (systolique et diastolique)",
            unit="mmHg",
            chart_id="chart-bp",
            bands=[
                Band(Decimal(0), bp_spec.normal_low - 1, "warn", "Systolique ≤ 100 (NEWS2)"),
                Band(bp_spec.normal_high + 1, Decimal(300), "warn", "Systolique ≥ 220 (NEWS2)"),
            ],
            period=period,
            decimals=0,
        ),
        measure_chart(
            [
                ChartPoint(dates.date_of(o.occurred_at), o.value, label=f"{fr_number(o.value)} °C")
                for o in temperature
            ],
            title="Température",
            unit="°C",
            chart_id="chart-temperature",
            bands=[
                Band(
                    settings.fever_celsius,
                    Decimal(44),
                    "danger",
                    f"Fièvre ≥ {fr_number(settings.fever_celsius)} °C",
                ),
                Band(
                    Decimal(30),
                    settings.hypothermia_celsius,
                    "danger",
                    f"Hypothermie ≤ {fr_number(settings.hypothermia_celsius)} °C",
                ),
            ],
            period=period,
        ),
    ]
    if glucose:
        charts.append(
            measure_chart(
                [
                    ChartPoint(
                        dates.date_of(o.occurred_at), o.value, label=f"{fr_number(o.value)} g/L"
                    )
                    for o in glucose
                ],
                title="Glycémie capillaire",
                unit="g/L",
                chart_id="chart-glucose",
                bands=[
                    Band(
                        Decimal(0),
                        settings.hypoglycaemia_g_per_l,
                        "danger",
                        f"Hypoglycémie < {fr_number(settings.hypoglycaemia_g_per_l)} g/L",
                    ),
                    Band(
                        settings.hyperglycaemia_g_per_l,
                        Decimal(6),
                        "warn",
                        f"Hyperglycémie > {fr_number(settings.hyperglycaemia_g_per_l)} g/L",
                    ),
                ],
                period=period,
                decimals=2,
            )
        )
    return render_record(
        request,
        "care/observations/charts.html",
        {"charts": charts, "months": months, "month_choices": CHART_MONTHS, "period": period},
        section=SECTION,
    )


def _alert(public_id):
    return CareAlert.objects.select_related("person").filter(public_id=public_id).first()


@login_required
@object_view(_alert, url_kwarg="alert_id", attribute="alert", category=CARE, write=True)
@idempotent
def alert_acknowledge(request, alert_id):
    alert = request.alert
    if not alert.is_open:
        messages.info(request, _("Cette alerte a déjà été prise en compte."))
        return _tab(alert.person)
    form = AlertAcknowledgeForm(request.POST or None, initial={"version": alert.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_acknowledge(
                acting_user=request.user,
                alert=alert,
                action_taken=form.cleaned_data["action_taken"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Alerte prise en compte : %(k)s.") % {"k": alert.get_kind_display()}
            )
            if request.GET.get("retour") == "alertes":
                return redirect("care:obs_alerts")
            back = safe_next(request)
            return redirect(back) if back else _tab(alert.person)
    return render_record(
        request,
        "care/observations/acknowledge.html",
        {"form": form, "alert": alert, "next": safe_next(request, "")},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def etiology_new(request, person_id):
    """Record the etiological criterion: with a phenotypic criterion met, the diagnosis and
    its severity follow (HAS 2019 / HAS-FFN 2021)."""
    person = request.person
    form = EtiologyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.undernutrition_etiology_record(
                acting_user=request.user, person=person, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            result = done["result"]
            if result is not None and result.undernourished:
                messages.warning(
                    request,
                    _("%(s)s (%(ref)s).")
                    % {"s": nutrition.SEVERITY_LABELS[result.severity], "ref": result.reference},
                )
            else:
                messages.success(request, _("Critère étiologique enregistré."))
            return _tab(person)
    return render_record(
        request,
        "care/observations/etiology.html",
        {"form": form, **_nutrition_context(person)},
        section=SECTION,
        status=form_status(request),
    )


# --- The unit's screens -------------------------------------------------------------------------


def _care_assignment(request, *, write: bool):
    assignment = request.assignment
    if not assignment:
        raise AccessDenied(NO_ASSIGNMENT)
    read, can_write = user_rights_in(request.user, assignment.establishment_id)[CARE]
    if not (can_write if write else read):
        raise AccessDenied(NO_CARE_RIGHT)
    return assignment


@login_required
@require_safe
@person_data_view
def unit_alerts(request):
    """« Alertes de l'unité »: open care alerts of the persons the user sees, newest first."""
    assignment = _care_assignment(request, write=False)
    alerts = selectors.unit_alerts(user=request.user, establishment=assignment.establishment)
    return render(
        request,
        "care/observations/unit_alerts.html",
        {"page": page_of(request, alerts, ALERTS_PAGE_SIZE), "assignment": assignment},
    )


@login_required
@person_data_view
@idempotent
def measurement_round(request):
    """« Tournée de mesures »: one measure (the monthly weighing by default) for every person
    whose stay is under way in the unit, in room order. One submit saves each valid row on its
    own and keeps the bad ones with their message: nothing silently lost."""
    assignment = _care_assignment(request, write=True)
    establishment = assignment.establishment
    choice = RoundChoiceForm(request.GET or None)
    measure = choice.cleaned_data["measure"] if choice.is_valid() else Measure.WEIGHT
    if measure not in ROUND_MEASURES:
        raise Http404
    rows = selectors.round_rows(
        user=request.user, establishment=establishment, unit=assignment.unit, measure=measure
    )
    typed, errors, saved = {}, {}, []
    if request.method == "POST":
        occurred_at = dates.now()
        for row in rows:
            key = f"v-{row.person.public_id}"
            raw = (request.POST.get(key) or "").strip()
            if not raw or row.absent:
                continue
            field = MeasureField(measure)
            try:
                value = field.clean(raw)
                done = services.observations_record(
                    acting_user=request.user,
                    person=row.person,
                    occurred_at=occurred_at,
                    entries=[{"measure": measure, "value": value, **_round_extra(measure)}],
                )
            except ValidationError as error:
                typed[row.person.pk] = raw
                errors[row.person.pk] = " ".join(error.messages)
            except AccessDenied as refusal:
                # A refused row is journaled like any refusal, and kept with its reason.
                journal.record_from_request(
                    request, action=AccessAction.DENIED, person=row.person, obj=row.person
                )
                typed[row.person.pk] = raw
                errors[row.person.pk] = str(refusal)
            else:
                saved.append(done["observations"][0])
                for alert in done["alerts"]:
                    messages.error(
                        request,
                        _("%(p)s — alerte : %(k)s.")
                        % {"p": row.person, "k": alert.get_kind_display()},
                    )
        if saved:
            messages.success(request, _("%(n)d mesure(s) enregistrée(s).") % {"n": len(saved)})
        if not errors:
            return redirect(f"{request.path}?measure={measure}")
        rows = selectors.round_rows(
            user=request.user, establishment=establishment, unit=assignment.unit, measure=measure
        )
    present = [r for r in rows if not r.absent]
    return render(
        request,
        "care/observations/round.html",
        {
            "choice": choice if choice.is_bound else RoundChoiceForm(),
            "measure": measure,
            "spec": MEASURES[measure],
            "rows": [
                {"row": r, "typed": typed.get(r.person.pk, ""), "error": errors.get(r.person.pk)}
                for r in rows
            ],
            "done_count": sum(1 for r in present if r.done),
            "present_count": len(present),
            "assignment": assignment,
        },
        status=400 if errors else 200,
    )


def _round_extra(measure: str) -> dict:
    if measure == Measure.HEIGHT:
        return {"method": "measured"}
    return {}


# --- The establishment's care settings ----------------------------------------------------------


@login_required
@no_person_data
@idempotent
def care_settings_page(request):
    """« Réglages du dossier de soins » of the acting establishment (director, médecin
    coordonnateur): shifts, late-entry window, alert thresholds; history kept, journaled."""
    from .forms import CareSettingsForm
    from .settings import NOT_ALLOWED, care_settings_update, may_set_care_settings

    assignment = request.assignment
    if not assignment:
        raise AccessDenied(NO_ASSIGNMENT)
    establishment = assignment.establishment
    if not may_set_care_settings(request.user, establishment):
        raise AccessDenied(NOT_ALLOWED)
    current = care_settings(establishment)
    form = CareSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            care_settings_update(
                acting_user=request.user,
                establishment=establishment,
                data=data,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Réglages du dossier de soins enregistrés."))
            return redirect("care:obs_settings")
    history = list(current.history.select_related("history_user")[:10]) if current.pk else []
    return render(
        request,
        "care/observations/settings.html",
        {"form": form, "establishment": establishment, "history": history},
        status=form_status(request),
    )
