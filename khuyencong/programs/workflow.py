"""The programme lifecycle as one table: (from, to) -> the roles allowed and the data required.

draft → submitted (trình phê duyệt) → approved (decision number and date) → superseded (a newer programme);
a submitted programme can be sent back to draft for revision. `services.program_transition` is the only
writer of `Program.status`; it runs on the shared engine (core.workflow) and every applied transition leaves a
StatusChange row with its business date and the before → after of the fields it touched.
"""

from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER
from khuyencong.core.workflow import Workflow

from .models import Status

S = Status
OFFICERS = frozenset({OFFICER, ADMIN})
APPROVERS = frozenset({APPROVER, ADMIN})

TRANSITIONS: dict[tuple[str, str], dict] = {
    (S.DRAFT, S.SUBMITTED): {"roles": OFFICERS, "requires": [], "label": "Trình phê duyệt"},
    (S.SUBMITTED, S.DRAFT): {"roles": APPROVERS, "requires": ["note"], "label": "Trả lại để hoàn thiện"},
    (S.SUBMITTED, S.APPROVED): {
        "roles": APPROVERS,
        "requires": ["decision_no", "decision_date"],
        "label": "Phê duyệt",
    },
    (S.APPROVED, S.SUPERSEDED): {
        "roles": APPROVERS,
        "requires": ["note"],
        "label": "Thay thế bằng chương trình mới",
    },
}

# The matrix, targets and stated figures can be changed only while the programme is a draft.
EDITABLE = frozenset({S.DRAFT})

FIELD_LABELS = {
    "decision_no": "số quyết định",
    "decision_date": "ngày quyết định",
    "decision_issuer": "cơ quan phê duyệt",
    "note": "ghi chú",
}


WORKFLOW = Workflow(
    name="program",
    model_label="programs.program",
    transitions=TRANSITIONS,
    status_labels=dict(Status.choices),
    field_labels=FIELD_LABELS,
    noun="chương trình",
)


def status_label(status: str) -> str:
    return Status(status).label if status in Status.values else status


def allowed_transitions(status: str, role: str | None) -> list[tuple[str, dict]]:
    """The statuses (with their table row) that `role` may move a programme in `status` to."""
    return [(to, rule) for (frm, to), rule in TRANSITIONS.items() if frm == status and role in rule["roles"]]
