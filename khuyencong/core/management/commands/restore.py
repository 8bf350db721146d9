"""`manage.py restore ARCHIVE`: back into an empty database (or, with --force, over an existing one)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from khuyencong.core import backup


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (manage.py backup) vào cơ sở dữ liệu và thư mục tệp; "
        "kiểm tra số dòng của từng bảng sau khi khôi phục."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--database-url",
            help="Cơ sở dữ liệu đích (mặc định: cơ sở dữ liệu đang cấu hình, DATABASE_URL). "
            "PostgreSQL: tạo mới nếu chưa có.",
        )
        parser.add_argument("--media-root", type=Path, help="Thư mục tệp đích (mặc định: MEDIA_ROOT).")
        parser.add_argument(
            "--force", action="store_true", help="Ghi đè cơ sở dữ liệu và thư mục tệp đã có dữ liệu."
        )

    def handle(self, *args, archive, database_url=None, media_root=None, force=False, **options):
        try:
            if database_url:
                target = backup.Database.from_url(database_url)
            else:
                connections["default"].close()  # the file or database is about to be replaced
                target = backup.Database.from_settings(connections["default"].settings_dict)
            manifest = backup.restore(
                archive, target=target, media_root=media_root or settings.MEDIA_ROOT, force=force
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lúc {manifest['created_at']} vào {target.label()}: "
            f"{len(manifest['tables'])} bảng, {manifest['rows']} dòng, {manifest['media_files']} tệp — khớp "
            f"với bản sao lưu."
        )
