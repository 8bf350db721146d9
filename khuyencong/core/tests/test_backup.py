"""Backup → restore into a NEW database: every table's row count and the money totals come back identical.

Runs on the suite's database engine: SQLite (online backup API) by default, PostgreSQL (pg_dump/pg_restore)
when DATABASE_URL is a postgres URL — CI runs both."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from khuyencong.core import backup
from khuyencong.projects.models import Disbursement, ProjectFunding


def source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def target(tmp_path):
    """A database that does not exist yet, of the suite's engine; dropped afterwards."""
    source = backup.Database.from_settings(connection.settings_dict)
    if source.engine == "sqlite":
        yield backup.Database("sqlite", str(tmp_path / "restored" / "khuyencong.sqlite3"))
        return
    new = backup.Database(
        "postgresql", f"{source.name}_restored", source.user, source.password, source.host, source.port
    )
    with backup._pg_connect(source, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{new.name}"')
    yield new
    with backup._pg_connect(source, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{new.name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_new_database_identical(
    base_data_transactional, tmp_path, settings, target, capsys
):
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.projects import demo as projects_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    beneficiaries_demo.load()
    accounts_demo.load()
    projects_demo.load()  # seeds 004 and 000: đề án with approved money and payments
    default_storage.save("report_jobs/Báo cáo tổng hợp 2018.xlsx", ContentFile(b"PK\x03\x04 xlsx bytes"))
    default_storage.save("report_templates/mẫu.docx", ContentFile(b"PK\x03\x04 docx bytes"))
    approved = ProjectFunding.objects.aggregate(s=Sum("approved"))["s"]
    paid = Disbursement.objects.aggregate(s=Sum("amount"))["s"]
    assert approved > 0 and paid > 0
    counts = source_counts()
    assert counts["projects_disbursement"] > 0 and any(t.startswith("projects_historical") for t in counts)

    call_command("backup", "--output", str(tmp_path / "backups"))
    out = capsys.readouterr().out
    (archive,) = (tmp_path / "backups").glob("khuyencong-*.tar.gz")
    assert f"{len(counts)} bảng, {sum(counts.values())} dòng, 2 tệp" in out and str(archive) in out

    restored_media = tmp_path / "restored-media"
    if target.engine == "sqlite":
        url = f"sqlite:///{target.name}"
    else:
        auth = f"{target.user}:{target.password}" if target.password else target.user
        url = f"postgres://{auth}@{target.host}:{target.port}/{target.name}"
    call_command("restore", str(archive), "--database-url", url, "--media-root", str(restored_media))
    assert "khớp với bản sao lưu" in capsys.readouterr().out

    assert backup.table_counts(target) == counts
    assert backup.column_sum(target, ProjectFunding._meta.db_table, "approved") == approved
    assert backup.column_sum(target, Disbursement._meta.db_table, "amount") == paid
    for name in ("report_jobs/Báo cáo tổng hợp 2018.xlsx", "report_templates/mẫu.docx"):
        assert (restored_media / name).read_bytes() == Path(settings.MEDIA_ROOT, name).read_bytes()

    # A second restore into the now filled database is refused unless forced.
    with pytest.raises(CommandError, match="đã có dữ liệu; thêm --force để ghi đè"):
        call_command("restore", str(archive), "--database-url", url, "--media-root", str(tmp_path / "m2"))
    call_command(
        "restore", str(archive), "--database-url", url, "--media-root", str(restored_media), "--force"
    )
    assert backup.table_counts(target) == counts


def test_backup_keeps_the_newest_archives(tmp_path):
    names = [f"khuyencong-2026110{d}-020000.tar.gz" for d in range(1, 6)]
    for name in names + ["notes.txt"]:
        (tmp_path / name).write_bytes(b"x")
    removed = backup.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[3:] + ["notes.txt"])


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(bogus), "--database-url", f"sqlite:///{tmp_path / 'y.sqlite3'}")
