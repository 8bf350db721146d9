"""PostgreSQL: make sure the ICU collation "vi-VN-x-icu" exists (core.collation sorts names with it). It is
imported with ICU at initdb on most servers; a server whose catalogue lacks it gets it created here. No-op on
SQLite (the "vi" collation is registered on each connection)."""

from django.db import migrations

from khuyencong.core.collation import PG_COLLATION


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [PG_COLLATION])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE COLLATION \"{PG_COLLATION}\" (provider = icu, locale = 'vi-VN')")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_collation, migrations.RunPython.noop)]
