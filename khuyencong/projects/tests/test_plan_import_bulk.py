"""Issue 13 item 5: a plan's new đề án are imported the bulk way (set-based inserts) with exactly what the
page services write — the same file imported both ways into two plans gives the same đề án, steps with their
dates and data, money as of any date and history rows with the same reasons; errors (support caps) are the
same too; the preview writes nothing; the queries do not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.core.errors import ImportFailed
from khuyencong.projects import asof, plan_import, selectors
from khuyencong.projects.models import (
    Disbursement,
    Project,
    ProjectAsOf,
    ProjectBeneficiary,
    ProjectFunding,
    StatusChange,
)
from khuyencong.projects.tests import factories as f
from khuyencong.projects.tests.test_plan_import import xlsx

pytestmark = pytest.mark.django_db

DAYS = [dt.date(2018, 12, 31), *(dt.date(2019, m, d) for m, d in ((1, 11), (3, 15), (5, 16), (6, 30)))]
DAYS += [dt.date(2019, 12, 31), dt.date(2020, 6, 30)]


@pytest.fixture
def plans(vinhlong_officer):
    """Two national plans (their money is under the caps of Thông tư 28) of the same province (old Bến Tre
    and old Trà Vinh, both Vĩnh Long today), same year: one file imported into each, one way each."""
    return (
        f.plan(vinhlong_officer, "Bến Tre", 2019, "national", title="KCQG 2019 — từng dòng"),
        f.plan(vinhlong_officer, "Trà Vinh", 2019, "national", title="KCQG 2019 — hàng loạt"),
    )


def every_status_rows(est_a, est_b) -> list[dict]:
    """One đề án per status a file can give, with beneficiaries, caps, counterpart money and payments."""
    approved = {
        "approved": "80 triệu",
        "decision_no": "13/QĐ-SCT",
        "decision_date": "15/03/2019",
    }
    base = {"content": "2", "registered_on": "10/01/2019", "requested": "80 triệu"}
    return [
        {**base, "title": "Dự thảo", "status": "Dự thảo"},
        {**base, "title": "Chỉ đăng ký", "registered_on": None, "decision_date": None},
        {**base, "title": "Đã thẩm định", "status": "Đã thẩm định", "beneficiaries": est_a.name},
        {**base, **approved, "title": "Phê duyệt", "status": "Đã phê duyệt", "counterpart": "20 triệu"},
        {
            **base,
            **approved,
            "title": "Có hợp đồng",
            "status": "Đã ký hợp đồng",
            "contract_no": "HĐ-01",
            "contract_date": "01/04/2019",
            "paid": "30 triệu",
            "paid_date": "05/04/2019",
        },
        {
            "title": "Máy đóng gói",
            "content": "3",
            "support_cap": "tt28-may-moc-thiet-bi",
            "beneficiaries": f"{est_a.name}; {est_b.name}",
            "registered_on": "10/01/2019",
            "requested": "250 triệu",
            "approved": "200 triệu",
            "counterpart": "300 triệu",
            "decision_no": "12/QĐ-SCT",
            "decision_date": "15/03/2019",
            "status": "Đang thực hiện",
            "status_date": "15/05/2019",
            "progress": 50,
            "paid": "100 triệu",
            "paid_date": "20/05/2019",
            "is_flagship": "Có",
            "start_date": "01/02/2019",
            "end_date": "30/11/2019",
        },
        {**base, **approved, "title": "Hoàn thành", "status": "Đã hoàn thành", "status_date": "20/06/2019"},
        {
            **base,
            **approved,
            "title": "Nghiệm thu",
            "status": "Đã nghiệm thu",
            "status_date": "25/06/2019",
            "status_document": "BB-07",
            "paid": "60 triệu",
            "paid_date": "24/06/2019",
        },
        {
            **base,
            **approved,
            "title": "Quyết toán",
            "status": "Đã quyết toán",
            "status_date": "15/12/2019",
            "status_document": "QT-02",
            "paid": "80 triệu",
            "paid_date": "01/12/2019",
            "recoverable": "Có",
        },
        {
            **base,
            **approved,
            "title": "Xin dừng",
            "status": "Xin dừng thực hiện",
            "status_date": "01/06/2019",
        },
        {
            **base,
            **approved,
            "title": "Đã dừng",
            "status": "Đã dừng",
            "status_date": "10/06/2019",
            "note": "Cơ sở không đủ vốn đối ứng",
        },
        {**base, "title": "Bị hủy", "status": "Đã hủy", "status_date": "01/04/2019", "note": "Cơ sở rút"},
    ]


def _history(model, ids, *fields):
    rows = model.history.model.objects.filter(id__in=ids).order_by("id", "history_date", "history_id")
    return [
        (r.history_type, r.history_change_reason, r.history_user_id, *(getattr(r, x) for x in fields))
        for r in rows
    ]


def state(plan) -> dict:
    """Everything a user can see of the plan's đề án, keyed by code (ids and entry times left out)."""
    asof.refresh()
    projects = {p.code: p for p in Project.objects.filter(plan=plan)}
    out = {}
    skip = {"id", "plan", "created_at", "updated_at"}
    fields = [x.attname for x in Project._meta.concrete_fields if x.name not in skip]
    for code, p in sorted(projects.items()):
        money = ProjectFunding.objects.filter(project=p).order_by("source__order")
        money_ids = {m.pk: m.source.code for m in money}
        out[code] = {
            "fields": {x: getattr(p, x) for x in fields},
            "history": _history(Project, [p.pk], "status", "version", "progress_pct", "decision_no"),
            "changes": [
                (
                    c.from_status,
                    c.to_status,
                    c.action,
                    c.effective_date,
                    c.document_no,
                    c.document_date,
                    c.note,
                    c.progress_pct,
                    c.data,
                    c.changes,
                    c.actor_id,
                )
                for c in StatusChange.objects.filter(project=p).order_by("effective_date", "pk")
            ],
            "change_history": [
                h[:3]
                for h in _history(
                    StatusChange, StatusChange.objects.filter(project=p).values("pk"), "to_status"
                )
            ],
            "money": [(m.source.code, m.requested, m.approved, m.effective_date) for m in money],
            "money_history": [
                (
                    money_ids[h.id],
                    h.history_type,
                    h.history_change_reason,
                    h.requested,
                    h.approved,
                    h.effective_date,
                )
                for h in ProjectFunding.history.model.objects.filter(id__in=money_ids).order_by("history_id")
            ],
            "payments": [
                (d.kind, d.source.code, d.date, d.amount, d.document_no, d.note)
                for d in Disbursement.objects.filter(project=p).order_by("date", "pk")
            ],
            "payment_history": [
                h[:3] for h in _history(Disbursement, Disbursement.objects.filter(project=p).values("pk"))
            ],
            "beneficiaries": [
                (link.establishment.name, h.history_change_reason)
                for link in ProjectBeneficiary.objects.filter(project=p).order_by("pk")
                for h in link.history.all()
            ],
            "asof_rows": list(
                ProjectAsOf.objects.filter(project=p)
                .order_by("valid_from")
                .values_list(
                    "valid_from", "valid_to", "status", "progress_pct", "requested", "approved", "disbursed"
                )
            ),
        }
    ids = [p.pk for p in projects.values()]
    by_pk = {p.pk: p.code for p in projects.values()}
    for day in DAYS:
        live = selectors.with_figures(Project.objects.filter(plan=plan), as_of=day)
        out[f"with_figures {day}"] = sorted(
            (
                by_pk[p.pk],
                p.asof_status,
                p.asof_progress,
                p.requested_total,
                p.approved_total,
                p.disbursed_total,
            )
            for p in live
        )
        table = selectors.project_figures(ids, as_of=day)
        out[f"as-of table {day}"] = sorted((by_pk[pk], sorted(v.items())) for pk, v in table.items())
        summary = selectors.plan_summary(plan=plan, as_of=day)
        out[f"summary {day}"] = {k: v for k, v in summary.items() if isinstance(v, int | str | float)}
    return out


