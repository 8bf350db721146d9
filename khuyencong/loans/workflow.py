"""A loan's path as one table: drafted → approved → disbursed → repaying → repaid, with the
branches rescheduled (a decision with new terms; the old schedule is kept), in recovery, written off
(maker-checker: the officer proposes with cause, reason and evidence — an event that leaves the status —
and only an approver decides, with decision number and date) and recovered after write-off.
`services.loan_transition` is the only writer of `Loan.status`; on the shared engine (core.workflow)."""

from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER
from khuyencong.core.workflow import Workflow

from .models import LoanStatus

S = LoanStatus
EDITORS = frozenset({OFFICER, APPROVER, ADMIN})
APPROVERS = frozenset({APPROVER, ADMIN})
OPEN = (S.DISBURSED, S.REPAYING, S.RESCHEDULED, S.IN_RECOVERY)  # money is owed on the schedule

TRANSITIONS: dict[tuple[str, str], dict] = {
    (S.DRAFTED, S.APPROVED): {
        "roles": APPROVERS,
        "requires": ["decision_no", "decision_date"],
        "label": "Phê duyệt cho vay",
        "waits": "phê duyệt cho vay",
        "button": "btn-success",
    },
    (S.APPROVED, S.DISBURSED): {
        "roles": EDITORS,
        "requires": ["disbursed_on"],
        "label": "Giải ngân, lập lịch trả nợ",
        "waits": "giải ngân",
        "button": "btn-primary",
    },
    (S.DISBURSED, S.REPAYING): {"roles": EDITORS, "label": "Bắt đầu trả nợ", "auto": True},
    **{
        (frm, S.REPAID): {"roles": EDITORS, "label": "Trả hết nợ", "auto": True}
        for frm in (S.DISBURSED, S.REPAYING, S.RESCHEDULED, S.IN_RECOVERY)
    },
    (S.REPAID, S.REPAYING): {"roles": EDITORS, "label": "Mở lại do hủy khoản trả", "auto": True},
    (S.RECOVERED, S.WRITTEN_OFF): {"roles": EDITORS, "label": "Mở lại do hủy khoản trả", "auto": True},
    **{
        (frm, S.RESCHEDULED): {
            "roles": APPROVERS,
            "requires": ["decision_no", "decision_date"],
            "label": "Gia hạn, điều chỉnh kỳ hạn trả nợ",
            "button": "btn-outline-primary",
        }
        for frm in (S.DISBURSED, S.REPAYING, S.IN_RECOVERY)
    },
    **{
        (frm, S.IN_RECOVERY): {
            "roles": EDITORS,
            "requires": ["note"],
            "label": "Chuyển thu hồi nợ",
            "button": "btn-outline-warning",
        }
        for frm in (S.DISBURSED, S.REPAYING, S.RESCHEDULED)
    },
    (S.IN_RECOVERY, S.REPAYING): {
        "roles": EDITORS,
        "label": "Trở lại trả nợ theo lịch",
        "button": "btn-outline-secondary",
    },
    **{
        (frm, S.WRITTEN_OFF): {
            "roles": APPROVERS,
            "requires": ["writeoff_decision_no", "writeoff_decision_date"],
            "label": "Quyết định xóa nợ",
            "button": "btn-danger",
        }
        for frm in OPEN
    },
    (S.WRITTEN_OFF, S.RECOVERED): {"roles": EDITORS, "label": "Thu hồi được sau xóa nợ", "auto": True},
}

EVENTS = {
    "propose_writeoff": {
        "statuses": frozenset(OPEN),
        "roles": EDITORS,
        "requires": ["writeoff_cause", "writeoff_reason", "writeoff_evidence"],
        "label": "Đề nghị xóa nợ",
    },
    "reschedule": {
        "statuses": frozenset({S.RESCHEDULED}),
        "roles": APPROVERS,
        "requires": ["decision_no", "decision_date"],
        "label": "Gia hạn, điều chỉnh kỳ hạn trả nợ (lần tiếp theo)",
    },
}

WORKFLOW = Workflow(
    name="loan",
    model_label="loans.loan",
    transitions=TRANSITIONS,
    events=EVENTS,
    status_labels=dict(S.choices),
    field_labels={
        "decision_no": "số quyết định",
        "decision_date": "ngày quyết định",
        "disbursed_on": "ngày giải ngân",
        "note": "nội dung, lý do",
        "writeoff_cause": "nguyên nhân",
        "writeoff_reason": "lý do đề nghị xóa nợ",
        "writeoff_evidence": "hồ sơ, chứng cứ kèm theo",
        "writeoff_decision_no": "số quyết định xóa nợ",
        "writeoff_decision_date": "ngày quyết định xóa nợ",
    },
    money_fields=frozenset({"written_off_amount"}),
    noun="khoản vay",
    describe=lambda loan: f"khoản vay theo hợp đồng «{loan.contract_no}»",
)


def allowed_transitions(status: str, role: str | None) -> list[tuple[str, dict]]:
    """The steps a person may take on a page (automatic steps follow repayments, not buttons)."""
    return [(to, rule) for to, rule in WORKFLOW.allowed(status, role) if not rule.get("auto")]
