"""Search seam (DESIGN §2): on PostgreSQL, a trigram index serves the name search.

`person_search` filters on `search_name LIKE 'word%' OR search_name LIKE '% word%'` (a prefix of
any word of the names). The B-tree index of `search_name` only serves the first pattern; the
GIN trigram index serves both, so a search stays an index scan on 50,000 persons and more.
pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it without being
superuser. SQLite has no such index: the B-tree index and a scan of the short `search_name`
column are enough at the sizes it is used for (trial, tests).

The index is not declared on the model (it is PostgreSQL-only); the migration owns it.

Also: `normalise_name` now spells ligatures and stroked letters with plain letters (œ → oe,
ł → l…), so the few stored names holding them get their `search_name` refreshed.
"""

from django.db import migrations
from django.db.models import Q

INDEX_NAME = "person_search_name_trgm"
SPELT_OUT = ("œ", "æ", "ß", "ø", "ł", "đ", "ı", "ħ")


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("people", "Person")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other indexes or queries may use it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


def refresh_spelt_out_names(apps, schema_editor):
    from dui.people.search import normalise_name

    person_model = apps.get_model("people", "Person")
    spelt_out = Q()
    for letter in SPELT_OUT:
        spelt_out |= Q(search_name__contains=letter)
    for person in person_model.objects.filter(spelt_out).iterator():
        names = [person.birth_name, person.used_name, person.first_names, person.used_first_name]
        person.search_name = normalise_name(" ".join(names))
        person.save(update_fields=["search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_ins_unique"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
        migrations.RunPython(refresh_spelt_out_names, migrations.RunPython.noop, elidable=True),
    ]
