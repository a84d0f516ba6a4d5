"""Existing contracts migrate without loss (0011): the recorded signature becomes one row per
signatory, an ESAT's contract becomes a contrat de soutien et d'aide par le travail
(D311-0-1), frozen price units get their stable codes."""

from datetime import date

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dui.admissions.models import Contract, ContractKind, SignatoryRole
from dui.people.models import Contact
from tests.factories import EstablishmentFactory, PersonFactory, UnitFactory

BEFORE = [("admissions", "0010_contract_kinds_signatories_price_lists_interview")]
AFTER = [("admissions", "0012_contract_signatories_replace_flags")]


def test_old_contracts_migrate_without_loss(migration_executor):
    esat = EstablishmentFactory(category="esat")
    ehpad = EstablishmentFactory(category="ehpad")
    person = PersonFactory()
    executor = migration_executor
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Stay = old.get_model("stays", "Stay")
    OldContract = old.get_model("admissions", "Contract")
    day = date(2025, 1, 6)
    contracts = []
    for establishment in (esat, ehpad):
        unit = UnitFactory(establishment=establishment)
        stay = Stay.objects.create(
            person_id=person.pk,
            establishment_id=establishment.pk,
            unit_id=unit.pk,
            kind="permanent",
            started_on=day,
        )
        contracts.append(
            OldContract.objects.create(
                stay=stay,
                kind="contract",
                due_by=date(2025, 2, 6),
                price_lines=[{"label": "Hébergement", "amount": "68.50", "unit": "jour"}],
            )
        )
    # The people app stays migrated: its current model writes the contact.
    daughter = Contact.objects.create(
        person_id=person.pk, last_name="Fille", relationship="child", phone="0600000000"
    )
    OldContract.objects.filter(pk=contracts[1].pk).update(
        signed_on=date(2025, 1, 20), signed_by_person=True, signed_by_representative_id=daughter.pk
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    esat_contract = Contract.objects.get(pk=contracts[0].pk)
    assert esat_contract.kind == ContractKind.ESAT
    assert esat_contract.price_lines == [
        {"label": "Hébergement", "amount": "68.50", "unit": "day", "kind": "other"}
    ]
    signed = Contract.objects.get(pk=contracts[1].pk)
    assert signed.kind == ContractKind.CONTRACT
    rows = {(s.is_the_person, s.contact_id, s.role, s.signed_on) for s in signed.signatories.all()}
    assert rows == {
        (True, None, SignatoryRole.SIGNS, date(2025, 1, 20)),
        (False, daughter.pk, SignatoryRole.REPRESENTS, date(2025, 1, 20)),
    }
