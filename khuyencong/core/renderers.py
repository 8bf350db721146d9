"""A form renderer that writes Django's plainest widgets in Python.

Rendering a form through Django's widget templates costs a template render per widget and one per <option>
(`select.html` includes `select_option.html`, which includes `attrs.html`): on the đề án list the filter bar
alone took about a third of the page's own time. The templates below are a few lines each and have no
logic beyond escaping, so they are written here with the same output, byte for byte
(`core/tests/test_renderers.py` renders every widget of the app's forms both ways and compares). Any other
template — a project's own widget, the admin's widgets, whole-form templates — goes through the
templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_W = "django/forms/widgets/"


def _text(value) -> str:
    """`{{ value }}`: localized, then escaped unless already safe."""
    return conditional_escape(localize(value))


def _stringformat(value) -> str:
    """`{{ value|stringformat:'s' }}`: str() (no localization), escaped unless the input was safe."""
    if isinstance(value, tuple):
        value = str(value)
    out = "%s" % (value,)
    return out if isinstance(value, SafeData) else escape(out)


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_stringformat(value)}"')
    return "".join(parts)


def _input(w: dict) -> str:
    value = f' value="{_stringformat(w["value"])}"' if w["value"] is not None else ""
    return f'<input type="{_text(w["type"])}" name="{_text(w["name"])}"{value}{_attrs(w["attrs"])}>\n'


def _option(o: dict) -> str:
    return f'<option value="{_stringformat(o["value"])}"{_attrs(o["attrs"])}>{_text(o["label"])}</option>'


def _select(w: dict) -> str:
    out = [f'<select name="{_text(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _W + "select_option.html":
                return None  # a custom option template: the templates render the whole select
            out.append("\n  " + _option(option) + "\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _textarea(w: dict) -> str:
    body = _text(w["value"]) if w["value"] else ""
    return f'<textarea name="{_text(w["name"])}"{_attrs(w["attrs"])}>\n{body}</textarea>\n'


# Each of these templates is `{% include "django/forms/widgets/input.html" %}` and a newline.
_INPUTS = "text checkbox color date datetime email hidden number password search tel time url".split()
_FAST = {_W + f"{name}.html": (lambda w: _input(w) + "\n") for name in _INPUTS}
_FAST[_W + "input.html"] = _input
_FAST[_W + "select.html"] = _select
_FAST[_W + "textarea.html"] = _textarea


class FastWidgetRenderer(DjangoTemplates):
    """Django's template renderer, except for the plain widget templates above (same output)."""

    def render(self, template_name, context, request=None):
        fast = _FAST.get(template_name)
        widget = context.get("widget") if fast is not None else None
        if widget is not None:
            out = fast(widget)
            if out is not None:
                return out.strip()  # as BaseRenderer.render does
        return super().render(template_name, context, request)
