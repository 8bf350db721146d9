from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.loans.services import WRITEOFF_CAUSES

    Cause = apps.get_model("loans", "WriteOffCause")
    for order, (code, name) in enumerate(WRITEOFF_CAUSES, 1):
        Cause.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
