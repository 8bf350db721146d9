"""Demo reports (idempotent, through the services):

- seed 002: the 20 southern provinces' accepted 6-month 2019 reports, typed in from the conference's
  figures: plans summing to 85.865 triệu (85,865 tỷ), executed 16.578 triệu (→ 19,31 %), and the counts by
  activity (47 establishments with machinery, 1 cleaner-production assessment, 3 fairs, 115 participations,
  4 brands, 3 consultancy projects). The seed gives only the regional totals: the split across provinces is
  plausible, not real.
- seed 004: Bắc Kạn's 6-month 2018 report (computed from the demo đề án of the projects app) with the
  seed's narrative, and seed 000: Bến Tre's 9-month 2016 report — both left as drafts.
"""

import datetime as dt

from khuyencong.geo.models import AdminUnit

from .models import Report
from .periods import HALF, NINE_MONTHS, Period
from .services import report_create, report_set_manual_figures, report_transition

TRIEU = 1_000_000

# old province code, plan 2019 (triệu), executed by 30/6/2019 (triệu), share national, outputs, days after
# 30/6 sent
SOUTHERN_2019 = [
    ("70", 3125, 541, 0.30, {"co-so-ho-tro": 2, "luot-hoi-cho": 5}, 12),
    ("72", 2980, 626, 0.28, {"co-so-ho-tro": 2, "luot-hoi-cho": 4}, 14),
    ("74", 6240, 1497, 0.35, {"co-so-ho-tro": 4, "luot-hoi-cho": 8, "hoi-cho": 1, "tu-van": 1}, 9),
    ("75", 6515, 1428, 0.33, {"co-so-ho-tro": 4, "luot-hoi-cho": 7, "thuong-hieu": 1}, 15),
    ("77", 4310, 652, 0.30, {"co-so-ho-tro": 2, "luot-hoi-cho": 5}, 20),
    (
        "79",
        9850,
        2561,
        0.25,
        {"co-so-ho-tro": 3, "luot-hoi-cho": 12, "hoi-cho": 1, "tu-van": 1, "danh-gia-sxsh": 1},
        10,
    ),
    ("80", 5085, 962, 0.32, {"co-so-ho-tro": 3, "luot-hoi-cho": 6}, 13),
    ("82", 4620, 835, 0.30, {"co-so-ho-tro": 3, "luot-hoi-cho": 6}, 11),
    ("83", 4185, 971, 0.34, {"co-so-ho-tro": 3, "luot-hoi-cho": 7, "thuong-hieu": 1}, 8),
    ("84", 3290, 459, 0.31, {"co-so-ho-tro": 2, "luot-hoi-cho": 5}, 22),
    ("86", 3610, 583, 0.30, {"co-so-ho-tro": 2, "luot-hoi-cho": 6}, 14),
    ("87", 4725, 948, 0.33, {"co-so-ho-tro": 3, "luot-hoi-cho": 7, "thuong-hieu": 1}, 12),
    ("89", 5230, 929, 0.32, {"co-so-ho-tro": 3, "luot-hoi-cho": 7, "hoi-cho": 1}, 15),
    ("91", 3880, 592, 0.30, {"co-so-ho-tro": 2, "luot-hoi-cho": 5}, 18),
    ("92", 4115, 866, 0.29, {"co-so-ho-tro": 2, "luot-hoi-cho": 6, "tu-van": 1, "thuong-hieu": 1}, 7),
    ("93", 2590, 318, 0.35, {"co-so-ho-tro": 1, "luot-hoi-cho": 3}, 25),
    ("94", 3470, 587, 0.31, {"co-so-ho-tro": 2, "luot-hoi-cho": 5}, 14),
    ("95", 2705, 346, 0.30, {"co-so-ho-tro": 1, "luot-hoi-cho": 4}, 16),
    ("96", 3180, 508, 0.32, {"co-so-ho-tro": 2, "luot-hoi-cho": 5}, 13),
    ("60", 2160, 369, 0.30, {"co-so-ho-tro": 1, "luot-hoi-cho": 2}, 30),
]
OUTPUT_NAMES = {
    "co-so-ho-tro": ("Cơ sở CNNT được hỗ trợ ứng dụng máy móc thiết bị", "cơ sở"),
    "danh-gia-sxsh": ("Cơ sở được hỗ trợ đánh giá sản xuất sạch hơn", "cơ sở"),
    "hoi-cho": ("Hội chợ được tổ chức", "hội chợ"),
    "luot-hoi-cho": ("Lượt cơ sở CNNT tham gia hội chợ", "lượt cơ sở"),
    "thuong-hieu": ("Cơ sở được hỗ trợ đăng ký, xây dựng thương hiệu", "cơ sở"),
    "tu-van": ("Dự án tư vấn (lập dự án đầu tư, marketing, quản lý)", "dự án"),
}
SEED_002_RESULTS = (
    "6 tháng đầu năm 2019, Trung tâm Khuyến công đã triển khai các đề án khuyến công quốc gia và địa phương "
    "theo kế hoạch được giao; hỗ trợ cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị, tham gia hội chợ."
)
SEED_002_DIFFICULTIES = (
    "Việc đăng ký và triển khai thực hiện các đề án khuyến công ở một số nơi chưa thực sự bám sát nhu cầu "
    "cơ sở; "
    "có đề án phải ngừng, điều chỉnh, gia hạn thời gian thực hiện."
)
SEED_004_SOLUTIONS = (
    "Thực hiện điều chỉnh bổ sung các đề án và phấn đấu triển khai thực hiện hoàn thành 100% kế hoạch "
    "khuyến công "
    "quốc gia, kế hoạch khuyến công địa phương đã được các cấp có thẩm quyền phê duyệt.\n"
    "Tổ chức Hội nghị tập huấn khuyến công cho cán bộ thuộc Phòng Kinh tế thành phố, Phòng Kinh tế – Hạ "
    "tầng các "
    "huyện và UBND các xã, phường, thị trấn.\n"
    "Tăng cường công tác kiểm tra, giám sát, đánh giá tình hình triển khai các đề án khuyến công."
)
SEED_004_NEXT = (
    "Tập trung hỗ trợ xây dựng mô hình trình diễn kỹ thuật; hỗ trợ ứng dụng máy móc thiết bị, chuyển giao "
    "công nghệ "
    "tiên tiến; hỗ trợ xây dựng và đăng ký thương hiệu, nhãn hiệu đối với các sản phẩm công nghiệp nông thôn."
)
SEED_000_DIFFICULTIES = (
    "Do tình hình kinh tế khó khăn nên doanh nghiệp chưa mạnh dạn đầu tư; các dự án đăng ký hỗ trợ đa phần "
    "là dự án "
    "nhỏ, mức đầu tư không cao. Mức kinh phí khuyến công tỉnh năm 2016 thấp hơn các năm trước; việc thẩm "
    "định kinh "
    "phí của Sở Tài chính còn chậm; còn các đơn vị nợ vốn khuyến công các năm trước khó thu hồi."
)


