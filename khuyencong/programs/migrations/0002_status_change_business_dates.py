from django.db import migrations, models
from django.utils import timezone


def fill_business_dates(apps, schema_editor):
    """Until now the entry time doubled as the business date: keep that reading for existing rows (a
    programme's approval takes its decision date)."""
    for name in ("StatusChange", "HistoricalStatusChange"):
        model = apps.get_model("programs", name)
        rows = model.objects.values_list("pk", "changed_at", "decision_date").iterator(chunk_size=5000)
        for pk, changed_at, decision_date in rows:
            model.objects.filter(pk=pk).update(effective_date=decision_date or timezone.localtime(changed_at).date())


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="statuschange",
            options={"ordering": ["program", "effective_date", "pk"], "verbose_name": "Chuyển trạng thái chương trình",
                     "verbose_name_plural": "Chuyển trạng thái chương trình"},
        ),
        migrations.AddField(
            model_name="statuschange",
            name="changes",
            field=models.JSONField(blank=True, default=dict, verbose_name="Thay đổi"),
        ),
        migrations.AddField(
            model_name="historicalstatuschange",
            name="changes",
            field=models.JSONField(blank=True, default=dict, verbose_name="Thay đổi"),
        ),
        migrations.AddField(
            model_name="statuschange",
            name="effective_date",
            field=models.DateField(db_index=True, null=True, verbose_name="Ngày hiệu lực"),
        ),
        migrations.AddField(
            model_name="historicalstatuschange",
            name="effective_date",
            field=models.DateField(db_index=True, null=True, verbose_name="Ngày hiệu lực"),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="changed_at",
            field=models.DateTimeField(db_index=True, verbose_name="Ghi nhận lúc"),
        ),
        migrations.AlterField(
            model_name="historicalstatuschange",
            name="changed_at",
            field=models.DateTimeField(db_index=True, verbose_name="Ghi nhận lúc"),
        ),
        migrations.RunPython(fill_business_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="statuschange",
            name="effective_date",
            field=models.DateField(db_index=True, verbose_name="Ngày hiệu lực"),
        ),
        migrations.AlterField(
            model_name="historicalstatuschange",
            name="effective_date",
            field=models.DateField(db_index=True, verbose_name="Ngày hiệu lực"),
        ),
    ]
