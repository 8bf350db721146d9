"""What the cluster records give to reports and programme targets (khuyencong/reports/record_figures.py):

- `cum-cong-nghiep` — clusters supported: distinct clusters with a đề án approved (decision date) in the
  window and not stopped or cancelled;
- `co-so-di-doi` — establishments relocated into a cluster (di dời), by their relocation date;
- a section "Cụm công nghiệp" listing the clusters with such support or relocations in the window.

Counted from records, so the typed outputs of these codes on đề án no longer count ("computed, not typed").
"""

from django.db.models import Count, Q

from .models import ClusterEstablishment, IndustrialCluster
from .selectors import INACTIVE

CLUSTER_CODE, RELOCATED_CODE = "cum-cong-nghiep", "co-so-di-doi"


def _supported_q(scope, prefix: str = "projects__") -> Q:
    return Q(**{f"{prefix}decision_date__gte": scope.start, f"{prefix}decision_date__lte": scope.end}) & ~Q(
        **{f"{prefix}status__in": INACTIVE}
    )


def outputs(scope) -> dict[str, int]:
    clusters = IndustrialCluster.objects.filter(scope.place_q("commune"))
    supported = clusters.filter(_supported_q(scope)).values("pk").distinct().count()
    relocated = ClusterEstablishment.objects.filter(
        scope.place_q("cluster__commune"),
        relocated=True,
        relocation_date__gte=scope.start,
        relocation_date__lte=scope.end,
    ).count()
    # Zero is left out: where the records hold nothing, an output typed on a đề án still stands.
    return {code: n for code, n in ((CLUSTER_CODE, supported), (RELOCATED_CODE, relocated)) if n}


def section(scope):
    from khuyencong.reports.record_figures import INT, TEXT, Section

    qs = (
        IndustrialCluster.objects.filter(scope.place_q("commune"))
        .annotate(
            n_projects=Count("projects", filter=_supported_q(scope), distinct=True),
            n_relocated=Count(
                "members",
                filter=Q(
                    members__relocated=True,
                    members__relocation_date__gte=scope.start,
                    members__relocation_date__lte=scope.end,
                ),
                distinct=True,
            ),
        )
        .filter(Q(n_projects__gt=0) | Q(n_relocated__gt=0))
        .select_related("commune")
        .order_by("name", "pk")
    )
    rows = [
        [
            c.name,
            c.commune.name,
            c.get_planning_status_display(),
            c.get_infrastructure_status_display(),
            c.n_projects,
            c.n_relocated,
        ]
        for c in qs
    ]
    if not rows:
        return None
    return Section(
        key="clusters",
        title="Cụm công nghiệp được hỗ trợ, cơ sở di dời vào cụm",
        headers=[
            "Cụm công nghiệp",
            "Xã, phường",
            "Quy hoạch chi tiết",
            "Hạ tầng",
            "Số đề án được duyệt",
            "Cơ sở di dời vào cụm",
        ],
        kinds=[TEXT, TEXT, TEXT, TEXT, INT, INT],
        rows=rows,
        totals=["Cộng", "", "", "", sum(r[4] for r in rows), sum(r[5] for r in rows)],
        notes=["Số liệu lấy từ sổ cụm công nghiệp (đề án nội dung 7 gắn với cụm; ngày di dời của cơ sở)."],
    )


def register_providers() -> None:
    try:
        from khuyencong.reports.record_figures import register
    except ImportError:  # the report hook has not landed on this branch yet
        return
    register("clusters", title="Cụm công nghiệp", order=40, outputs=outputs, section=section)
