"""Template filters for amounts the Vietnamese way: {{ x|vnd }}, {{ x|vnd_short }}, {{ x|trieu }}, {{ x|num
}}."""

from django import template
from django.utils.http import urlencode

from khuyencong.core import money

register = template.Library()


@register.filter
def vnd(value):
    return "" if value in (None, "") else money.format_vnd(int(value))


@register.filter
def vnd_short(value, digits=None):
    return (
        ""
        if value in (None, "")
        else money.format_short(int(value), None if digits in (None, "") else int(digits))
    )


@register.filter
def trieu(value, digits=None):
    """Amount in triệu đồng as documents print it: 16448000000 → 16.448."""
    return (
        ""
        if value in (None, "")
        else money.format_in_unit(int(value), 10**6, None if digits in (None, "") else int(digits))
    )


@register.filter
def num(value, digits=None):
    return (
        ""
        if value in (None, "")
        else money.format_number(value, None if digits in (None, "") else int(digits))
    )


@register.filter
def percent(value, digits=None):
    """A ratio as "59,5 %" (one decimal unless `digits` says otherwise)."""
    if value in (None, ""):
        return ""
    return money.format_percent(value) if digits in (None, "") else money.format_percent(value, int(digits))


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced: {% query_with sort='name' page=None %}."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted((k, v) for k in params for v in params.getlist(k)))


@register.inclusion_tag("core/_sort_header.html", takes_context=True)
def sort_header(context, field, label):
    current = context["request"].GET.get("sort", "")
    direction = ""
    if current == field:
        direction, nxt = "asc", f"-{field}"
    elif current == f"-{field}":
        direction, nxt = "desc", field
    else:
        nxt = field
    params = context["request"].GET.copy()
    params["sort"] = nxt
    params.pop("page", None)
    return {"label": label, "url": "?" + params.urlencode(), "direction": direction}
