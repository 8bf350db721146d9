"""`manage.py program_check PROGRAM_ID`: recompute the programme's subtotals, shares and targets, compare them
with every figure its document states, print each disagreement; exit 1 if there is any."""

from django.core.management.base import BaseCommand, CommandError

from khuyencong.programs.checks import check_program
from khuyencong.programs.models import Program


class Command(BaseCommand):
    help = (
        "Kiểm tra tính khớp của chương trình: số văn bản nêu so với số tính lại "
        "(thoát mã 1 nếu có chênh lệch)."
    )

    def add_arguments(self, parser):
        parser.add_argument("program_id", type=int)

    def handle(self, *args, program_id: int, **options):
        program = Program.objects.filter(pk=program_id).select_related("owner_unit").first()
        if program is None:
            raise CommandError(f"Không có chương trình số {program_id}.")
        result = check_program(program)
        self.stdout.write(f"Chương trình #{program.pk}: {program.title} ({program.owner_unit.name})")
        self.stdout.write(f"Đã so {result.checked} số liệu văn bản nêu.")
        if result.ok:
            self.stdout.write(self.style.SUCCESS("Không có chênh lệch."))
            return
        self.stdout.write(self.style.WARNING(f"Có {len(result.disagreements)} chênh lệch:"))
        for n, d in enumerate(result.disagreements, start=1):
            self.stdout.write(f"{n}. Nêu tại: {d.location}")
            self.stdout.write(f"   {d.what}")
            unit = f" {d.unit}" if d.unit else ""
            self.stdout.write(
                f"   Văn bản ghi: {d.stated}{unit} — tính lại: {d.computed}{unit}"
                + (f" — chênh lệch {d.difference}{unit}" if d.difference else "")
            )
            if d.hint:
                self.stdout.write(f"   {d.hint}")
        raise SystemExit(1)
