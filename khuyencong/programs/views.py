"""Pages: the programme list (filters, sort, totals, Excel), the programme page (phases, targets, the budget
matrix
with computed subtotals in triệu, stated figures, disagreements highlighted, status timeline and transition
forms,
import/export of the appendix, history link) and the progress page. Reads come from scoped selectors (an
outsider
gets 404); every write goes through a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from khuyencong.core.audit import history_url
from khuyencong.core.errors import DomainError, ImportFailed
from khuyencong.core.listing import apply_sort, paginate
from khuyencong.core.permissions import can_edit, role_of
from khuyencong.core.xlsx import Sheet, xlsx_response

from . import exports, imports, selectors, services, workflow
from .checks import check_program
from .forms import (
    BudgetCellForm,
    FilterForm,
    ImportForm,
    LegalBasisForm,
    PhaseForm,
    ProgramForm,
    StatedFigureForm,
    TargetForm,
    TransitionForm,
)
from .models import StatedFigure

SORTS = {
    "title": "title",
    "year": "year_from",
    "status": "status",
    "total": "budget_total",
    "owner": "owner_unit__name",
}


@login_required
def program_list(request):
    form = FilterForm(request.GET or None)
    qs = selectors.with_totals(
        selectors.program_filter(
            selectors.program_list_for(user=request.user), form.data if form.is_bound else {}
        )
    )
    qs = apply_sort(qs, request, SORTS, "-year")
    if request.GET.get("format") == "xlsx":
        return exports.programs_xlsx(list(qs))
    total = sum(p.budget_total or 0 for p in qs)
    page = paginate(qs, request)
    return render(
        request,
        "programs/program_list.html",
        {
            "form": form,
            "page": page,
            "total": total,
            "count": page.paginator.count,
            "can_edit": can_edit(request.user),
        },
    )


@login_required
def program_create(request):
    if not can_edit(request.user):
        raise PermissionDenied("Bạn không có quyền lập chương trình.")
    form = ProgramForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            program = services.program_create(
                actor=request.user,
                owner_unit=d["owner_unit"],
                title=d["title"],
                code=d["code"],
                year_from=d["year_from"],
                year_to=d["year_to"],
                general_objectives=d["general_objectives"],
                specific_objectives=d["specific_objectives"],
                note=d["note"],
                effective_date=d.get("effective_date"),
            )
            messages.success(request, "Đã lập chương trình (dự thảo).")
            return redirect("programs:detail", pk=program.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "programs/form.html", {"form": form, "title": "Lập chương trình khuyến công"})


@login_required
def program_edit(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    if not can_edit(request.user):
        raise PermissionDenied("Bạn không có quyền sửa chương trình.")
    initial = {f: getattr(program, f) for f in services.EDIT_FIELDS}
    initial["version"] = program.version
    form = ProgramForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.program_update(
                actor=request.user,
                program=program,
                expected_version=d.get("version"),
                **{f: d[f] for f in services.EDIT_FIELDS},
            )
            messages.success(request, "Đã lưu thông tin chương trình.")
            return redirect("programs:detail", pk=program.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "programs/form.html",
        {"form": form, "title": f"Sửa chương trình: {program.title}", "program": program},
    )


def _matrix_view(program, check):
    matrix = selectors.budget_matrix(program)
    flags = {}
    for d in check.disagreements:
        if d.cell:
            flags.setdefault(d.cell, []).append(d)
    cols = matrix.columns
    rows = []
    for row in matrix.rows():
        content = row.content.code if row.content else ""
        source = row.source.code if row.source else ""
        cells = []
        for col, value in zip(cols, row.values, strict=True):
            found = flags.get(f"{content}|{source}|{col.key}", [])
            cells.append(
                {
                    "value": value,
                    "col": col,
                    "flags": found,
                    "title": "; ".join(f"{d.location}: văn bản ghi {d.stated}" for d in found),
                }
            )
        rows.append({"row": row, "cells": cells})
    groups = []
    for col in cols:
        label = col.group if col.kind != "total" else f"Giai đoạn {program.period_label}"
        if groups and groups[-1]["label"] == label and col.kind != "total" and col.group:
            groups[-1]["span"] += 1
        else:
            groups.append({"label": label, "span": 1, "total": col.kind == "total"})
    return {"matrix": matrix, "columns": cols, "groups": groups, "rows": rows, "shares": matrix.shares()}


def _detail_context(request, program, forms_override=None):
    forms_override = forms_override or {}
    role = role_of(request.user)
    editable = can_edit(request.user) and program.status in workflow.EDITABLE
    check = check_program(program)
    transition_forms = []
    if can_edit(request.user):
        for target, _rule in workflow.allowed_transitions(program.status, role):
            transition_forms.append(
                forms_override.get(f"t-{target}") or TransitionForm(program=program, target=target)
            )
    figures = list(selectors.stated_figures(program))
    disagreeing = {d.figure_id for d in check.disagreements if d.figure_id}
    return {
        "program": program,
        "phases": list(program.phases.order_by("year_from")),
        "legal_bases": program.legal_basis_rows.select_related("document"),
        "targets": selectors.target_rows(program),
        "check": check,
        "text_figures": [f for f in figures if f.origin == StatedFigure.Origin.TEXT],
        "appendix_figures": [f for f in figures if f.origin == StatedFigure.Origin.APPENDIX],
        "disagreeing": disagreeing,
        "timeline": selectors.status_timeline(program),
        "transition_forms": transition_forms,
        "editable": editable,
        "can_edit": can_edit(request.user),
        "history_url": history_url(program),
        "import_form": forms_override.get("import") or ImportForm(),
        "import_errors": forms_override.get("import_errors"),
        "cell_form": forms_override.get("cell") or BudgetCellForm(program=program),
        "stated_form": forms_override.get("stated") or StatedFigureForm(program=program),
        "target_form": forms_override.get("target") or TargetForm(program=program),
        "phase_form": forms_override.get("phase") or PhaseForm(),
        "basis_form": forms_override.get("basis") or LegalBasisForm(),
        **_matrix_view(program, check),
    }


@login_required
def program_detail(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    return render(request, "programs/program_detail.html", _detail_context(request, program))


def _rerender(request, program, key, form, status=400, **extra):
    context = _detail_context(request, program, {key: form, **extra})
    return render(request, "programs/program_detail.html", context, status=status)


def _apply_error(form, exc: DomainError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@require_POST
def program_transition(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    target = request.POST.get("target", "")
    if (program.status, target) not in workflow.TRANSITIONS:
        messages.error(request, "Không thể chuyển chương trình sang trạng thái này.")
        return redirect("programs:detail", pk=pk)
    form = TransitionForm(request.POST, program=program, target=target)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.program_transition(
                actor=request.user,
                program=program,
                to_status=target,
                expected_version=d.get("version"),
                effective_date=d.get("effective_date"),
                note=d.get("note", ""),
                decision_no=d.get("decision_no", ""),
                decision_date=d.get("decision_date"),
                decision_issuer=d.get("decision_issuer", ""),
            )
            messages.success(request, f"Đã thực hiện: {form.label}.")
            return redirect("programs:detail", pk=pk)
        except DomainError as exc:
            _apply_error(form, exc)
    return _rerender(request, program, f"t-{target}", form)


@login_required
@require_POST
def appendix_import(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["file"]
        try:
            counts = imports.appendix_import(
                actor=request.user, program=program, data=f.read(), filename=f.name
            )
            messages.success(
                request,
                f"Đã nhập phụ lục: {counts['created']} ô mới, {counts['updated']} ô thay đổi, "
                f"{counts['deleted']} ô bỏ, {counts['stated']} số tổng văn bản ghi.",
            )
            return redirect("programs:detail", pk=pk)
        except ImportFailed as exc:
            form.add_error(None, exc.message)
            return _rerender(request, program, "import", form, import_errors=exc.errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
    if not (can_edit(request.user) and program.status in workflow.EDITABLE):
        # The import form is only shown on a draft: say why here, or the page would show no message at all.
        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
    return _rerender(request, program, "import", form)


@login_required
@require_POST
def budget_cell(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    form = BudgetCellForm(request.POST, program=program)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.budget_line_set(
                actor=request.user,
                program=program,
                content=d["content"],
                funding_source=d["funding_source"],
                year=d["year"],
                amount=d["amount"],
            )
            messages.success(request, "Đã lưu ô dự toán.")
            return redirect("programs:detail", pk=pk)
        except DomainError as exc:
            _apply_error(form, exc)
    return _rerender(request, program, "cell", form)


@login_required
@require_POST
def stated_add(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    form = StatedFigureForm(request.POST, program=program)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.stated_figure_add(
                actor=request.user,
                program=program,
                kind=d["kind"],
                value=d["value"],
                content=d["content"] or None,
                funding_source=d["funding_source"] or None,
                phase=d["phase"] or None,
                year=d["year"] or None,
                target=d["target"] or None,
                location=d["location"],
                text=d["text"],
            )
            messages.success(request, "Đã ghi số liệu văn bản nêu.")
            return redirect("programs:detail", pk=pk)
        except DomainError as exc:
            _apply_error(form, exc)
    return _rerender(request, program, "stated", form)


@login_required
@require_POST
def stated_delete(request, pk: int, figure_pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    figure = get_object_or_404(program.stated_figures, pk=figure_pk)
    try:
        services.stated_figure_delete(actor=request.user, figure=figure)
        messages.success(request, "Đã xóa số liệu văn bản nêu.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("programs:detail", pk=pk)


@login_required
@require_POST
def target_add(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    form = TargetForm(request.POST, program=program)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.target_create(
                actor=request.user,
                program=program,
                name=d["name"],
                unit=d["unit"],
                content=d["content"] or None,
                indicator=d["indicator"] or None,
                values=form.phase_values(),
                overall_value=d["overall_value"] or None,
                location=d["location"],
            )
            messages.success(request, "Đã thêm mục tiêu.")
            return redirect("programs:detail", pk=pk)
        except DomainError as exc:
            _apply_error(form, exc)
    return _rerender(request, program, "target", form)


@login_required
@require_POST
def phase_add(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    form = PhaseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.phase_set(
                actor=request.user,
                program=program,
                name=d["name"],
                year_from=d["year_from"],
                year_to=d["year_to"],
            )
            messages.success(request, "Đã lưu giai đoạn.")
            return redirect("programs:detail", pk=pk)
        except DomainError as exc:
            _apply_error(form, exc)
    return _rerender(request, program, "phase", form)


@login_required
@require_POST
def basis_add(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    form = LegalBasisForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.program_add_legal_basis(actor=request.user, program=program, **d)
            messages.success(request, "Đã thêm cơ sở pháp lý.")
            return redirect("programs:detail", pk=pk)
        except DomainError as exc:
            _apply_error(form, exc)
    return _rerender(request, program, "basis", form)


@login_required
def appendix_xlsx(request, pk: int):
    return exports.appendix_xlsx(selectors.program_get_for(user=request.user, pk=pk))


@login_required
def appendix_docx(request, pk: int):
    return exports.appendix_docx(selectors.program_get_for(user=request.user, pk=pk))


@login_required
def program_progress(request, pk: int):
    program = selectors.program_get_for(user=request.user, pk=pk)
    data = selectors.program_progress(program)
    year = request.GET.get("year", "")
    money = [m for m in data["money"] if not year.isdigit() or m["year"] == int(year)]
    if request.GET.get("format") == "xlsx":
        return _progress_xlsx(program, data, money)
    totals = {k: sum(m[k] for m in money) for k in ("planned", "approved", "disbursed")}
    return render(
        request,
        "programs/program_progress.html",
        {
            "program": program,
            "data": data,
            "money": money,
            "totals": totals,
            "year": year,
            "years": program.years,
        },
    )


def _progress_xlsx(program, data, money):
    phases = data["phases"]
    targets = Sheet(
        title="Mục tiêu",
        headers=["Chỉ tiêu", "Đơn vị tính"]
        + [h for ph in phases for h in (f"KH {ph.name}", f"TH {ph.name}")]
        + ["KH cả chương trình", "Thực hiện"],
        rows=[
            [r["target"].name, r["target"].unit]
            + [x for c in r["cells"] for x in (c["planned"], c["achieved"])]
            + [r["planned"], r["achieved"]]
            for r in data["targets"]
        ],
        heading=f"Tiến độ thực hiện mục tiêu — {program.title}",
    )
    tr = 10**6
    sheet = Sheet(
        title="Kinh phí",
        headers=[
            "Nội dung",
            "Nguồn",
            "Năm",
            "Kế hoạch (triệu đồng)",
            "Đã phê duyệt (triệu đồng)",
            "Đã giải ngân (triệu đồng)",
        ],
        rows=[
            [
                m["content_code"],
                m["source_label"],
                m["year"],
                m["planned"] / tr,
                m["approved"] / tr,
                m["disbursed"] / tr,
            ]
            for m in money
        ],
        totals=[
            "Tổng cộng",
            "",
            "",
            sum(m["planned"] for m in money) / tr,
            sum(m["approved"] for m in money) / tr,
            sum(m["disbursed"] for m in money) / tr,
        ],
        heading=f"Kinh phí kế hoạch, phê duyệt, giải ngân — {program.title}",
    )
    return xlsx_response(f"tien-do-chuong-trinh-{program.pk}.xlsx", [targets, sheet])
