"""Write the names of the persons recorded before the rule by the rule (`dui.people.names`):
the demo seeding stored birth names in mixed case (« Martin ») while the identity form writes
capitals (« MARTIN »), so editing even the used first name of a validated identity was taken for
a change of its birth name. Rows only change where the rule writes them otherwise; the record
history keeps the earlier spelling."""

from django.db import migrations

from dui.people import names

BATCH = 500
FIELDS = ("birth_name", "used_name", "first_names", "used_first_name")


def normalise(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    changed = []
    for person in Person.objects.only("pk", *FIELDS).iterator(chunk_size=BATCH):
        before = [getattr(person, f) for f in FIELDS]
        for field in FIELDS:
            setattr(person, field, names.normalised(field, getattr(person, field)))
        if [getattr(person, f) for f in FIELDS] != before:
            changed.append(person)
        if len(changed) >= BATCH:
            Person.objects.bulk_update(changed, FIELDS)
            changed = []
    if changed:
        Person.objects.bulk_update(changed, FIELDS)


class Migration(migrations.Migration):
    dependencies = [("people", "0008_name_rule")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