def test_bulk_import_writes_what_the_services_write(vinhlong_officer, plans):
    by_services, in_bulk = plans
    est_a = f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long")
    est_b = f.establishment("Trà Vinh", name="Cơ sở dệt chiếu Cẩm Mỹ")
    content = xlsx(every_status_rows(est_a, est_b))
    one = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=by_services, content=content, filename="ke-hoach.xlsx", bulk=False
    )
    bulk = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=in_bulk, content=content, filename="ke-hoach.xlsx"
    )
    assert (one.created, bulk.created) == (12, 12)
    assert one.lines == bulk.lines
    a, b = state(by_services), state(in_bulk)
    for key in a:
        if key.startswith("KC"):
            for part in a[key]:
                left, right = a[key][part], b[key][part]
                if part == "fields":
                    left = {k: v for k, v in left.items() if k != "province_id"} | {"plan": None}
                    right = {k: v for k, v in right.items() if k != "province_id"} | {"plan": None}
                assert left == right, (key, part)
        else:
            assert a[key] == b[key], key
    # What a user reads: the steps with their business dates, the money as of a date, the reasons.
    machine = b["KCQG-2019-06"]
    assert [c[1] for c in machine["changes"]] == [
        "draft",
        "registered",
        "appraised",
        "approved",
        "in_progress",
    ]
    assert machine["changes"][-1][3] == dt.date(2019, 5, 15)
    assert all(c[6] == "Nhập từ Excel: ke-hoach.xlsx" for c in machine["changes"])
    assert [h[1] for h in machine["history"]] == [
        "Tạo đề án",
        "Đăng ký đề án",
        "Thẩm định",
        "Phê duyệt, giao kinh phí",
        "Triển khai, báo cáo tiến độ",
    ]
    assert "| co so det chieu cam my" in machine["fields"]["search_text"]
    figures = {code: dict(v) for code, v in b["as-of table 2019-03-15"]}
    assert figures["KCQG-2019-06"]["approved_total"] == 200_000_000
    assert figures["KCQG-2019-06"]["disbursed_total"] == 0
    assert {code: dict(v) for code, v in b["as-of table 2019-06-30"]}["KCQG-2019-06"]["disbursed_total"] == (
        100_000_000
    )
    assert b["summary 2019-06-30"]["disbursed"] == 30_000_000 + 100_000_000 + 60_000_000


