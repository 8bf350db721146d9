"""Content-Security-Policy helpers (the policy itself is `CSP_POLICY` in config/settings.py)."""

from django.conf import settings
from django.utils.csp import CSP
from rest_framework.renderers import BrowsableAPIRenderer


def relaxed_styles() -> dict:
    """The site's policy with inline styles allowed: for third-party pages that style themselves inline.
    Scripts stay 'self' only."""
    return {**settings.CSP_POLICY, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}


def override_attr() -> str:
    """The response attribute Django's CSP middleware reads: the enforced header or the report-only one."""
    return "_csp_ro_config" if settings.CSP_REPORT_ONLY else "_csp_config"


class BrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's browsable API under the CSP: its templates carry a <style> block and style attributes (no inline
    script), so its HTML pages alone allow inline styles."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            setattr(response, override_attr(), relaxed_styles())
        return super().render(data, accepted_media_type, renderer_context)
