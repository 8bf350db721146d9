from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .audit import HISTORY_TYPES, field_changes, history_entry


@login_required
def home(request):
    return render(request, "core/home.html")


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


def _api_error(request, status: int, code: str, message: str):
    """Under /api/ the error pages are the API's JSON error, not HTML."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    return None


def error_403(request, exception=None):
    message = str(exception) if exception and str(exception) else "Bạn không có quyền thực hiện thao tác này."
    if api := _api_error(request, 403, "permission_denied", message):
        return api
    return render(request, "errors/error.html", {"status": 403, "message": message}, status=403)


def error_404(request, exception=None):
    if api := _api_error(request, 404, "not_found", "Không tìm thấy hoặc bạn không có quyền xem."):
        return api
    return render(request, "errors/error.html",
                  {"status": 404, "message": "Không tìm thấy trang hoặc bạn không có quyền xem."}, status=404)


def error_500(request):
    if api := _api_error(request, 500, "server_error", "Hệ thống gặp lỗi. Lỗi đã được ghi lại; hãy thử lại sau."):
        return api
    return render(request, "errors/error.html",
                  {"status": 500, "message": "Hệ thống gặp lỗi. Lỗi đã được ghi lại; hãy thử lại sau."}, status=500)
