from django.core.management.base import BaseCommand

from khuyencong.geo.services import admin_units_load, regions_load


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính (hiện hành và trước 2025) và bảng chuyển đổi từ gói vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="nạp bổ sung cả khi đã có dữ liệu")

    def handle(self, *args, force=False, **options):
        result = admin_units_load(force=force)
        regions_load()
        if result.get("skipped"):
            self.stdout.write("Đơn vị hành chính đã có sẵn, bỏ qua.")
        else:
            self.stdout.write(
                f"Đã nạp {result['units']} đơn vị hành chính, {result['successions']} dòng chuyển đổi."
            )
