"""Scoped reads of activities: a Sở / TTKC sees its province's activities (old units included), a commune
office its units', the Cục all; an establishment's user sees the activities it took part in. Participations,
trainees and assessments follow their activity. There is no unscoped list reachable from a page or the API."""

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from khuyencong.core.listing import int_param
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import filter_folded

from .models import Activity, ActivityKind, Assessment, Participation


def activity_list_for(*, user) -> QuerySet[Activity]:
    scope = scope_for(user)
    qs = Activity.objects.select_related("kind", "unit", "province", "place", "funding_project", "content")
    if scope.kind == "establishment":
        taken = Q(participations__establishment_id=scope.establishment_id) | Q(
            assessments__establishment_id=scope.establishment_id
        )
        return qs.filter(pk__in=Activity.objects.filter(taken).values("pk"))
    return qs.filter(scope.q(province="province", unit="unit"))


def activity_get_for(*, user, pk) -> Activity:
    return get_object_or_404(activity_list_for(user=user), pk=pk)


def activity_filter(qs, params) -> QuerySet[Activity]:
    """Filters of the list page and the API: kind (code), group, year, province (id of a current province),
    content (code), project (đề án id), status, q (title, organiser; diacritics ignored)."""
    if params.get("kind"):
        qs = qs.filter(kind__code=params["kind"])
    if params.get("group"):
        qs = qs.filter(kind__group=params["group"])
    year = int_param(params.get("year"))
    if year:
        qs = qs.filter(year=year)
    province = params.get("province")
    province_id = getattr(province, "pk", None) or int_param(province)
    if province_id:
        qs = qs.filter(province_id=province_id)
    if params.get("content"):
        qs = qs.filter(content__code=params["content"])
    project = params.get("project")
    project_id = getattr(project, "pk", None) or int_param(project)
    if project_id:
        qs = qs.filter(funding_project_id=project_id)
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("q"):
        qs = filter_folded(qs, params["q"])
    return qs


def activity_totals(qs) -> dict:
    """The list's totals in one grouped read: activities, participations, trainees, assessments."""
    ids = qs.values("pk")
    t = Activity.objects.filter(pk__in=ids).aggregate(n=Count("pk"), trainees=Sum("trainees_total"))
    return {
        "activities": t["n"] or 0,
        "trainees": t["trainees"] or 0,
        "participations": Participation.objects.filter(activity_id__in=ids).count(),
        "assessments": Assessment.objects.filter(activity_id__in=ids).count(),
    }


def participation_list_for(*, user) -> QuerySet[Participation]:
    scope = scope_for(user)
    qs = Participation.objects.select_related("activity", "establishment", "establishment__commune")
    if scope.kind == "establishment":
        return qs.filter(establishment_id=scope.establishment_id)
    return qs.filter(activity__in=activity_list_for(user=user))


def kinds() -> QuerySet[ActivityKind]:
    return ActivityKind.objects.filter(is_active=True).order_by("order", "name")
