"""SQLite: an FTS5 trigram index on the establishments' folded `search_text` and the triggers that keep it in
step (core/fts.py). The search "minh phat che bien" over 300.000 establishments read every folded text (~1 s);
it now reads the index. PostgreSQL has its pg_trgm index (0003) and needs nothing here."""

from django.db import migrations

from khuyencong.core import fts

TABLE = "beneficiaries_establishment"


def create(apps, schema_editor):
    fts.ensure(schema_editor.connection, TABLE)


def drop(apps, schema_editor):
    fts.drop(schema_editor.connection, TABLE)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0005_pg_vi_name_index")]
    operations = [migrations.RunPython(create, drop)]
