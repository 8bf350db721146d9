from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .audit import HISTORY_TYPES, field_changes, history_entry


@login_required
def home(request):
    from .todo import tasks_for

    return render(request, "core/home.html", {"tasks": tasks_for(request.user)})


@login_required
@require_GET
def history(request, model_label: str, pk: int):
    """"Lịch sử thay đổi" of one record: who, when, what changed (before → after). Read-only."""
    entry = history_entry(model_label)
    if entry is None:
        raise Http404
    instance = entry.getter(user=request.user, pk=pk)  # 404 outside the reader's scope
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id"))
    rows = [
        {
            "record": r,
            "type": HISTORY_TYPES.get(r.history_type, r.history_type),
            "changes": field_changes(r),
            "user": r.history_user.display_name if r.history_user else "Hệ thống",
        }
        for r in records
    ]
    return render(request, "core/history.html", {"instance": instance, "title": entry.title, "rows": rows})


def error_403(request, exception=None):
    message = str(exception) if exception and str(exception) else "Bạn không có quyền thực hiện thao tác này."
    return render(request, "errors/error.html", {"status": 403, "message": message}, status=403)


def error_404(request, exception=None):
    return render(request, "errors/error.html",
                  {"status": 404, "message": "Không tìm thấy trang hoặc bạn không có quyền xem."}, status=404)


def error_500(request):
    return render(request, "errors/error.html",
                  {"status": 500, "message": "Hệ thống gặp lỗi. Lỗi đã được ghi lại; hãy thử lại sau."}, status=500)
