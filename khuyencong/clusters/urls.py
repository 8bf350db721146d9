from django.urls import path

from . import views

app_name = "clusters"
urlpatterns = [
    path("clusters/", views.cluster_list, name="list"),
    path("clusters/new/", views.cluster_new, name="new"),
    path("clusters/import/", views.cluster_import, name="import"),
    path("clusters/template.xlsx", views.import_template, name="template"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster"),
    path("clusters/<int:pk>/edit/", views.cluster_edit, name="edit"),
    path("clusters/<int:pk>/members/", views.member_add, name="member-add"),
    path("clusters/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
]
