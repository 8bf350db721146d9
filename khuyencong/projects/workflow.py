"""The đề án lifecycle as one table: (from, to) -> the roles allowed and the data required.

draft → registered → appraised (passed/failed) → approved (decision; money assigned) → contracted →
in_progress (progress %, any number of times) → completed → accepted (nghiệm thu) → settled (quyết toán).
Branches: stop_requested → stopped (or resumed), cancelled, a failed appraisal back to registered.
A row's "waits" is how the "who acts next" line names the step (core.workflow.who_acts_next): rows without
one are side steps (stop requests, cancelling). Adjustments and extensions do not change the status: they
are the EVENTS below (a new Revision, the old values kept), checked the same way.
`services.project_transition` is the only writer of `Project.status`.
"""

from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER

from .models import Status

S = Status
OFFICERS = frozenset({OFFICER, ADMIN})
APPROVERS = frozenset({APPROVER, ADMIN})
ANY_EDITOR = frozenset({OFFICER, APPROVER, ADMIN})

PROGRESS = ["progress_pct", "progress_date"]

TRANSITIONS: dict[tuple[str, str], dict] = {
    (S.DRAFT, S.REGISTERED): {
        "roles": OFFICERS,
        "requires": [],
        "label": "Đăng ký đề án",
        "waits": "đăng ký đề án",
    },
    (S.REGISTERED, S.APPRAISED): {
        "roles": APPROVERS,
        "requires": ["appraisal_result"],
        "label": "Thẩm định",
        "waits": "thẩm định",
    },
    (S.APPRAISED, S.REGISTERED): {
        "roles": OFFICERS,
        "requires": ["note"],
        "label": "Hoàn thiện, đăng ký lại sau thẩm định",
        "waits": "hoàn thiện hồ sơ, đăng ký lại",
    },
    (S.APPRAISED, S.APPROVED): {
        "roles": APPROVERS,
        "requires": ["decision_no", "decision_date"],
        "label": "Phê duyệt, giao kinh phí",
        "waits": "phê duyệt, giao kinh phí",
    },
    (S.APPROVED, S.CONTRACTED): {
        "roles": OFFICERS,
        "requires": ["contract_no", "contract_date"],
        "label": "Ký hợp đồng",
        "waits": "ký hợp đồng",
    },
    (S.APPROVED, S.IN_PROGRESS): {
        "roles": OFFICERS,
        "requires": PROGRESS,
        "label": "Triển khai, báo cáo tiến độ",
        "waits": "triển khai",
    },
    (S.CONTRACTED, S.IN_PROGRESS): {
        "roles": OFFICERS,
        "requires": PROGRESS,
        "label": "Triển khai, báo cáo tiến độ",
        "waits": "triển khai",
    },
    (S.IN_PROGRESS, S.IN_PROGRESS): {
        "roles": OFFICERS,
        "requires": PROGRESS,
        "label": "Cập nhật tiến độ",
        "waits": "cập nhật tiến độ",
    },
    (S.IN_PROGRESS, S.COMPLETED): {
        "roles": OFFICERS,
        "requires": [],
        "label": "Hoàn thành",
        "waits": "báo cáo hoàn thành",
    },
    (S.COMPLETED, S.ACCEPTED): {
        "roles": APPROVERS,
        "requires": ["acceptance_date", "acceptance_minutes_no", "acceptance_result"],
        "label": "Nghiệm thu",
        "waits": "nghiệm thu",
    },
    (S.ACCEPTED, S.SETTLED): {
        "roles": APPROVERS,
        "requires": ["settled_amount", "settled_date"],
        "label": "Quyết toán",
        "waits": "quyết toán",
    },
    # Branches: the beneficiary (or the centre) asks to stop; the approver decides.
    (S.REGISTERED, S.STOP_REQUESTED): {
        "roles": OFFICERS,
        "requires": ["stop_reason", "stop_requested_by"],
        "label": "Ghi nhận xin dừng",
    },
    (S.APPROVED, S.STOP_REQUESTED): {
        "roles": OFFICERS,
        "requires": ["stop_reason", "stop_requested_by"],
        "label": "Ghi nhận xin dừng",
    },
    (S.CONTRACTED, S.STOP_REQUESTED): {
        "roles": OFFICERS,
        "requires": ["stop_reason", "stop_requested_by"],
        "label": "Ghi nhận xin dừng",
    },
    (S.IN_PROGRESS, S.STOP_REQUESTED): {
        "roles": OFFICERS,
        "requires": ["stop_reason", "stop_requested_by"],
        "label": "Ghi nhận xin dừng",
    },
    (S.STOP_REQUESTED, S.STOPPED): {
        "roles": APPROVERS,
        "requires": ["note"],
        "label": "Quyết định dừng",
        "waits": "quyết định dừng",
    },
    (S.STOP_REQUESTED, S.IN_PROGRESS): {
        "roles": APPROVERS,
        "requires": PROGRESS,
        "label": "Không chấp thuận dừng, tiếp tục thực hiện",
        "waits": "cho tiếp tục thực hiện",
    },
    (S.DRAFT, S.CANCELLED): {"roles": ANY_EDITOR, "requires": ["note"], "label": "Hủy"},
    (S.REGISTERED, S.CANCELLED): {"roles": APPROVERS, "requires": ["note"], "label": "Hủy"},
    (S.APPRAISED, S.CANCELLED): {"roles": APPROVERS, "requires": ["note"], "label": "Hủy"},
    (S.APPROVED, S.CANCELLED): {"roles": APPROVERS, "requires": ["note"], "label": "Hủy"},
}

