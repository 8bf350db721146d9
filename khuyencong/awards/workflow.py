"""A voting round's path as one table: planned → open (registration) → scoring → decided (the council's
recognition decision: number and date) → closed. `services.round_transition` is the only writer of
`AwardRound.status`; it runs on the shared engine (core.workflow): row lock, the version the actor saw
(missing or stale: 409), role, required data, business-date order."""

from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER
from khuyencong.core.workflow import Workflow

from .models import RoundStatus

S = RoundStatus
EDITORS = frozenset({OFFICER, APPROVER, ADMIN})
APPROVERS = frozenset({APPROVER, ADMIN})

TRANSITIONS: dict[tuple[str, str], dict] = {
    (S.PLANNED, S.OPEN): {
        "roles": EDITORS,
        "requires": [],
        "label": "Mở nhận hồ sơ",
        "button": "btn-primary",
    },
    (S.OPEN, S.SCORING): {
        "roles": EDITORS,
        "requires": [],
        "label": "Kết thúc nhận hồ sơ, chuyển Hội đồng chấm điểm",
        "button": "btn-primary",
    },
    (S.SCORING, S.DECIDED): {
        "roles": APPROVERS,
        "requires": ["decision_no", "decision_date"],
        "label": "Quyết định công nhận sản phẩm",
        "button": "btn-success",
    },
    (S.DECIDED, S.CLOSED): {
        "roles": EDITORS,
        "requires": [],
        "label": "Kết thúc đợt bình chọn",
        "button": "btn-outline-secondary",
    },
}

# Statuses in which the council's sheets are still private to each juror.
SHEETS_PRIVATE = frozenset({S.PLANNED, S.OPEN, S.SCORING})


WORKFLOW = Workflow(
    name="award_round",
    model_label="awards.awardround",
    transitions=TRANSITIONS,
    status_labels=dict(S.choices),
    field_labels={
        "decision_no": "số quyết định công nhận",
        "decision_date": "ngày quyết định công nhận",
    },
    noun="đợt bình chọn",
    describe=lambda r: f"đợt bình chọn «{r.title}»",
)


def allowed_transitions(status: str, role: str | None) -> list[tuple[str, dict]]:
    return WORKFLOW.allowed(status, role)
