"""The report's path up the hierarchy as one table: (from, to) -> who may do it and what it needs.

draft → prepared (the centre prepares) → submitted (the Department approves and submits to the Cục; the
figures are frozen) → accepted (the Cục accepts; the report is locked). The Department may return a
prepared report; the Cục may return a submitted one or reopen an accepted one — always with a reason.
`services.report_transition` is the only writer of `Report.status`; it runs on the shared engine
(core.workflow) and every applied row leaves a ReportStatusChange row (business date, before → after).

`waits` names the step on the "who acts next" line (core.workflow.who_acts_next); returning and reopening
are side steps. `actor` says whose step it is: "province" — someone whose scope holds the report's unit
(the Cục's scope holds everything); "ministry" — only the Cục (a user who sees the whole country).
"""

from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER
from khuyencong.core.workflow import Workflow

from .models import ReportStatus

S = ReportStatus

TRANSITIONS: dict[tuple[str, str], dict] = {
    (S.DRAFT, S.PREPARED): {
        "roles": frozenset({OFFICER, APPROVER, ADMIN}),
        "actor": "province",
        "reason": False,
        "label": "Trình Sở duyệt",
        "waits": "lập báo cáo, trình Sở duyệt",
        "confirm": "Báo cáo sẽ được trình lãnh đạo Sở duyệt; trong khi chờ duyệt vẫn sửa được. "
        "Trình báo cáo?",
        "button": "btn-primary",
    },
    (S.PREPARED, S.DRAFT): {
        "roles": frozenset({APPROVER, ADMIN}),
        "actor": "province",
        "reason": True,
        "label": "Trả lại Trung tâm để sửa",
        "confirm": "Báo cáo sẽ được trả lại người lập để sửa, kèm lý do. Trả lại?",
        "button": "btn-outline-secondary",
    },
    (S.PREPARED, S.SUBMITTED): {
        "roles": frozenset({APPROVER, ADMIN}),
        "actor": "province",
        "reason": False,
        "snapshot": True,
        "label": "Duyệt và gửi Cục",
        "waits": "duyệt, gửi Cục",
        "confirm": "Báo cáo sẽ được gửi lên Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công; số liệu "
        "được chốt tại thời điểm gửi và báo cáo không sửa được nữa. Gửi báo cáo?",
        "button": "btn-primary",
    },
    (S.SUBMITTED, S.ACCEPTED): {
        "roles": frozenset({APPROVER, ADMIN}),
        "actor": "ministry",
        "reason": False,
        "label": "Tiếp nhận (khóa báo cáo)",
        "waits": "tiếp nhận báo cáo",
        "confirm": "Báo cáo sẽ được tiếp nhận và khóa: địa phương không sửa được nữa, số liệu đã chốt đi vào "
        "báo cáo tổng hợp. Tiếp nhận?",
        "button": "btn-success",
    },
    (S.SUBMITTED, S.DRAFT): {
        "roles": frozenset({APPROVER, ADMIN}),
        "actor": "ministry",
        "reason": True,
        "label": "Trả lại địa phương",
        "confirm": "Báo cáo sẽ được trả lại địa phương về trạng thái đang soạn, kèm lý do. Trả lại?",
        "button": "btn-outline-secondary",
    },
    (S.ACCEPTED, S.DRAFT): {
        "roles": frozenset({APPROVER, ADMIN}),
        "actor": "ministry",
        "reason": True,
        "label": "Mở lại báo cáo",
        "confirm": "Báo cáo sẽ được mở khóa và trả về trạng thái đang soạn; địa phương sửa và gửi lại. "
        "Mở lại?",
        "button": "btn-outline-danger",
    },
}

# Statuses whose report counts as sent to the Cục (completeness table).
SENT = frozenset({S.SUBMITTED, S.ACCEPTED})
EDITABLE = frozenset({S.DRAFT, S.PREPARED})


WORKFLOW = Workflow(
    name="report",
    model_label="reports.report",
    transitions=TRANSITIONS,
    status_labels=dict(S.choices),
    field_labels={"reason": "lý do"},
    noun="báo cáo",
)


def status_label(status: str) -> str:
    return S(status).label if status in S.values else status


def rule_for(frm: str, to: str) -> dict | None:
    return TRANSITIONS.get((frm, to))


def allowed_transitions(status: str, role: str | None, *, sees_all: bool) -> list[tuple[str, dict]]:
    """Targets (with their row) an actor of `role` may move a report in `status` to."""
    out = []
    for (frm, to), rule in TRANSITIONS.items():
        if frm != status or role not in rule["roles"]:
            continue
        if rule["actor"] == "ministry" and not sees_all:
            continue
        out.append((to, rule))
    return out


def waiting_for(report) -> str:
    """ "Chờ lãnh đạo Sở Công Thương tỉnh Vĩnh Long duyệt, gửi Cục" / "Chờ lãnh đạo Cục … tiếp nhận báo
    cáo"."""
    from khuyencong.core.workflow import who_acts_next

    return who_acts_next(WORKFLOW, report.status, province_id=report.province_id)