# Events that leave the status as it is but write a Revision (old values kept) and a StatusChange row.
REVISABLE = frozenset({S.REGISTERED, S.APPRAISED, S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.STOP_REQUESTED})
EVENTS: dict[str, dict] = {
    "adjust": {
        "roles": APPROVERS,
        "statuses": REVISABLE,
        "requires": ["reason"],
        "label": "Điều chỉnh nội dung, kinh phí, tiến độ",
    },
    "extend": {
        "roles": APPROVERS,
        "statuses": REVISABLE,
        "requires": ["end_date", "reason"],
        "label": "Gia hạn",
    },
}

# Statuses grouped the way reports count them ("02/10 đề án đã hoàn thành").
NOT_STARTED = frozenset({S.DRAFT, S.REGISTERED, S.APPRAISED, S.APPROVED, S.CONTRACTED})
DONE = frozenset({S.COMPLETED, S.ACCEPTED, S.SETTLED})
CLOSED = frozenset({S.SETTLED, S.STOPPED, S.CANCELLED})
REPORT_GROUPS = [
    ("done", "đã hoàn thành", DONE),
    ("in_progress", "đang thực hiện", frozenset({S.IN_PROGRESS})),
    ("stop", "xin dừng, dừng thực hiện", frozenset({S.STOP_REQUESTED, S.STOPPED})),
    ("not_started", "chưa thực hiện", NOT_STARTED),
    ("cancelled", "đã hủy", frozenset({S.CANCELLED})),
]

FIELD_LABELS = {
    "appraisal_result": "kết quả thẩm định",
    "appraisal_notes": "ý kiến thẩm định",
    "decision_no": "số quyết định",
    "decision_date": "ngày quyết định",
    "contract_no": "số hợp đồng",
    "contract_date": "ngày hợp đồng",
    "progress_pct": "tiến độ (%)",
    "progress_date": "ngày báo cáo tiến độ",
    "acceptance_date": "ngày nghiệm thu",
    "acceptance_minutes_no": "số biên bản nghiệm thu",
    "acceptance_result": "kết quả nghiệm thu",
    "settled_amount": "số quyết toán",
    "settled_date": "ngày quyết toán",
    "stop_reason": "lý do dừng",
    "stop_requested_by": "bên xin dừng",
    "note": "ghi chú",
    "reason": "lý do",
    "end_date": "ngày kết thúc mới",
}


def status_label(status: str) -> str:
    return Status(status).label if status in Status.values else status


def allowed_transitions(status: str, role: str | None) -> list[tuple[str, dict]]:
    """The targets (with their table row) that `role` may move a đề án in `status` to."""
    return [(to, rule) for (frm, to), rule in TRANSITIONS.items() if frm == status and role in rule["roles"]]


def allowed_events(status: str, role: str | None) -> list[tuple[str, dict]]:
    return [
        (name, rule) for name, rule in EVENTS.items() if status in rule["statuses"] and role in rule["roles"]
    ]


def report_group(status: str) -> str:
    for key, _label, statuses in REPORT_GROUPS:
        if status in statuses:
            return key
    return "not_started"


def waiting_for(project) -> str:
    """ "Chờ lãnh đạo Sở Công Thương tỉnh Vĩnh Long thẩm định": who takes the đề án's next step
    (core.workflow). After appraisal the result decides: passed waits on the approval, failed on the
    officer's revision."""
    from khuyencong.core.workflow import who_acts_next

    from .services import PROJECT_WORKFLOW

    def check(to, rule):
        if project.status != S.APPRAISED:
            return True
        passed = project.appraisal_result == "passed"
        return to == (S.APPROVED if passed else S.REGISTERED)

    return who_acts_next(PROJECT_WORKFLOW, project.status, province_id=project.province_id, check=check)
