"""API plumbing shared by every app: one error shape with a Vietnamese message, pagination, scoped viewsets."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError, ImportFailed

STATUS_MESSAGES = {
    400: "Dữ liệu gửi lên không hợp lệ.",
    401: "Bạn cần đăng nhập.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy hoặc bạn không có quyền xem.",
    405: "Phương thức không được hỗ trợ.",
    409: "Xung đột dữ liệu.",
    415: "Định dạng dữ liệu không được hỗ trợ.",
    429: "Quá nhiều yêu cầu, hãy thử lại sau.",
}


def error_body(code: str, message: str, details=None) -> dict:
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return body


def exception_handler(exc, context):
    """Every API error answers {"error": {"code", "message", "details"?}} with a Vietnamese message."""
    if isinstance(exc, ImportFailed):
        return Response(error_body(exc.code, exc.message, exc.details), status=400)
    if isinstance(exc, DomainError):
        details = dict(exc.details)
        if exc.field:
            details.setdefault("field", exc.field)
        return Response(error_body(exc.code, exc.message, details or None), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(error_body("invalid", "; ".join(exc.messages), details), status=400)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", STATUS_MESSAGES[404]), status=404)
    if isinstance(exc, PermissionDenied):
        return Response(error_body("permission_denied", str(exc) or STATUS_MESSAGES[403]), status=403)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        message = _first_message(response.data) or STATUS_MESSAGES[400]
        response.data = error_body("invalid", message, response.data)
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.data = error_body(code, STATUS_MESSAGES[401])
    else:
        message = STATUS_MESSAGES.get(response.status_code) or str(getattr(exc, "detail", "")) or "Lỗi."
        if response.status_code == status.HTTP_403_FORBIDDEN and str(getattr(exc, "detail", "")):
            detail = str(exc.detail)
            message = detail if _looks_vietnamese(detail) else message
        response.data = error_body(code, message)
    return response


def _looks_vietnamese(text: str) -> bool:
    return any(ch in text for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def _first_message(data) -> str | None:
    if isinstance(data, dict):
        for key, value in data.items():
            inner = _first_message(value)
            if inner:
                return inner if key in ("non_field_errors", "detail") else f"{key}: {inner}"
    elif isinstance(data, list):
        for value in data:
            inner = _first_message(value)
            if inner:
                return inner
    elif data:
        return str(data)
    return None


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ScopedQuerysetMixin:
    """A viewset whose queryset comes from a scoped selector: `selector(user=request.user)`.

    Objects outside the scope are simply not in the queryset, so retrieve/update answer 404.
    """

    selector = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return self.get_serializer_class().Meta.model.objects.none()
        return type(self).selector(user=self.request.user)
