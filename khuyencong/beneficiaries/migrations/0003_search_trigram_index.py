"""PostgreSQL only: a trigram index on the folded `search_text`, so the diacritic-free search (LIKE '%word%' per
word) reads the index instead of every row. SQLite keeps the plain scan (no extension there).

Creating the extension needs the right to do so; where the database user lacks it the index is skipped with a
message (the search still works, only slower) — ask the DBA for `CREATE EXTENSION pg_trgm` and migrate again
(`migrate beneficiaries 0002` then `migrate`)."""

import sys

from django.db import DatabaseError, migrations, transaction

INDEX = "benef_est_search_trgm"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cur.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON beneficiaries_establishment "
                        "USING gin (search_text gin_trgm_ops)")
    except DatabaseError as exc:  # no right to create the extension: search works without the index
        sys.stderr.write(f"Không tạo được chỉ mục tìm kiếm pg_trgm ({exc}); tìm kiếm vẫn chạy nhưng chậm hơn.\n")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0002_tax_code_check_digit")]
    operations = [migrations.RunPython(create, drop)]
