"""Pages (plans: plan_views.py): the đề án list (filters, as-of, Excel), the đề án page (timeline, forms for
every allowed
transition), create/edit. Reads come from scoped selectors (an outsider gets 404); writes go through
services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from khuyencong.core.audit import history_url
from khuyencong.core.errors import DomainError
from khuyencong.core.listing import paginate
from khuyencong.core.permissions import can_edit, role_of

from . import exports, selectors, services, workflow
from .forms import DisbursementForm, FilterForm, OutputForm, ProjectForm, TransitionForm

SORTS = {
    "code": "code",
    "title": "title",
    "year": "plan__year",
    "status": "status",
    "progress": "progress_pct",
    "approved": "approved_total",
    "disbursed": "disbursed_total",
    "content": "content__code",
}


def _filtered(request, base=None):
    form = FilterForm(request.GET or None)
    as_of = None
    if form.is_valid():
        as_of = form.cleaned_data.get("as_of")
    params = request.GET.copy()
    params.pop("as_of", None)
    base = base if base is not None else selectors.project_list_for(user=request.user)
    qs = selectors.project_list_filter(base, params, as_of=as_of)
    return form, qs, as_of, selectors.project_day_rows(base, params, as_of=as_of)


def detail_prefix() -> str:
    """The path of the đề án pages before the id ("/projects/"): the list's rows link to prefix + id + "/"
    (one reverse a page, not one a row)."""
    return reverse("projects:detail", args=[0]).removesuffix("0/")


def _sort_key(request) -> tuple[str, bool]:
    key = request.GET.get("sort") or "code"
    path = SORTS.get(key.lstrip("-"))
    return (path, key.startswith("-")) if path else (SORTS["code"], False)


def _sorted(qs, request, as_of):
    path, desc = _sort_key(request)
    return selectors.project_list_order(qs, path, desc=desc, as_of=as_of)


@login_required
def project_list(request):
    """The đề án list at any scale: filter, count and sort on the bare đề án table, paginate on ids, then the
    page's 50 rows and their figures (set-based, as of a date if asked) and one statement for the totals
    row."""
    form, qs, as_of, day_rows = _filtered(request)
    ordered = _sorted(qs, request, as_of)
    if request.GET.get("format") == "xlsx":
        return exports.projects_xlsx(ordered, as_of=as_of)
    totals = selectors.project_list_summary(qs, as_of=as_of, day_rows=day_rows)
    path, desc = _sort_key(request)
    ids = selectors.project_list_ids(
        ordered,
        path,
        desc=desc,
        day_rows=day_rows,
        few=totals["count"] if request.GET.get("status") else None,
    )
    page = paginate(ids, request, count=totals["count"])
    page.object_list = selectors.project_list_rows(list(page.object_list), as_of=as_of)
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "detail_prefix": detail_prefix(),
            "totals": totals,
            "count": page.paginator.count,
            "as_of": as_of,
            "can_edit": can_edit(request.user),
        },
    )


def _detail_context(request, project, forms_override=None):
    role = role_of(request.user)
    forms_override = forms_override or {}
    transition_forms = []
    if can_edit(request.user):
        for target, _rule in workflow.allowed_transitions(project.status, role):
            transition_forms.append(
                forms_override.get(target)
                or TransitionForm(project=project, target=target, user=request.user)
            )
        for name, _rule in workflow.allowed_events(project.status, role):
            transition_forms.append(
                forms_override.get(name) or TransitionForm(project=project, target=name, user=request.user)
            )
    fundings = list(project.fundings.select_related("source"))
    paid = dict(
        project.disbursements.values("source__code")
        .annotate(s=Sum("amount"))
        .values_list("source__code", "s")
        .order_by()
    )
    funding_rows = [{"f": f, "paid": paid.get(f.source.code, 0)} for f in fundings]
    return {
        "project": project,
        "timeline": _with_changes(selectors.project_timeline(project=project)),
        "revisions": selectors.revision_rows(project=project),
        "funding_rows": funding_rows,
        "funding_totals": {
            "requested": sum(f.requested for f in fundings),
            "approved": sum(f.approved for f in fundings),
            "paid": sum(paid.values()),
        },
        "beneficiaries": project.beneficiaries.select_related("establishment", "establishment__commune"),
        "disbursements": project.disbursements.select_related("source").order_by("date", "pk"),
        "outputs": project.outputs.select_related("indicator").order_by("date", "pk"),
        "transition_forms": transition_forms,
        "disbursement_form": forms_override.get("disbursement") or DisbursementForm(),
        "output_form": forms_override.get("output") or OutputForm(),
        "can_edit": can_edit(request.user),
        "editable": project.status in services.EDITABLE,
        "history_url": history_url(project),
        "next_actor": workflow.waiting_for(project),
    }


def _with_changes(timeline: list[dict]) -> list[dict]:
    """Each step's before → after, formatted (money in đồng, dd/mm/yyyy, statuses by label); the status
    itself is
    already said by the step's "from → to"."""
    from khuyencong.core.workflow import describe_changes

    from .models import Project

    for row in timeline:
        changes = {k: v for k, v in (row.get("changes") or {}).items() if k != "status"}
        row["change_rows"] = describe_changes(changes, workflow=services.PROJECT_WORKFLOW, model=Project)
    return timeline


