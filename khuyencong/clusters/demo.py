"""Demo clusters (idempotent, through the services).

- Seed 001 (Bến Tre's programme 2014-2020) plans support for the detailed planning, infrastructure and
  waste-water treatment of 8 clusters and the relocation of 20 polluting establishments, without naming the
  clusters. The demo records five clusters of Bến Tre by name, with a few national đề án of content 7
  (2017-2018) and three relocated establishments, so the programme's targets read records.
- Seed 003 (Bến Tre, 2014-2018): "hỗ trợ lập quy hoạch chi tiết 3 cụm công nghiệp" — three of these clusters
  have their detailed planning done in that period.

The seeds give no areas, decision numbers, dates or amounts for clusters: those here are plausible, marked
"(minh họa)", not real.
"""

import datetime as dt

from django.db.models import Q

from khuyencong.accounts.models import User
from khuyencong.catalog.models import ActivityContent
from khuyencong.geo.models import AdminUnit

from . import services
from .models import IndustrialCluster, WorkStatus

D = dt.date
TR = 1_000_000

# name, (district, commune) in old Bến Tre, planned ha, occupied ha, decision date, planning (status, date),
# infrastructure (status, date), waste water (status, date)
CLUSTERS = [
    (
        "Cụm công nghiệp Phong Nẫm",
        ("Giồng Trôm", "Phong Nẫm"),
        "50",
        "21.5",
        D(2013, 6, 20),
        (WorkStatus.DONE, D(2015, 9, 10)),
        (WorkStatus.IN_PROGRESS, D(2018, 7, 1)),
        (WorkStatus.NONE, None),
    ),
    (
        "Cụm công nghiệp An Hiệp",
        ("Ba Tri", "An Hiệp"),
        "70",
        "42",
        D(2012, 11, 5),
        (WorkStatus.DONE, D(2014, 12, 18)),
        (WorkStatus.DONE, D(2017, 5, 30)),
        (WorkStatus.IN_PROGRESS, D(2018, 8, 15)),
    ),
    (
        "Cụm công nghiệp Thành Thới B",
        ("Mỏ Cày Nam", "Thành Thới B"),
        "40",
        "12",
        D(2014, 3, 12),
        (WorkStatus.DONE, D(2017, 10, 25)),
        (WorkStatus.NONE, None),
        (WorkStatus.NONE, None),
    ),
    (
        "Cụm công nghiệp Tân Thành Bình",
        ("Mỏ Cày Bắc", "Tân Thành Bình"),
        "30",
        "0",
        D(2015, 8, 3),
        (WorkStatus.IN_PROGRESS, D(2019, 4, 2)),
        (WorkStatus.NONE, None),
        (WorkStatus.NONE, None),
    ),
    (
        "Cụm công nghiệp An Thạnh",
        ("Mỏ Cày Nam", "An Thạnh"),
        "45",
        "8",
        D(2015, 8, 3),
        (WorkStatus.NONE, None),
        (WorkStatus.NONE, None),
        (WorkStatus.NONE, None),
    ),
]

# cluster, year, code, title, national (triệu), counterpart (triệu), approval date
PROJECTS = [
    (
        "Cụm công nghiệp Thành Thới B",
        2017,
        "CCN-2017-01",
        "Hỗ trợ lập quy hoạch chi tiết Cụm công nghiệp Thành Thới B",
        450,
        150,
        D(2017, 4, 20),
    ),
    (
        "Cụm công nghiệp An Hiệp",
        2017,
        "CCN-2017-02",
        "Hỗ trợ đầu tư hạ tầng kỹ thuật Cụm công nghiệp An Hiệp (giai đoạn 1)",
        2_500,
        3_200,
        D(2017, 4, 20),
    ),
    (
        "Cụm công nghiệp An Hiệp",
        2018,
        "CCN-2018-01",
        "Hỗ trợ xây dựng hệ thống xử lý nước thải tập trung Cụm công nghiệp An Hiệp",
        3_000,
        2_800,
        D(2018, 4, 16),
    ),
    (
        "Cụm công nghiệp Phong Nẫm",
        2018,
        "CCN-2018-02",
        "Hỗ trợ đầu tư hạ tầng kỹ thuật Cụm công nghiệp Phong Nẫm",
        3_500,
        4_100,
        D(2018, 4, 16),
    ),
]

# establishment name, cluster, relocated from, relocation date
RELOCATED = [
    (
        "Cơ sở chế biến thủy sản Tân Phát (minh họa)",
        "Cụm công nghiệp An Hiệp",
        "Phường 7, TP Bến Tre",
        D(2017, 9, 12),
    ),
    (
        "Cơ sở sản xuất than thiêu kết Hòa Lợi (minh họa)",
        "Cụm công nghiệp An Hiệp",
        "xã An Đức, Ba Tri",
        D(2018, 3, 5),
    ),
    (
        "Cơ sở chỉ xơ dừa Phú Hưng (minh họa)",
        "Cụm công nghiệp Phong Nẫm",
        "xã Phú Hưng, TP Bến Tre",
        D(2018, 10, 22),
    ),
]


def _commune(district: str, commune: str) -> AdminUnit:
    from khuyencong.projects.demo import _old_commune

    return _old_commune("Bến Tre", district, commune)


