"""Reviews due: schedules (texts, establishment rules), the due list of a unit, its page, the
header badge — with bounded queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from dui.access.policy import person_access
from dui.assessments.models import AssessmentStatus, ReviewRule
from dui.assessments.reviews import (
    DEFAULT_RULES,
    due_assessments,
    overdue_badges,
    person_due_assessments,
    rules_for,
)
from dui.core import dates
from dui.core.navigation import menu_for
from dui.organisation.models import EstablishmentCategory
from tests.accounts.closed_sessions import assert_closed_without_assignment
from tests.assessments.review_helpers import days_ago, residents, stay, stored_assessment
from tests.factories import (
    CareTeamMembershipFactory,
    EstablishmentFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
    professional,
    today,
)


def due_of(items, person, code):
    return next((i for i in items if i.person.pk == person.pk and i.instrument.code == code), None)


# --- Schedules ----------------------------------------------------------------------------------


class TestSchedules:
    def test_a_gir_is_due_thirty_days_after_the_entry_then_every_year(self):
        aggir = DEFAULT_RULES["aggir"]
        entry = days_ago(100)
        assert aggir.due_on(last_on=None, last_level="", admitted_on=entry, on=today()) == (
            entry + timedelta(days=30)
        )
        last = days_ago(10)
        assert aggir.due_on(last_on=last, last_level="danger", admitted_on=entry, on=today()) == (
            last + timedelta(days=365)
        )

    @pytest.mark.parametrize(("level", "days"), [("ok", 365), ("warn", 30), ("danger", 30)])
    def test_an_mna_sf_at_risk_is_due_again_after_a_month_otherwise_after_a_year(self, level, days):
        last = days_ago(5)
        due = DEFAULT_RULES["mna_sf"].due_on(
            last_on=last, last_level=level, admitted_on=days_ago(400), on=today()
        )
        assert due == last + timedelta(days=days)

    def test_braden_is_redone_every_ninety_days(self):
        last = days_ago(5)
        assert DEFAULT_RULES["braden"].due_on(
            last_on=last, last_level="ok", admitted_on=None, on=today()
        ) == last + timedelta(days=90)

    def test_an_unknown_entry_date_makes_a_first_assessment_due_today(self):
        assert (
            DEFAULT_RULES["aggir"].due_on(last_on=None, last_level="", admitted_on=None, on=today())
            == today()
        )

    def test_pain_scales_are_not_scheduled_in_an_ehpad(self, ehpad_a):
        rules = rules_for(ehpad_a)
        assert set(rules) == {"aggir", "mna_sf", "braden"}
        assert not {"eva", "en", "algoplus", "doloplus2"} & set(rules)

    def test_the_elderly_defaults_do_not_apply_to_an_ime(self):
        assert rules_for(EstablishmentFactory.build(category=EstablishmentCategory.IME)) == {}

    def test_a_residence_autonomie_evaluates_the_gir_only(self):
        residence = EstablishmentFactory.build(category=EstablishmentCategory.RESIDENCE_AUTONOMIE)
        assert set(rules_for(residence)) == {"aggir"}

    def test_an_establishment_rule_replaces_the_default(self, ehpad_a):
        rule = ReviewRule.objects.create(
            establishment=ehpad_a, instrument_code="aggir", interval_days=180, at_admission_days=15
        )
        aggir = rules_for(ehpad_a, [rule])["aggir"]
        assert (aggir.interval_days, aggir.at_admission_days) == (180, 15)
        assert aggir.due_on(
            last_on=days_ago(10), last_level="ok", admitted_on=None, on=today()
        ) == days_ago(10) + timedelta(days=180)

    def test_an_override_of_the_mna_sf_keeps_the_monthly_review_of_persons_at_risk(self, ehpad_a):
        rule = ReviewRule(establishment=ehpad_a, instrument_code="mna_sf", interval_days=180)
        mna = rules_for(ehpad_a, [rule])["mna_sf"]
        assert mna.interval_after("warn") == 30 and mna.interval_after("ok") == 180

    def test_a_rule_of_zero_days_without_admission_delay_unschedules_the_instrument(self, ehpad_a):
        rule = ReviewRule(establishment=ehpad_a, instrument_code="braden", interval_days=0)
        assert "braden" not in rules_for(ehpad_a, [rule])

    def test_an_ime_schedules_an_instrument_with_its_own_rule(self):
        ime = EstablishmentFactory.build(category=EstablishmentCategory.IME)
        rule = ReviewRule(establishment=ime, instrument_code="eva", interval_days=60)
        schedule = rules_for(ime, [rule])["eva"]
        # No delay after the entry: the first one is due one interval after it.
        assert schedule.due_on(
            last_on=None, last_level="", admitted_on=days_ago(100), on=today()
        ) == days_ago(40)


# --- The due list -------------------------------------------------------------------------------


class TestDueAssessments:
    def test_a_resident_never_assessed_is_late_from_thirty_days_after_the_entry(
        self, nurse_a, unit_a, resident_a
    ):
        stay(resident_a, unit_a, started_on=days_ago(100))

        items = due_assessments(user=nurse_a, unit=unit_a)

        gir = due_of(items, resident_a, "aggir")
        assert gir.never_assessed and gir.due_on == days_ago(70)
        assert gir.overdue and gir.days_late == 70
        # MNA-SF and Braden: 7 days after the entry.
        assert due_of(items, resident_a, "mna_sf").days_late == 93
        assert due_of(items, resident_a, "braden").days_late == 93

    def test_without_a_stay_the_entry_is_the_first_day_of_the_care_team(
        self, nurse_a, unit_a, resident_a
    ):
        # resident_a's membership began 200 days ago (conftest).
        gir = due_of(due_assessments(user=nurse_a, unit=unit_a), resident_a, "aggir")
        assert gir.days_late == 170

    def test_a_validated_gir_makes_the_next_one_due_a_year_later(
        self, nurse_a, unit_a, ehpad_a, resident_a
    ):
        stored_assessment(resident_a, ehpad_a, "aggir", on=days_ago(10), score=3, level="warn")

        assert due_of(due_assessments(user=nurse_a, unit=unit_a), resident_a, "aggir") is None
        later = due_of(
            due_assessments(user=nurse_a, unit=unit_a, horizon_days=None), resident_a, "aggir"
        )
        assert later.due_on == days_ago(10) + timedelta(days=365)
        assert later.last_assessed_on == days_ago(10) and not later.overdue
        # A GIR 3 is "warn" but the GIR has no shorter interval: not flagged at risk.
        assert not later.at_risk

    def test_an_mna_sf_at_risk_is_due_again_within_the_month(
        self, nurse_a, unit_a, ehpad_a, resident_a
    ):
        stored_assessment(resident_a, ehpad_a, "mna_sf", on=days_ago(40), score=9, level="warn")

        mna = due_of(due_assessments(user=nurse_a, unit=unit_a), resident_a, "mna_sf")

        assert mna.due_on == days_ago(10) and mna.days_late == 10 and mna.at_risk

    def test_drafts_errors_and_replaced_assessments_do_not_count(
        self, nurse_a, unit_a, ehpad_a, resident_a
    ):
        stored_assessment(resident_a, ehpad_a, on=days_ago(3), status=AssessmentStatus.DRAFT)
        stored_assessment(
            resident_a, ehpad_a, on=days_ago(5), status=AssessmentStatus.ENTERED_IN_ERROR, score=2
        )
        stored_assessment(
            resident_a, ehpad_a, on=days_ago(8), status=AssessmentStatus.AMENDED, score=4
        )

        gir = due_of(due_assessments(user=nurse_a, unit=unit_a), resident_a, "aggir")

        assert gir.never_assessed and gir.overdue

    def test_the_last_validated_assessment_counts_not_an_older_one(
        self, nurse_a, unit_a, ehpad_a, resident_a
    ):
        stored_assessment(resident_a, ehpad_a, on=days_ago(400), score=4)
        stored_assessment(resident_a, ehpad_a, on=days_ago(380), score=3)

        gir = due_of(due_assessments(user=nurse_a, unit=unit_a), resident_a, "aggir")

        assert gir.last_assessed_on == days_ago(380) and gir.days_late == 15

    def test_overdue_items_come_first_the_latest_first_then_by_due_date(
        self, nurse_a, unit_a, ehpad_a
    ):
        old, recent, soon = residents(unit_a, 3, since_days=300)
        stored_assessment(old, ehpad_a, "aggir", on=days_ago(500))
        stored_assessment(recent, ehpad_a, "aggir", on=days_ago(370))
        stored_assessment(soon, ehpad_a, "aggir", on=days_ago(350))

        gir_items = [
            i for i in due_assessments(user=nurse_a, unit=unit_a) if i.instrument.code == "aggir"
        ]

        assert [i.person.pk for i in gir_items] == [old.pk, recent.pk, soon.pk]
        assert [i.overdue for i in gir_items] == [True, True, False]
        assert [i.days_late for i in gir_items] == [135, 5, 0]

    def test_only_the_persons_currently_followed_by_the_unit_are_listed(
        self, nurse_a, unit_a, unit_a2, resident_a, resident_b
    ):
        neighbour = CareTeamMembershipFactory(unit=unit_a2).person
        discharged = CareTeamMembershipFactory(unit=unit_a, ended=True).person

        persons = {i.person.pk for i in due_assessments(user=nurse_a, unit=unit_a)}

        assert persons == {resident_a.pk}
        assert not {neighbour.pk, discharged.pk, resident_b.pk} & persons

    def test_staff_of_the_whole_establishment_see_every_unit_but_not_the_applicants(
        self, doctor_a, ehpad_a, unit_a2, resident_a
    ):
        neighbour = CareTeamMembershipFactory(unit=unit_a2).person
        applicant = CareTeamMembershipFactory(application=True, establishment=ehpad_a).person

        persons = {i.person.pk for i in due_assessments(user=doctor_a, establishment=ehpad_a)}

        assert persons == {resident_a.pk, neighbour.pk}
        assert applicant.pk not in persons

    def test_a_profession_that_does_not_read_care_sees_nothing_due(
        self, secretary_a, ehpad_a, resident_a
    ):
        assert due_assessments(user=secretary_a, establishment=ehpad_a) == []

    def test_a_person_the_user_may_not_see_is_never_listed(self, unit_a, resident_a):
        # An aide of another unit asking for unit A: the access layer hides its persons.
        outsider = professional(
            username="as.ailleurs",
            profession="as",
            establishment=unit_a.establishment,
            unit=UnitFactory(establishment=unit_a.establishment),
        )
        assert due_assessments(user=outsider, unit=unit_a) == []

    def test_the_number_of_queries_does_not_grow_with_the_persons(self, nurse_a, unit_a, ehpad_a):
        def count() -> int:
            nurse = type(nurse_a).objects.get(pk=nurse_a.pk)  # no cache from a previous call
            with CaptureQueriesContext(connection) as queries:
                items = due_assessments(user=nurse, unit=unit_a)
            assert items
            return len(queries)

        for person in residents(unit_a, 5):
            stored_assessment(person, ehpad_a, "aggir", on=days_ago(400), score=2)
        with_5 = count()
        for person in residents(unit_a, 35):
            stored_assessment(person, ehpad_a, "mna_sf", on=days_ago(60), score=9, level="warn")
            stored_assessment(person, ehpad_a, "aggir", on=days_ago(700), score=4)
        with_40 = count()

        # Rules, then the persons with their last assessments as subqueries; the user's
        # assignments, profession and rights (cached for the rest of the request).
        assert with_5 == with_40 == 5


# Instants where the UTC date and the Paris date differ, or a day lasts 23 or 25 hours: the
# night staff's hours (DESIGN §4.7). Paris is UTC+2 in summer, UTC+1 in winter; the clocks
# change on 28 March 2027 (02:00 → 03:00) and 31 October 2027 (03:00 → 02:00).
NIGHT_INSTANTS = {
    "2027-07-01 22:30:00": date(2027, 7, 2),  # summer: already tomorrow in Paris
    "2026-12-01 22:30:00": date(2026, 12, 1),  # winter: still today
    "2026-12-01 23:30:00": date(2026, 12, 2),  # winter: tomorrow
    "2027-03-28 00:30:00": date(2027, 3, 28),  # the night of the change to summer time
    "2027-03-28 01:30:00": date(2027, 3, 28),
    "2027-10-31 00:30:00": date(2027, 10, 31),  # the night of the change to winter time
    "2027-10-31 01:30:00": date(2027, 10, 31),
}


class TestAtNight:
    """Days late are counted in Paris days, whatever the hour in UTC: the membership that
    began 200 days ago gives 170 days late, never 169 or 171."""

    @pytest.mark.parametrize(("instant", "paris_day"), NIGHT_INSTANTS.items())
    def test_a_gir_due_thirty_days_after_the_entry_is_late_by_the_same_days_all_night(
        self, db, instant, paris_day
    ):
        with freeze_time(instant):
            unit = UnitFactory()
            nurse = professional(
                username="ide.nuit", profession="ide", establishment=unit.establishment, unit=unit
            )
            person = CareTeamMembershipFactory(unit=unit).person

            gir = due_of(due_assessments(user=nurse, unit=unit), person, "aggir")

            assert dates.today() == paris_day
            assert gir.due_on == paris_day - timedelta(days=170)
            assert gir.days_late == 170

    @pytest.mark.parametrize(("instant", "paris_day"), NIGHT_INSTANTS.items())
    def test_a_stay_entered_on_a_day_counts_from_that_day_all_night(self, db, instant, paris_day):
        with freeze_time(instant):
            unit = UnitFactory()
            nurse = professional(
                username="ide.nuit", profession="ide", establishment=unit.establishment, unit=unit
            )
            person = CareTeamMembershipFactory(unit=unit).person
            stay(person, unit, started_on=days_ago(100))

            items = due_assessments(user=nurse, unit=unit)

            assert due_of(items, person, "aggir").days_late == 70
            assert due_of(items, person, "braden").due_on == paris_day - timedelta(days=93)


# --- The page -----------------------------------------------------------------------------------


class TestDuePage:
    url = "/usagers/evaluations/a-faire/"

    def test_its_address_and_name(self):
        assert reverse("assessments:due") == self.url

    def test_the_nurse_sees_what_is_late_in_her_unit_with_links_to_fill_it(
        self, logged_in_client, nurse_a, unit_a, resident_a, resident_b
    ):
        response = logged_in_client(nurse_a).get(self.url)

        assert response.status_code == 200
        page = response.content.decode()
        assert resident_a.display_name in page and resident_b.display_name not in page
        assert "en retard de 170 jours" in page
        assert reverse("assessments:new", args=[resident_a.public_id, "aggir"]) in page
        assert "3</strong> évaluations en retard" in page

    def test_a_composed_first_birth_first_name_is_shown_whole(
        self, logged_in_client, nurse_a, unit_a, resident_a
    ):
        """RNIV: « Jean Pierre » (with a space) is one first name, not « Jean »."""
        resident_a.first_names = "Jean Pierre Louis"
        resident_a.first_birth_first_name = "Jean Pierre"
        resident_a.save()

        page = logged_in_client(nurse_a).get(self.url).content.decode()

        assert resident_a.display_name in page and "Jean Pierre" in resident_a.display_name

    def test_the_late_only_and_instrument_filters(self, logged_in_client, nurse_a, unit_a, ehpad_a):
        late, fine = residents(unit_a, 2, since_days=300)
        for person in (late, fine):
            stored_assessment(person, ehpad_a, "mna_sf", on=days_ago(2), score=13, level="ok")
            stored_assessment(person, ehpad_a, "braden", on=days_ago(2), score=20, level="ok")
        stored_assessment(fine, ehpad_a, "aggir", on=days_ago(350), score=4)
        client = logged_in_client(nurse_a)

        everything = client.get(self.url).context["page"].object_list
        late_only = client.get(self.url, {"retard": "1"}).context["page"].object_list
        braden = client.get(self.url, {"instrument": "braden"}).context["page"].object_list

        assert {(i.person.pk, i.overdue) for i in everything} == {(late.pk, True), (fine.pk, False)}
        assert [i.person.pk for i in late_only] == [late.pk]
        assert braden == []

    def test_the_list_is_paginated(self, logged_in_client, nurse_a, unit_a):
        residents(unit_a, 20)  # 60 items: 50 on the first page

        response = logged_in_client(nurse_a).get(self.url)

        assert len(response.context["page"].object_list) == 50
        assert response.context["page"].paginator.num_pages == 2
        assert "page=2" in response.content.decode()

    def test_the_page_costs_the_same_number_of_queries_for_5_and_40_persons(
        self, logged_in_client, nurse_a, unit_a, ehpad_a, django_assert_max_num_queries
    ):
        client = logged_in_client(nurse_a)
        client.get(self.url)  # the first request of a session does more

        def count(persons: int) -> int:
            # Session, user, device, assignments, profession, rules, rights, persons, last
            # assessments (+ margin): none per person.
            with django_assert_max_num_queries(12) as captured:
                response = client.get(self.url)
            assert response.status_code == 200
            assert response.context["total"] == persons * 3
            return len(captured)

        for person in residents(unit_a, 5):
            stored_assessment(person, ehpad_a, "aggir", on=days_ago(400), score=2)
        with_5 = count(5)
        for person in residents(unit_a, 35):
            stored_assessment(person, ehpad_a, "aggir", on=days_ago(400), score=2)

        assert count(40) == with_5

    def test_a_professional_without_assignment_is_told_why_the_list_is_empty(
        self, logged_in_client
    ):
        user = UserFactory(profession="ide")
        client = logged_in_client(user)

        response = client.get(self.url, follow=True)

        # No session stays open without a current assignment (issue 10, finding 10).
        assert_closed_without_assignment(client, response, user=user)

    def test_the_evaluer_step_of_the_menu_leads_to_the_list(self, rf, nurse_a):
        request = rf.get("/")
        request.user = nurse_a
        request.assignment = nurse_a.assignments.first()

        steps = {s["code"]: s for s in menu_for(request)["steps"]}

        assert "assessments:due" in [e.url_name for e in steps["assess"]["entries"]]


# --- The header badge ---------------------------------------------------------------------------


class TestBadge:
    def test_the_record_header_says_how_many_assessments_are_late(
        self, logged_in_client, nurse_a, resident_a
    ):
        page = logged_in_client(nurse_a).get(reverse("people:record", args=[resident_a.public_id]))

        assert "3 évaluations en retard" in page.content.decode()

    def test_one_late_assessment_is_singular_and_up_to_date_ones_give_no_badge(
        self, nurse_a, ehpad_a, resident_a
    ):
        stored_assessment(resident_a, ehpad_a, "aggir", on=days_ago(20), score=3)
        stored_assessment(resident_a, ehpad_a, "braden", on=days_ago(20), score=15)
        access = person_access(user=nurse_a, person=resident_a)

        (badge,) = overdue_badges(resident_a, access)
        assert badge.label == "1 évaluation en retard" and badge.level == "warn"

        stored_assessment(resident_a, ehpad_a, "mna_sf", on=days_ago(1), score=13, level="ok")
        assert overdue_badges(resident_a, access) == []

    @pytest.mark.parametrize("years", [1, 5])
    def test_the_badge_costs_at_most_four_plain_queries(
        self, years, nurse_a, ehpad_a, resident_a, django_assert_max_num_queries
    ):
        for n in range(2 * years):  # GIR twice a year, the last one long overdue
            stored_assessment(resident_a, ehpad_a, "aggir", on=days_ago(400 + 183 * n), score=3)
        access = person_access(user=nurse_a, person=resident_a)

        with django_assert_max_num_queries(4):
            (badge,) = overdue_badges(resident_a, access)

        assert badge.label == "3 évaluations en retard"

    def test_the_badge_costs_one_query_when_nothing_is_readable(
        self, secretary_a, resident_a, django_assert_max_num_queries
    ):
        access = person_access(user=secretary_a, person=resident_a)

        with django_assert_max_num_queries(1):
            assert overdue_badges(resident_a, access) == []

    def test_a_discharged_person_has_nothing_due(self, nurse_a, unit_a):
        person = PersonFactory()
        CareTeamMembershipFactory(person=person, unit=unit_a, ended=True)
        access = person_access(user=nurse_a, person=person)

        assert access.visible
        assert person_due_assessments(person=person, access=access) == []

    def test_due_dates_are_computed_at_the_given_day(self, nurse_a, ehpad_a, resident_a):
        stored_assessment(resident_a, ehpad_a, "aggir", on=days_ago(100), score=3)
        access = person_access(user=nurse_a, person=resident_a)
        next_year = today() + timedelta(days=300)

        items = person_due_assessments(person=resident_a, access=access, on=next_year)

        assert due_of(items, resident_a, "aggir").days_late == 35
