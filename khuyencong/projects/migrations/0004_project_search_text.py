"""The đề án's search column (`Project.search_text`: folded code and title, then its beneficiaries' text) for
the diacritic-free `?q=` search, filled for the existing rows, and on PostgreSQL a pg_trgm GIN index on it (as beneficiaries 0003 does for establishments), so
`LIKE '%word%'` reads the index instead of every đề án. SQLite scans the column (100.000 rows: ~20 ms).

Where the database user may not create the extension the index is skipped with a message (search still works)."""

import sys

from django.db import DatabaseError, migrations, models, transaction

INDEX = "projects_project_search_trgm"


def fill(apps, schema_editor):
    """search_text = folded "code title", then " | " and each beneficiary's folded text (projects.search)."""
    from khuyencong.core.text import fold

    Project = apps.get_model("projects", "Project")
    Link = apps.get_model("projects", "ProjectBeneficiary")
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        part = ids[start:start + 5000]
        others: dict[int, list[str]] = {}
        for pid, text in (Link.objects.filter(project_id__in=part).order_by("pk")
                          .values_list("project_id", "establishment__search_text")):
            others.setdefault(pid, []).append(text)
        Project.objects.bulk_update(
            [Project(pk=pk, search_text=" | ".join([fold(f"{code} {title}"), *others.get(pk, [])]))
             for pk, code, title in Project.objects.filter(pk__in=part).values_list("pk", "code", "title")],
            ["search_text"], batch_size=2000)


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
    dependencies = [("projects", "0003_batch_allocations")]
    operations = [
        migrations.AddField("project", "search_text", models.TextField(default="", editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
