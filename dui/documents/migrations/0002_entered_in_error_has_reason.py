from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("entered_in_error", False), models.Q(("entered_in_error_reason", ""), _negated=True), _connector="OR"),
                name="document_entered_in_error_has_reason",
                violation_error_message="Indiquez pourquoi ce document a été déposé par erreur.",
            ),
        ),
    ]
