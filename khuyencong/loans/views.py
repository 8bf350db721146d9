"""Pages of recoverable support: the loan list (filters, totals, arrears as of a date, Excel), the loan page
(schedule, repayments with their allocation, the timeline of steps and recovery actions, the workflow), the
new-loan form, the terms (quy chế) and the revolving fund. Reads come from scoped selectors (an outsider gets
404); writes go through services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.core.listing import int_param
from khuyencong.core.permissions import can_edit, role_of
from khuyencong.core.scoping import scope_for
from khuyencong.core.xlsx import Sheet, xlsx_response

from . import selectors, services, workflow
from .forms import ActionForm, FundDrawForm, LoanForm, RepaymentForm, TermsForm
from .models import Loan, LoanStatus, RecoveryAction, Repayment, WriteOffCause


def _fail(request, exc: DomainError):
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)


def _as_of(request) -> dt.date:
    from khuyencong.projects.selectors import parse_as_of

    try:
        return parse_as_of(request.GET.get("as_of")) or timezone.localdate()
    except DomainError as exc:
        messages.error(request, exc.message)
        return timezone.localdate()


def _params(request) -> dict:
    out = {}
    for key in ("province", "year", "establishment"):
        value = int_param(request.GET.get(key))
        if value is not None:
            out[key] = value
    if request.GET.get("status") in LoanStatus.values:
        out["status"] = request.GET["status"]
    if request.GET.get("source"):
        out["source"] = request.GET["source"]
    return out


def _provinces(user):
    from khuyencong.geo.models import AdminUnit

    ids = selectors.loan_list_for(user=user).order_by().values("province_id").distinct()
    return AdminUnit.objects.filter(pk__in=ids).order_by("name")


@login_required
def loan_list(request):
    as_of = _as_of(request)
    qs = selectors.loan_filter(selectors.loan_list_for(user=request.user), _params(request)).order_by(
        "-contract_date", "pk"
    )
    bucket = request.GET.get("bucket") or None
    rows = selectors.arrears(qs, as_of, bucket=bucket)
    totals = selectors.totals(rows)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"khoan-vay-{as_of:%Y%m%d}.xlsx",
            [
                Sheet(
                    title="Khoản vay",
                    heading=f"Khoản vay khuyến công có hoàn trả — đến ngày {as_of:%d/%m/%Y}",
                    headers=[
                        "Số hợp đồng",
                        "Ngày hợp đồng",
                        "Cơ sở vay",
                        "Tỉnh",
                        "Đề án",
                        "Nguồn vốn",
                        "Số tiền vay",
                        "Đã trả",
                        "Dư nợ",
                        "Quá hạn",
                        "Số ngày quá hạn",
                        "Nhóm nợ",
                        "Xóa nợ",
                        "Trạng thái",
                    ],
                    rows=(
                        [
                            r.loan.contract_no,
                            r.loan.contract_date.strftime("%d/%m/%Y"),
                            r.loan.establishment.name,
                            r.loan.province.name,
                            r.loan.project.code,
                            r.loan.source.short_name,
                            r.loan.principal,
                            r.pos.paid,
                            r.pos.outstanding,
                            r.pos.overdue,
                            r.pos.days_past_due,
                            r.pos.bucket or "Trong hạn",
                            r.pos.written_off,
                            r.loan.get_status_display(),
                        ]
                        for r in rows
                    ),
                    totals=[
                        "Cộng",
                        "",
                        "",
                        "",
                        "",
                        "",
                        totals.get("principal", 0),
                        totals.get("paid", 0),
                        totals.get("outstanding", 0),
                        totals.get("overdue", 0),
                        "",
                        "",
                        totals.get("written_off", 0),
                        "",
                    ],
                )
            ],
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "loans/loan_list.html",
        {
            "page": page,
            "totals": totals,
            "as_of": as_of,
            "buckets": selectors.by_bucket(rows),
            "bucket_labels": selectors.bucket_labels(),
            "statuses": LoanStatus.choices,
            "provinces": _provinces(request.user),
            "can_create": can_edit(request.user) and scope_for(request.user).kind in ("all", "province"),
        },
    )


@login_required
def loan_new(request):
    from khuyencong.beneficiaries.selectors import establishment_list_for
    from khuyencong.projects.selectors import project_list_for

    projects = project_list_for(user=request.user).filter(recoverable=True).order_by("-plan__year", "code")
    establishments = establishment_list_for(user=request.user).filter(projects__in=projects).distinct()
    form = LoanForm(request.POST or None, projects=projects, establishments=establishments.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, NotAllowed):
                raise PermissionDenied(exc.message)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lập khoản vay.")
            return redirect("loans:loan", loan.pk)
    return render(request, "loans/loan_form.html", {"form": form})


def _timeline(loan: Loan) -> list[dict]:
    items = []
    for s in loan.steps.select_related("actor"):
        items.append(
            {
                "date": s.effective_date,
                "kind": "Bước xử lý",
                "text": s.label,
                "who": s.actor,
                "extra": (s.changes.get("note") or ["", ""])[1],
            }
        )
    for a in loan.actions.select_related("actor"):
        items.append(
            {
                "date": a.date,
                "kind": a.get_kind_display(),
                "text": a.note,
                "who": a.actor,
                "extra": a.document_no,
            }
        )
    for r in loan.repayments.select_related("actor"):
        text = f"{r.get_kind_display()} {r.amount:,} đồng".replace(",", ".")
        items.append(
            {"date": r.date, "kind": r.get_kind_display(), "text": text, "who": r.actor, "extra": r.note}
        )
    return sorted(items, key=lambda i: i["date"])


@login_required
def loan_detail(request, pk: int):
    loan = selectors.loan_get_for(user=request.user, pk=pk)
    full = selectors.with_ledger(Loan.objects.filter(pk=loan.pk)).select_related("terms").get()
    as_of = _as_of(request)
    pos = selectors.position(full, as_of)
    schedules = list(full.schedules.all())
    current = next((s for s in schedules if s.number == loan.schedule_no), None)
    preview = None
    if current is None:
        try:
            preview = services.preview_schedule(loan)
        except DomainError:
            preview = None
    reps = list(full.repayments.all())
    reversed_ids = {r.reverses_id for r in reps if r.reverses_id}
    editor = can_edit(request.user) and scope_for(request.user).allows_province(loan.province_id)
    role = role_of(request.user)
    return render(
        request,
        "loans/loan_detail.html",
        {
            "loan": loan,
            "pos": pos,
            "as_of": as_of,
            "current": current,
            "old_schedules": [s for s in schedules if s.number != loan.schedule_no],
            "preview": preview,
            "repayments": [
                {"r": r, "parts": pos.allocations.get(r.pk, []), "reversed": r.pk in reversed_ids}
                for r in reps
            ],
            "disbursements": loan.project.disbursements.filter(source=loan.source).order_by("date"),
            "timeline": _timeline(loan),
            "editor": editor,
            "transitions": workflow.allowed_transitions(loan.status, role) if editor else [],
            "can_propose": editor and loan.status in workflow.EVENTS["propose_writeoff"]["statuses"],
            "payable": editor and loan.status in services.PAYABLE,
            "repayment_form": RepaymentForm(),
            "action_form": ActionForm(),
            "causes": WriteOffCause.objects.order_by("order"),
            "frequencies": loan.terms._meta.get_field("frequency").choices,
            "action_kinds": RecoveryAction.Kind.choices,
        },
    )


@login_required
@require_POST
def loan_transition(request, pk: int):
    loan = selectors.loan_get_for(user=request.user, pk=pk)
    p = request.POST
    data = {
        k: p.get(k)
        for k in (
            "decision_no",
            "decision_date",
            "disbursed_on",
            "note",
            "writeoff_cause",
            "writeoff_reason",
            "writeoff_evidence",
            "writeoff_decision_no",
            "writeoff_decision_date",
            "term_months",
            "grace_months",
            "frequency",
        )
        if p.get(k) not in (None, "")
    }
    try:
        services.loan_transition(
            actor=request.user,
            loan=loan,
            to_status=p.get("to_status", ""),
            expected_version=p.get("version"),
            effective_date=p.get("effective_date") or None,
            **data,
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã ghi nhận.")
    return redirect("loans:loan", loan.pk)


@login_required
@require_POST
def repayment_new(request, pk: int):
    loan = selectors.loan_get_for(user=request.user, pk=pk)
    form = RepaymentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("loans:loan", loan.pk)
    try:
        services.repayment_record(actor=request.user, loan=loan, **form.cleaned_data)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã ghi nhận khoản trả nợ.")
    return redirect("loans:loan", loan.pk)


@login_required
@require_POST
def repayment_reverse(request, pk: int, rid: int):
    loan = selectors.loan_get_for(user=request.user, pk=pk)
    rep = Repayment.objects.filter(loan=loan, pk=rid).first()
    if rep is None:
        from django.http import Http404

        raise Http404
    try:
        services.repayment_reverse(
            actor=request.user,
            repayment=rep,
            date=request.POST.get("date") or None,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã hủy khoản trả (ghi một dòng hủy, khoản trả gốc được giữ nguyên).")
    return redirect("loans:loan", loan.pk)


@login_required
@require_POST
def action_new(request, pk: int):
    loan = selectors.loan_get_for(user=request.user, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("loans:loan", loan.pk)
    try:
        services.action_record(actor=request.user, loan=loan, **form.cleaned_data)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã ghi nhận biện pháp thu hồi nợ.")
    return redirect("loans:loan", loan.pk)


@login_required
def terms_list(request):
    scope = scope_for(request.user)
    form = None
    if can_edit(request.user) and scope.kind == "province":
        form = TermsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            from khuyencong.geo.models import AdminUnit

            d = dict(form.cleaned_data)
            d["interest_rate_pct"] = d.get("interest_rate_pct") or 0
            d["penalty_rate_pct"] = d.get("penalty_rate_pct") or 0
            try:
                services.terms_create(
                    actor=request.user, province=AdminUnit.objects.get(pk=scope.province_id), **d
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Đã ghi quy chế cho vay.")
                return redirect("loans:terms")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "quy-che-cho-vay.xlsx",
            [
                Sheet(
                    title="Quy chế cho vay",
                    headers=[
                        "Tỉnh",
                        "Quy chế",
                        "Số quyết định",
                        "Ngày quyết định",
                        "Áp dụng từ",
                        "Áp dụng đến",
                        "Mức tối đa (đồng)",
                        "Thời hạn (tháng)",
                        "Ân hạn (tháng)",
                        "Kỳ trả nợ",
                        "Lãi suất (%/năm)",
                        "Phạt chậm trả (%/năm)",
                        "Phải có bảo đảm",
                    ],
                    rows=(
                        [
                            t.province.name,
                            t.name,
                            t.decision_no,
                            t.decision_date.strftime("%d/%m/%Y"),
                            t.valid_from.strftime("%d/%m/%Y"),
                            t.valid_to.strftime("%d/%m/%Y") if t.valid_to else "",
                            t.max_amount,
                            t.term_months,
                            t.grace_months,
                            t.get_frequency_display(),
                            float(t.interest_rate_pct),
                            float(t.penalty_rate_pct),
                            "Có" if t.collateral_required else "Không",
                        ]
                        for t in selectors.terms_list_for(user=request.user)
                    ),
                )
            ],
        )
    return render(
        request,
        "loans/terms_list.html",
        {"terms": selectors.terms_list_for(user=request.user), "form": form},
    )


@login_required
def fund(request):
    """The revolving fund per province: lent, repaid, written off, outstanding, available to lend again."""
    as_of = _as_of(request)
    year = int_param(request.GET.get("year"))
    start = dt.date(year, 1, 1) if year else None
    end = min(dt.date(year, 12, 31), as_of) if year else as_of
    qs = selectors.loan_list_for(user=request.user)
    draws = selectors.draw_list_for(user=request.user)
    rows = []
    for province in _provinces(request.user):
        rows.append(
            {
                "province": province,
                **selectors.fund_ledger(
                    qs.filter(province=province), end=end, start=start, draws=draws.filter(province=province)
                ),
            }
        )
    if request.GET.get("format") == "xlsx":
        keys = ["lent", "repaid", "written_off", "outstanding", "repaid_total", "drawn_total", "available"]
        return xlsx_response(
            f"quy-quay-vong-{end:%Y%m%d}.xlsx",
            [
                Sheet(
                    title="Quỹ quay vòng",
                    heading=f"Quỹ quay vòng khuyến công có hoàn trả — đến ngày {end:%d/%m/%Y}",
                    headers=[
                        "Tỉnh",
                        "Cho vay",
                        "Thu nợ",
                        "Xóa nợ",
                        "Dư nợ cuối kỳ",
                        "Lũy kế thu hồi",
                        "Kế hoạch năm đã sử dụng",
                        "Có thể cho vay lại",
                    ],
                    rows=([r["province"].name, *[r[k] for k in keys]] for r in rows),
                ),
                _draw_sheet(
                    [d for r in rows for d in r["draws"]],
                    f"Kế hoạch năm sử dụng quỹ quay vòng — đến ngày {end:%d/%m/%Y}",
                ),
            ],
        )
    return render(
        request,
        "loans/fund.html",
        {
            "rows": rows,
            "as_of": end,
            "year": year,
            "any_draws": any(r["draws"] for r in rows),
            "can_draw": role_of(request.user) in ("approver", "admin")
            and scope_for(request.user).kind == "province",
        },
    )


def _draw_sheet(draws, title: str) -> Sheet:
    draws = list(draws)
    return Sheet(
        title="Sử dụng quỹ quay vòng",
        heading=title,
        headers=["Tỉnh", "Kế hoạch", "Năm", "Số quyết định", "Ngày quyết định", "Số tiền (đồng)", "Ghi chú"],
        rows=(
            [
                d.province.name,
                str(d.plan),
                d.plan.year,
                d.decision_no,
                d.decision_date.strftime("%d/%m/%Y"),
                d.amount,
                d.note,
            ]
            for d in draws
        ),
        totals=["Cộng", "", "", "", "", sum(d.amount for d in draws), ""],
    )


@login_required
def fund_draws(request):
    """What the province's annual plans used of the revolving fund (list, Excel) and, for the approver of the
    province, the form recording a decision to use it. A plan outside the reader's scope is 404."""
    from django.http import Http404

    from khuyencong.projects.models import AnnualPlan
    from khuyencong.projects.selectors import plan_get_for, plan_list_for

    plan = None
    plan_id = int_param(request.POST.get("plan") if request.method == "POST" else request.GET.get("plan"))
    if plan_id is not None:
        plan = plan_get_for(user=request.user, pk=plan_id)
    elif request.method == "POST" and request.POST.get("plan"):
        raise Http404
    params = {"plan": plan.pk if plan else None, "year": int_param(request.GET.get("year"))}
    draws = selectors.draw_filter(selectors.draw_list_for(user=request.user), params).order_by(
        "province__name", "decision_date", "pk"
    )
    if request.GET.get("format") == "xlsx":
        title = "Kế hoạch năm sử dụng quỹ quay vòng khuyến công có hoàn trả" + (f" — {plan}" if plan else "")
        return xlsx_response("su-dung-quy-quay-vong.xlsx", [_draw_sheet(draws, title)])
    form = None
    if role_of(request.user) in ("approver", "admin") and scope_for(request.user).kind == "province":
        plans = (
            plan_list_for(user=request.user)
            .filter(level="local", unit__isnull=False)
            .exclude(status=AnnualPlan.PlanStatus.CLOSED)
            .order_by("-year")
        )
        form = FundDrawForm(
            request.POST if request.method == "POST" else None,
            plans=plans,
            initial={"plan": plan.pk} if plan else None,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.fund_draw_record(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                if isinstance(exc, NotAllowed):
                    raise PermissionDenied(exc.message)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Đã ghi nhận kế hoạch sử dụng quỹ quay vòng.")
                target = form.cleaned_data["plan"]
                return redirect(f"{request.path}?plan={target.pk}")
    elif request.method == "POST":
        from khuyencong.core.permissions import ROLE_LABELS

        raise PermissionDenied(
            "Vai trò của bạn không được phép ghi nhận quyết định sử dụng quỹ quay vòng cho kế hoạch (cần vai "
            f"trò: {ROLE_LABELS['approver']}, {ROLE_LABELS['admin']})."
        )
    available = None
    if scope_for(request.user).kind == "province":
        available = selectors.fund_available(scope_for(request.user).province_id, timezone.localdate())
    return render(
        request,
        "loans/fund_draws.html",
        {
            "draws": draws,
            "total": sum(d.amount for d in draws),
            "plan": plan,
            "form": form,
            "available": available,
            "plan_fund": selectors.plan_fund(plan) if plan else None,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def loan_import(request):
    """Upload the old debt book (loans + repayments): all or nothing, errors by row and column."""
    from django.http import HttpResponse

    from khuyencong.core.errors import ImportFailed
    from khuyencong.core.xlsx import XLSX_MIME

    from . import imports

    if request.GET.get("template"):
        response = HttpResponse(imports.template_xlsx(), content_type=XLSX_MIME)
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-so-no.xlsx"'
        return response
    errors, result = [], None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Chọn tệp Excel để nhập.")
        elif upload.size > 20 * 1024 * 1024:
            messages.error(request, "Tệp quá lớn (tối đa 20 MB).")
        else:
            try:
                result = imports.import_loans(actor=request.user, content=upload.read())
            except ImportFailed as exc:
                messages.error(request, exc.message)
                errors = exc.errors
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(
                    request, f"Đã nhập {result['loans']} khoản vay và {result['repayments']} khoản trả nợ."
                )
                return redirect("loans:list")
    return render(request, "loans/import.html", {"errors": errors, "can_edit": can_edit(request.user)})
