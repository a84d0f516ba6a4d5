"""Existing contracts keep their meaning under the new model:
- the signature recorded as « signed by the person » and/or « signed by the representative »
  becomes one ContractSignatory row per party (role: the person signs; a contact who signed is
  recorded as representing her — the only meaning the old form gave him), dated signed_on;
- a contract of an ESAT becomes a « contrat de soutien et d'aide par le travail » (D311-0-1: it
  IS the ESAT's contrat de séjour, under its own name; the stored PDF is not rewritten);
- contracts of short stays keep their kind: the document was signed as a contract, and a
  contrat de séjour gives the person more than a DIPC would (nothing is lost);
- frozen price lines get the stable English unit codes (jour → day, mois → month) and a kind
  (« other »: the old free text said nothing of it).
Reversible: the reverse puts the old fields and codes back."""

from django.db import migrations

UNITS = {"jour": "day", "mois": "month"}
BACK = {v: k for k, v in UNITS.items()}


def forwards(apps, schema_editor):
    Contract = apps.get_model("admissions", "Contract")
    Signatory = apps.get_model("admissions", "ContractSignatory")
    for contract in Contract.objects.select_related("stay__establishment").iterator():
        changed = []
        if contract.stay.establishment.category == "esat" and contract.kind == "contract":
            contract.kind = "esat"
            changed.append("kind")
        lines = []
        for line in contract.price_lines or []:
            line = dict(line)
            line["unit"] = UNITS.get(line.get("unit"), line.get("unit"))
            line.setdefault("kind", "other")
            lines.append(line)
        if lines != contract.price_lines:
            contract.price_lines = lines
            changed.append("price_lines")
        if changed:
            contract.save(update_fields=changed)
        if contract.signed_on is None:
            continue
        if contract.signed_by_person:
            Signatory.objects.create(
                contract=contract,
                role="signs",
                is_the_person=True,
                capacity="la personne",
                signed_on=contract.signed_on,
            )
        if contract.signed_by_representative_id:
            Signatory.objects.create(
                contract=contract,
                role="represents",
                contact_id=contract.signed_by_representative_id,
                capacity="représentant légal",
                signed_on=contract.signed_on,
            )


def backwards(apps, schema_editor):
    Contract = apps.get_model("admissions", "Contract")
    Signatory = apps.get_model("admissions", "ContractSignatory")
    for contract in Contract.objects.iterator():
        signatories = list(Signatory.objects.filter(contract=contract))
        contract.signed_by_person = any(s.is_the_person for s in signatories)
        contact = next((s.contact_id for s in signatories if s.contact_id), None)
        contract.signed_by_representative_id = contact
        if contract.kind == "esat":
            contract.kind = "contract"
        contract.price_lines = [
            {**line, "unit": BACK.get(line.get("unit"), line.get("unit"))}
            for line in contract.price_lines or []
        ]
        contract.save()
    Signatory.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("admissions", "0010_contract_kinds_signatories_price_lists_interview")]

    operations = [migrations.RunPython(forwards, backwards)]
