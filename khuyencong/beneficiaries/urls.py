from django.urls import path

from . import views

app_name = "beneficiaries"

urlpatterns = [
    path("establishments/", views.establishment_list, name="list"),
    path("establishments/new/", views.establishment_create, name="create"),
    path("establishments/template.xlsx", views.import_template, name="template"),
    path("establishments/import/", views.establishment_import, name="import"),
    path("establishments/communes/", views.commune_options, name="communes"),
    path("establishments/communes/search/", views.commune_search, name="commune_search"),
    path("establishments/search/", views.establishment_search, name="search"),
    path("establishments/quick-create/", views.establishment_quick_create, name="quick_create"),
    path("establishments/<int:pk>/", views.establishment_detail, name="detail"),
    path("establishments/<int:pk>/edit/", views.establishment_edit, name="edit"),
    path("establishments/<int:pk>/merge/", views.establishment_merge, name="merge"),
]