def _current(unit: AdminUnit) -> AdminUnit | None:
    return (
        AdminUnit.objects.filter(predecessions__old_unit=unit, era="current")
        .filter(Q(predecessions__partial=False) | Q(predecessions__partial=True))
        .order_by("predecessions__partial", "pk")
        .first()
    )


def load() -> None:
    officer = User.objects.filter(username="vinhlong").first()
    approver = User.objects.filter(username="vinhlong.lanhdao").first()
    if officer is None or approver is None:
        return
    clusters = {}
    for name, where, planned, occupied, decided, planning, infra, water in CLUSTERS:
        try:
            commune = _commune(*where)
        except LookupError:
            continue
        cluster = IndustrialCluster.objects.filter(commune=commune, name=name).first()
        if cluster is None:
            cluster = services.cluster_create(
                actor=officer,
                reason="Dữ liệu mẫu",
                name=name,
                commune=commune,
                current_commune=_current(commune),
                planned_area_ha=planned,
                occupied_area_ha=occupied,
                decision_no=f"(minh họa) {decided:%m%d}/QĐ-UBND",
                decision_date=decided,
                investor="Trung tâm Phát triển hạ tầng (minh họa)",
                planning_status=planning[0],
                planning_date=planning[1],
                infrastructure_status=infra[0],
                infrastructure_date=infra[1],
                wastewater_status=water[0],
                wastewater_date=water[1],
                note="Seed 001 không nêu tên cụm; diện tích, quyết định và ngày tháng là số liệu minh họa.",
            )
        clusters[name] = cluster
    _projects(officer, approver, clusters)
    _relocations(officer, clusters)


def _plan(officer, year: int):
    from khuyencong.projects import services as project_services
    from khuyencong.projects.models import AnnualPlan

    unit = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    plan = AnnualPlan.objects.filter(unit=unit, year=year, level="national").first()
    if plan is not None:
        return plan
    plan = project_services.plan_create(
        actor=officer,
        unit=unit,
        year=year,
        level="national",
        title=f"Kế hoạch khuyến công quốc gia năm {year} — tỉnh Bến Tre (đề án cụm công nghiệp, minh họa)",
        effective_date=D(year - 1, 8, 1),
    )
    return project_services.plan_transition(
        plan=plan,
        actor=officer,
        to_status=AnnualPlan.PlanStatus.ASSIGNED,
        expected_version=plan.version,
        decision_no=f"(minh họa) giao KH KCQG {year}",
        decision_date=D(year, 3, 20),
    )


def _projects(officer, approver, clusters) -> None:
    from khuyencong.projects import services as project_services
    from khuyencong.projects.models import Project

    content = ActivityContent.objects.filter(code="7").order_by("valid_from").first()
    for cluster_name, year, code, title, national, counterpart, approved_on in PROJECTS:
        cluster = clusters.get(cluster_name)
        if cluster is None:
            continue
        plan = _plan(officer, year)
        if Project.objects.filter(plan=plan, code=code).exists():
            continue
        p = project_services.project_create(
            actor=officer,
            plan=plan,
            code=code,
            title=title,
            content=content,
            cluster=cluster,
            commune=cluster.commune,
            implementing_unit="Trung tâm Khuyến công tỉnh Bến Tre",
            funding={
                "national": {"requested": national * TR},
                "counterpart": {"requested": counterpart * TR},
            },
            start_date=D(year, 5, 1),
            end_date=D(year, 12, 31),
            effective_date=D(year - 1, 9, 1),
        )
        steps = [
            ("registered", officer, {"effective_date": D(year - 1, 9, 15)}),
            (
                "appraised",
                approver,
                {
                    "appraisal_result": "passed",
                    "appraisal_notes": "Đạt",
                    "effective_date": approved_on - dt.timedelta(days=10),
                },
            ),
            (
                "approved",
                approver,
                {"decision_no": f"(minh họa) {code}/QĐ-SCT", "decision_date": approved_on},
            ),
        ]
        from khuyencong.projects.workflow import TRANSITIONS

        for to, _who, data in steps:
            rule = TRANSITIONS[(p.status, to)]
            who = officer if "officer" in rule["roles"] else approver
            p = project_services.project_transition(
                project=p, actor=who, to_status=to, expected_version=p.version, **data
            )


def _relocations(officer, clusters) -> None:
    from khuyencong.beneficiaries.models import Establishment
    from khuyencong.catalog.models import EstablishmentType
    from khuyencong.core.audit import save_audited

    for name, cluster_name, origin, day in RELOCATED:
        cluster = clusters.get(cluster_name)
        if cluster is None:
            continue
        est = Establishment.objects.filter(name=name).first()
        if est is None:
            est = save_audited(
                Establishment(
                    name=name,
                    establishment_type=EstablishmentType.objects.get(code="HKD"),
                    commune=cluster.commune,
                ),
                actor=None,
                reason="Dữ liệu mẫu (cụm công nghiệp)",
            )
        if not cluster.members.filter(establishment=est).exists():
            services.member_set(
                actor=officer,
                cluster=cluster,
                establishment=est,
                relocated=True,
                relocated_from=origin,
                relocation_date=day,
                note="Di dời cơ sở gây ô nhiễm (minh họa)",
            )