def southern_figures(row) -> dict:
    code, plan, executed, national_share, outputs, _days = row
    plan_d, exec_d = plan * TRIEU, executed * TRIEU
    nat_plan = round(plan * national_share) * TRIEU
    nat_exec = round(executed * national_share) * TRIEU
    return {
        "plan": plan_d,
        "approved": plan_d,
        "disbursed": exec_d,
        "by_source": [
            {
                "code": "national",
                "name": "Khuyến công quốc gia",
                "plan": nat_plan,
                "approved": nat_plan,
                "disbursed": nat_exec,
            },
            {
                "code": "local",
                "name": "Khuyến công địa phương (ngân sách tỉnh)",
                "plan": plan_d - nat_plan,
                "approved": plan_d - nat_plan,
                "disbursed": exec_d - nat_exec,
            },
        ],
        "outputs": [
            {"code": c, "name": OUTPUT_NAMES[c][0], "unit": OUTPUT_NAMES[c][1], "value": v}
            for c, v in outputs.items()
        ],
    }


def _actor():
    from khuyencong.accounts.models import User

    return User.objects.filter(username="cuc").first() or User.objects.filter(is_superuser=True).first()


def load(actor=None) -> None:
    actor = actor or _actor()
    if actor is None:
        return
    load_southern_2019(actor)
    load_seed_reports(actor)


