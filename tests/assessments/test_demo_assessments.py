"""Demo assessments (`seed_demo`): believable GIRs re-evaluated over time, some late, each one a
real answer set scored by its instrument and validated by an allowed profession; idempotent;
the bench times the pages of issue 5."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dui.assessments.instruments import get
from dui.assessments.models import Assessment, AssessmentStatus
from dui.assessments.reviews import due_assessments
from dui.organisation.models import Establishment
from dui.people.models import Person
from dui.reporting.selectors import gmp, present_stays
from tests.factories import today

pytestmark = pytest.mark.django_db


def seed_demo(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_ehpad_residents_have_gir_mna_sf_and_braden_assessments_with_histories():
    seed_demo(persons=300)

    codes = Counter(Assessment.objects.values_list("instrument_code", flat=True))
    assert set(codes) == {"aggir", "mna_sf", "braden"}
    assert not Assessment.objects.filter(establishment__category="ime").exists()
    assert not Assessment.objects.exclude(status=AssessmentStatus.VALIDATED).exists()
    assert not Assessment.objects.filter(assessed_on__gt=today()).exists()
    # Re-evaluations over time: many persons have several GIRs (points on the chart).
    per_person = Counter(
        Assessment.objects.filter(instrument_code="aggir").values_list("person_id", flat=True)
    )
    assert sum(1 for n in per_person.values() if n >= 2) >= 30


def test_the_gir_distribution_of_the_residents_is_believable():
    seed_demo(persons=600)
    totals = Counter()
    for establishment in Establishment.objects.filter(category="ehpad"):
        result = gmp(establishment=establishment, on=today())
        totals.update(result.distribution)
        assert 550 <= result.gmp <= 850
    with_gir = sum(totals.values())
    share = {band: sum(totals[g] for g in band) / with_gir for band in ((1, 2), (3, 4), (5, 6))}
    assert 0.45 <= share[(1, 2)] <= 0.65
    assert 0.25 <= share[(3, 4)] <= 0.45
    assert 0.04 <= share[(5, 6)] <= 0.18


def test_every_stored_result_is_what_the_instrument_computes_from_the_answers():
    seed_demo()
    for assessment in Assessment.objects.all():
        instrument = get(assessment.instrument_code, assessment.instrument_version)
        result = instrument.score(instrument.clean(assessment.answers, complete=True))
        assert (result.score, result.level) == (assessment.score, assessment.level)


def test_every_assessment_is_validated_by_a_profession_the_instrument_allows():
    seed_demo()
    for assessment in Assessment.objects.select_related(
        "validated_by__profession", "assessed_by__profession"
    ):
        instrument = assessment.instrument
        validator = assessment.validated_by.profession.code
        filler = assessment.assessed_by.profession.code
        assert (
            instrument.validate_professions is None or validator in instrument.validate_professions
        )
        assert instrument.fill_professions is None or filler in instrument.fill_professions


def test_some_assessments_are_late_and_the_showcase_resident_is_one_of_them():
    seed_demo(persons=300)
    genevieve = Person.objects.get(birth_name="MARTIN", used_name="GIRARD")
    idec = get_user_model().objects.get(username="idec.tilleuls")
    tilleuls = Establishment.objects.get(name="EHPAD Les Tilleuls")

    items = due_assessments(user=idec, establishment=tilleuls)

    late = [i for i in items if i.overdue]
    assert late
    assert any(i.person.pk == genevieve.pk and i.instrument.code == "aggir" for i in late)
    residents = present_stays(establishment=tilleuls, on=today()).count()
    # Some, not most: a believable EHPAD is mostly up to date.
    assert len({i.person.pk for i in late}) < residents / 2


def test_a_second_run_adds_no_assessment_and_an_older_database_gets_them():
    seed_demo(persons=120)
    count = Assessment.objects.count()

    assert "évaluations" not in seed_demo(persons=120)
    assert Assessment.objects.count() == count

    # A database seeded before the assessments existed: the next run adds them.
    Assessment.history.all().delete()
    Assessment.objects.all().delete()
    assert "évaluations" in seed_demo(persons=120)
    assert Assessment.objects.count() == count


def test_the_bench_times_the_due_list_the_history_and_the_gmp():
    out = StringIO()

    call_command(
        "bench",
        persons=100,
        runs=2,
        warmups=1,
        scenario=["évaluations à faire (unité)", "dossier : historique AGGIR", "GMP (direction)"],
        stdout=out,
    )

    table = out.getvalue()
    assert "ÉCHEC" not in table and "non mesuré" not in table
    for name in ("évaluations à faire (unité)", "dossier : historique AGGIR", "GMP (direction)"):
        assert name in table
