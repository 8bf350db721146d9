from django.urls import path

from . import import_views, plan_views, views

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/new/", views.project_create, name="create"),
    path("projects/<int:pk>/", views.project_detail, name="detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="edit"),
    path("projects/<int:pk>/transition/", views.project_transition, name="transition"),
    path("projects/<int:pk>/disbursements/", views.disbursement_create, name="disbursement"),
    path("projects/<int:pk>/outputs/", views.output_create, name="output"),
    path("projects/plans/", plan_views.plan_list, name="plans"),
    path("projects/plans/new/", plan_views.plan_create, name="plan_create"),
    path("projects/plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("projects/plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("projects/plans/<int:pk>/form-options/", views.plan_form_options, name="plan_form_options"),
    path("projects/plans/<int:pk>/delete/", plan_views.plan_delete, name="plan_delete"),
    path("projects/plans/<int:pk>/transition/", plan_views.plan_transition, name="plan_transition"),
    path("projects/plans/<int:pk>/batches/", plan_views.batch_create, name="batch_create"),
    path("projects/plans/<int:pk>/batches/<int:batch_pk>/edit/", plan_views.batch_edit, name="batch_edit"),
    path(
        "projects/plans/<int:pk>/batches/<int:batch_pk>/delete/", plan_views.batch_delete, name="batch_delete"
    ),
    path(
        "projects/plans/<int:pk>/projects.xlsx", import_views.plan_projects_export, name="plan_projects_xlsx"
    ),
    path("projects/plans/<int:pk>/import/", import_views.plan_projects_import, name="plan_import"),
    path("projects/plans/<int:pk>/flows.xlsx", import_views.plan_flows_template, name="plan_flows_xlsx"),
    path("projects/plans/<int:pk>/import-flows/", import_views.plan_flows_import, name="plan_flows_import"),
    path("api/v1/plans/<int:pk>/import/", import_views.api_plan_projects_import, name="api_plan_import"),
]
