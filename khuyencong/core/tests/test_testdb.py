"""The test database, copied from a kept template or migrated, is the one the migrations make."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from khuyencong import testdb


@pytest.mark.django_db
def test_the_test_database_has_every_migration_and_its_template_is_kept():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert testdb.sqlite_template_path().exists()
            # an index only a hand-written migration makes (beneficiaries 0004)
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '%vi_key%'")
        else:
            assert testdb._pg_exists(connection, testdb.pg_template_name())
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
        assert cursor.fetchall()


def test_the_key_follows_the_migration_files(tmp_path, settings, monkeypatch):
    from django.apps import apps

    key = testdb.migrations_key()
    assert key == testdb.migrations_key() and len(key) == 16
    config = apps.get_app_config("projects")
    fake = tmp_path / "projects"
    (fake / "migrations").mkdir(parents=True)
    for path in (Path(config.path) / "migrations").glob("*.py"):
        (fake / "migrations" / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(config, "path", str(fake))
    assert testdb.migrations_key() == key
    (fake / "migrations" / "0099_new.py").write_text("# a new migration\n")
    assert testdb.migrations_key() != key
