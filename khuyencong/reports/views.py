"""Pages under /reports/: list, create, detail (figures, narrative, workflow), edit, documents, regional and
national aggregation, completeness, dashboard, background jobs, settings (deadlines, Word template)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from khuyencong.core.collation import ViSort, vi_order
from khuyencong.core.errors import DomainError
from khuyencong.core.listing import apply_sort, paginate
from khuyencong.core.money import amount_in_words
from khuyencong.core.permissions import can_edit, is_admin, role_of
from khuyencong.core.scoping import scope_for
from khuyencong.core.xlsx import XLSX_MIME, Sheet, stream_xlsx, write_workbook, xlsx_response
from khuyencong.geo.models import AdminUnit, Region
from khuyencong.ops.heartbeat import worker_status

from . import documents, selectors, services, workflow
from .aggregation import ROLLUPS, SOURCES, aggregate
from .compute import counterpart_totals, execution_rate, report_drift, report_figures
from .dashboard import PERIOD_KINDS, chart_payload, dashboard_data
from .dashboard import SOURCES as DASHBOARD_SOURCES
from .forms import DeadlineForm, ReportCreateForm, ReportEditForm, ReportTransitionForm, TemplateUploadForm
from .models import Report, ReportDeadline, ReportJob, ReportStatus, ReportTemplate
from .periods import KIND_CHOICES, Period, PeriodError, period_from_params

SORTS = {
    "unit": ViSort("unit__name"),
    "period": "period_end",
    "status": "status",
    "deadline": "deadline",
    "submitted": "submitted_at",
}


def _download(content: bytes, filename: str, mime: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def report_list(request):
    qs = selectors.report_filter(selectors.report_list_for(user=request.user), request.GET)
    qs = apply_sort(qs, request, SORTS, "-period")
    if request.GET.get("format") == "xlsx":
        # Row by row (iterator, constant-memory writer, streamed file); the totals add up what was written.
        sums = [0, 0]

        def rows():
            for r in qs.iterator(chunk_size=2000):
                row = [
                    r.unit.name,
                    r.period.label,
                    r.period_end,
                    r.get_status_display(),
                    r.deadline,
                    timezone.localtime(r.submitted_at).date() if r.submitted_at else None,
                    (selectors.timeliness(r) or {}).get("text", ""),
                    (r.figures or {}).get("plan"),
                    (r.figures or {}).get("disbursed"),
                ]
                sums[0] += row[7] or 0
                sums[1] += row[8] or 0
                yield row

        return stream_xlsx(
            "bao-cao-dinh-ky.xlsx",
            [
                Sheet(
                    "Báo cáo định kỳ",
                    [
                        "Đơn vị",
                        "Kỳ báo cáo",
                        "Số liệu đến ngày",
                        "Trạng thái",
                        "Hạn nộp",
                        "Ngày gửi Cục",
                        "So với hạn nộp",
                        "Kế hoạch đã chốt (đồng)",
                        "Thực hiện đã chốt (đồng)",
                    ],
                    rows(),
                    totals=lambda: ["Tổng cộng", "", "", "", "", "", "", *sums],
                )
            ],
        )
    page = paginate(qs, request)
    today = timezone.localdate()
    for r in page:
        r.timeliness = selectors.timeliness(r, today=today)
    totals = selectors.report_totals(qs)
    years = list(
        selectors.report_list_for(user=request.user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return render(
        request,
        "reports/list.html",
        {
            "page": page,
            "totals": totals,
            "kinds": KIND_CHOICES,
            "statuses": ReportStatus.choices,
            "deadline_states": selectors.DEADLINE_FILTERS,
            "years": years,
            "can_create": can_edit(request.user),
            "sees_all": scope_for(request.user).sees_all,
            "missing": selectors.missing_reports(user=request.user, today=today),
        },
    )


def _units_for(user):
    scope = scope_for(user)
    qs = AdminUnit.objects.filter(level__in=[1, 2, 3])
    if scope.sees_all:
        return qs.filter(level=1).order_by("era", vi_order("name"))
    if scope.kind == "province":
        return qs.filter(level=1, current_province_id=scope.province_id).order_by("era", vi_order("name"))
    if scope.kind == "units":
        return qs.filter(pk__in=scope.unit_ids).order_by(vi_order("name"))
    return qs.none()


@login_required
def report_new(request):
    if not can_edit(request.user):
        raise PermissionDenied("Bạn không có quyền lập báo cáo.")
    form = ReportCreateForm(
        request.POST or None,
        units=_units_for(request.user),
        initial={"kind": "half", "year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                actor=request.user, unit=form.cleaned_data["unit"], period=form.cleaned_data["period"]
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lập báo cáo; nội dung kỳ trước (nếu có) đã được chép làm bản nháp.")
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/new.html", {"form": form})


@login_required
def report_detail(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    fig = report_figures(report)
    role = role_of(request.user)
    sees_all = scope_for(request.user).sees_all
    transitions = [
        (to, rule) for to, rule in workflow.allowed_transitions(report.status, role, sees_all=sees_all)
    ]
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "fig": fig,
            "tables": documents.report_tables(fig),
            "rate": execution_rate(fig),
            "transitions": transitions,
            "changes": report.status_changes.select_related("actor"),
            "can_edit": can_edit(request.user) and report.is_editable,
            "plan_words": amount_in_words(fig["plan"]),
            "disbursed_words": amount_in_words(fig["disbursed"]),
            "frozen": report.figures is not None and report.status in workflow.SENT,
            "drift": report_drift(report),
            "money": counterpart_totals(fig),
            "next_actor": workflow.waiting_for(report),
        },
    )


@login_required
def report_edit(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    if not can_edit(request.user):
        raise PermissionDenied("Bạn không có quyền sửa báo cáo.")
    if not report.is_editable:
        # Sent to the Cục or locked: nothing to edit, say why on the report's page.
        messages.warning(
            request,
            f"Báo cáo đang ở trạng thái «{report.get_status_display()}»: đã gửi Cục hoặc đã khóa nên "
            "không sửa được nữa. Muốn sửa, đề nghị Cục trả lại hoặc mở lại báo cáo.",
        )
        return redirect("reports:detail", pk=report.pk)
    previous = services.previous_report(report)
    form = ReportEditForm(request.POST or None, instance=report, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in ReportEditForm.Meta.fields}
        try:
            services.report_update(
                actor=request.user,
                report_id=report.pk,
                expected_version=form.cleaned_data["version"],
                changes=changes,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu báo cáo.")
            return redirect("reports:detail", pk=report.pk)
    if previous is not None:
        for name in services.NARRATIVE_FIELDS:
            form[name].previous_text = getattr(previous, name)
    return render(
        request,
        "reports/edit.html",
        {"report": report, "form": form, "previous": previous, "narrative": services.NARRATIVE_FIELDS},
    )


@login_required
@require_POST
def report_transition(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    form = ReportTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reports:detail", pk=report.pk)
    to = form.cleaned_data["to"]
    try:
        services.report_transition(
            actor=request.user,
            report_id=report.pk,
            to_status=to,
            expected_version=form.cleaned_data.get("version"),
            effective_date=form.cleaned_data.get("effective_date"),
            reason=form.cleaned_data.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Báo cáo đã chuyển sang «{workflow.status_label(to)}».")
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_docx(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    return _download(
        documents.report_docx(report, report_figures(report)),
        documents.report_filename(report, "docx"),
        documents.DOCX_MIME,
    )


@login_required
def report_xlsx(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    return _download(
        documents.report_xlsx(report, report_figures(report)),
        documents.report_filename(report, "xlsx"),
        XLSX_MIME,
    )


def _aggregate_params(request):
    region_code = request.GET.get("region", "phia-nam")
    region = None if region_code in ("", "national") else get_object_or_404(Region, code=region_code)
    params = request.GET.copy()
    params.setdefault("kind", "half")
    params.setdefault("year", "2019")
    period = period_from_params(params)
    return region, period, request.GET.get("source", "accepted"), request.GET.get("rollup", "as_was")


@login_required
def aggregate_view(request):
    try:
        region, period, source, rollup = _aggregate_params(request)
    except PeriodError as exc:
        raise DomainError(str(exc)) from None
    agg = aggregate(user=request.user, region=region, period=period, source=source, rollup=rollup)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _download(documents.aggregate_xlsx(agg), documents.aggregate_filename(agg, "xlsx"), XLSX_MIME)
    if fmt == "docx":
        return _download(
            documents.aggregate_docx(agg), documents.aggregate_filename(agg, "docx"), documents.DOCX_MIME
        )
    return render(
        request,
        "reports/aggregate.html",
        {
            "agg": agg,
            "tables": documents.aggregate_tables(agg),
            "regions": Region.objects.all(),
            "sources": SOURCES,
            "rollups": ROLLUPS,
            "kinds": KIND_CHOICES,
            "sees_all": scope_for(request.user).sees_all,
            "params": {
                "region": request.GET.get("region", "phia-nam"),
                "kind": period.kind,
                "year": period.year,
                "number": period.number or "",
                "source": agg["source"],
                "rollup": agg["rollup"],
            },
        },
    )


@login_required
def completeness_view(request):
    try:
        region, period, _source, _rollup = _aggregate_params(request)
    except PeriodError as exc:
        raise DomainError(str(exc)) from None
    table = selectors.completeness(user=request.user, region=region, period=period)
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                r["rank"],
                r["unit"].name,
                r["status_label"],
                r["deadline"],
                r["sent"],
                r["state_label"],
                r["days_late"],
            ]
            for r in table["rows"]
        ]
        return xlsx_response(
            "tinh-hinh-nop-bao-cao.xlsx",
            [
                Sheet(
                    "Tình hình nộp báo cáo",
                    [
                        "Thứ tự",
                        "Đơn vị",
                        "Trạng thái báo cáo",
                        "Hạn nộp",
                        "Ngày gửi",
                        "Đánh giá",
                        "Số ngày trễ",
                    ],
                    rows,
                    heading=f"Tình hình nộp báo cáo {period.label.lower()} — "
                    f"{region.name if region else 'Toàn quốc'}",
                )
            ],
        )
    return render(
        request,
        "reports/completeness.html",
        {
            "table": table,
            "regions": Region.objects.all(),
            "kinds": KIND_CHOICES,
            "params": {
                "region": request.GET.get("region", "phia-nam"),
                "kind": period.kind,
                "year": period.year,
                "number": period.number or "",
            },
        },
    )


@login_required
def dashboard(request):
    data = dashboard_data(request.user, request.GET)
    chart = request.GET.get("chart")
    if request.GET.get("format") == "xlsx":
        tables = [t for t in [data["summary"], *data["tables"]] if not chart or t.key == chart]
        if not tables:
            raise Http404
        sheets = [t.sheet() for t in tables] + [
            Sheet(
                "Nguồn số liệu",
                ["Mục", "Nội dung"],
                [["Nguồn số liệu", data["source_label"]]],
                autofilter=False,
            )
        ]
        return _download(write_workbook(sheets), f"bieu-do-{chart or 'tat-ca'}.xlsx", XLSX_MIME)
    f = data["filters"]
    provinces = (
        AdminUnit.objects.filter(era="current", level=1).order_by(vi_order("name")) if f["sees_all"] else []
    )
    context = {
        "data": data,
        "tables": data["tables"],
        "filters": f,
        "provinces": provinces,
        # Through json_script in the template: no inline script (CSP).
        "charts": chart_payload(data["tables"]),
        "sources": DASHBOARD_SOURCES,
        "kinds": PERIOD_KINDS,
        "years": list(range(2010, timezone.localdate().year + 1)),
    }
    if request.htmx:
        return render(request, "reports/_dashboard_body.html", context)
    return render(request, "reports/dashboard.html", context)


@login_required
def dashboard_data_json(request):
    data = dashboard_data(request.user, request.GET)
    return HttpResponse(
        json.dumps(
            {
                "filters": {k: v for k, v in data["filters"].items()},
                "source": data["filters"]["source"],
                "source_label": data["source_label"],
                "cancelled": data["cancelled"],
                "cancelled_text": data["cancelled_text"],
                "summary": {
                    "headers": data["summary"].headers,
                    "rows": data["summary"].display_rows(),
                    "totals": data["summary"].display_totals(),
                },
                "charts": chart_payload(data["tables"]),
                "tables": [
                    {
                        "key": t.key,
                        "title": t.title,
                        "headers": t.headers,
                        "rows": t.display_rows(),
                        "totals": t.display_totals(),
                    }
                    for t in data["tables"]
                ],
            },
            ensure_ascii=False,
        ),
        content_type="application/json",
    )


# ------------------------------------------------------------------------------------------------- jobs


@login_required
def job_list(request):
    if request.method == "POST":
        try:
            region_code = request.POST.get("region", "")
            region = None if region_code in ("", "national") else get_object_or_404(Region, code=region_code)
            period = period_from_params(request.POST)
            job = services.report_job_create(
                actor=request.user,
                region=region,
                period=period,
                source=request.POST.get("source", "accepted"),
                rollup=request.POST.get("rollup", "as_was"),
                fmt=request.POST.get("fmt", "xlsx"),
            )
        except (DomainError, PeriodError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
            return redirect("reports:jobs")
        return redirect("reports:job", pk=job.pk)
    jobs = paginate(selectors.job_list_for(user=request.user), request, 20)
    return render(
        request,
        "reports/jobs.html",
        {
            "page": jobs,
            "regions": Region.objects.all(),
            "sources": SOURCES,
            "rollups": ROLLUPS,
            "kinds": KIND_CHOICES,
            "sees_all": scope_for(request.user).sees_all,
        },
    )


@login_required
def job_detail(request, pk: int):
    job = selectors.job_get_for(user=request.user, pk=pk)
    template = "reports/_job_progress.html" if request.htmx else "reports/job.html"
    waiting = job.status in (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING)
    return render(
        request,
        template,
        {"job": job, "period": Period.parse(job.period_key), "worker": worker_status() if waiting else None},
    )


@login_required
def job_download(request, pk: int):
    job = selectors.job_get_for(user=request.user, pk=pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=f"bao-cao-tong-hop-{job.pk}.{job.fmt}"
    )


@login_required
@require_POST
def job_retry(request, pk: int):
    job = selectors.job_get_for(user=request.user, pk=pk)
    try:
        services.report_job_retry(actor=request.user, job_id=job.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reports:job", pk=job.pk)


# --------------------------------------------------------------------------------------------- settings


@login_required
def settings_view(request):
    if not is_admin(request.user):
        raise PermissionDenied("Chỉ quản trị viên được thay đổi cấu hình báo cáo.")
    upload = TemplateUploadForm(prefix="tpl")
    deadline = DeadlineForm(prefix="dl")
    if request.method == "POST":
        try:
            if "tpl-file" in request.FILES:
                upload = TemplateUploadForm(request.POST, request.FILES, prefix="tpl")
                if upload.is_valid():
                    services.report_template_upload(
                        actor=request.user, name=upload.cleaned_data["name"], file=upload.cleaned_data["file"]
                    )
                    messages.success(request, "Đã thay mẫu báo cáo Word.")
                    return redirect("reports:settings")
            elif request.POST.get("reset_template"):
                services.report_template_reset(actor=request.user)
                messages.success(request, "Đã trở về mẫu mặc định.")
                return redirect("reports:settings")
            else:
                deadline = DeadlineForm(request.POST, prefix="dl")
                if deadline.is_valid():
                    services.report_deadline_set(actor=request.user, **deadline.cleaned_data)
                    messages.success(request, "Đã lưu hạn nộp báo cáo.")
                    return redirect("reports:settings")
        except DomainError as exc:
            messages.error(request, exc.message)
    deadlines = {d.period_kind: d for d in ReportDeadline.objects.all()}
    rows = [
        (kind, label, deadlines.get(kind), services.DEFAULT_DEADLINES[kind]) for kind, label in KIND_CHOICES
    ]
    return render(
        request,
        "reports/settings.html",
        {
            "upload": upload,
            "deadline": deadline,
            "rows": rows,
            "templates": ReportTemplate.objects.select_related("uploaded_by")[:10],
            "placeholders": [
                "issuer_parent",
                "issuer",
                "number",
                "place_date",
                "title",
                "period",
                "as_of",
                "unit",
                "results",
                "difficulties",
                "causes",
                "solutions",
                "next_plan",
                "plan",
                "plan_words",
                "disbursed",
                "disbursed_words",
                "rate",
                "status_lines",
                "tables",
                "signer_title",
                "signer_name",
                "recipients",
                "figures_note",
            ],
        },
    )


@login_required
def default_template_download(request):
    return _download(
        documents.DEFAULT_TEMPLATE.read_bytes(), "mau-bao-cao-mac-dinh.docx", documents.DOCX_MIME
    )


__all__ = ["Report", "Sum"]
