"""Excel exports: the same columns as the filtered đề án list (money in đồng)."""

from khuyencong.core.xlsx import Sheet, xlsx_response

from .models import Status

HEADERS = ["Mã", "Tên đề án", "Năm", "Cấp", "Nội dung", "Đơn vị thụ hưởng", "Trạng thái", "Tiến độ (%)",
           "Đề nghị (đồng)", "Phê duyệt (đồng)", "Đã chi (đồng)"]


def project_rows(qs, *, as_of=None) -> list[list]:
    rows = []
    for p in qs.prefetch_related("beneficiaries__establishment"):
        status = p.asof_status if as_of else p.status
        progress = p.asof_progress if as_of else p.progress_pct
        rows.append([p.code, p.title, p.plan.year, p.plan.get_level_display(), p.content.code,
                     "; ".join(b.establishment.name for b in p.beneficiaries.all()), Status(status).label, progress,
                     p.requested_total, p.approved_total, p.disbursed_total])
    return rows


def projects_xlsx(qs, *, as_of=None, title: str | None = None):
    rows = project_rows(qs, as_of=as_of)
    totals = ["Tổng cộng", f"{len(rows)} đề án", None, None, None, None, None, None,
              sum(r[8] or 0 for r in rows), sum(r[9] or 0 for r in rows), sum(r[10] or 0 for r in rows)]
    heading = title or "Danh sách đề án khuyến công"
    if as_of:
        heading += f" — tình trạng tại ngày {as_of:%d/%m/%Y}"
    return xlsx_response("de-an.xlsx", [Sheet("Đề án", HEADERS, rows, totals=totals, heading=heading)])


PLAN_HEADERS = ["Kế hoạch", "Năm", "Cấp", "Tỉnh lập kế hoạch", "Tỉnh hiện nay", "Trạng thái", "Số đề án",
                "Kinh phí đăng ký (đồng)", "Kinh phí được giao (đồng)"]


def plan_rows(plans) -> list[list]:
    """The plan list's columns (plans annotated by `selectors.plan_list_with_totals`)."""
    return [[str(p), p.year, p.get_level_display(), p.unit.label_with_era if p.unit_id else "Cục (trung ương)",
             p.province.name if p.province_id else "", p.get_status_display(),
             p.n_projects, p.registered_total, p.assigned_total] for p in plans]


def plans_xlsx(plans, totals: dict):
    rows = plan_rows(plans)
    return xlsx_response("ke-hoach-khuyen-cong.xlsx", [Sheet(
        "Kế hoạch", PLAN_HEADERS, rows, heading="Kế hoạch khuyến công năm",
        totals=["Tổng cộng", None, None, None, None, f"{len(rows)} kế hoạch", totals["projects"] or 0,
                totals["registered"] or 0, totals["assigned"] or 0])])
