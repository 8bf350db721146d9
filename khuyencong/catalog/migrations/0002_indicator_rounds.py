"""Indicators counted from records that came after the catalogue's first load — "Lần tổ chức bình chọn sản
phẩm CNNT tiêu biểu" (awards) and "Cơ sở gây ô nhiễm di dời vào khu, cụm công nghiệp" (clusters) — for a
catalogue loaded before they existed (a fresh one gets them from catalog/defaults.py)."""

from django.db import migrations

NEW = [
    ("lan-binh-chon", "Lần tổ chức bình chọn sản phẩm CNNT tiêu biểu", "lần", "4"),
    ("co-so-di-doi", "Cơ sở gây ô nhiễm di dời vào khu, cụm công nghiệp", "cơ sở", "7"),
]


def add(apps, schema_editor):
    OutputIndicator = apps.get_model("catalog", "OutputIndicator")
    ActivityContent = apps.get_model("catalog", "ActivityContent")
    if not OutputIndicator.objects.exists():
        return  # an empty catalogue: the first load brings every indicator
    for code, name, unit, content_code in NEW:
        if OutputIndicator.objects.filter(code=code).exists():
            continue
        content = ActivityContent.objects.filter(code=content_code).order_by("-valid_from").first()
        OutputIndicator.objects.create(code=code, name=name, unit=unit, content=content, is_money=False)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
