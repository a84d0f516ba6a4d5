"""The demo background (issue 13 item 8): every resident has a believable one."""

from io import StringIO

import pytest
from django.core.management import call_command

from dui.care.background.models import (
    AdvanceDirective,
    AllergyStatement,
    DietPlan,
    MedicalHistory,
    PersonDevice,
    Vaccination,
)
from dui.care.models import Allergy
from dui.people.models import Person
from dui.stays.models import Stay
from tests.factories import today

pytestmark = pytest.mark.django_db


def test_every_resident_has_a_background_and_the_rows_pass_the_services_rules():
    call_command("seed_demo", stdout=StringIO())
    residents = set(Stay.objects.current(today()).values_list("person_id", flat=True))
    assert residents

    history = {}
    for person_id in MedicalHistory.objects.values_list("person_id", flat=True):
        history[person_id] = history.get(person_id, 0) + 1
    assert all(history.get(p, 0) >= 2 for p in residents)
    assert residents <= set(Vaccination.objects.values_list("person_id", flat=True))
    assert residents <= set(DietPlan.objects.values_list("person_id", flat=True))
    assert PersonDevice.objects.filter(kind="upper_denture").exists()
    assert AdvanceDirective.objects.filter(existence="yes").exists()
    assert MedicalHistory.objects.filter(label="Démence de type Alzheimer").exists()

    with_allergy = set(Allergy.objects.values_list("person_id", flat=True))
    stated = set(AllergyStatement.objects.values_list("person_id", flat=True))
    assert not stated & with_allergy
    without = residents - with_allergy
    assert len(stated & without) > len(without) / 2

    # The rows are what the services would have accepted (a sample of each kind).
    for model in (MedicalHistory, Vaccination, PersonDevice, DietPlan, AdvanceDirective):
        for row in model.objects.select_related("person").order_by("?")[:40]:
            row.full_clean()
    assert Person.objects.exists()
