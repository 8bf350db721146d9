from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("du-lieu-mo/", views.index, name="index"),
    path("du-lieu-mo/datapackage.json", views.datapackage, name="datapackage"),
    path("du-lieu-mo/<slug:name>.csv", views.table_csv, name="csv"),
    path("du-lieu-mo/<slug:name>.xlsx", views.table_xlsx, name="xlsx"),
    path("du-lieu-mo/iati/<str:identifier>.json", views.iati, name="iati"),
    path("du-lieu-mo/cai-dat/", views.setting, name="setting"),
]
