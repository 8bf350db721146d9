"""API plumbing shared by every app: one error shape with a Vietnamese message, pagination, scoped
viewsets."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, filters, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .errors import DomainError, ImportFailed
from .listing import DB_INT_MAX

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
    response = _error_response(exc, context)
    if response is not None:
        set_rollback()
    return response


def _error_response(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        used_by = sorted(
            {str(obj._meta.verbose_name) for obj in exc.protected_objects if hasattr(obj, "_meta")}
            if isinstance(exc, ProtectedError)
            else {str(obj._meta.verbose_name) for obj in exc.restricted_objects if hasattr(obj, "_meta")}
        )
        message = "Không xóa được: bản ghi này đang được dùng"
        message += f" ({', '.join(used_by)})." if used_by else "."
        return Response(
            error_body("protected", message, {"used_by": used_by} if used_by else None), status=409
        )
    if isinstance(exc, IntegrityError):
        return Response(
            error_body("conflict", "Dữ liệu trùng hoặc mâu thuẫn với dữ liệu đã có; không có gì được lưu."),
            status=409,
        )
    if isinstance(exc, OverflowError):
        return Response(error_body("invalid", "Số quá lớn."), status=400)
    if isinstance(exc, ValueError):  # a value that reached the database layer without being validated
        return Response(error_body("invalid", STATUS_MESSAGES[400]), status=400)
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
    """?page=N&page_size=M (1…500); a page or size that is not a whole number in range answers 400/404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = "Không có trang này."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(str(raw).strip())
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Số dòng mỗi trang phải là số nguyên từ 1 đến {self.max_page_size}."
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if param["name"] == self.page_query_param:
                param["schema"].update({"minimum": 1})
        return params


# --- filters: one system for API lists (django-filter), with bounded whole numbers --------------------------


class BoundedIntegerField(forms.IntegerField):
    """A whole number that fits the database: "1.5", "abc" and 99999999999999999999 are refused (400)."""

    default_error_messages = {"invalid": "Phải là số nguyên."}

    def __init__(self, *args, min_value=0, max_value=DB_INT_MAX, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


class IdField(serializers.IntegerField):
    """An id in a request body: a whole number from 1 to what the database stores (else 400, never 500)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(**kwargs)


class VersionField(serializers.IntegerField):
    """The version a client last read (optimistic locking): a whole number that fits the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)


class IntFilter(django_filters.NumberFilter):
    """An id, a year, a level: a bounded whole number (never a decimal, never beyond 64 bits)."""

    field_class = BoundedIntegerField


class SelectorFilterSet(django_filters.FilterSet):
    """A list's query parameters, declared once (names, types, choices: the schema shows them, a bad value
    answers 400 naming the parameter) and, once valid, handed to the selector the page uses: each subclass
    defines `select(queryset, params)`. Declare each filter with method="noop": the selector, not the filter,
    does the filtering."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "select", None)):
            raise TypeError(f"{cls.__name__} must define select(queryset, params), its page's selector.")

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        return self.select(queryset, self.form.cleaned_data)


class OrderingFilter(filters.OrderingFilter):
    """?ordering=field,-other: a field that may not be sorted on answers 400 instead of being ignored (or,
    for a
    computed field such as kind_display, failing in the database). Without `ordering_fields` on the view, the
    serializer's fields that are columns of the model may be sorted on."""

    def get_valid_fields(self, queryset, view, context=None):
        fields = super().get_valid_fields(queryset, view, context or {})
        if getattr(view, "ordering_fields", None) is not None:
            return fields
        columns = {f.name for f in queryset.model._meta.concrete_fields}
        return [(name, label) for name, label in fields if name in columns]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        fields = [term.strip() for term in (raw or "").split(",") if term.strip()]
        if not fields:
            return self.get_default_ordering(view)
        ordering = self.remove_invalid_fields(queryset, fields, view, request)
        if len(ordering) != len(fields):
            wrong = ", ".join(f for f in fields if f not in ordering)
            raise exceptions.ValidationError({self.ordering_param: [f"Không sắp xếp được theo «{wrong}»."]})
        return ordering


# --- OpenAPI: the error envelope on every operation ---------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {
                    "type": "string",
                    "description": "mã lỗi máy đọc được (invalid, not_found, protected …)",
                },
                "message": {"type": "string", "description": "thông báo cho người dùng, tiếng Việt"},
                "details": {"description": "chi tiết: lỗi theo trường, danh sách lỗi nhập tệp …"},
            },
        }
    },
}
ERROR_RESPONSES = {
    "400": "Dữ liệu gửi lên không hợp lệ",
    "401": "Chưa đăng nhập",
    "403": "Không có quyền",
    "404": "Không tìm thấy hoặc ngoài phạm vi",
    "409": "Xung đột dữ liệu (bản ghi đã bị sửa, đang được dùng, trùng)",
    "415": "Định dạng dữ liệu không được hỗ trợ",
}
WRITE_ONLY_ERRORS = {"409", "415"}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: declare the error envelope once (components/schemas/Error) and
    attach
    it to each operation's 4xx responses, so that the schema matches every answer the API gives."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                if code in WRITE_ONLY_ERRORS and method == "get":
                    continue
                responses.setdefault(code, {"description": description, "content": ref})
    return result


class ScopedQuerysetMixin:
    """A viewset whose queryset comes from a scoped selector: `selector(user=request.user)`.

    Objects outside the scope are simply not in the queryset, so retrieve/update answer 404.
    """

    selector = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return self.get_serializer_class().Meta.model.objects.none()
        return type(self).selector(user=self.request.user)


class ListOnlyFiltersMixin:
    """The filter set (and its sort) applies to the list only: a record's own URL ignores list parameters."""

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset
