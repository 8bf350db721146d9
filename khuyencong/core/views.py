from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .audit import HISTORY_TYPES, field_changes, history_entry
from .workflow import describe_changes, format_value, workflow_for


@login_required
def home(request):
    from .todo import tasks_for

    return render(request, "core/home.html", {"tasks": tasks_for(request.user)})


@login_required
@require_GET
def history(request, model_label: str, pk: int):
    """ "Lịch sử thay đổi" of one record: who, when, what changed (before → after). Read-only. A record with a
    status also lists its transitions: the business date of each step, its before → after (money, dates and
    statuses the way people read them) and when and by whom it was entered."""
    entry = history_entry(model_label)
    if entry is None:
        raise Http404
    instance = entry.getter(user=request.user, pk=pk)  # 404 outside the reader's scope
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id"))
    rows = [
        {
            "record": r,
            "type": HISTORY_TYPES.get(r.history_type, r.history_type),
            "changes": [_readable(type(instance), c) for c in field_changes(r)],
            "user": r.history_user.display_name if r.history_user else "Hệ thống",
        }
        for r in records
    ]
    return render(
        request,
        "core/history.html",
        {"instance": instance, "title": entry.title, "rows": rows, "transitions": transition_rows(instance)},
    )


def _readable(model, change: dict) -> dict:
    """A simple-history change with its values shown like the pages show them (labels of choices, dd/mm/yyyy,
    amounts in đồng)."""
    field = next((f for f in model._meta.concrete_fields if str(f.verbose_name) == change["field"]), None)
    if field is None:
        return change

    def show(value):
        if value in (None, ""):
            return None
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.BigIntegerField) and "đồng" in str(field.verbose_name):
            return format_value(value, money=True)
        return format_value(value)

    return {**change, "old": show(change["old"]), "new": show(change["new"])}


def transition_rows(instance) -> list[dict]:
    """The change rows of a record with a workflow (đề án, programme, report), newest business date first."""
    manager = getattr(instance, "status_changes", None)
    if manager is None or not hasattr(manager, "model"):
        return []
    names = {f.name for f in manager.model._meta.get_fields()}
    if not {"changes", "effective_date"} <= names:
        return []
    workflow = workflow_for(instance)
    out = []
    for c in manager.select_related("actor").order_by("-effective_date", "-pk"):
        action = getattr(c, "action", "")
        if c.from_status == "" and action in ("", "create"):
            label = "Tạo mới"
        elif workflow is not None and action in workflow.events:
            label = workflow.events[action]["label"]
        elif workflow is not None and workflow.rule(c.from_status, c.to_status):
            label = workflow.rule(c.from_status, c.to_status)["label"]
        else:
            label = c.get_to_status_display()
        out.append(
            {
                "change": c,
                "label": label,
                "effective_date": c.effective_date,
                "recorded_at": c.changed_at,
                "user": c.actor.display_name if c.actor else "Hệ thống",
                "changes": describe_changes(c.changes, workflow=workflow, model=type(instance)),
            }
        )
    return out


def _api_error(request, status: int, code: str, message: str):
    """Under /api/ the error pages are the API's JSON error, not HTML."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": code, "message": message}},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return None


def error_403(request, exception=None):
    message = str(exception) if exception and str(exception) else "Bạn không có quyền thực hiện thao tác này."
    if api := _api_error(request, 403, "permission_denied", message):
        return api
    return render(request, "errors/error.html", {"status": 403, "message": message}, status=403)


def error_404(request, exception=None):
    if api := _api_error(request, 404, "not_found", "Không tìm thấy hoặc bạn không có quyền xem."):
        return api
    return render(
        request,
        "errors/error.html",
        {"status": 404, "message": "Không tìm thấy trang hoặc bạn không có quyền xem."},
        status=404,
    )


def error_500(request):
    if api := _api_error(
        request, 500, "server_error", "Hệ thống gặp lỗi. Lỗi đã được ghi lại; hãy thử lại sau."
    ):
        return api
    return render(
        request,
        "errors/error.html",
        {"status": 500, "message": "Hệ thống gặp lỗi. Lỗi đã được ghi lại; hãy thử lại sau."},
        status=500,
    )
