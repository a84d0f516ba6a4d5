"""GMP (GIR moyen pondéré): the arithmetic of art. R314-171, who is counted at a date, which
assessment counts, who may see it, and bounded queries."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from dui.access.models import AccessEvent
from dui.assessments.models import AssessmentStatus
from dui.core.navigation import menu_for
from dui.reporting.gmp import GIR_POINTS, GmpFigures, figures_from
from dui.reporting.selectors import gmp
from tests.assessments.review_helpers import days_ago, stay, stored_assessment
from tests.factories import (
    AssignmentFactory,
    EstablishmentFactory,
    PersonFactory,
    professional,
    today,
)
from tests.refusals import assert_refused

URL = "/pilotage/gmp/"
NOT_MANAGEMENT = "Le GMP est réservé à la direction et à l'encadrement."


def resident(unit, *, gir=None, since=400, until=None, on=30, kind="permanent"):
    """A person with a stay in `unit` since `since` days ago and, when `gir` is given, a
    validated AGGIR assessment `on` days ago."""
    person = PersonFactory()
    stay(
        person,
        unit,
        started_on=days_ago(since),
        ended_on=days_ago(until) if until is not None else None,
        kind=kind,
    )
    if gir is not None:
        stored_assessment(person, unit.establishment, "aggir", on=days_ago(on), score=gir)
    return person


# --- The arithmetic (pure) ----------------------------------------------------------------------


class TestArithmetic:
    def test_the_points_are_those_of_the_casf_annex_3_6(self):
        assert GIR_POINTS == {1: 1000, 2: 840, 3: 660, 4: 420, 5: 250, 6: 70}

    @pytest.mark.parametrize(
        "path",
        [
            Path(settings.BASE_DIR) / "dui/assessments/data/gmp_points.csv",
            Path(settings.BASE_DIR).parent / "shared/data/aggir/gmp_points.csv",
        ],
    )
    def test_the_points_match_the_transcribed_annex(self, path):
        if not path.exists():
            pytest.skip(f"{path} absent")
        with path.open(encoding="utf-8") as table:
            rows = {int(r["gir"]): int(r["col_C_points_GMP"]) for r in csv.DictReader(table)}
        assert rows == GIR_POINTS

    def test_two_gir_1_one_gir_4_and_one_gir_6_make_622_50(self):
        # (2 × 1000 + 420 + 70) / 4 = 2490 / 4 = 622.5
        figures = figures_from({1: 2, 4: 1, 6: 1}, present=4)
        assert figures.points == 2490 and figures.with_gir == 4
        assert figures.gmp == Decimal("622.50")

    def test_persons_without_a_gir_are_out_of_the_denominator(self):
        # (840 + 250) / 2 = 545, whatever the 3 persons still to evaluate.
        figures = figures_from({2: 1, 5: 1}, present=5)
        assert (figures.without_gir, figures.present, figures.gmp) == (3, 5, Decimal("545.00"))

    def test_the_gmp_is_rounded_half_up_to_two_decimals(self):
        # (1000 + 840 + 840) / 3 = 893.333…; (660 + 70 + 70) / 3 = 266.666…
        assert figures_from({1: 1, 2: 2}, present=3).gmp == Decimal("893.33")
        assert figures_from({3: 1, 6: 2}, present=3).gmp == Decimal("266.67")

    def test_without_any_gir_there_is_no_gmp(self):
        assert GmpFigures({}, 4).gmp is None

    def test_more_persons_with_a_gir_than_present_is_an_error(self):
        with pytest.raises(ValueError):
            figures_from({1: 3}, present=2)


# --- Who and what counts at a date --------------------------------------------------------------


class TestSelector:
    def test_the_hand_made_establishment_gives_622_50(self, unit_a, ehpad_a):
        for gir in (1, 1, 4, 6):
            resident(unit_a, gir=gir)

        result = gmp(establishment=ehpad_a, on=today())

        assert result.distribution == {1: 2, 2: 0, 3: 0, 4: 1, 5: 0, 6: 1}
        assert result.gmp == Decimal("622.50") and result.without_gir == 0

    def test_a_resident_without_a_validated_gir_is_to_evaluate(self, unit_a, ehpad_a):
        resident(unit_a, gir=2)
        waiting = resident(unit_a)
        stored_assessment(waiting, ehpad_a, "aggir", on=days_ago(2), status=AssessmentStatus.DRAFT)

        result = gmp(establishment=ehpad_a, on=today())

        assert result.without_gir == 1 and result.gmp == Decimal("840.00")

    def test_a_person_discharged_before_the_date_is_not_counted(self, unit_a, ehpad_a):
        resident(unit_a, gir=1)
        resident(unit_a, gir=6, until=10)

        assert gmp(establishment=ehpad_a, on=today()).figures.present == 1
        # Twenty days ago she was there.
        assert gmp(establishment=ehpad_a, on=days_ago(20)).gmp == Decimal("535.00")

    def test_a_stay_ending_on_the_day_is_not_counted_that_day(self, unit_a, ehpad_a):
        resident(unit_a, gir=1, until=5)
        assert gmp(establishment=ehpad_a, on=days_ago(5)).figures.present == 0
        assert gmp(establishment=ehpad_a, on=days_ago(6)).figures.present == 1

    def test_a_person_admitted_after_the_date_is_not_counted(self, unit_a, ehpad_a):
        resident(unit_a, gir=1, since=10, on=5)
        assert gmp(establishment=ehpad_a, on=days_ago(20)).figures.present == 0

    def test_day_care_is_not_accommodation(self, unit_a, ehpad_a):
        resident(unit_a, gir=3)
        resident(unit_a, gir=1, kind="day_care")

        result = gmp(establishment=ehpad_a, on=today())

        assert result.figures.present == 1 and result.gmp == Decimal("660.00")

    def test_an_assessment_after_the_date_is_not_used(self, unit_a, ehpad_a):
        person = resident(unit_a, gir=4, on=100)
        stored_assessment(person, ehpad_a, "aggir", on=days_ago(10), score=1)

        assert gmp(establishment=ehpad_a, on=days_ago(50)).distribution[4] == 1
        assert gmp(establishment=ehpad_a, on=today()).distribution[1] == 1

    def test_amended_and_erroneous_assessments_are_not_used_the_last_validated_one_is(
        self, unit_a, ehpad_a
    ):
        person = resident(unit_a, gir=5, on=200)
        stored_assessment(person, ehpad_a, on=days_ago(100), score=4)
        stored_assessment(
            person, ehpad_a, on=days_ago(50), score=1, status=AssessmentStatus.AMENDED
        )
        stored_assessment(
            person, ehpad_a, on=days_ago(20), score=2, status=AssessmentStatus.ENTERED_IN_ERROR
        )
        stored_assessment(person, ehpad_a, on=days_ago(5), score=3, status=AssessmentStatus.DRAFT)

        result = gmp(establishment=ehpad_a, on=today())

        assert result.distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 0, 6: 0}

    def test_two_validated_assessments_the_same_day_count_once_the_last_recorded(
        self, unit_a, ehpad_a
    ):
        person = resident(unit_a, gir=3, on=10)
        stored_assessment(person, ehpad_a, on=days_ago(10), score=2)

        result = gmp(establishment=ehpad_a, on=today())

        assert result.distribution[2] == 1 and result.figures.with_gir == 1

    def test_other_establishments_do_not_count(self, unit_a, unit_b, ehpad_a):
        resident(unit_a, gir=1)
        resident(unit_b, gir=6)

        assert gmp(establishment=ehpad_a, on=today()).gmp == Decimal("1000.00")

    def test_one_query_whatever_the_number_of_residents(
        self, unit_a, ehpad_a, django_assert_num_queries
    ):
        for n in range(5):
            resident(unit_a, gir=n % 6 + 1)
        with django_assert_num_queries(1):
            gmp(establishment=ehpad_a, on=today())
        for n in range(45):
            resident(unit_a, gir=n % 6 + 1)
        with django_assert_num_queries(1):
            result = gmp(establishment=ehpad_a, on=today())
        assert result.figures.present == 50


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture
def manager_a(ehpad_a):
    return professional(
        username="cadre.a", profession="cadre_sante", establishment=ehpad_a, role="manager"
    )


class TestPage:
    def test_its_address(self):
        assert reverse("reporting:gmp") == URL

    def test_the_director_sees_the_distribution_and_the_gmp(
        self, logged_in_client, director_a, unit_a
    ):
        for gir in (1, 1, 4, 6):
            resident(unit_a, gir=gir)
        resident(unit_a)

        response = logged_in_client(director_a).get(URL)

        assert response.status_code == 200
        page = response.content.decode()
        assert '<strong data-testid="gmp">622,50</strong>' in page
        assert '<td data-testid="without-gir">1</td>' in page
        assert "exclues du calcul" in page
        assert "2490 ÷ 4" in page

    @pytest.mark.parametrize("who", ["doctor_a", "manager_a"])
    def test_the_medecin_coordonnateur_and_the_cadre_see_it(self, logged_in_client, request, who):
        user = request.getfixturevalue(who)
        assert logged_in_client(user).get(URL).status_code == 200

    def test_an_idec_sees_it(self, logged_in_client, ehpad_a):
        idec = professional(username="idec.a", profession="idec", establishment=ehpad_a)
        assert logged_in_client(idec).get(URL).status_code == 200

    @pytest.mark.parametrize("who", ["nurse_a", "aide_a", "secretary_a", "psychologist_a"])
    def test_other_professionals_are_refused(self, logged_in_client, request, who):
        user = request.getfixturevalue(who)

        response = logged_in_client(user).get(URL)

        assert_refused(response, NOT_MANAGEMENT, user=user)

    def test_the_date_picker_computes_at_a_past_date(self, logged_in_client, director_a, unit_a):
        resident(unit_a, gir=1)
        resident(unit_a, gir=6, until=10)

        response = logged_in_client(director_a).get(URL, {"date": days_ago(20).isoformat()})

        assert response.context["result"].gmp == Decimal("535.00")
        assert f'value="{days_ago(20).isoformat()}"' in response.content.decode()

    @pytest.mark.parametrize("value", ["31/02/2024", "demain", "2999-01-01"])
    def test_a_bad_or_future_date_falls_back_to_today_with_a_message(
        self, logged_in_client, director_a, value
    ):
        response = logged_in_client(director_a).get(URL, {"date": value}, follow=True)

        assert response.context["day"] == today()
        assert list(response.context["messages"])

    def test_today_is_the_establishments_day_overseas(self, logged_in_client, organisation):
        # 21:30 UTC on 1 July: 23:30 in Paris, already 01:30 on 2 July in La Réunion.
        with freeze_time("2027-07-01 21:30:00"):
            reunion = EstablishmentFactory(organisation=organisation, time_zone="Indian/Reunion")
            director = professional(
                username="dir.run", profession="directeur", establishment=reunion, role="director"
            )

            response = logged_in_client(director).get(URL)

        assert response.context["day"] == date(2027, 7, 2)

    def test_the_director_of_an_ime_has_no_gmp(self, logged_in_client, organisation):
        ime = EstablishmentFactory(organisation=organisation, category="ime")
        director = professional(
            username="dir.ime", profession="directeur", establishment=ime, role="director"
        )

        response = logged_in_client(director).get(URL)

        assert_refused(response, NOT_MANAGEMENT, user=director)

    def test_a_director_cannot_see_another_establishment_by_its_id(
        self, logged_in_client, director_b, ehpad_a, ehpad_b
    ):
        response = logged_in_client(director_b).get(URL, {"etablissement": ehpad_a.public_id})

        assert response.context["establishment"] == ehpad_b

    def test_a_manager_of_two_establishments_chooses_one(
        self, logged_in_client, director_a, ehpad_b, unit_b
    ):
        AssignmentFactory(user=director_a, establishment=ehpad_b, unit=None, role="director")
        resident(unit_b, gir=2)

        response = logged_in_client(director_a).get(URL, {"etablissement": ehpad_b.public_id})

        assert response.context["establishment"] == ehpad_b
        assert response.context["result"].gmp == Decimal("840.00")
        assert 'name="etablissement"' in response.content.decode()

    def test_the_csv_export_holds_counts_only_and_is_not_journaled(
        self, logged_in_client, director_a, unit_a, ehpad_a
    ):
        for gir in (1, 1, 4, 6):
            resident(unit_a, gir=gir)
        resident(unit_a)
        events = AccessEvent.objects.count()

        response = logged_in_client(director_a).get(URL, {"format": "csv"})

        assert response["Content-Type"].startswith("text/csv")
        assert f"gmp-{ehpad_a.finess}-{today().isoformat()}.csv" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][3:] == ["gir", "personnes", "points_par_personne", "points"]
        assert rows[1][3:] == ["GIR 1", "2", "1000", "2000"]
        assert rows[-2][3:5] == ["présents", "5"]
        assert rows[-1][3:] == ["GMP", "4", "", "622,50"]
        assert AccessEvent.objects.count() == events

    @pytest.mark.parametrize("count", [5, 50])
    def test_the_page_query_count_does_not_grow_with_the_residents(
        self, logged_in_client, director_a, unit_a, count, django_assert_max_num_queries
    ):
        for n in range(count):
            resident(unit_a, gir=n % 6 + 1)
        client = logged_in_client(director_a)
        client.get(URL)

        # Session, user, device, assignments, profession, establishments, GIRs (+ margin).
        with django_assert_max_num_queries(8):
            response = client.get(URL)

        assert response.context["result"].figures.present == count

    def test_the_tool_entry_is_shown_to_management_only(self, rf, director_a, nurse_a):
        def tools(user):
            request = rf.get("/")
            request.user = user
            request.assignment = user.assignments.first()
            return [e.url_name for e in menu_for(request)["tools"]]

        assert "reporting:gmp" in tools(director_a)
        assert "reporting:gmp" not in tools(nurse_a)

    def test_the_page_answers_no_post(self, logged_in_client, director_a):
        assert logged_in_client(director_a).post(URL).status_code == 405