def test_the_same_errors_both_ways_and_the_preview_writes_nothing(vinhlong_officer, plans):
    by_services, in_bulk = plans
    est_a = f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long")
    rows = every_status_rows(est_a, est_a)
    # Above the cap of Thông tư 28 (share of the cost), and a second one on row 9.
    rows[5] = {**rows[5], "requested": "900 triệu", "approved": "800 triệu", "counterpart": "10 triệu"}
    rows[7] = {**rows[7], "content": "3", "support_cap": "tt28-may-moc-thiet-bi", "requested": "2 tỷ"}
    content = xlsx(rows)
    errors = []
    for plan, bulk in ((by_services, False), (in_bulk, True), (in_bulk, True)):
        with pytest.raises(ImportFailed) as failed:
            plan_import.plan_projects_import(
                actor=vinhlong_officer, plan=plan, content=content, filename="x.xlsx", commit=bulk, bulk=bulk
            )
        errors.append([(e.row, e.column, e.reason) for e in failed.value.errors])
    assert errors[0] == errors[1] == errors[2]
    assert [(row, column) for row, column, _r in errors[0]] == [
        (7, "Kinh phí đề nghị hỗ trợ"),
        (9, "Kinh phí đề nghị hỗ trợ"),
    ]
    assert "vượt mức hỗ trợ" in errors[0][0][2]
    models = (Project, StatusChange, ProjectFunding, Disbursement, Project.history.model)
    before = [m.objects.count() for m in models]
    preview = plan_import.plan_projects_import(
        actor=vinhlong_officer,
        plan=in_bulk,
        content=xlsx(every_status_rows(est_a, est_a)),
        filename="x.xlsx",
        commit=False,
    )
    assert preview.message == "Sẽ nhập 12 dòng: 12 đề án mới, 0 đề án thay đổi, 0 đề án không thay đổi."
    assert [m.objects.count() for m in models] == before


def test_queries_do_not_grow_with_the_rows(vinhlong_officer, plans):
    _one, plan = plans
    est_a = f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long")
    template = every_status_rows(est_a, est_a)

    def count(n, start):
        rows = [{**template[i % len(template)], "code": f"KCQG-2019-{start + i:04d}"} for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            result = plan_import.plan_projects_import(
                actor=vinhlong_officer, plan=plan, content=xlsx(rows), filename="x.xlsx"
            )
        assert result.created == n
        return len(ctx.captured_queries), rows

    small, _ = count(24, 1)
    large, rows = count(96, 100)
    assert large - small < 40, (small, large)
    # Re-importing the same 96 rows reads a few sets and writes nothing.
    with CaptureQueriesContext(connection) as ctx:
        again = plan_import.plan_projects_import(
            actor=vinhlong_officer, plan=plan, content=xlsx(rows), filename="x.xlsx"
        )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 96)
    assert len(ctx.captured_queries) < 40
    assert not any(q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) for q in ctx.captured_queries)
