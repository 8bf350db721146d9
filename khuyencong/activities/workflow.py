"""An activity's path as one table: planned → held (the minutes' date: what "as of" reads) → reported (the
result report); a planned activity may be cancelled. `services.activity_transition` is the only writer of
`Activity.status`, on the shared engine (core.workflow): row lock, the version the actor saw, role, business-
date order."""

from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER
from khuyencong.core.workflow import Workflow

from .models import ActivityStatus

S = ActivityStatus
EDITORS = frozenset({OFFICER, APPROVER, ADMIN})

TRANSITIONS: dict[tuple[str, str], dict] = {
    (S.PLANNED, S.HELD): {
        "roles": EDITORS,
        "requires": [],
        "label": "Xác nhận đã tổ chức",
        "button": "btn-primary",
        "waits": "xác nhận đã tổ chức hoạt động",
    },
    (S.HELD, S.REPORTED): {
        "roles": EDITORS,
        "requires": [],
        "label": "Báo cáo kết quả",
        "button": "btn-success",
        "waits": "báo cáo kết quả hoạt động",
    },
    (S.PLANNED, S.CANCELLED): {
        "roles": EDITORS,
        "requires": [],
        "label": "Hủy hoạt động",
        "button": "btn-outline-danger",
    },
}

WORKFLOW = Workflow(
    name="activity",
    model_label="activities.activity",
    transitions=TRANSITIONS,
    status_labels=dict(S.choices),
    field_labels={"held_on": "ngày tổ chức xong", "reported_on": "ngày báo cáo kết quả"},
    noun="hoạt động",
    describe=lambda a: f"hoạt động «{a.title}»",
)


def allowed_transitions(status: str, role: str | None) -> list[tuple[str, dict]]:
    return WORKFLOW.allowed(status, role)
