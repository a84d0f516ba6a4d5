from django.db import migrations


class Migration(migrations.Migration):
    """The free text of an orientation becomes its « précision »: the type is now coded
    (OrientationKind, next migration), and the text of the rows recorded before stays."""

    dependencies = [
        ("admissions", "0006_name_rule"),
    ]

    operations = [
        migrations.RenameField(
            model_name="orientation", old_name="establishment_type", new_name="detail"
        ),
        migrations.RenameField(
            model_name="historicalorientation", old_name="establishment_type", new_name="detail"
        ),
    ]
