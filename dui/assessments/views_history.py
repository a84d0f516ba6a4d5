"""One instrument's history for one person: every assessment (drafts, validated, replaced,
struck errors) and the chart of the validated scores over time."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from dui.access.decorators import person_view_by
from dui.core.pagination import page_of
from dui.people.record_page import render_record

from .charts import Point, number, score_chart
from .instruments import get
from .models import Assessment, AssessmentStatus
from .views import _instrument_category

PAGE_SIZE = 50
# A chart shows at most this many validated points (decades of monthly assessments).
CHART_LIMIT = 600
# How the vertical axis names a score, when a bare number would not speak.
TICK_LABELS = {"aggir": lambda value: f"GIR {int(value)}"}


def history_chart(*, person, instrument):
    """The chart of the validated scores (one query)."""
    rows = (
        Assessment.objects.filter(
            person=person,
            instrument_code=instrument.code,
            status=AssessmentStatus.VALIDATED,
            score__isnull=False,
        )
        .order_by("-assessed_on", "-pk")
        .values_list("assessed_on", "score", "result_label", "level")[:CHART_LIMIT]
    )
    points = [Point(on, score, label, level) for on, score, label, level in reversed(rows)]
    return score_chart(
        points,
        title=f"{instrument.name} : évolution des résultats validés",
        y_min=instrument.score_min,
        y_max=instrument.score_max,
        higher_is_worse=instrument.higher_is_worse,
        y_tick_label=TICK_LABELS.get(instrument.code, number),
        bands=getattr(instrument, "risk_bands", ()),
        chart_id=f"chart-{instrument.code}",
    )


@login_required
@require_safe
@person_view_by(_instrument_category)
def instrument_history(request, person_id, code):
    instrument = get(code)
    assessments = (
        Assessment.objects.filter(person=request.person, instrument_code=code)
        .select_related("assessed_by", "validated_by")
        .order_by("-assessed_on", "-pk")
    )
    page = page_of(request, assessments, PAGE_SIZE)
    chart = history_chart(person=request.person, instrument=instrument)
    return render_record(
        request,
        "assessments/instrument_history.html",
        {
            "instrument": instrument,
            "page": page,
            "chart": chart,
            "statuses": AssessmentStatus,
        },
        section="assessments",
    )
