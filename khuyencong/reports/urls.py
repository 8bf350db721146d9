from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/new/", views.report_new, name="new"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="edit"),
    path("reports/<int:pk>/transition/", views.report_transition, name="transition"),
    path("reports/<int:pk>/docx/", views.report_docx, name="docx"),
    path("reports/<int:pk>/xlsx/", views.report_xlsx, name="xlsx"),
    path("reports/aggregate/", views.aggregate_view, name="aggregate"),
    path("reports/completeness/", views.completeness_view, name="completeness"),
    path("reports/dashboard/", views.dashboard, name="dashboard"),
    path("reports/dashboard/data/", views.dashboard_data_json, name="dashboard-data"),
    path("reports/jobs/", views.job_list, name="jobs"),
    path("reports/jobs/<int:pk>/", views.job_detail, name="job"),
    path("reports/jobs/<int:pk>/download/", views.job_download, name="job-download"),
    path("reports/jobs/<int:pk>/retry/", views.job_retry, name="job-retry"),
    path("reports/settings/", views.settings_view, name="settings"),
    path("reports/settings/default-template/", views.default_template_download, name="default-template"),
]
