"""Migrated test databases made once and copied, instead of migrating every test database from scratch.

Applying the ~270 migration files to an empty database takes about 95 s on these machines (Django renders
the migration state of ~500 models again and again; the SQL itself is quick), and every test run did it
once per xdist worker and database. The first test database of a run whose migrations are all applied is
kept as a template, keyed by the content of every app's migration files (and Django's version):

- SQLite: a file `VAR_DIR/test-templates/sqlite-<key>.sqlite3`, copied into the in-memory test database
  with SQLite's backup API;
- PostgreSQL: a database `kc_tpl_<key>` on the same server, the test database created from it
  (`CREATE DATABASE … TEMPLATE`).

It replaces only the `migrate` that Django's test-database creation runs (`run_syncdb=True`, once per
session); the database copied is the one those migrations made, with the rows their post_migrate handlers
wrote (content types, permissions). A change to any migration file makes a new key, so a stale template is
never used. Two workers of one run take a file lock: one migrates, the other copies. `.ci/run` makes both
templates side by side before the suites (`make test-templates`), and the fuzzing step starts from a copy of
the SQLite one.
"""

import contextlib
import fcntl
import hashlib
import os
import sqlite3
from pathlib import Path

import django
from django.conf import settings


def template_dir() -> Path:
    path = Path(settings.VAR_DIR) / "test-templates"
    path.mkdir(parents=True, exist_ok=True)
    return path


def migrations_key() -> str:
    """A hash of every installed app's migration files (names and contents) and Django's version."""
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            digest.update(f"{config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sqlite_template_path() -> Path:
    return template_dir() / f"sqlite-{migrations_key()}.sqlite3"


def pg_template_name() -> str:
    return f"kc_tpl_{migrations_key()}"


@contextlib.contextmanager
def _lock():
    with open(template_dir() / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pg_exists(connection, name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _pg_clone(connection, source: str, target: str) -> None:
    """Create `target` as a copy of `source` (dropped first if it exists); no session may be on `source`."""
    qn = connection.ops.quote_name
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {qn(target)}")
        cursor.execute(f"CREATE DATABASE {qn(target)} TEMPLATE {qn(source)}")


def migrate_or_copy(connection, migrate) -> None:
    """What the test database's `migrate` does: copy the template if there is one, otherwise `migrate()`
    and keep the result as the template."""
    vendor = connection.vendor
    if vendor == "sqlite" and connection.is_in_memory_db():
        with _lock():
            path = sqlite_template_path()
            connection.ensure_connection()
            if path.exists():
                with contextlib.closing(sqlite3.connect(path)) as source:
                    source.backup(connection.connection)
                return
            migrate()
            partial = path.with_suffix(f".{os.getpid()}.part")
            with contextlib.closing(sqlite3.connect(partial)) as target:
                connection.connection.backup(target)
            os.replace(partial, path)
        return
    if vendor == "postgresql":
        test_name = connection.settings_dict["NAME"]
        with _lock():
            template = pg_template_name()
            if _pg_exists(connection, template):
                _pg_clone(connection, template, test_name)
                return
            migrate()
            _pg_clone(connection, test_name, template + "_part")
            with connection._nodb_cursor() as cursor:
                qn = connection.ops.quote_name
                cursor.execute(f"ALTER DATABASE {qn(template + '_part')} RENAME TO {qn(template)}")
        return
    migrate()


def install() -> None:
    """Route the first `migrate --run-syncdb` of this process (the test database's creation) through
    `migrate_or_copy`."""
    from django.core.management.commands import migrate
    from django.db import connections

    command = migrate.Command
    if getattr(command.handle, "uses_test_templates", False):
        return
    original = command.handle
    done = []

    def handle(self, *args, **options):
        if done or not options.get("run_syncdb"):
            return original(self, *args, **options)
        done.append(True)
        connection = connections[options.get("database") or "default"]
        result = []
        migrate_or_copy(connection, lambda: result.append(original(self, *args, **options)))
        return result[0] if result else None

    handle.uses_test_templates = True
    command.handle = handle


def build_sqlite_template_file(target: Path) -> None:
    """A migrated SQLite file at `target` (for tools that run the app on a file of their own)."""
    path = sqlite_template_path()
    if not path.exists():
        raise FileNotFoundError(path)
    with (
        contextlib.closing(sqlite3.connect(path)) as source,
        contextlib.closing(sqlite3.connect(target)) as out,
    ):
        source.backup(out)
