"""Pages and API for a plan's đề án in Excel: download the template (the plan's đề án in the import columns),
upload → preview → confirm, all or nothing."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from khuyencong.core.errors import DomainError, ImportFailed
from khuyencong.core.permissions import can_edit
from khuyencong.core.xlsx import XLSX_MIME

from . import plan_import, selectors

MAX_BYTES = 20 * 1024 * 1024
UPLOADS = Path(settings.VAR_DIR) / "imports"


def _file_name(plan) -> str:
    unit = slugify(plan.unit.short_name or plan.unit.name) if plan.unit_id else "quoc-gia"
    return f"de-an-{slugify(plan.get_level_display())}-{plan.year}-{unit}.xlsx"


@login_required
def plan_projects_export(request, pk: int):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    projects = selectors.project_list_for(user=request.user).filter(plan=plan)
    response = HttpResponse(
        plan_import.plan_projects_xlsx(plan=plan, projects=projects, user=request.user),
        content_type=XLSX_MIME,
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(plan)}"'
    return response


def _stash(upload) -> str:
    UPLOADS.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    (UPLOADS / f"{token}.xlsx").write_bytes(upload.read())
    return token


def _stashed(token: str) -> bytes:
    if not token or not token.isalnum() or len(token) != 32:
        raise Http404
    path = UPLOADS / f"{token}.xlsx"
    if not path.exists():
        raise DomainError("Tệp đã tải lên không còn: hãy tải lại tệp.")
    return path.read_bytes()


@login_required
def plan_flows_template(request, pk: int):
    """The template for advances, payments and outputs: the plan's đề án codes listed for reference."""
    import io

    import xlsxwriter

    plan = selectors.plan_get_for(user=request.user, pk=pk)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    ws = wb.add_worksheet("Tạm ứng, thanh toán, kết quả")
    ws.freeze_panes(1, 0)
    for c, h in enumerate(plan_import.FLOW_HEADERS):
        ws.write(0, c, h, head)
        ws.set_column(c, c, 18)
    ref = wb.add_worksheet("Đề án của kế hoạch")
    ref.write_row(0, 0, ["Mã đề án", "Tên đề án", "Trạng thái"], head)
    for i, p in enumerate(
        selectors.project_list_for(user=request.user).filter(plan=plan).order_by("code"), 1
    ):
        ref.write_row(i, 0, [p.code, p.title, p.get_status_display()])
    from khuyencong.catalog.models import OutputIndicator

    ind = wb.add_worksheet("Chỉ tiêu kết quả")
    ind.write_row(0, 0, ["Mã", "Chỉ tiêu", "Đơn vị tính"], head)
    for i, o in enumerate(OutputIndicator.objects.order_by("code"), 1):
        ind.write_row(i, 0, [o.code, o.name, o.unit])
    wb.close()
    response = HttpResponse(buf.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="tam-ung-thanh-toan-ket-qua-{plan.year}.xlsx"'
    return response


@login_required
def plan_flows_import(request, pk: int):
    return plan_projects_import(request, pk, flows=True)


@login_required
def plan_projects_import(request, pk: int, flows: bool = False):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    if not can_edit(request.user):
        raise Http404
    context = {"plan": plan, "flows": flows}
    run = plan_import.plan_flows_import if flows else plan_import.plan_projects_import
    if request.method == "POST":
        try:
            if "file" in request.FILES:
                upload = request.FILES["file"]
                if upload.size > MAX_BYTES:
                    raise DomainError("Tệp lớn hơn 20 MB.")
                token, name = _stash(upload), upload.name
            else:
                token, name = request.POST.get("token", ""), request.POST.get("name", "tep.xlsx")
            content = _stashed(token)
            commit = request.POST.get("confirm") == "1"
            result = run(actor=request.user, plan=plan, content=content, filename=name, commit=commit)
            if commit:
                (UPLOADS / f"{token}.xlsx").unlink(missing_ok=True)
                messages.success(request, result.message)
                return redirect("projects:plan", pk=plan.pk)
            context.update({"result": result, "token": token, "name": name})
        except ImportFailed as exc:
            context["errors"] = exc.errors
            context["error_message"] = exc.message
        except DomainError as exc:
            context["error_message"] = exc.message
    return render(request, "projects/plan_import.html", context)


@extend_schema(
    request={
        "multipart/form-data": inline_serializer(
            "PlanImportRequest",
            {
                "file": serializers.FileField(),
                "commit": serializers.BooleanField(required=False),
                "what": serializers.ChoiceField(choices=["projects", "flows"], required=False),
            },
        )
    },
    responses=inline_serializer(
        "PlanImportResult",
        {
            "committed": serializers.BooleanField(),
            "created": serializers.IntegerField(),
            "updated": serializers.IntegerField(),
            "unchanged": serializers.IntegerField(),
            "establishments_created": serializers.IntegerField(),
            "message": serializers.CharField(),
            "lines": serializers.ListField(child=serializers.CharField()),
        },
    ),
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def api_plan_projects_import(request, pk: int):
    """POST a .xlsx as `file`; `commit=1` writes, otherwise the answer is the preview; `what=flows` reads
    advances, payments and outputs instead of đề án. All or nothing."""
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError("Thiếu tệp (trường «file»).", field="file")
    if upload.size > MAX_BYTES:
        raise DomainError("Tệp lớn hơn 20 MB.", field="file")
    commit = str(request.data.get("commit", "")).lower() in ("1", "true", "yes")
    run = (
        plan_import.plan_flows_import
        if request.data.get("what") == "flows"
        else plan_import.plan_projects_import
    )
    result = run(actor=request.user, plan=plan, content=upload.read(), filename=upload.name, commit=commit)
    return Response(
        {
            "committed": result.committed,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "establishments_created": result.establishments_created,
            "message": result.message,
            "lines": result.lines,
        }
    )
