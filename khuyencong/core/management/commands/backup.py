"""`manage.py backup`: the database and the uploaded files in one archive (see khuyencong/core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuyencong.core import backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp đã tải lên (MEDIA_ROOT) vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="Tệp .tar.gz hoặc thư mục đích (mặc định: $BACKUP_DIR hoặc "
            "var/backups/khuyencong-YYYYmmdd-HHMMSS.tar.gz).",
        )
        parser.add_argument(
            "--keep", type=int, help="Giữ lại N bản mới nhất trong thư mục đích, xoá các bản cũ hơn."
        )
        parser.add_argument(
            "--database", default="default", help="Bí danh cơ sở dữ liệu (mặc định: default)."
        )

    def handle(self, *args, output=None, keep=None, database="default", **options):
        try:
            manifest = backup.backup(output=output, using=database)
            path = Path(manifest["path"])
            removed = backup.prune(path.parent, keep=keep) if keep else []
        except backup.BackupError as exc:
            raise CommandError(str(exc))
        size = path.stat().st_size
        self.stdout.write(
            f"Đã sao lưu {manifest['database']} ({len(manifest['tables'])} bảng, {manifest['rows']} dòng, "
            f"{manifest['media_files']} tệp) vào {path} ({size / 1e6:.1f} MB)."
        )
        for old in removed:
            self.stdout.write(f"  đã xoá bản cũ {old.name}")
