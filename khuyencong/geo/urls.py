from django.urls import path

from . import views

urlpatterns = [path("admin-units/", views.admin_unit_index, name="admin-units")]
