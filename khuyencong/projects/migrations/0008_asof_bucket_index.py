"""The covering index of the day's as-of rows by bucket (its own migration: on PostgreSQL an index cannot be
created in the transaction that has just written the rows, their foreign-key checks still pending)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_asof_year_buckets"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="projectasof",
            index=models.Index(
                fields=[
                    "bucket",
                    "valid_from",
                    "valid_to",
                    "project",
                    "status",
                    "progress_pct",
                    "requested",
                    "approved",
                    "disbursed",
                ],
                name="projects_asof_bucket_day",
            ),
        ),
    ]
