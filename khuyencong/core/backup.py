"""Backups that restore: the database and the uploaded files (MEDIA_ROOT) in one .tar.gz archive.

SQLite goes through sqlite3's online backup API (a consistent copy while the application runs), PostgreSQL
through `pg_dump -Fc` / `pg_restore`. The archive holds

    manifest.json        format, time, engine, migrations, the row count of every table, the file count
    database.sqlite3     or database.pgdump
    media/…              the files under MEDIA_ROOT (report files, uploaded templates, imports)

`restore` writes into a database that is empty (or with --force replaces it) and then compares the row
count of every table with the manifest, so a restore that lost anything fails loudly."""

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.utils import timezone

FORMAT = 1
ARCHIVE_RE = re.compile(r"^khuyencong-\d{8}-\d{6}\.tar\.gz$")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Vietnamese and says what to do."""


@dataclass(frozen=True)
class Database:
    """The parts of a Django DATABASES entry a backup needs."""

    engine: str  # "sqlite" or "postgresql"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, cfg: dict) -> "Database":
        engine = cfg["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            return cls("sqlite", str(cfg["NAME"]))
        if engine in ("postgresql", "postgis"):
            return cls(
                "postgresql",
                cfg["NAME"],
                cfg.get("USER") or "",
                cfg.get("PASSWORD") or "",
                cfg.get("HOST") or "",
                str(cfg.get("PORT") or ""),
            )
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {cfg['ENGINE']}.")

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls.from_settings(dj_database_url.parse(url))

    def pg_args(self, dbname: str | None = None) -> list[str]:
        args = []
        if self.host:
            args += ["-h", self.host]
        if self.port:
            args += ["-p", self.port]
        if self.user:
            args += ["-U", self.user]
        return args + ["-d", dbname or self.name]

    def pg_env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def label(self) -> str:
        return (
            self.name if self.engine == "sqlite" else f"postgresql://{self.host or 'localhost'}/{self.name}"
        )


# --------------------------------------------------------------------------------------------- counting


def _sqlite_tables(conn) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(r[0] for r in rows)


def _pg_connect(db: Database, dbname: str | None = None):
    import psycopg

    return psycopg.connect(
        dbname=dbname or db.name,
        user=db.user or None,
        password=db.password or None,
        host=db.host or None,
        port=db.port or None,
        autocommit=True,
    )


def table_counts(db: Database, *, sqlite_conn=None) -> dict[str, int]:
    """Row count of every table (history tables, Django's and the task queue's included)."""
    if db.engine == "sqlite":
        conn = sqlite_conn or sqlite3.connect(db.name)
        try:
            return {
                t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _sqlite_tables(conn)
            }
        finally:
            if sqlite_conn is None:
                conn.close()
    with _pg_connect(db) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def column_sum(db: Database, table: str, column: str) -> int:
    sql = f'SELECT COALESCE(SUM("{column}"), 0) FROM "{table}"'
    if db.engine == "sqlite":
        with sqlite3.connect(db.name) as conn:
            return int(conn.execute(sql).fetchone()[0])
    with _pg_connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _applied_migrations(counts_source) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in counts_source:
        if name > latest.get(app, ""):
            latest[app] = name
    return latest


# ----------------------------------------------------------------------------------------------- backup


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise BackupError(
            f"Không tìm thấy {tool}: cài gói postgresql-client (apt-get install postgresql-client)."
        )
    return path


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            f"{Path(cmd[0]).name} thất bại (mã {result.returncode}): {result.stderr.strip()[-2000:]}"
        )


def default_backup_dir() -> Path:
    return Path(os.environ.get("BACKUP_DIR") or settings.VAR_DIR / "backups")


def backup(*, output: Path | None = None, media_root: Path | None = None, using: str = "default") -> dict:
    """Write one archive; return its manifest (with "path")."""
    from django.db import connections

    connection = connections[using]
    db = Database.from_settings(connection.settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = timezone.localtime()
    output = Path(output) if output else default_backup_dir()
    if not output.name.endswith(".tar.gz"):  # a folder: the archive is named by its time
        output = output / f"khuyencong-{now:%Y%m%d-%H%M%S}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="kc-backup-", dir=output.parent) as tmp:
        tmp = Path(tmp)
        if db.engine == "sqlite":
            dump = tmp / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                # The online backup API copies a consistent snapshot page by page while others keep writing.
                connection.connection.backup(target)
            finally:
                target.close()
            with sqlite3.connect(dump) as snapshot:
                counts = table_counts(db, sqlite_conn=snapshot)
                migrations = _applied_migrations(snapshot.execute("SELECT app, name FROM django_migrations"))
        else:
            dump = tmp / "database.pgdump"
            # Counted inside the same snapshot pg_dump reads would be ideal; counting just before is honest
            # enough for a verification while writes are rare (and exact when the application is stopped).
            _run(
                [_need("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(dump)] + db.pg_args(),
                db.pg_env(),
            )
            counts = table_counts(db)
            with _pg_connect(db) as conn:
                migrations = _applied_migrations(conn.execute("SELECT app, name FROM django_migrations"))

        media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "host": socket.gethostname(),
            "engine": db.engine,
            "database": db.label(),
            "migrations": migrations,
            "tables": counts,
            "rows": sum(counts.values()),
            "media_files": len(media_files),
            "media_bytes": sum(p.stat().st_size for p in media_files),
        }
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(tmp / "manifest.json", arcname="manifest.json")
            tar.add(dump, arcname=dump.name)
            for path in media_files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        os.replace(partial, output)  # a half-written archive never carries the final name
    return {**manifest, "path": str(output)}


def prune(folder: Path, *, keep: int) -> list[Path]:
    """Keep the `keep` newest archives of `folder` (by the time in their name); return the removed ones."""
    if keep < 1:
        raise BackupError("Phải giữ lại ít nhất 1 bản sao lưu.")
    archives = sorted((p for p in Path(folder).iterdir() if ARCHIVE_RE.match(p.name)), key=lambda p: p.name)
    removed = archives[:-keep]
    for path in removed:
        path.unlink()
    return removed


# ---------------------------------------------------------------------------------------------- restore


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive} không phải bản sao lưu của hệ thống ({exc}).")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu định dạng {manifest.get('format')} không đọc được (cần {FORMAT}).")
    return manifest


def _is_empty(db: Database) -> bool:
    if db.engine == "sqlite":
        path = Path(db.name)
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(path) as conn:
            return not _sqlite_tables(conn)
    try:
        with _pg_connect(db) as conn:
            return (
                conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()[
                    0
                ]
                == 0
            )
    except Exception as exc:
        if "does not exist" in str(exc):
            return True
        raise


def _pg_create_database_if_missing(db: Database) -> None:
    from psycopg import sql

    with _pg_connect(db, "postgres") as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db.name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db.name)))


def restore(archive: Path, *, target: Database, media_root: Path, force: bool = False) -> dict:
    """Restore an archive into `target` and `media_root`; return the manifest with "restored_tables"."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    if manifest["engine"] != target.engine:
        raise BackupError(
            f"Bản sao lưu là của {manifest['engine']}, không khôi phục được vào {target.engine}."
        )
    media_root = Path(media_root)
    if not force:
        if not _is_empty(target):
            raise BackupError(f"Cơ sở dữ liệu {target.label()} đã có dữ liệu; thêm --force để ghi đè.")
        if media_root.is_dir() and any(media_root.iterdir()):
            raise BackupError(f"Thư mục tệp {media_root} không trống; thêm --force để ghi đè.")

    work_parent = Path(target.name).parent if target.engine == "sqlite" else None
    if work_parent:
        work_parent.mkdir(parents=True, exist_ok=True)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kc-restore-", dir=media_root.parent) as tmp:
        tmp = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")  # no absolute paths, no links outside, no device files

        if target.engine == "sqlite":
            dest = Path(target.name)
            staged = dest.with_name(dest.name + ".restoring")
            src = sqlite3.connect(tmp / "database.sqlite3")
            out = sqlite3.connect(staged)
            try:
                src.backup(out)
            finally:
                src.close()
                out.close()
            for suffix in ("-wal", "-shm"):
                Path(str(dest) + suffix).unlink(missing_ok=True)
            os.replace(staged, dest)
        else:
            _pg_create_database_if_missing(target)
            cmd = [
                _need("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
            ]
            if force:
                cmd += ["--clean", "--if-exists"]
            _run(cmd + target.pg_args() + [str(tmp / "database.pgdump")], target.pg_env())

        restored_media = tmp / "media"
        if media_root.exists():
            shutil.rmtree(media_root)
        if restored_media.is_dir():
            os.replace(restored_media, media_root)
        else:
            media_root.mkdir(parents=True)

    counts = table_counts(target)
    differ = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if differ:
        listed = ", ".join(f"{t}: {a} → {b}" for t, (a, b) in sorted(differ.items())[:10])
        raise BackupError(f"Khôi phục không khớp số dòng với bản sao lưu ({len(differ)} bảng): {listed}")
    files = sum(1 for p in media_root.rglob("*") if p.is_file())
    if files != manifest["media_files"]:
        raise BackupError(f"Khôi phục được {files} tệp, bản sao lưu có {manifest['media_files']}.")
    return {**manifest, "restored_tables": len(counts)}
