"""Issue 11: a stay's planned end is not its exit.

Until now a temporary stay stored its planned end in `ended_on`, the field of the actual exit,
so it counted as ended as soon as that day was written. From now on `planned_end` holds the exit
foreseen and `ended_on` only the day the person actually left.

The data rule (per establishment, "today" in its time zone):
- a stay whose `ended_on` is still in the future cannot have been left yet: that date is a
  planned end — it moves to `planned_end` and `ended_on` is cleared (the stay is current, or
  planned if it has not begun);
- a temporary stay whose `ended_on` is today or past keeps it as its exit (we cannot know
  whether the person left on that day; the stay stays ended as before), and the same date is
  copied into `planned_end`, since it was its planned end;
- a row whose stored exit is not after its entry is left as it is (the new constraint wants a
  planned end strictly after the entry; no service ever wrote such a row).
Each changed stay gets a history row saying why (the update itself bypasses the model)."""

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

from dui.core import dates

REASON = "Migration : la date de sortie prévue n'est pas une sortie effective (issue 11)."


def _history(apps, stays):
    Stay = apps.get_model("stays", "Stay")
    HistoricalStay = apps.get_model("stays", "HistoricalStay")
    names = [f.attname for f in Stay._meta.concrete_fields]
    now = timezone.now()
    HistoricalStay.objects.bulk_create(
        [
            HistoricalStay(
                **{name: getattr(stay, name) for name in names},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )
            for stay in stays
        ],
        batch_size=500,
    )


def planned_ends_out_of_exits(apps, schema_editor):
    Stay = apps.get_model("stays", "Stay")
    Establishment = apps.get_model("organisation", "Establishment")
    for establishment in Establishment.objects.all():
        today = dates.today(establishment)
        stays = Stay.objects.filter(establishment=establishment)
        future = stays.filter(ended_on__gt=today).filter(ended_on__gt=F("started_on"))
        ids = list(future.values_list("pk", flat=True))
        future.update(planned_end=F("ended_on"), ended_on=None)
        past_temporary = stays.filter(
            kind="temporary",
            planned_end__isnull=True,
            ended_on__lte=today,
            ended_on__gt=F("started_on"),
        )
        ids += list(past_temporary.values_list("pk", flat=True))
        past_temporary.update(planned_end=F("ended_on"))
        for start in range(0, len(ids), 500):
            _history(apps, Stay.objects.filter(pk__in=ids[start : start + 500]))


def exits_from_planned_ends(apps, schema_editor):
    """Back to one date: a stay without an exit takes its planned end as exit."""
    Stay = apps.get_model("stays", "Stay")
    Stay.objects.filter(ended_on__isnull=True, planned_end__isnull=False).update(
        ended_on=F("planned_end")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_versions"),
        ("stays", "0003_historicalstay_admission_request_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalstay",
            name="admitted_on",
            field=models.DateField(blank=True, null=True, verbose_name="admission prononcée le"),
        ),
        migrations.AddField(
            model_name="historicalstay",
            name="planned_end",
            field=models.DateField(
                blank=True,
                help_text="Sortie prévue (fin d'un hébergement temporaire) ; ne termine pas le séjour.",
                null=True,
                verbose_name="fin prévue le",
            ),
        ),
        migrations.AddField(
            model_name="stay",
            name="admitted_on",
            field=models.DateField(blank=True, null=True, verbose_name="admission prononcée le"),
        ),
        migrations.AddField(
            model_name="stay",
            name="planned_end",
            field=models.DateField(
                blank=True,
                help_text="Sortie prévue (fin d'un hébergement temporaire) ; ne termine pas le séjour.",
                null=True,
                verbose_name="fin prévue le",
            ),
        ),
        migrations.AlterField(
            model_name="historicalstay",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="Sortie effective : seulement quand la personne a quitté l'établissement.",
                null=True,
                verbose_name="sortie le",
            ),
        ),
        migrations.AlterField(
            model_name="stay",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="Sortie effective : seulement quand la personne a quitté l'établissement.",
                null=True,
                verbose_name="sortie le",
            ),
        ),
        migrations.RunPython(planned_ends_out_of_exits, exits_from_planned_ends),
        migrations.AddConstraint(
            model_name="stay",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("planned_end__isnull", True),
                    ("planned_end__gt", models.F("started_on")),
                    _connector="OR",
                ),
                name="stay_planned_end_after_start",
                violation_error_message="La fin prévue doit suivre la date d'entrée.",
            ),
        ),
    ]
