from django.db import migrations, models
from django.utils import timezone


def fill_business_dates(apps, schema_editor):
    """Until now the entry time doubled as the business date (the demo wrote past dates into it)."""
    model = apps.get_model("reports", "ReportStatusChange")
    for pk, changed_at in model.objects.values_list("pk", "changed_at").iterator(chunk_size=5000):
        model.objects.filter(pk=pk).update(effective_date=timezone.localtime(changed_at).date())


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_plan_figures"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="reportstatuschange",
            options={"ordering": ["report", "effective_date", "pk"], "verbose_name": "Chuyển trạng thái báo cáo",
                     "verbose_name_plural": "Chuyển trạng thái báo cáo"},
        ),
        migrations.AddField(
            model_name="reportstatuschange",
            name="changes",
            field=models.JSONField(blank=True, default=dict, verbose_name="Thay đổi"),
        ),
        migrations.AddField(
            model_name="reportstatuschange",
            name="effective_date",
            field=models.DateField(db_index=True, null=True, verbose_name="Ngày hiệu lực"),
        ),
        migrations.AlterField(
            model_name="reportstatuschange",
            name="changed_at",
            field=models.DateTimeField(verbose_name="Ghi nhận lúc"),
        ),
        migrations.RunPython(fill_business_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportstatuschange",
            name="effective_date",
            field=models.DateField(db_index=True, verbose_name="Ngày hiệu lực"),
        ),
    ]
