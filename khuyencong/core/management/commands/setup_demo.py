from django.core.management.base import BaseCommand

from khuyencong.core.demo import DEMO_USERS, demo_password, load_demo


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính, danh mục, tổ chức, người dùng và dữ liệu mẫu từ các báo cáo "
        "(chạy lại không mất dữ liệu)."
    )

    def handle(self, *args, **options):
        self.stdout.write("Đang nạp dữ liệu nền và dữ liệu mẫu…")
        load_demo(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write("Tài khoản dùng thử (mật khẩu chung: %s):" % demo_password())
        for username, what in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {what}")
