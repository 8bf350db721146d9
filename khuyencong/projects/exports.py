"""Excel exports: the same columns as the filtered đề án list (money in đồng), written row by row.

The đề án list goes out through `core.xlsx.stream_xlsx`: one query read in chunks (figures from the maintained
as-of table) straight into the sheet's zip member, so memory does not grow with the list (100.000 đề án: see
docs/performance.md). Cancelled đề án are listed but, as on the page, count in no total."""

from khuyencong.core.xlsx import Sheet, stream_xlsx

from . import selectors
from .models import Status

CANCELLED = Status.CANCELLED.label

HEADERS = [
    "Mã",
    "Tên đề án",
    "Năm",
    "Cấp",
    "Nội dung",
    "Đơn vị thụ hưởng",
    "Trạng thái",
    "Tiến độ (%)",
    "Đề nghị (đồng)",
    "Phê duyệt (đồng)",
    "Đã chi (đồng)",
    "Cụm công nghiệp",
]


def project_rows(qs, *, as_of=None) -> list[list]:
    """The export's rows as lists (small lists and tests; the export itself streams them)."""
    return [list(r) for r in selectors.project_export_rows(qs, as_of=as_of)]


class _Totals:
    """Counts and adds up the rows as they stream past, for the totals row written after the last one."""

    def __init__(self, rows):
        self.rows, self.n, self.sums = rows, 0, [0, 0, 0]

    def __iter__(self):
        sums = self.sums
        for row in self.rows:
            self.n += 1
            if row[6] != CANCELLED:
                sums[0] += row[8] or 0
                sums[1] += row[9] or 0
                sums[2] += row[10] or 0
            yield row

    def row(self) -> list:
        return ["Tổng cộng", f"{self.n} đề án", None, None, None, None, None, None, *self.sums]


def projects_xlsx(qs, *, as_of=None, title: str | None = None):
    """`qs`: the filtered, ordered đề án (plain rows: figures are computed per chunk)."""
    rows = _Totals(selectors.project_export_rows(qs, as_of=as_of))
    heading = title or "Danh sách đề án khuyến công"
    if as_of:
        heading += f" — tình trạng tại ngày {as_of:%d/%m/%Y}"
    return stream_xlsx("de-an.xlsx", [Sheet("Đề án", HEADERS, rows, totals=rows.row, heading=heading)])


PLAN_HEADERS = [
    "Kế hoạch",
    "Năm",
    "Cấp",
    "Tỉnh lập kế hoạch",
    "Tỉnh hiện nay",
    "Trạng thái",
    "Số đề án",
    "Kinh phí đăng ký (đồng)",
    "Kinh phí được giao (đồng)",
]


def plan_rows(plans) -> list[list]:
    """The plan list's columns (plans annotated by `selectors.plan_list_with_totals`)."""
    return [
        [
            str(p),
            p.year,
            p.get_level_display(),
            p.unit.label_with_era if p.unit_id else "Cục (trung ương)",
            p.province.name if p.province_id else "",
            p.get_status_display(),
            p.n_projects,
            p.registered_total,
            p.assigned_total,
        ]
        for p in plans
    ]


def plans_xlsx(plans, totals: dict):
    """Plans row by row (`iterator`), streamed like the đề án list."""
    n = plans.count()
    rows = (plan_rows([p])[0] for p in plans.iterator(chunk_size=2000))
    return stream_xlsx(
        "ke-hoach-khuyen-cong.xlsx",
        [
            Sheet(
                "Kế hoạch",
                PLAN_HEADERS,
                rows,
                heading="Kế hoạch khuyến công năm",
                totals=[
                    "Tổng cộng",
                    None,
                    None,
                    None,
                    None,
                    f"{n} kế hoạch",
                    totals["projects"] or 0,
                    totals["registered"] or 0,
                    totals["assigned"] or 0,
                ],
            )
        ],
    )
