"""The đề án's folded "code title" (`Project.search_text`) for the diacritic-free `?q=` search, filled for the
existing rows, and on PostgreSQL a pg_trgm GIN index on it (as beneficiaries 0003 does for establishments), so
`LIKE '%word%'` reads the index instead of every đề án. SQLite scans the column (100.000 rows: ~20 ms).

Where the database user may not create the extension the index is skipped with a message (search still works)."""

import sys

from django.db import DatabaseError, migrations, models, transaction

INDEX = "projects_project_search_trgm"


def fill(apps, schema_editor):
    from khuyencong.core.text import fold

    Project = apps.get_model("projects", "Project")
    batch = []
    for pk, code, title in Project.objects.order_by().values_list("pk", "code", "title").iterator(chunk_size=5000):
        batch.append(Project(pk=pk, search_text=fold(f"{code} {title}")))
        if len(batch) >= 5000:
            Project.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Project.objects.bulk_update(batch, ["search_text"])


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cur.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_project USING gin (search_text gin_trgm_ops)")
    except DatabaseError as exc:
        sys.stderr.write(f"Không tạo được chỉ mục tìm kiếm pg_trgm ({exc}); tìm kiếm vẫn chạy nhưng chậm hơn.\n")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_business_dates")]
    operations = [
        migrations.AddField("project", "search_text", models.TextField(default="", editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
