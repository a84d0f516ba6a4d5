"""Bulk writes of demo rows and of their history rows, fast enough for 50,000 persons.

On PostgreSQL, rows go through COPY: primary keys are drawn from the table's sequence first (the
objects get them, as with `bulk_create`), then rows stream in without Django compiling an INSERT
per batch — about five times faster for the hundreds of thousands of rows of a benchmark seed.
Elsewhere (SQLite), `bulk_create` and simple-history's `bulk_create_with_history`.

Only for generated data: no signals, no `save()`; the values are what `bulk_create` would store
(each field's `pre_save`, so `auto_now_add` dates are set).
"""

from datetime import datetime

from django.db import connection, models
from simple_history.utils import bulk_create_with_history

BATCH_SIZE = 1000


def insert(model, objects: list, *, history: bool, when: datetime, reason: str) -> None:
    """Insert `objects` (unsaved instances of `model`), and their « created » history rows
    when `history` is true; the objects get their primary keys."""
    if not objects:
        return
    if connection.vendor == "postgresql":
        _copy(model, objects)
        if history:
            _copy_history(model, objects, when=when, reason=reason)
    elif history:
        bulk_create_with_history(
            objects,
            model,
            batch_size=BATCH_SIZE,
            default_change_reason=reason,
            default_date=when,
        )
    else:
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)


def _next_ids(table: str, column: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_rows(table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    # `cursor.cursor`: the psycopg cursor under Django's wrapper.
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _plain(value):
    # TextChoices members are str subclasses: COPY wants the plain value.
    if isinstance(value, str) and type(value) is not str:
        return str(value)
    return value


def _column_value(field, value):
    """What COPY writes for a field: JSON documents go as jsonb (COPY does not adapt a dict)."""
    if isinstance(field, models.JSONField) and value is not None:
        return field.get_db_prep_value(value, connection)
    return _plain(value)


def _copy(model, objects: list) -> None:
    meta = model._meta
    pk = meta.pk
    for obj, pk_value in zip(
        objects, _next_ids(meta.db_table, pk.column, len(objects)), strict=True
    ):
        obj.pk = pk_value
        # As bulk_create does: a related object saved after the assignment gives its pk now.
        obj._prepare_related_fields_for_save(operation_name="insert")
    fields = list(meta.concrete_fields)
    _copy_rows(
        meta.db_table,
        [f.column for f in fields],
        (tuple(_column_value(f, f.pre_save(obj, add=True)) for f in fields) for obj in objects),
    )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _copy_history(model, objects: list, *, when: datetime, reason: str) -> None:
    history_model = model.history.model
    meta = history_model._meta
    tracked = {f.attname for f in model._meta.concrete_fields}
    specials = {
        "history_date": lambda obj: when,
        "history_change_reason": lambda obj: reason,
        "history_type": lambda obj: "+",
        "history_user_id": lambda obj: None,
    }
    fields = [f for f in meta.concrete_fields if f.attname != "history_id"]
    unknown = [f.attname for f in fields if f.attname not in tracked and f.attname not in specials]
    if unknown:
        raise ValueError(f"Champs d'historique inattendus pour {model.__name__} : {unknown}")
    getters = [specials[f.attname] if f.attname in specials else _getter(f.attname) for f in fields]
    _copy_rows(
        meta.db_table,
        [f.column for f in fields],
        (
            tuple(_column_value(f, get(obj)) for f, get in zip(fields, getters, strict=True))
            for obj in objects
        ),
    )


def _getter(attname: str):
    return lambda obj: getattr(obj, attname)
