"""ProjectAsOf rows get a bucket: the year of a closed row (closed ranges cut at every 1 January), 0 for the
open-ended row, so the rows of one day are read from two index ranges instead of scanning the table. The
existing rows are cut here (no rebuild from the records needed)."""

import datetime as dt

from django.db import migrations, models
from django.db.models.functions import ExtractYear

FAR_FUTURE = dt.date(9999, 12, 31)


def cut_closed_rows(apps, schema_editor):
    A = apps.get_model("projects", "ProjectAsOf")
    closed = A.objects.exclude(valid_to=FAR_FUTURE)
    closed.update(bucket=ExtractYear("valid_from"))
    spanning = closed.annotate(y_to=ExtractYear("valid_to")).filter(y_to__gt=ExtractYear("valid_from"))
    shortened, pieces = [], []

    def flush():
        A.objects.bulk_update(shortened, ["valid_to"], batch_size=2000)
        A.objects.bulk_create(pieces, batch_size=2000)
        shortened.clear()
        pieces.clear()

    for row in spanning.order_by("pk").iterator(chunk_size=5000):
        jan1 = dt.date(row.valid_from.year + 1, 1, 1)
        if row.valid_to <= jan1:
            continue
        end, start = row.valid_to, jan1
        row.valid_to = jan1
        shortened.append(row)
        while start < end:
            nxt = min(end, dt.date(start.year + 1, 1, 1))
            pieces.append(
                A(
                    project_id=row.project_id,
                    valid_from=start,
                    valid_to=nxt,
                    bucket=start.year,
                    status=row.status,
                    progress_pct=row.progress_pct,
                    requested=row.requested,
                    approved=row.approved,
                    disbursed=row.disbursed,
                )
            )
            start = nxt
        if len(shortened) >= 5000:
            flush()
    flush()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_list_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="projectasof",
            name="projects_asof_day",
        ),
        migrations.AddField(
            model_name="projectasof",
            name="bucket",
            field=models.SmallIntegerField(default=0),
        ),
        migrations.RunPython(cut_closed_rows, migrations.RunPython.noop),
    ]
