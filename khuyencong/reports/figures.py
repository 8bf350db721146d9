"""Per-plan summary figures for the dashboard (`PlanFigure`), kept right by marks.

Every save or delete of a đề án, its funding rows, payments or outputs marks its plan (`PlanFigureDirty`, in
the same transaction as the change, through model signals — services, admin and merges all save through the
ORM). Before the dashboard reads, `plan_figures_sync()` rebuilds the marked plans from the records and removes
the marks it handled, so the dashboard shows every committed change at once while reading ~20 rows per plan
instead of every đề án. Raw bulk loaders (`generate_national`) call `plan_figures_rebuild()` at the end.
"""

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.signals import post_delete, post_init, post_save

from .models import PlanFigure, PlanFigureDirty

STOPPED = ("stopped", "cancelled")
# A second total row per plan, key "counterpart": the counterpart's approved money and payments (the plain
# total
# row, key "", is the state budget). Cancelled đề án count in no money row; their status row stays (the
# dashboard
# shows them on their own line).
COUNTERPART_KEY = "counterpart"


def mark_plans(plan_ids) -> None:
    ids = {int(p) for p in plan_ids if p}
    if ids:
        PlanFigureDirty.objects.bulk_create([PlanFigureDirty(plan_id=p) for p in ids])


def _compute(plan_ids: list[int] | None) -> list[PlanFigure]:
    from khuyencong.catalog.models import FundingSource
    from khuyencong.projects.models import Disbursement, Project, ProjectFunding, ProjectOutput

    # For a few plans, go through their đề án ids (indexed foreign keys) rather than a join over every row.
    # (order_by(): Project's default ordering would join the plan and its unit just to sort ids.)
    projects = Project.objects.order_by()
    project_ids = None
    if plan_ids is not None:
        projects = projects.filter(plan_id__in=plan_ids)
        project_ids = list(projects.values_list("pk", flat=True))

    def of_projects(qs):
        return qs if project_ids is None else qs.filter(project_id__in=project_ids)

    counterpart = list(FundingSource.objects.filter(code="counterpart").values_list("id", flat=True))
    money: dict[tuple[int, int], PlanFigure] = {}

    def money_row(plan_id, content_id) -> PlanFigure:
        row = money.get((plan_id, content_id))
        if row is None:
            row = money[(plan_id, content_id)] = PlanFigure(
                plan_id=plan_id, kind=PlanFigure.Kind.MONEY, key=str(content_id)
            )
        return row

    for r in (
        of_projects(ProjectFunding.objects)
        .exclude(source_id__in=counterpart)
        .exclude(project__status__in=STOPPED)
        .values("project__plan_id", "project__content_id")
        .annotate(s=Sum("approved"))
        .order_by()
    ):
        money_row(r["project__plan_id"], r["project__content_id"]).value = r["s"] or 0
    for r in (
        of_projects(Disbursement.objects)
        .exclude(source_id__in=counterpart)
        .exclude(project__status="cancelled")
        .values("project__plan_id", "project__content_id")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        money_row(r["project__plan_id"], r["project__content_id"]).disbursed = r["s"] or 0
    rows = list(money.values())
    own: dict[int, PlanFigure] = {}

    def own_row(plan_id) -> PlanFigure:
        if plan_id not in own:
            own[plan_id] = PlanFigure(plan_id=plan_id, kind=PlanFigure.Kind.TOTAL, key=COUNTERPART_KEY)
        return own[plan_id]

    for r in (
        of_projects(ProjectFunding.objects)
        .filter(source_id__in=counterpart)
        .exclude(project__status__in=STOPPED)
        .values("project__plan_id")
        .annotate(s=Sum("approved"))
        .order_by()
    ):
        own_row(r["project__plan_id"]).value = r["s"] or 0
    for r in (
        of_projects(Disbursement.objects)
        .filter(source_id__in=counterpart)
        .exclude(project__status="cancelled")
        .values("project__plan_id")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        own_row(r["project__plan_id"]).disbursed = r["s"] or 0
    rows += [r for r in own.values() if r.value or r.disbursed]
    totals: dict[int, PlanFigure] = {}
    for row in money.values():
        total = totals.get(row.plan_id)
        if total is None:
            total = totals[row.plan_id] = PlanFigure(plan_id=row.plan_id, kind=PlanFigure.Kind.TOTAL, key="")
        total.value += row.value
        total.disbursed += row.disbursed
    rows += totals.values()
    for r in projects.values("plan_id", "status").annotate(n=Count("pk")).order_by():
        rows.append(
            PlanFigure(plan_id=r["plan_id"], kind=PlanFigure.Kind.STATUS, key=r["status"], value=r["n"])
        )
    for r in (
        of_projects(ProjectOutput.objects)
        .values("project__plan_id", "indicator_id")
        .annotate(s=Sum("quantity"))
        .order_by()
    ):
        rows.append(
            PlanFigure(
                plan_id=r["project__plan_id"],
                kind=PlanFigure.Kind.OUTPUT,
                key=str(r["indicator_id"]),
                value=r["s"] or 0,
            )
        )
    return rows


def plan_figures_sync() -> int:
    """Rebuild the figures of every marked plan; returns how many plans were rebuilt. On PostgreSQL the marks
    are locked while rebuilding, so a second reader waits and then reads the rebuilt figures."""
    if not PlanFigureDirty.objects.exists():
        return 0
    with transaction.atomic():
        marks = list(PlanFigureDirty.objects.select_for_update().values_list("id", "plan_id"))
        if not marks:
            return 0
        plan_ids = sorted({p for _i, p in marks})
        for start in range(0, len(plan_ids), 500):
            chunk = plan_ids[start : start + 500]
            PlanFigure.objects.filter(plan_id__in=chunk).delete()
            PlanFigure.objects.bulk_create(_compute(chunk), batch_size=1000)
        mark_ids = [i for i, _p in marks]
        for start in range(0, len(mark_ids), 500):
            PlanFigureDirty.objects.filter(id__in=mark_ids[start : start + 500]).delete()
    return len(plan_ids)


def plan_figures_rebuild() -> int:
    """Rebuild every plan's figures from the records (after raw bulk loads); returns the number of rows."""
    with transaction.atomic():
        PlanFigureDirty.objects.all().delete()
        PlanFigure.objects.all().delete()
        rows = _compute(None)
        PlanFigure.objects.bulk_create(rows, batch_size=2000)
    from khuyencong.core import dataversion

    dataversion.bump(dataversion.FIGURES)  # after raw loads, which no signal announced
    return len(rows)


# --- marks from model signals ------------------------------------------------------------------------------


def _project_init(sender, instance, **kwargs):
    instance._kc_plan_id = instance.__dict__.get("plan_id")


def _project_changed(sender, instance, **kwargs):
    mark_plans({instance.plan_id, getattr(instance, "_kc_plan_id", None)})
    instance._kc_plan_id = instance.plan_id


def _child_changed(sender, instance, **kwargs):
    from khuyencong.projects.models import Project

    project = instance._state.fields_cache.get("project")
    plan_id = (
        project.plan_id
        if project is not None
        else (Project.objects.filter(pk=instance.project_id).values_list("plan_id", flat=True).first())
    )
    mark_plans({plan_id})


def connect_signals() -> None:
    from khuyencong.projects.models import Disbursement, Project, ProjectFunding, ProjectOutput

    post_init.connect(_project_init, sender=Project, dispatch_uid="kc_planfig_project_init")
    post_save.connect(_project_changed, sender=Project, dispatch_uid="kc_planfig_project_save")
    post_delete.connect(_project_changed, sender=Project, dispatch_uid="kc_planfig_project_delete")
    for model in (ProjectFunding, Disbursement, ProjectOutput):
        post_save.connect(_child_changed, sender=model, dispatch_uid=f"kc_planfig_{model.__name__}_save")
        post_delete.connect(_child_changed, sender=model, dispatch_uid=f"kc_planfig_{model.__name__}_delete")
