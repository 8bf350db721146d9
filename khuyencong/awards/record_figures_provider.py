"""Product voting's provider for the report hook (khuyencong/reports/record_figures.py): the figures a
periodic report gives for voting ("15 sản phẩm được bình chọn cấp tỉnh… 6 sản phẩm cấp khu vực"), counted
from the records instead of typed on a đề án.

- `outputs(scope)` → {"san-pham-binh-chon": n}: the distinct products of the scope's establishments
  recognised (a certificate issued in the window, not revoked by its end) at any level. A product recognised
  at province and then at region in the same window counts once, as the seeds count them.
- `section(scope)` → one table, a row per level (entries in rounds opened in the window, products recognised,
  of them by product group, certificates still valid at the window's end) and a totals row.

- `outputs(scope)` also gives {"lan-binh-chon": n}: the rounds the scope's units organised and decided in
  the window (the programme's "tổ chức 04 lần bình chọn").

Registered from AwardsConfig.ready() (`register_provider()`)."""

from .figures import figures_for
from .models import AwardLevel, ProductGroup

KEY = "awards"
TITLE = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu"
ORDER = 10
OUTPUT_CODE = "san-pham-binh-chon"

# The levels always shown (the aggregation sums rows by their first cell: keep them stable); commune and
# district rows only when they hold something.
ALWAYS = (AwardLevel.PROVINCE, AwardLevel.REGION, AwardLevel.NATIONAL)
LEVEL_ORDER = (AwardLevel.COMMUNE, AwardLevel.DISTRICT, *ALWAYS)
GROUP_HEADERS = {
    ProductGroup.CRAFT: "Trong đó: thủ công mỹ nghệ",
    ProductGroup.FOOD: "Chế biến nông-lâm-thủy sản, thực phẩm",
    ProductGroup.MACHINERY: "Thiết bị, máy móc, dụng cụ, phụ tùng cơ khí",
    ProductGroup.OTHER: "Khác",
}


def _place(scope):
    return scope.place_q("establishment__commune")


ROUNDS_CODE = "lan-binh-chon"


def rounds_decided(scope) -> int:
    """Rounds the scope's units organised themselves (commune, district, province: not the region's or the
    nation's) whose recognition decision is dated in the window — "tổ chức 04 lần bình chọn"."""
    from .models import LEVEL_BELOW, AwardRound, RoundStatus

    return (
        AwardRound.objects.exclude(level__in=list(LEVEL_BELOW))
        .filter(scope.place_q("unit"), scope.date_q("decision_date"))
        .filter(status__in=[RoundStatus.DECIDED, RoundStatus.CLOSED])
        .count()
    )


def outputs(scope) -> dict[str, int]:
    return {
        OUTPUT_CODE: figures_for(_place(scope), scope.start, scope.end)["products"],
        ROUNDS_CODE: rounds_decided(scope),
    }


def section(scope):
    from khuyencong.reports.record_figures import INT, TEXT, Section

    fig = figures_for(_place(scope), scope.start, scope.end)
    rows = []
    for level in LEVEL_ORDER:
        row = [
            f"Sản phẩm CNNT tiêu biểu {AwardLevel(level).label.lower()}",
            fig["entries"][level],
            fig["recognised"][level],
            *(fig["by_group"][level][g] for g in GROUP_HEADERS),
            fig["valid_at_end"][level],
        ]
        if level in ALWAYS or any(row[1:]):
            rows.append(row)
    if not any(any(r[1:]) for r in rows):
        return None
    totals = ["Cộng (lượt)", *(sum(r[i] for r in rows) for i in range(1, len(rows[0])))]
    return Section(
        key=KEY,
        title=TITLE,
        headers=[
            "Cấp bình chọn",
            "Sản phẩm dự bình chọn",
            "Sản phẩm được công nhận",
            *GROUP_HEADERS.values(),
            f"Giấy chứng nhận còn hiệu lực ngày {scope.end:%d/%m/%Y}",
        ],
        kinds=[TEXT, INT, INT, *(INT for _ in GROUP_HEADERS), INT],
        rows=rows,
        totals=totals,
        notes=[
            "Đếm từ hồ sơ bình chọn (không nhập tay): sản phẩm dự bình chọn của các đợt bắt đầu nhận hồ sơ "
            "trong kỳ; sản phẩm được công nhận theo giấy chứng nhận cấp trong kỳ, chưa bị thu hồi đến cuối "
            "kỳ.",
            f"Số sản phẩm khác nhau được công nhận ở ít nhất một cấp trong kỳ: {fig['products']}.",
        ],
    )


def register_provider() -> None:
    """For AwardsConfig.ready() once reports.record_figures is on the branch."""
    from khuyencong.reports.record_figures import register

    register(KEY, title=TITLE, order=ORDER, outputs=outputs, section=section)