@login_required
def project_detail(request, pk: int):
    project = selectors.project_get_for(user=request.user, pk=pk)
    return render(request, "projects/project_detail.html", _detail_context(request, project))


@login_required
@require_POST
def project_transition(request, pk: int):
    project = selectors.project_get_for(user=request.user, pk=pk)
    target = request.POST.get("to_status", "")
    allowed = {t for t, _ in workflow.allowed_transitions(project.status, role_of(request.user))}
    allowed |= {e for e, _ in workflow.allowed_events(project.status, role_of(request.user))}
    if target not in allowed:
        # Refused the same way the service would refuse it (wrong status or role): say why.
        try:
            services.project_transition(
                project=project, actor=request.user, to_status=target, expected_version=project.version
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("projects:detail", pk=pk)
    form = TransitionForm(request.POST, project=project, target=target, user=request.user)
    if form.is_valid():
        try:
            services.project_transition(
                project=project,
                actor=request.user,
                to_status=target,
                expected_version=form.cleaned_data.get("version"),
                **form.data_for_service(),
            )
            messages.success(request, f"Đã thực hiện: {form.label}.")
            return redirect("projects:detail", pk=pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    messages.error(request, f"Chưa thực hiện được «{form.label}»: xem lỗi trong biểu mẫu.")
    project.refresh_from_db()
    return render(
        request, "projects/project_detail.html", _detail_context(request, project, {target: form}), status=400
    )


@login_required
@require_POST
def disbursement_create(request, pk: int):
    project = selectors.project_get_for(user=request.user, pk=pk)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        try:
            services.disbursement_create(project=project, actor=request.user, **form.cleaned_data)
            messages.success(request, "Đã ghi tạm ứng, thanh toán.")
            return redirect("projects:detail", pk=pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "projects/project_detail.html",
        _detail_context(request, project, {"disbursement": form}),
        status=400,
    )


@login_required
@require_POST
def output_create(request, pk: int):
    project = selectors.project_get_for(user=request.user, pk=pk)
    form = OutputForm(request.POST)
    if form.is_valid():
        try:
            services.output_record(project=project, actor=request.user, **form.cleaned_data)
            messages.success(request, "Đã ghi kết quả đầu ra.")
            return redirect("projects:detail", pk=pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "projects/project_detail.html",
        _detail_context(request, project, {"output": form}),
        status=400,
    )


@login_required
def project_create(request):
    if not can_edit(request.user):
        raise PermissionDenied("Bạn không có quyền tạo đề án.")
    plans = selectors.plan_list_for(user=request.user)
    initial = {}
    if request.GET.get("plan"):
        initial["plan"] = selectors.plan_get_for(user=request.user, pk=selectors._int(request.GET["plan"]))
    elif plans.count() == 1:
        initial["plan"] = plans.first()
    if initial.get("plan"):
        # The plan's next free code ("KCĐP-2018-07"), editable; the form's plan picker asks again on change.
        initial["code"] = services.next_code(initial["plan"])
    form = ProjectForm(request.POST or None, user=request.user, plans=plans, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data.pop("province", None)  # only narrows the commune list
        funding = form.funding()
        for code in ("national", "local", "district", "counterpart"):
            data.pop(f"requested_{code}", None)
        try:
            project = services.project_create(actor=request.user, funding=funding, **data)
            messages.success(request, f"Đã tạo đề án {project.code}.")
            return redirect("projects:detail", pk=project.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": "Tạo đề án khuyến công", "establishment_types": _quick_create_types(request)},
    )


def _quick_create_types(request):
    """The establishment types of the picker's «Tạo mới» box; none (no box) for who may not add one."""
    from khuyencong.catalog.models import EstablishmentType
    from khuyencong.core.scoping import scope_for

    if not can_edit(request.user) or scope_for(request.user).kind == "establishment":
        return []
    return list(EstablishmentType.objects.all())


@login_required
def project_edit(request, pk: int):
    project = selectors.project_get_for(user=request.user, pk=pk)
    if not can_edit(request.user):
        raise PermissionDenied("Bạn không có quyền sửa đề án.")
    plans = selectors.plan_list_for(user=request.user)
    initial = {
        f: getattr(project, f)
        for f in (
            "batch",
            "code",
            "title",
            "content",
            "support_cap",
            "implementing_unit",
            "is_flagship",
            "recoverable",
            "start_date",
            "end_date",
            "description",
            "commune",
            "cluster",
        )
    }
    initial["province"] = project.commune.current_province_id if project.commune_id else project.province_id
    initial["establishments"] = list(project.establishments.all())
    initial["version"] = project.version
    # The requested money may be corrected until approval; afterwards only «Điều chỉnh» changes it.
    money_editable = project.status in services.EDITABLE
    requested = dict(project.fundings.values_list("source__code", "requested"))
    initial.update({f"requested_{code}": amount for code, amount in requested.items()})
    form = ProjectForm(
        request.POST or None,
        user=request.user,
        plans=plans,
        editing=True,
        plan=project.plan,
        initial=initial,
        money_editable=money_editable,
    )
    if request.method == "POST" and form.is_valid():
        changes = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("version", "province") and not k.startswith("requested_")
        }
        try:
            with transaction.atomic():  # a refused amount (cap) keeps the other edits unsaved too
                updated = services.project_update(
                    project=project,
                    actor=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    changes=changes,
                )
                funding = form.funding_changes(requested) if money_editable else {}
                if funding:
                    services.project_set_funding(
                        project=updated, actor=request.user, funding=funding, expected_version=updated.version
                    )
            messages.success(request, "Đã lưu đề án.")
            return redirect("projects:detail", pk=pk)
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            if exc.field == "funding":
                field = next((f"requested_{c}" for c in form.funding_changes(requested)), None)
            form.add_error(field, exc.message)
    return render(
        request,
        "projects/form.html",
        {
            "form": form,
            "title": f"Sửa đề án {project.code}",
            "establishment_types": _quick_create_types(request),
            "back": reverse("projects:detail", args=[pk]),
            "money_note": None
            if money_editable
            else "Đề án đã được phê duyệt: kinh phí chỉ thay đổi qua thao tác «Điều chỉnh» trên trang đề án.",
        },
    )


@login_required
def plan_form_options(request, pk: int):
    """What the đề án form needs when its plan changes (static/js/forms.js): the plan's next free code, its
    batches and its province. A plan outside the reader's scope answers 404."""
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    batches = plan.batches.select_related("plan").order_by("number")
    return JsonResponse(
        {
            "code": services.next_code(plan),
            "batches": [{"value": b.pk, "text": str(b)} for b in batches],
            "province": plan.province_id,
        }
    )