def load_southern_2019(actor) -> None:
    period = Period.make(HALF, 2019)
    for row in SOUTHERN_2019:
        unit = AdminUnit.objects.get(era="old", level=1, code=row[0])
        if Report.objects.filter(unit=unit, period_kind=period.kind, period_start=period.start).exists():
            continue
        report = report_create(
            actor=actor,
            unit=unit,
            period=period,
            copy_previous=False,
            number=f"{100 + int(row[0])}/BC-SCT",
            report_date=dt.date(2019, 7, 5),
            results=SEED_002_RESULTS,
            difficulties=SEED_002_DIFFICULTIES,
        )
        report = report_set_manual_figures(actor=actor, report_id=report.pk, figures=southern_figures(row))
        sent = dt.date(2019, 6, 30) + dt.timedelta(days=row[5])
        # Like the page: each step sends the version it read and the date of its document.
        for to, day in (
            ("prepared", sent - dt.timedelta(days=2)),
            ("submitted", sent),
            ("accepted", sent + dt.timedelta(days=5)),
        ):
            report = report_transition(
                actor=actor,
                report_id=report.pk,
                to_status=to,
                expected_version=report.version,
                effective_date=day,
            )


def load_seed_reports(actor) -> None:
    """Bắc Kạn 6 months 2018 (seed 004) and Bến Tre 9 months 2016 (seed 000), as drafts computed live."""
    bac_kan = AdminUnit.objects.get(era="old", level=1, short_name="Bắc Kạn")
    period = Period.make(HALF, 2018)
    if not Report.objects.filter(unit=bac_kan, period_kind=period.kind, period_start=period.start).exists():
        report_create(
            actor=actor,
            unit=bac_kan,
            period=period,
            number="125/BC-SCT",
            report_date=dt.date(2018, 7, 5),
            signer_name="Nông Thị Thảo",
            signer_title="KT. GIÁM ĐỐC",
            results="Trung tâm Khuyến công và Xúc tiến thương mại đã tổ chức triển khai thực hiện và "
            "hướng dẫn, đôn đốc các đơn vị thụ hưởng thực hiện đề án khuyến công theo kế hoạch.",
            difficulties="Một số đơn vị thụ hưởng gặp khó khăn về thị trường tiêu thụ, xin dừng thực hiện "
            "đề án.",
            solutions=SEED_004_SOLUTIONS,
            next_plan=SEED_004_NEXT,
        )
    ben_tre = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    period = Period.make(NINE_MONTHS, 2016)
    if not Report.objects.filter(unit=ben_tre, period_kind=period.kind, period_start=period.start).exists():
        report_create(
            actor=actor,
            unit=ben_tre,
            period=period,
            number="87/BC-TTKC",
            report_date=dt.date(2016, 10, 5),
            results="Triển khai thực hiện 5 đề án KC quốc gia năm 2016; tổ chức nghiệm thu 3 đề án KC quốc "
            "gia; tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh với 15 sản phẩm được bình chọn.",
            difficulties=SEED_000_DIFFICULTIES,
            causes="Tình hình kinh tế khó khăn; kinh phí khuyến công tỉnh thấp.",
            solutions="Bám sát chương trình, kế hoạch năm 2016; thường xuyên hướng dẫn, kiểm tra, giám sát "
            "để kịp thời tháo gỡ khó khăn vướng mắc.",
            next_plan="3 tháng còn lại cuối năm 2016, triển khai thực hiện đúng tiến độ các đề án.",
        )
