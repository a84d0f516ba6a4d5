"""GMP (GIR moyen pondéré): the arithmetic of CASF art. R314-170-1 (Σ points of column C of
annexe 3-6 ÷ number of persons hosted), who is hosted at a date, which GIR counts (the last one
validated by the médecin coordonnateur, D312-158 4°), the provisional figure while some hosted
persons have none, who may see it and whom it names, and bounded queries."""

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
    CareTeamMembershipFactory,
    EstablishmentFactory,
    PersonFactory,
    UserFactory,
    professional,
    today,
)
from tests.refusals import assert_refused

URL = "/pilotage/gmp/"
NOT_MANAGEMENT = "Le GMP est réservé à la direction et à l'encadrement."


def resident(unit, *, gir=None, since=400, until=None, on=30, kind="permanent", by=None, **names):
    """A person with a stay in `unit` since `since` days ago and, when `gir` is given, an AGGIR
    assessment `on` days ago validated by `by` (a médecin coordonnateur by default)."""
    person = PersonFactory(**names)
    stay(
        person,
        unit,
        started_on=days_ago(since),
        ended_on=days_ago(until) if until is not None else None,
        kind=kind,
    )
    if gir is not None:
        stored_assessment(person, unit.establishment, "aggir", on=days_ago(on), score=gir, by=by)
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
        figures = figures_from({1: 2, 4: 1, 6: 1}, hosted=4)
        assert figures.points == 2490 and figures.with_gir == 4
        assert figures.gmp == Decimal("622.50") and not figures.provisional

    def test_persons_without_a_gir_count_in_the_denominator_and_make_it_provisional(self):
        """R314-170-1: Σ points ÷ « nombre de personnes hébergées » — all of them.
        (840 + 250) / 5 = 218, provisional while 3 hosted persons have no validated GIR."""
        figures = figures_from({2: 1, 5: 1}, hosted=5)
        assert (figures.without_gir, figures.hosted, figures.gmp) == (3, 5, Decimal("218.00"))
        assert figures.provisional

    def test_the_gmp_is_rounded_half_up_to_two_decimals(self):
        # (1000 + 840 + 840) / 3 = 893.333…; (660 + 70 + 70) / 3 = 266.666…
        assert figures_from({1: 1, 2: 2}, hosted=3).gmp == Decimal("893.33")
        assert figures_from({3: 1, 6: 2}, hosted=3).gmp == Decimal("266.67")

    def test_without_any_gir_there_is_no_gmp(self):
        assert GmpFigures({}, 4).gmp is None

    def test_more_persons_with_a_gir_than_hosted_is_an_error(self):
        with pytest.raises(ValueError):
            figures_from({1: 3}, hosted=2)


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

        # 840 ÷ 2 hosted: provisional.
        assert result.without_gir == 1 and result.gmp == Decimal("420.00") and result.provisional

    def test_a_gir_validated_by_another_doctor_waits_for_the_medecin_coordonnateur(
        self, unit_a, ehpad_a
    ):
        """D312-158 4°: the médecin coordonnateur « évalue et valide l'état de dépendance des
        résidents »; R314-170: evaluations « sous la responsabilité du médecin
        coordonnateur »."""
        resident(unit_a, gir=1)
        resident(unit_a, gir=2, by=UserFactory(profession="medecin"))

        result = gmp(establishment=ehpad_a, on=today())

        assert result.distribution[2] == 0 and result.without_gir == 1
        assert result.gmp == Decimal("500.00")

    def test_the_hand_computed_establishment_with_unevaluated_persons(
        self, unit_a, unit_a2, ehpad_a
    ):
        """Hosted in EHPAD A on D (CASF R314-170-1, points of annexe 3-6 column C):

        ===  ======================================  ==========  ======
        who  stay on D                               GIR counted  points
        ===  ======================================  ==========  ======
        A    permanent                               1            1000
        B    permanent                               2             840
        C    permanent                               4             420
        D    permanent, other unit                   4             420
        E    temporary, past its planned end         6              70
        K    permanent, leaves on D (exit day counts) 5             250
        F    permanent, GIR 3 validated by a médecin —               0
             traitant only
        G    permanent, GIR 2 still a draft          —               0
        H    permanent, never evaluated              —               0
        ===  ======================================  ==========  ======

        Not hosted: I in day care (GIR 1), J discharged 10 days before D (GIR 1), L admitted
        after D (GIR 1).

        Σ points = 1000 + 840 + 420 + 420 + 70 + 250 = 3000; persons hosted = 9;
        GMP = 3000 ÷ 9 = 333.333… → 333.33, provisional: 3 hosted persons without a GIR
        validated by the médecin coordonnateur."""
        resident(unit_a, gir=1)  # A
        resident(unit_a, gir=2)  # B
        resident(unit_a, gir=4)  # C
        resident(unit_a2, gir=4)  # D
        e = resident(unit_a, gir=6, kind="temporary")
        e.stays.update(planned_end=days_ago(3))
        resident(unit_a, gir=5, until=0)  # K
        resident(unit_a, gir=3, by=UserFactory(profession="medecin"))  # F
        g = resident(unit_a)
        stored_assessment(g, ehpad_a, on=days_ago(3), score=2, status=AssessmentStatus.DRAFT)
        resident(unit_a)  # H
        resident(unit_a, gir=1, kind="day_care")  # I
        resident(unit_a, gir=1, until=10)  # J
        resident(unit_a, gir=1, since=-3, on=0)  # L

        result = gmp(establishment=ehpad_a, on=today())

        assert result.figures.points == 3000 and result.figures.hosted == 9
        assert result.distribution == {1: 1, 2: 1, 3: 0, 4: 2, 5: 1, 6: 1}
        assert result.gmp == Decimal("333.33")
        assert result.provisional and result.without_gir == 3

    def test_a_person_discharged_before_the_date_is_not_counted(self, unit_a, ehpad_a):
        resident(unit_a, gir=1)
        resident(unit_a, gir=6, until=10)

        assert gmp(establishment=ehpad_a, on=today()).figures.hosted == 1
        # Twenty days ago she was there.
        assert gmp(establishment=ehpad_a, on=days_ago(20)).gmp == Decimal("535.00")

    def test_a_stay_is_counted_on_its_exit_day_not_after(self, unit_a, ehpad_a):
        """The one definition of a current stay (`Stay.objects.current`): the exit day still
        counts, the person leaves during it."""
        resident(unit_a, gir=1, until=5)
        assert gmp(establishment=ehpad_a, on=days_ago(5)).figures.hosted == 1
        assert gmp(establishment=ehpad_a, on=days_ago(4)).figures.hosted == 0

    def test_a_person_admitted_after_the_date_is_not_counted(self, unit_a, ehpad_a):
        resident(unit_a, gir=1, since=10, on=5)
        assert gmp(establishment=ehpad_a, on=days_ago(20)).figures.hosted == 0

    def test_a_temporary_stay_past_its_planned_end_is_still_hosted(self, unit_a, ehpad_a):
        person = resident(unit_a, gir=3, kind="temporary")
        person.stays.update(planned_end=days_ago(5))
        assert gmp(establishment=ehpad_a, on=today()).figures.hosted == 1

    def test_day_care_is_not_accommodation(self, unit_a, ehpad_a):
        resident(unit_a, gir=3)
        resident(unit_a, gir=1, kind="day_care")

        result = gmp(establishment=ehpad_a, on=today())

        assert result.figures.hosted == 1 and result.gmp == Decimal("660.00")

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
        assert result.figures.hosted == 50


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

        response = logged_in_client(director_a).get(URL)

        assert response.status_code == 200
        page = response.content.decode()
        assert '<strong data-testid="gmp">622,50</strong>' in page
        assert "2490 ÷ 4" in page
        assert 'data-testid="gmp-provisional"' not in page

    def test_the_gmp_is_provisional_and_names_the_persons_the_director_may_see(
        self, logged_in_client, director_a, unit_a
    ):
        for gir in (1, 1, 4, 6):
            resident(unit_a, gir=gir)
        followed = resident(unit_a, birth_name="Aubert", first_names="Jeanne")
        CareTeamMembershipFactory(person=followed, establishment=unit_a.establishment, unit=unit_a)
        resident(unit_a, birth_name="Zidane", first_names="Paul")  # no team: not visible

        response = logged_in_client(director_a).get(URL)

        page = response.content.decode()
        # 2490 ÷ 6 hosted = 415.00, provisional: 2 hosted persons without a validated GIR.
        assert '<strong data-testid="gmp">415,00</strong>' in page
        assert 'data-testid="gmp-provisional"' in page and "2490 ÷ 6" in page
        assert '<td data-testid="without-gir">2</td>' in page
        assert "2 personnes hébergées sans GIR validé" in page
        assert followed.display_name in page and "ZIDANE" not in page.upper()
        assert "Et 1 autre personne dont vous ne pouvez pas ouvrir le dossier" in page

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
        resident(unit_a, birth_name="Aubert")
        events = AccessEvent.objects.count()

        response = logged_in_client(director_a).get(URL, {"format": "csv"})

        assert response["Content-Type"].startswith("text/csv")
        assert f"gmp-{ehpad_a.finess}-{today().isoformat()}.csv" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][3:] == ["gir", "personnes", "points_par_personne", "points"]
        assert rows[1][3:] == ["GIR 1", "2", "1000", "2000"]
        assert rows[-3][4] == "1"
        assert rows[-2][3:] == ["hébergés", "5", "", "2490"]
        # 2490 ÷ 5 = 498, provisional.
        assert rows[-1][3:] == ["GMP provisoire", "5", "", "498,00"]
        assert "AUBERT" not in response.content.decode("utf-8-sig").upper()
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

        assert response.context["result"].figures.hosted == count

    def test_the_page_naming_persons_to_evaluate_is_bounded_too(
        self, logged_in_client, director_a, unit_a, django_assert_max_num_queries
    ):
        client = logged_in_client(director_a)
        counts = []
        for count in (3, 60):
            while unit_a.stays.count() < count:
                person = resident(unit_a)
                CareTeamMembershipFactory(
                    person=person, establishment=unit_a.establishment, unit=unit_a
                )
            client.get(URL)
            with django_assert_max_num_queries(12) as captured:
                response = client.get(URL)
            counts.append(len(captured.captured_queries))
            assert response.context["result"].without_gir == count
        assert counts[0] == counts[1]
        assert len(response.context["page"].object_list) == 50

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
