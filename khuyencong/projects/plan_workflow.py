"""An annual plan's lifecycle as one table, run by the shared engine (core.workflow):

registered (đăng ký) → assigned (giao kế hoạch: the decision assigning it) → closed (kết thúc: the closing
decision or report). Each step carries its decision number and date; the date is the step's business date.
Recording the first batch with a decision moves a registered plan to assigned with that batch's decision.

Also the level and source rule: which funding sources a plan's đề án and batches may use.
"""

from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER
from khuyencong.core.workflow import Workflow

from .models import AnnualPlan, Level

P = AnnualPlan.PlanStatus
ANY_EDITOR = frozenset({OFFICER, APPROVER, ADMIN})
DECISION = ["decision_no", "decision_date"]

PLAN_TRANSITIONS: dict[tuple[str, str], dict] = {
    (P.REGISTERED, P.ASSIGNED): {
        "roles": ANY_EDITOR,
        "requires": DECISION,
        "label": "Giao kế hoạch",
        "waits": "ghi nhận quyết định giao kế hoạch",
    },
    (P.ASSIGNED, P.CLOSED): {
        "roles": ANY_EDITOR,
        "requires": DECISION,
        "label": "Kết thúc kế hoạch",
        "waits": "ghi nhận kết thúc kế hoạch",
    },
}

FIELD_LABELS = {
    "decision_no": "số quyết định, văn bản",
    "decision_date": "ngày quyết định, văn bản",
    "issuer": "cơ quan ban hành",
    "note": "ghi chú",
}

PLAN_WORKFLOW = Workflow(
    name="plan",
    transitions=PLAN_TRANSITIONS,
    status_labels=dict(P.choices),
    field_labels=FIELD_LABELS,
    noun="kế hoạch",
    describe=lambda p: f"kế hoạch «{p}»",
)


def allowed_plan_transitions(status: str, role: str | None) -> list[tuple[str, dict]]:
    return PLAN_WORKFLOW.allowed(status, role)


def plan_waiting_for(plan) -> str:
    """ "Chờ cán bộ Sở Công Thương tỉnh Vĩnh Long ghi nhận quyết định giao kế hoạch"; the Cục's own plan (no
    province) waits on the Cục."""
    from khuyencong.core.workflow import who_acts_next

    return who_acts_next(PLAN_WORKFLOW, plan.status, province_id=plan.province_id)


# ---------------------------------------------------------------------------------------------- level and sou

# The state-budget sources a plan of each level assigns and spends; every đề án may add the counterpart.
LEVEL_SOURCES = {Level.NATIONAL: ("national",), Level.LOCAL: ("local", "district")}
COUNTERPART = "counterpart"
LEVEL_RULES = {
    Level.NATIONAL: "đề án thuộc kế hoạch khuyến công quốc gia dùng kinh phí khuyến công quốc gia (KCQG), "
    "cộng vốn "
    "đối ứng của cơ sở",
    Level.LOCAL: "đề án thuộc kế hoạch khuyến công địa phương dùng kinh phí khuyến công địa phương (KCĐP), "
    "ngân "
    "sách cấp huyện, xã (khi có nguồn này) và vốn đối ứng của cơ sở",
}
