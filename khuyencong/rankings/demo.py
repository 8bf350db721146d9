"""Demo assessment: the 2019 weights (the defaults, as the Cục's data) so the 20 southern provinces' 2019
table reads the reports of seed 002 (reports/demo.py: the 6-month reports, sent 7 to 30 days after 30/6 —
several after the 15-day deadline). The table is left unpublished: each province sees its own line."""

from khuyencong.accounts.models import User

from . import criteria, services
from .models import AssessmentScheme


def load() -> None:
    actor = User.objects.filter(username="cuc").first()
    if actor is None or AssessmentScheme.objects.filter(year=2019).exists():
        return
    services.scheme_save(
        actor=actor,
        year=2019,
        weights={str(k): v for k, v in criteria.DEFAULT_WEIGHTS.items()},
        basis="Minh họa: seed 002 — «thực hiện nghiêm túc chế độ báo cáo định kỳ làm cơ sở để xem xét "
        "đánh giá năng lực thực hiện và khen thưởng về công tác khuyến công năm 2019»",
    )
