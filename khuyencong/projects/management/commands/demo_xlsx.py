from django.core.management.base import BaseCommand

from khuyencong.projects import demo_source
from khuyencong.projects.demo import DATA


class Command(BaseCommand):
    help = (
        "Ghi lại các tệp Excel của dữ liệu mẫu (khuyencong/projects/demo_data/) từ demo_source.py, theo đúng "
        "các cột của mẫu nhập; setup_demo nhập các tệp này như cán bộ tải lên."
    )

    def handle(self, *args, **options):
        DATA.mkdir(exist_ok=True)
        for name, _prov, _year, _level, kind, rows in demo_source.FILES:
            (DATA / name).write_bytes(demo_source.workbook(kind, rows()))
            self.stdout.write(f"  {name}")
