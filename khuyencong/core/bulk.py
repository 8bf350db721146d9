"""Set-based inserts for bulk writers (a plan's đề án import, the as-of table): rows as dicts, one prepared
statement per batch (`executemany`), or one COPY on PostgreSQL — no model instance per row."""

import datetime as dt
import decimal
import functools
import json
import uuid


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
                lines = []
                for row in rows:
                    values = [row[name] if f is None else prep(f, row[name]) for name, f in columns]
                    line = _copy_line(values)
                    if line is None:  # a value this encoder does not know: psycopg's own adaptation
                        copy.write("".join(lines))
                        lines = []
                        copy.write_row(values)
                        continue
                    lines.append(line)
                    if len(lines) >= 2000:
                        copy.write("".join(lines))
                        lines = []
                copy.write("".join(lines))
            return
        for start in range(0, len(rows), batch):
            params = [
                [row[name] if f is None else prep(f, row[name]) for name, f in columns]
                for row in rows[start : start + batch]
            ]
            cur.executemany(sql, params)


# COPY's text format: a row is its values joined by tabs, NULL written \N, backslash, tab, newline and
# carriage return escaped (PostgreSQL, "COPY", File Formats). Encoding here is several times cheaper than
# psycopg's `write_row`, which adapts every value through its dumpers one by one.
_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str | None:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPE)
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is float or kind is decimal.Decimal or kind is uuid.UUID:
        return str(value)
    if kind is dt.date or kind is dt.datetime:
        return value.isoformat()
    obj = getattr(value, "obj", _MISSING)  # psycopg's Jsonb/Json wrapper, as Django's JSONField hands it
    if obj is not _MISSING and kind.__name__ in ("Jsonb", "Json"):
        dumps = getattr(value, "dumps", None) or json.dumps
        text = dumps(obj)
        return (text.decode() if isinstance(text, bytes) else text).translate(_COPY_ESCAPE)
    return None


_MISSING = object()


def _copy_line(values: list) -> str | None:
    out = []
    for v in values:
        text = _copy_value(v)
        if text is None:
            return None
        out.append(text)
    return "\t".join(out) + "\n"
