"""SQLite: an FTS5 trigram index on a folded `search_text` column, so the diacritic-free search reads an index
instead of scanning every row (PostgreSQL has pg_trgm for the same). The search at national scale — 300.000
establishments, "minh phat che bien" — went from a scan of every folded text (~1 s) to an index lookup.

The index is an external-content FTS5 table (`<table>_fts`, rowid = the row's id) kept in step by three SQL
triggers, so every write — a form, the ORM's bulk_create/bulk_update, a raw UPDATE — reaches it. A migration
that remakes the table on SQLite (Django copies it into a new one) drops the triggers with the old table:
`ensure()` runs after every `migrate` (post_migrate) and recreates what is missing, rebuilding the index then.

A search word of fewer than 3 letters cannot use a trigram index: `filter_folded` keeps LIKE for such words
(on the rows the longer words left)."""

from django.db import connections

# Tables whose `search_text` gets the index (see beneficiaries migration 0006).
TABLES = ("beneficiaries_establishment",)
COLUMN = "search_text"
MIN_TERM = 3  # the trigram tokenizer matches a substring of 3 characters or more


def fts_table(table: str) -> str:
    return f"{table}_fts"


def _triggers(table: str) -> dict[str, str]:
    fts = fts_table(table)
    delete = f'INSERT INTO "{fts}"("{fts}", rowid, {COLUMN}) VALUES (\'delete\', old.id, old.{COLUMN});'
    insert = f'INSERT INTO "{fts}"(rowid, {COLUMN}) VALUES (new.id, new.{COLUMN});'
    return {
        f"{fts}_ai": f'AFTER INSERT ON "{table}" BEGIN {insert} END',
        f"{fts}_ad": f'AFTER DELETE ON "{table}" BEGIN {delete} END',
        f"{fts}_au": f'AFTER UPDATE OF {COLUMN} ON "{table}" BEGIN {delete} {insert} END',
    }


def available(connection) -> bool:
    """FTS5 with the trigram tokenizer (SQLite ≥ 3.34)."""
    if connection.vendor != "sqlite":
        return False
    import sqlite3

    return sqlite3.sqlite_version_info >= (3, 34, 0)


def ensure(connection, table: str) -> bool:
    """Create the index and its triggers where missing (rebuilding the index from the table then). Returns
    whether anything was created."""
    if not available(connection):
        return False
    fts = fts_table(table)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s", [f"{fts}%"]
        )
        present = {row[0] for row in cur.fetchall()}
        if table not in connection.introspection.table_names(cur):
            return False
        missing = [name for name in _triggers(table) if name not in present]
        if fts in present and not missing:
            return False
        if fts not in present:
            cur.execute(
                f'CREATE VIRTUAL TABLE "{fts}" USING fts5({COLUMN}, content="{table}", content_rowid="id", '
                "tokenize='trigram')"
            )
        for name, body in _triggers(table).items():
            cur.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            cur.execute(f'CREATE TRIGGER "{name}" {body}')
        cur.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')
    return True


def drop(connection, table: str) -> None:
    if connection.vendor != "sqlite":
        return
    fts = fts_table(table)
    with connection.cursor() as cur:
        for name in _triggers(table):
            cur.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        cur.execute(f'DROP TABLE IF EXISTS "{fts}"')


def ensure_all(using="default", **kwargs) -> None:
    """post_migrate: every indexed table has its index and triggers (see the module's docstring)."""
    connection = connections[using]
    for table in TABLES:
        ensure(connection, table)


def usable(queryset, field: str) -> bool:
    """Whether `filter_folded` may answer from the index: SQLite, the model's own `search_text`, FTS5 here."""
    return field == COLUMN and queryset.model._meta.db_table in TABLES and available(connections[queryset.db])


def match_expression(terms: list[str]) -> str:
    """An FTS5 query that holds every term as a substring: '"minh" AND "phat"' (a double quote doubled)."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def filter_ids(queryset, terms: list[str]):
    from django.db.models.expressions import RawSQL

    fts = fts_table(queryset.model._meta.db_table)
    return queryset.filter(
        pk__in=RawSQL(f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s', [match_expression(terms)])
    )
