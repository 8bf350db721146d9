from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from khuyencong.core import views as core_views

# Each app owns its pages (urls.py) and its API (api.py, mounted under /api/v1/).
APPS = ["geo", "accounts", "catalog", "beneficiaries", "programs", "projects", "reports"]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("history/<str:model_label>/<int:pk>/", core_views.history, name="history"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("khuyencong.core.api_urls")),
]
for app in APPS:
    urlpatterns.append(path("", include(f"khuyencong.{app}.urls")))
    urlpatterns.append(path("api/v1/", include(f"khuyencong.{app}.api")))

handler403 = "khuyencong.core.views.error_403"
handler404 = "khuyencong.core.views.error_404"
handler500 = "khuyencong.core.views.error_500"
