"""Plans, đề án and establishments for tests, made through the services (so history and status rows exist)."""

import datetime as dt
import itertools

from khuyencong.beneficiaries.models import Establishment
from khuyencong.catalog.models import ActivityContent, EstablishmentType, SupportCap
from khuyencong.core.audit import save_audited
from khuyencong.geo.models import AdminUnit
from khuyencong.projects import services
from khuyencong.projects.models import AnnualPlan, Status

_seq = itertools.count(1)


def old_province(short_name: str) -> AdminUnit:
    return AdminUnit.objects.get(era="old", level=1, short_name=short_name)


def a_commune(province_short: str) -> AdminUnit:
    prov = old_province(province_short)
    return AdminUnit.objects.filter(era="old", level=3, parent__parent=prov).order_by("code").first()


def establishment(
    province_short: str = "Bến Tre", name: str | None = None, type_code: str = "HKD"
) -> Establishment:
    est = Establishment(
        name=name or f"Cơ sở thử {next(_seq)}",
        establishment_type=EstablishmentType.objects.get(code=type_code),
        commune=a_commune(province_short),
    )
    return save_audited(est, actor=None, reason="test")


def content(code: str) -> ActivityContent:
    return ActivityContent.objects.filter(code=code).order_by("valid_from").first()


def plan(
    actor, province_short: str = "Bến Tre", year: int = 2018, level: str = "national", **kw
) -> AnnualPlan:
    unit = old_province(province_short)
    existing = AnnualPlan.objects.filter(unit=unit, year=year, level=level).first()
    if existing:
        return existing
    kw.setdefault("effective_date", dt.date(year - 1, 9, 1))
    plan = services.plan_create(actor=actor, unit=unit, year=year, level=level, **kw)
    return services.plan_transition(
        plan=plan,
        actor=actor,
        to_status=AnnualPlan.PlanStatus.ASSIGNED,
        expected_version=plan.version,
        decision_no=f"{year}/QĐ-giao",
        decision_date=dt.date(year - 1, 12, 15),
    )


def machinery_cap() -> SupportCap:
    return SupportCap.objects.get(code="tt28-may-moc-thiet-bi")


def project(
    actor,
    *,
    province_short="Bến Tre",
    year=2018,
    level="national",
    content_code="3",
    funding=None,
    establishments=None,
    support_cap="machinery",
    **kw,
):
    p = plan(actor, province_short, year, level)
    if establishments is None:
        establishments = [establishment(province_short)]
    cap = machinery_cap() if support_cap == "machinery" and content_code == "3" else None
    return services.project_create(
        actor=actor,
        plan=p,
        code=kw.pop("code", f"DA-{next(_seq)}"),
        title=kw.pop("title", "Hỗ trợ máy móc thiết bị"),
        content=content(content_code),
        establishments=establishments,
        support_cap=cap,
        funding=funding
        if funding is not None
        else {level: {"requested": 200_000_000}, "counterpart": {"requested": 300_000_000}},
        start_date=kw.pop("start_date", dt.date(year, 6, 1)),
        end_date=kw.pop("end_date", dt.date(year, 12, 31)),
        effective_date=kw.pop("effective_date", dt.date(year, 4, 1)),
        **kw,
    )


# Data each transition needs (the table's "requires"), reusable by tests and the browser test.
DATA = {
    Status.REGISTERED: {"effective_date": "2018-05-02"},
    Status.APPRAISED: {
        "appraisal_result": "passed",
        "appraisal_notes": "Đạt yêu cầu",
        "effective_date": "2018-05-20",
    },
    Status.APPROVED: {"decision_no": "123/QĐ-SCT", "decision_date": "2018-06-10"},
    Status.CONTRACTED: {"contract_no": "45/HĐ-TTKC", "contract_date": "2018-06-15"},
    Status.IN_PROGRESS: {"progress_pct": 50, "progress_date": "2018-06-30", "note": "Đã lắp đặt một nửa"},
    Status.COMPLETED: {"effective_date": "2018-11-30"},
    Status.ACCEPTED: {
        "acceptance_date": "2018-12-10",
        "acceptance_minutes_no": "12/BB-NT",
        "acceptance_result": "Đạt",
    },
    Status.SETTLED: {"settled_amount": 0, "settled_date": "2018-12-20"},
    Status.STOP_REQUESTED: {
        "stop_reason": "Khó khăn về thị trường tiêu thụ",
        "stop_requested_by": "Đơn vị thụ hưởng",
        "effective_date": "2018-06-20",
    },
    Status.STOPPED: {"note": "Đồng ý dừng", "effective_date": "2018-06-25"},
    Status.CANCELLED: {"note": "Hủy theo đề nghị", "effective_date": "2018-06-20"},
}

# A path from draft to each status, and who walks it.
PATH = {
    Status.DRAFT: [],
    Status.REGISTERED: [Status.REGISTERED],
    Status.APPRAISED: [Status.REGISTERED, Status.APPRAISED],
    Status.APPROVED: [Status.REGISTERED, Status.APPRAISED, Status.APPROVED],
    Status.CONTRACTED: [Status.REGISTERED, Status.APPRAISED, Status.APPROVED, Status.CONTRACTED],
    Status.IN_PROGRESS: [Status.REGISTERED, Status.APPRAISED, Status.APPROVED, Status.IN_PROGRESS],
    Status.COMPLETED: [
        Status.REGISTERED,
        Status.APPRAISED,
        Status.APPROVED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
    ],
    Status.ACCEPTED: [
        Status.REGISTERED,
        Status.APPRAISED,
        Status.APPROVED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.ACCEPTED,
    ],
    Status.SETTLED: [
        Status.REGISTERED,
        Status.APPRAISED,
        Status.APPROVED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.ACCEPTED,
        Status.SETTLED,
    ],
    Status.STOP_REQUESTED: [Status.REGISTERED, Status.APPRAISED, Status.APPROVED, Status.STOP_REQUESTED],
    Status.STOPPED: [
        Status.REGISTERED,
        Status.APPRAISED,
        Status.APPROVED,
        Status.STOP_REQUESTED,
        Status.STOPPED,
    ],
    Status.CANCELLED: [Status.CANCELLED],
}


def walk(project, to_status, *, officer, approver):
    """Bring a đề án from draft to `to_status` (each step by a role the table allows)."""
    from khuyencong.projects.workflow import TRANSITIONS

    p = project
    for target in PATH[to_status]:
        rule = TRANSITIONS[(p.status, target)]
        actor = officer if "officer" in rule["roles"] else approver
        p = services.project_transition(
            project=p, actor=actor, to_status=target, expected_version=p.version, **DATA[target]
        )
    return p
