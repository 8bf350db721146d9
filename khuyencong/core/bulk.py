"""Set-based inserts for bulk writers (a plan's đề án import, the as-of table): rows as dicts, one prepared
statement per batch (`executemany`), or one COPY on PostgreSQL — no model instance per row."""

import datetime as dt
import functools

from django.dispatch import Signal

# Sent after `insert_rows` wrote rows of a model (sender): bulk inserts send no post_save, and caches built
# from those tables (open data) must still learn of them.
rows_inserted = Signal()


@functools.cache
def bulk_defaults(model) -> dict:
    """Each column's default (what a new instance starts with)."""
    return {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}


_INSERT_SQL: dict = {}


def insert_rows(model, rows: list[dict], *, batch: int = 500) -> None:
    """Insert rows (column attname → value; every column but the primary key) with one prepared statement
    per batch of rows (`executemany`; on PostgreSQL one COPY): no model instance, no per-value SQL
    building. Values are adapted the way the ORM does it (`get_db_prep_save`) for the column types that
    need it (dates, JSON…), each distinct date or time once."""
    from django.db import DEFAULT_DB_ALIAS, connections

    if not rows:
        return
    conn = connections[DEFAULT_DB_ALIAS]
    if model not in _INSERT_SQL:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        qn = conn.ops.quote_name
        sql = (
            f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        plain = {"CharField", "TextField", "BooleanField", "BigIntegerField", "IntegerField", "ForeignKey"}
        plain |= {"PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "SlugField"}
        adapt = [None if f.get_internal_type() in plain else f for f in fields]
        _INSERT_SQL[model] = (sql, [f.attname for f in fields], adapt)
    sql, names, adapt = _INSERT_SQL[model]
    cached = {}

    def prep(f, value):
        if value is None:
            return None
        if isinstance(value, dt.date):  # dates and datetimes: few distinct ones
            key = (f.attname, value)
            if key not in cached:
                cached[key] = f.get_db_prep_save(value, conn)
            return cached[key]
        return f.get_db_prep_save(value, conn)

    columns = list(zip(names, adapt, strict=True))
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":  # COPY: the rows stream in one command, no statement per row
            table = sql.split(" VALUES ")[0].removeprefix("INSERT INTO ")
            with cur.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                # psycopg formats the rows in C (psycopg-binary); an encoder written here in Python was
                # slower, measured.
                for row in rows:
                    copy.write_row([row[name] if f is None else prep(f, row[name]) for name, f in columns])
        else:
            for start in range(0, len(rows), batch):
                params = [
                    [row[name] if f is None else prep(f, row[name]) for name, f in columns]
                    for row in rows[start : start + batch]
                ]
                cur.executemany(sql, params)
    rows_inserted.send(sender=model)
