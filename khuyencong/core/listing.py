"""Lists: sorting by an allowed field, pagination, the same everywhere."""

from django.core.paginator import Paginator


def apply_sort(queryset, request, allowed: dict[str, str], default: str):
    """`allowed` maps a public sort key to an ORM path; "-key" sorts descending."""
    key = request.GET.get("sort") or default
    desc = key.startswith("-")
    path = allowed.get(key.lstrip("-"))
    if path is None:
        key, desc = default, default.startswith("-")
        path = allowed[default.lstrip("-")]
    return queryset.order_by(f"-{path}" if desc else path, "pk")


def paginate(queryset, request, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
