"""Plan pages: the list, a plan (money per source as of a day, batches, its steps, its đề án), create, edit,
delete, the plan's transitions, and batches (add, edit, delete). Reads come from scoped selectors (an outsider
gets 404 on every page); writes go through services, whose DomainError is shown next to the field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from khuyencong.core import dataversion
from khuyencong.core.audit import history_url
from khuyencong.core.collation import ViSort, vi_order
from khuyencong.core.errors import DomainError
from khuyencong.core.listing import apply_sort, paginate
from khuyencong.core.permissions import can_edit, role_of
from khuyencong.core.scoping import scope_for
from khuyencong.geo.models import AdminUnit

from . import exports, plan_workflow, selectors, services
from .models import AnnualPlan, Batch, Level, Project
from .plan_forms import AsOfForm, BatchForm, PlanForm, PlanTransitionForm
from .views import detail_prefix

PLAN_SORTS = {
    "year": "year",
    "unit": ViSort("unit__name"),
    "level": "level",
    "status": "status",
    "registered": "registered_total",
    "assigned": "assigned_total",
    "projects": "n_projects",
}


def _require_editor(user, action: str) -> None:
    if not can_edit(user):
        raise PermissionDenied(f"Bạn không có quyền {action}.")


def _error_to(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    if field is None and exc.field and exc.field.startswith("amount"):
        field = next((f for f in form.fields if f.startswith("amount_")), None)
    form.add_error(field, exc.message)


@login_required
def plan_list(request):
    base = selectors.plan_list_for(user=request.user)
    plans = selectors.plan_list_with_totals(selectors.plan_filter(base, request.GET))
    plans = apply_sort(plans, request, PLAN_SORTS, "-year")
    # Totals row and count: kept until a plan, batch or đề án changes (core.dataversion).
    totals = dataversion.remember(
        "projects",
        ("plan totals", dataversion.query_key(plans)),
        lambda: {
            "count": plans.count(),
            **plans.aggregate(
                registered=Sum("registered_total"), assigned=Sum("assigned_total"), projects=Sum("n_projects")
            ),
        },
    )
    if request.GET.get("format") == "xlsx":
        return exports.plans_xlsx(plans, totals)
    page = paginate(plans, request, count=totals["count"])
    scope = scope_for(request.user)
    return render(
        request,
        "projects/plan_list.html",
        {
            "page": page,
            "totals": totals,
            "count": page.paginator.count,
            "can_edit": can_edit(request.user),
            "years": list(base.order_by("-year").values_list("year", flat=True).distinct()),
            "levels": Level.choices,
            "statuses": AnnualPlan.PlanStatus.choices,
            "provinces": (
                AdminUnit.objects.filter(era=AdminUnit.Era.CURRENT, level=AdminUnit.Level.PROVINCE).order_by(
                    vi_order("name")
                )
                if scope.sees_all
                else []
            ),
        },
    )


def _plan_context(request, plan, *, overrides=None) -> dict:
    overrides = overrides or {}
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    projects = selectors.project_list_for(user=request.user).filter(plan=plan)
    # The plan's figures (status summary, money by source) are the same for every reader of this scope until
    # a record they come from changes: kept under those tables' data versions (core.dataversion), with the
    # day in Việt Nam (the money's default "as of", `plan_money`).
    summary, money = dataversion.remember(
        dataversion.FIGURES,
        ("plan-figures", plan.pk, dataversion.query_key(projects), as_of, timezone.localdate()),
        lambda: (
            selectors.plan_summary(plan=plan, projects=projects, as_of=as_of),
            selectors.plan_money(plan=plan, as_of=as_of, projects=projects),
        ),
    )
    # The plan's đề án as the list shows them (and the plan's export lists them): by code, as of a day only
    # those that existed then, with their status, progress and money of that day.
    ordered = selectors.project_list_order(
        selectors.project_list_filter(projects, {}, as_of=as_of), "code", desc=False, as_of=as_of
    )
    rows = selectors.project_list_rows(list(ordered.values_list("pk", flat=True)), as_of=as_of)
    editor = can_edit(request.user)
    transition_forms = []
    if editor:
        for target, _rule in plan_workflow.allowed_plan_transitions(plan.status, role_of(request.user)):
            transition_forms.append(overrides.get(target) or PlanTransitionForm(plan=plan, target=target))
    # A batch in use (a đề án of it or carried over from it, a later batch carried from it) cannot be deleted.
    batches = list(
        plan.batches.prefetch_related("allocations__source")
        .select_related("carried_over_from__plan")
        .annotate(
            used=Exists(Project.objects.filter(batch=OuterRef("pk")))
            | Exists(Project.objects.filter(carried_over_from=OuterRef("pk")))
            | Exists(Batch.objects.filter(carried_over_from=OuterRef("pk")))
        )
    )
    open_plan = plan.status != AnnualPlan.PlanStatus.CLOSED
    from khuyencong.loans.selectors import plan_fund

    return {
        "fund": plan_fund(plan, money["as_of"]),
        "can_draw_fund": role_of(request.user) in ("approver", "admin") and open_plan,
        "plan": plan,
        "summary": summary,
        "money": money,
        "rows": rows,
        "detail_prefix": detail_prefix(),
        "as_of": as_of,
        "form": form,
        "carried": selectors.project_list_for(user=request.user).filter(carried_over_from__plan=plan),
        "batches": batches,
        "history_url": history_url(plan),
        "can_edit": editor,
        "steps": plan.status_changes.select_related("actor").order_by("effective_date", "pk"),
        "transition_forms": transition_forms,
        "batch_form": overrides.get("batch") or (BatchForm(plan=plan) if editor and open_plan else None),
        "can_delete": editor and not batches and not plan.projects.exists(),
        "open_plan": open_plan,
        "next_actor": plan_workflow.plan_waiting_for(plan),
    }


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    if request.GET.get("format") == "xlsx":
        form = AsOfForm(request.GET or None)
        as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
        projects = selectors.project_list_for(user=request.user).filter(plan=plan)
        ordered = selectors.project_list_order(
            selectors.project_list_filter(projects, {}, as_of=as_of), "code", desc=False, as_of=as_of
        )
        return exports.projects_xlsx(ordered, as_of=as_of, title=str(plan))
    return render(request, "projects/plan_detail.html", _plan_context(request, plan))


def _plan_form_page(request, form, title, back=None, status=200):
    form.fields["year"].widget.attrs["hx-get"] = request.path
    return render(request, "projects/form.html", {"form": form, "title": title, "back": back}, status=status)


@login_required
def plan_create(request):
    _require_editor(request.user, "lập kế hoạch")
    initial = {"year": request.GET.get("year")} if request.GET.get("year") else {}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user,
                unit=d["unit"],
                year=d["year"],
                level=d["level"],
                title=d["title"],
                registered_total=d["registered_total"] or 0,
                note=d["note"],
                effective_date=d.get("effective_date"),
            )
            messages.success(request, "Đã lập kế hoạch.")
            return redirect("projects:plan", pk=plan.pk)
        except DomainError as exc:
            _error_to(form, exc)
    return _plan_form_page(request, form, "Lập kế hoạch khuyến công năm")


@login_required
def plan_edit(request, pk: int):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    _require_editor(request.user, "sửa kế hoạch")
    initial = {
        "unit": plan.unit,
        "year": request.GET.get("year") or plan.year,
        "level": plan.level,
        "title": plan.title,
        "registered_total": plan.registered_total,
        "note": plan.note,
        "version": plan.version,
    }
    # The registration date may be corrected while it is the plan's only step.
    registered = not plan.status_changes.exclude(action="create").exists()
    created = plan.status_changes.filter(action="create").first()
    initial["effective_date"] = created.effective_date if created else None
    form = PlanForm(
        request.POST or None, user=request.user, editing=True, registered=registered, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        changes["registered_total"] = changes.get("registered_total") or 0
        try:
            services.plan_update(
                plan=plan,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                changes=changes,
            )
            messages.success(request, "Đã lưu kế hoạch.")
            return redirect("projects:plan", pk=pk)
        except DomainError as exc:
            _error_to(form, exc)
    return _plan_form_page(request, form, f"Sửa kế hoạch — {plan}", back=reverse("projects:plan", args=[pk]))


@login_required
@require_POST
def plan_delete(request, pk: int):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    _require_editor(request.user, "xóa kế hoạch")
    try:
        services.plan_delete(plan=plan, actor=request.user, expected_version=request.POST.get("version"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("projects:plan", pk=pk)
    messages.success(request, f"Đã xóa {plan}.")
    return redirect("projects:plans")


@login_required
@require_POST
def plan_transition(request, pk: int):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    _require_editor(request.user, "cập nhật kế hoạch")
    target = request.POST.get("to_status", "")
    if (plan.status, target) not in plan_workflow.PLAN_TRANSITIONS:
        try:
            services.plan_transition(
                plan=plan, actor=request.user, to_status=target, expected_version=request.POST.get("version")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("projects:plan", pk=pk)
    form = PlanTransitionForm(request.POST, plan=plan, target=target)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_transition(
                plan=plan,
                actor=request.user,
                to_status=target,
                expected_version=d["version"],
                decision_no=d["decision_no"],
                decision_date=d["decision_date"],
                issuer=d["issuer"],
                note=d["note"],
            )
            messages.success(request, f"Đã thực hiện: {form.label}.")
            return redirect("projects:plan", pk=pk)
        except DomainError as exc:
            _error_to(form, exc)
    messages.error(request, f"Chưa thực hiện được «{form.label}»: xem lỗi trong biểu mẫu.")
    plan.refresh_from_db()
    return render(
        request,
        "projects/plan_detail.html",
        _plan_context(request, plan, overrides={target: form}),
        status=400,
    )


@login_required
@require_POST
def batch_create(request, pk: int):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    _require_editor(request.user, "ghi đợt giao kế hoạch")
    form = BatchForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            batch = services.batch_create(actor=request.user, plan=plan, **form.service_values())
            messages.success(request, f"Đã ghi đợt {batch.number}.")
            return redirect("projects:plan", pk=pk)
        except DomainError as exc:
            _error_to(form, exc)
    messages.error(request, "Chưa ghi được đợt giao: xem lỗi trong biểu mẫu.")
    plan.refresh_from_db()
    return render(
        request,
        "projects/plan_detail.html",
        _plan_context(request, plan, overrides={"batch": form}),
        status=400,
    )


@login_required
def batch_edit(request, pk: int, batch_pk: int):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    batch = get_object_or_404(plan.batches, pk=batch_pk)
    _require_editor(request.user, "sửa đợt giao kế hoạch")
    initial = {
        f: getattr(batch, f)
        for f in (
            "number",
            "decision_no",
            "decision_date",
            "issuer",
            "is_supplementary",
            "carried_over_from",
            "note",
        )
    }
    initial["version"] = batch.version
    for a in batch.allocations.select_related("source"):
        initial[f"amount_{a.source.code}"] = a.amount
    form = BatchForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_update(
                batch=batch,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                changes=form.service_values(),
            )
            messages.success(request, f"Đã lưu đợt {batch.number}.")
            return redirect("projects:plan", pk=pk)
        except DomainError as exc:
            _error_to(form, exc)
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": f"Sửa {batch} — {plan}", "back": reverse("projects:plan", args=[pk])},
    )


@login_required
@require_POST
def batch_delete(request, pk: int, batch_pk: int):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    batch = get_object_or_404(plan.batches, pk=batch_pk)
    _require_editor(request.user, "xóa đợt giao kế hoạch")
    try:
        services.batch_delete(batch=batch, actor=request.user, expected_version=request.POST.get("version"))
        messages.success(request, f"Đã xóa đợt {batch.number}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("projects:plan", pk=pk)
