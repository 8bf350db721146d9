"""The indicator "Lần tổ chức bình chọn sản phẩm CNNT tiêu biểu" (lần), counted from the voting records, for a
catalogue loaded before it existed (a fresh one gets it from catalog/defaults.py)."""

from django.db import migrations


def add(apps, schema_editor):
    OutputIndicator = apps.get_model("catalog", "OutputIndicator")
    ActivityContent = apps.get_model("catalog", "ActivityContent")
    if not OutputIndicator.objects.exists() or OutputIndicator.objects.filter(code="lan-binh-chon").exists():
        return
    content = ActivityContent.objects.filter(code="4").order_by("-valid_from").first()
    OutputIndicator.objects.create(
        code="lan-binh-chon",
        name="Lần tổ chức bình chọn sản phẩm CNNT tiêu biểu",
        unit="lần",
        content=content,
        is_money=False,
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
