"""Score charts (server-rendered SVG) and the page of one instrument's history."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.assessments.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    PAD,
    RIGHT,
    TOP,
    WIDTH,
    Point,
    number,
    score_chart,
)
from dui.assessments.models import AssessmentStatus
from tests.assessments.review_helpers import days_ago, stored_assessment
from tests.refusals import assert_refused

X_FIRST, X_LAST = LEFT + PAD, WIDTH - RIGHT - PAD
Y_TOP, Y_BOTTOM = TOP + PAD, HEIGHT - BOTTOM - PAD


def circles(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    ]


# --- The chart ----------------------------------------------------------------------------------


class TestChart:
    def test_points_are_placed_by_date_and_score_with_better_up(self):
        chart = score_chart(
            [
                Point(date(2024, 1, 1), 6, "GIR 6", "ok"),
                Point(date(2024, 7, 1), 1, "GIR 1", "danger"),
                Point(date(2025, 1, 1), Decimal("3.5"), "GIR ?", "warn"),
            ],
            title="GIR",
            y_min=1,
            y_max=6,
        )
        first, middle, last = chart.points
        # x: first and last dates at the ends, 182 of 366 days in between.
        assert (first.x, last.x) == (X_FIRST, X_LAST)
        assert middle.x == pytest.approx(X_FIRST + 182 / 366 * (X_LAST - X_FIRST), abs=0.01)
        # y: GIR 6 (the maximum, autonomous) at the top, GIR 1 at the bottom, 3.5 halfway.
        assert (first.y, middle.y) == (Y_TOP, Y_BOTTOM)
        assert last.y == pytest.approx((Y_TOP + Y_BOTTOM) / 2, abs=0.01)
        assert circles(chart.svg) == [(p.x, p.y) for p in chart.points]
        assert "<polyline" in chart.svg

    def test_a_scale_where_higher_is_worse_has_its_maximum_at_the_bottom(self):
        chart = score_chart(
            [Point(date(2024, 1, 1), 0), Point(date(2024, 2, 1), 5)],
            title="Algoplus",
            y_min=0,
            y_max=5,
            higher_is_worse=True,
        )
        assert [p.y for p in chart.points] == [Y_TOP, Y_BOTTOM]
        assert "dégradation" in chart.svg

    def test_points_are_drawn_in_date_order_whatever_the_input_order(self):
        chart = score_chart(
            [Point(date(2024, 3, 1), 2), Point(date(2024, 1, 1), 4)], title="t", y_min=0, y_max=4
        )
        assert [p.point.on for p in chart.points] == [date(2024, 1, 1), date(2024, 3, 1)]

    def test_one_point_sits_in_the_middle_without_a_line(self):
        chart = score_chart(
            [Point(date(2024, 5, 2), 12, "12 / 14", "ok")], title="MNA-SF", y_min=0, y_max=14
        )

        (only,) = chart.points
        assert only.x == (X_FIRST + X_LAST) / 2
        assert only.y == pytest.approx(Y_BOTTOM - 12 / 14 * (Y_BOTTOM - Y_TOP), abs=0.01)
        assert "<polyline" not in chart.svg
        assert "Une évaluation validée, le 02/05/2024 : 12 / 14." in chart.svg
        assert "02/05/2024" in chart.svg  # the only date on the axis

    def test_no_data_gives_an_empty_chart_that_says_so(self):
        chart = score_chart([], title="Braden", y_min=6, y_max=23)

        assert chart.is_empty and chart.points == []
        assert "Aucune évaluation validée" in chart.svg
        assert "<circle" not in chart.svg

    def test_the_chart_is_accessible(self):
        chart = score_chart(
            [
                Point(date(2023, 1, 10), 4, "GIR 4", "warn"),
                Point(date(2024, 1, 10), 2, "GIR 2", "danger"),
            ],
            title="Grille AGGIR",
            y_min=1,
            y_max=6,
            chart_id="chart-aggir",
        )
        svg = chart.svg
        assert 'role="img"' in svg
        assert 'aria-labelledby="chart-aggir-title chart-aggir-desc"' in svg
        assert '<title id="chart-aggir-title">Grille AGGIR</title>' in svg
        assert (
            "2 évaluations validées du 10/01/2023 au 10/01/2024. Première : GIR 4 ; "
            "dernière : GIR 2 (dégradation)." in svg
        )
        assert "<title>10/01/2024 : GIR 2</title>" in svg
        assert "↑ mieux" in svg

    def test_points_are_coloured_by_the_level_of_the_result(self):
        chart = score_chart(
            [Point(date(2024, 1, 1), 1, "", "danger"), Point(date(2024, 2, 1), 6, "", "ok")],
            title="t",
            y_min=1,
            y_max=6,
        )
        assert re.findall(r'<circle[^>]* fill="(#[0-9a-f]{6})"', chart.svg) == [
            "#9b1c1c",
            "#1e6b3a",
        ]

    def test_every_text_is_escaped(self):
        chart = score_chart(
            [Point(date(2024, 1, 1), 1, "<script>alert(1)</script>")],
            title='"><script>',
            y_min=0,
            y_max=2,
        )
        assert "<script>" not in chart.svg
        assert "&lt;script&gt;" in chart.svg

    def test_bands_shade_a_score_range(self):
        chart = score_chart(
            [Point(date(2024, 1, 1), 10)], title="t", y_min=0, y_max=20, bands=[(0, 10, "danger")]
        )
        assert re.search(
            r'<rect x="64" y="([\d.]+)" width="556" height="([\d.]+)" fill="#fde8e8"/>', chart.svg
        )

    def test_axis_labels_speak_the_instrument(self):
        chart = score_chart(
            [Point(date(2024, 1, 1), 3)],
            title="t",
            y_min=1,
            y_max=6,
            y_tick_label=lambda v: f"GIR {int(v)}",
        )
        assert all(f">GIR {g}</text>" in chart.svg for g in range(1, 7))

    def test_long_periods_are_labelled_by_year_and_medium_ones_by_month(self):
        years = score_chart([Point(date(2019, 6, 1), 1), Point(date(2024, 6, 1), 2)], title="t")
        months = score_chart([Point(date(2024, 1, 15), 1), Point(date(2024, 9, 15), 2)], title="t")
        assert ">2020</text>" in years.svg and ">2024</text>" in years.svg
        assert ">02/2024</text>" in months.svg

    @pytest.mark.parametrize(
        ("value", "shown"),
        [(Decimal("12.50"), "12,5"), (Decimal("3.00"), "3"), (7, "7"), (2.25, "2,25")],
    )
    def test_numbers_are_written_the_french_way(self, value, shown):
        assert number(value) == shown


# --- The history page ---------------------------------------------------------------------------


def history_url(person, code="aggir"):
    return reverse("assessments:instrument_history", args=[person.public_id, code])


class TestHistoryPage:
    def test_its_address(self, resident_a):
        assert (
            history_url(resident_a)
            == f"/usagers/{resident_a.public_id}/evaluations/aggir/historique/"
        )

    def test_the_nurse_sees_every_assessment_and_the_chart_of_the_validated_ones(
        self, logged_in_client, nurse_a, ehpad_a, resident_a
    ):
        stored_assessment(resident_a, ehpad_a, on=days_ago(700), score=4, level="warn")
        stored_assessment(resident_a, ehpad_a, on=days_ago(400), score=3, level="warn")
        stored_assessment(
            resident_a,
            ehpad_a,
            on=days_ago(300),
            score=5,
            status=AssessmentStatus.ENTERED_IN_ERROR,
            reason="mauvaise personne",
        )
        stored_assessment(resident_a, ehpad_a, on=days_ago(30), score=2, level="danger")
        stored_assessment(resident_a, ehpad_a, on=days_ago(1), status=AssessmentStatus.DRAFT)

        response = logged_in_client(nurse_a).get(history_url(resident_a))

        assert response.status_code == 200
        page = response.content.decode()
        chart = response.context["chart"]
        assert [p.point.label for p in chart.points] == ["GIR 4", "GIR 3", "GIR 2"]
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="score-chart"' in page
        statuses = re.findall(r'data-testid="history-row" data-status="(\w+)"', page)
        assert statuses == ["draft", "validated", "error", "validated", "validated"]
        assert "<s>GIR 5</s>" in page and "mauvaise personne" in page
        assert "Données de la courbe (tableau)" in page

    def test_a_person_never_assessed_gets_an_empty_chart(
        self, logged_in_client, nurse_a, resident_a
    ):
        response = logged_in_client(nurse_a).get(history_url(resident_a, "braden"))

        assert response.status_code == 200
        assert response.context["chart"].is_empty
        assert "Aucune évaluation de cet instrument." in response.content.decode()

    def test_the_read_is_journaled(self, logged_in_client, nurse_a, resident_a):
        logged_in_client(nurse_a).get(history_url(resident_a))

        assert AccessEvent.objects.filter(
            person=resident_a,
            action=AccessAction.READ,
            object_type="page:assessments:instrument_history",
        ).exists()

    def test_a_profession_that_does_not_read_care_is_refused(
        self, logged_in_client, secretary_a, resident_a
    ):
        response = logged_in_client(secretary_a).get(history_url(resident_a))

        assert_refused(
            response,
            "Votre profession n'a pas accès à cette partie du dossier.",
            user=secretary_a,
            person=resident_a,
        )

    def test_a_nurse_of_another_ehpad_is_refused(self, logged_in_client, nurse_b, resident_a):
        response = logged_in_client(nurse_b).get(history_url(resident_a))

        assert_refused(
            response,
            "Vous n'avez pas accès au dossier de cette personne",
            user=nurse_b,
            person=resident_a,
        )

    def test_an_unknown_instrument_is_not_found(self, logged_in_client, nurse_a, resident_a):
        assert logged_in_client(nurse_a).get(history_url(resident_a, "inconnu")).status_code == 404

    def test_the_page_answers_no_post(self, logged_in_client, nurse_a, resident_a):
        assert logged_in_client(nurse_a).post(history_url(resident_a)).status_code == 405

    def test_the_assessment_list_links_to_the_history(
        self, logged_in_client, nurse_a, ehpad_a, resident_a
    ):
        stored_assessment(resident_a, ehpad_a, on=days_ago(30), score=2)

        page = logged_in_client(nurse_a).get(
            reverse("assessments:list", args=[resident_a.public_id])
        )

        assert history_url(resident_a) in page.content.decode()

    def test_the_page_costs_the_same_number_of_queries_for_3_and_30_assessments(
        self, logged_in_client, nurse_a, ehpad_a, resident_a, django_assert_max_num_queries
    ):
        client = logged_in_client(nurse_a)
        client.get(history_url(resident_a))  # the first request of a session does more

        def count() -> int:
            with django_assert_max_num_queries(30) as captured:
                assert client.get(history_url(resident_a)).status_code == 200
            return len(captured)

        for n in range(3):
            stored_assessment(resident_a, ehpad_a, on=days_ago(900 - n), score=3)
        with_3 = count()
        for n in range(27):
            stored_assessment(resident_a, ehpad_a, on=days_ago(800 - n), score=n % 6 + 1)

        assert count() == with_3
