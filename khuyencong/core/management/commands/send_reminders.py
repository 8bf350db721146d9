"""Daily e-mail digest: each active user with an e-mail address gets what is late or due within 7 days and
what
waits for their decision (the same queue as the home page's "Việc cần làm"). Run it once a day (cron, see
docs/operations.md); SMTP comes from the environment (EMAIL_HOST…), the console backend by default."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from khuyencong.accounts.models import User
from khuyencong.core.todo import digest_for


class Command(BaseCommand):
    help = "Gửi thư nhắc việc hằng ngày (việc trễ hạn, sắp đến hạn, chờ quyết định)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=getattr(settings, "SITE_URL", "http://127.0.0.1:8000"))
        parser.add_argument("--dry-run", action="store_true", help="chỉ in ra, không gửi")

    def handle(self, *args, base_url: str, dry_run: bool, **options):
        sent = 0
        for user in User.objects.filter(is_active=True).exclude(email="").select_related("organisation"):
            tasks = digest_for(user)
            if not tasks:
                continue
            lines = [f"- {t.label}: {base_url.rstrip('/')}{t.url}" for t in tasks]
            body = (
                f"Chào {user.display_name},\n\nViệc cần làm của bạn trên hệ thống khuyến công:\n\n"
                + "\n".join(lines)
                + "\n\nThư này được gửi tự động mỗi ngày.\n"
            )
            subject = f"[Khuyến công] {len(tasks)} việc cần làm"
            if dry_run:
                self.stdout.write(f"{user.email}: {subject}\n{body}")
            else:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
        self.stdout.write(self.style.SUCCESS(f"Đã gửi {sent} thư nhắc việc."))
