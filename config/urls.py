from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override, csp_report_only_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from khuyencong.core import views as core_views

# Each app owns its pages (urls.py) and its API (api.py, mounted under /api/v1/).
APPS = [
    "geo",
    "accounts",
    "catalog",
    "beneficiaries",
    "programs",
    "projects",
    "reports",
    "awards",
    "loans",
    "clusters",
    "rankings",
    "activities",
]
APPS += ["portal", "surveys", "opendata"]

# Swagger UI is served from our own static files (drf-spectacular-sidecar: the page works offline) and styles
# itself inline: only its page gets inline styles. Its start-up script is served by our own view (the "split"
# view), so no inline script is allowed even there.
API_DOCS_CSP = {
    **settings.CSP_POLICY,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
}
_docs_csp = csp_report_only_override if settings.CSP_REPORT_ONLY else csp_override

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("history/<str:model_label>/<int:pk>/", core_views.history, name="history"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        _docs_csp(API_DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("api/v1/", include("khuyencong.core.api_urls")),
]
for app in APPS:
    urlpatterns.append(path("", include(f"khuyencong.{app}.urls")))
    urlpatterns.append(path("api/v1/", include(f"khuyencong.{app}.api")))

handler403 = "khuyencong.core.views.error_403"
handler404 = "khuyencong.core.views.error_404"
handler500 = "khuyencong.core.views.error_500"
