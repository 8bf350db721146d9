"""Scoped reads of the cluster registry. A Sở/Trung tâm sees its province's clusters (old and new units
rolling up into it), a commune office the clusters in its communes, an establishment the clusters it sits
in; the Cục sees all. Anything else answers 404. A cluster's đề án and money are read through the projects'
own scoped selector, so the page never shows a đề án the reader may not see."""

from collections import OrderedDict

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from khuyencong.core.listing import int_param
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import filter_folded

from .models import WORKS, ClusterEstablishment, IndustrialCluster, WorkStatus

SOURCE_CODES = ("national", "local", "counterpart")
# A đề án that no longer spends (stopped, cancelled) holds no money against its cluster.
INACTIVE = ("stopped", "cancelled")


def cluster_list_for(*, user) -> QuerySet[IndustrialCluster]:
    scope = scope_for(user)
    qs = IndustrialCluster.objects.select_related("commune", "commune__parent", "current_commune", "province")
    if scope.kind == "all":
        return qs
    if scope.kind == "province":
        return qs.filter(province_id=scope.province_id)
    if scope.kind == "units":
        return qs.filter(Q(commune_id__in=scope.unit_ids) | Q(current_commune_id__in=scope.unit_ids))
    if scope.kind == "establishment":
        return qs.filter(
            pk__in=ClusterEstablishment.objects.filter(establishment_id=scope.establishment_id).values(
                "cluster_id"
            )
        )
    return qs.none()


def cluster_get_for(*, user, pk) -> IndustrialCluster:
    return get_object_or_404(cluster_list_for(user=user), pk=pk)


STATUS_FILTERS = [f"{key}_status" for key, _ in WORKS]


def cluster_filter(qs: QuerySet[IndustrialCluster], params) -> QuerySet[IndustrialCluster]:
    get = params.get
    if get("q"):
        qs = filter_folded(qs, get("q"))
    if int_param(get("province")) is not None:
        qs = qs.filter(province_id=int_param(get("province")))
    for key in STATUS_FILTERS:
        if get(key) in WorkStatus.values:
            qs = qs.filter(**{key: get(key)})
    if get("supported") in ("1", "0"):
        supported = Q(projects__isnull=False)
        qs = qs.filter(supported).distinct() if get("supported") == "1" else qs.exclude(supported)
    return qs


def with_counts(qs: QuerySet[IndustrialCluster]) -> QuerySet[IndustrialCluster]:
    return qs.annotate(
        n_projects=Count("projects", distinct=True),
        n_members=Count("members", distinct=True),
        n_relocated=Count("members", filter=Q(members__relocated=True), distinct=True),
    )


def members_of(cluster: IndustrialCluster) -> QuerySet[ClusterEstablishment]:
    return cluster.members.select_related("establishment", "establishment__establishment_type").order_by(
        "establishment__name", "pk"
    )


def _committed(funding) -> int:
    """The money a đề án holds from a source: what was approved, or (before approval) what it asks."""
    return funding.approved or funding.requested


def cluster_projects(*, user, cluster: IndustrialCluster) -> list[dict]:
    """The cluster's đề án the reader may see, each with its money per source (approved, or requested
    before approval) and its total."""
    from khuyencong.projects.models import ProjectFunding
    from khuyencong.projects.selectors import project_list_for

    projects = list(project_list_for(user=user).filter(cluster=cluster).order_by("plan__year", "code", "pk"))
    money: dict[int, dict[str, int]] = {p.pk: dict.fromkeys(SOURCE_CODES, 0) for p in projects}
    for f in ProjectFunding.objects.filter(project_id__in=list(money)).select_related("source"):
        code = f.source.code if f.source.code in SOURCE_CODES else "local"
        money[f.project_id][code] += _committed(f)
    rows = []
    for p in projects:
        m = money[p.pk]
        rows.append({"project": p, "year": p.plan.year, **m, "total": sum(m.values())})
    return rows


def money_by_year(rows: list[dict]) -> dict:
    """Year × source from the đề án rows (so the totals are the sum of the đề án, by construction)."""
    years: OrderedDict[int, dict] = OrderedDict()
    for r in sorted(rows, key=lambda r: r["year"]):
        y = years.setdefault(r["year"], {"year": r["year"], **dict.fromkeys(SOURCE_CODES, 0), "total": 0})
        for code in (*SOURCE_CODES, "total"):
            y[code] += r[code]
    totals = {code: sum(r[code] for r in rows) for code in (*SOURCE_CODES, "total")}
    return {"years": list(years.values()), "totals": totals}


def money_held(cluster_id: int, *, source_id: int, exclude_project_id=None) -> int:
    """Money of one source held against a cluster by its active đề án (approved, or requested before
    approval), every đề án whatever the reader: the cap is a fact about the cluster."""
    from khuyencong.projects.models import ProjectFunding

    qs = ProjectFunding.objects.filter(project__cluster_id=cluster_id, source_id=source_id).exclude(
        project__status__in=INACTIVE
    )
    if exclude_project_id is not None:
        qs = qs.exclude(project_id=exclude_project_id)
    return sum(_committed(f) for f in qs.only("approved", "requested"))


def cluster_choices_for(*, user, province_id=None) -> QuerySet[IndustrialCluster]:
    """Clusters a đề án form may offer (scoped; optionally one province)."""
    qs = cluster_list_for(user=user)
    if province_id:
        qs = qs.filter(province_id=province_id)
    return qs.order_by("name")
