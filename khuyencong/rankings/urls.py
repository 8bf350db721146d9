from django.urls import path

from . import views

app_name = "rankings"
urlpatterns = [
    path("rankings/", views.ranking, name="ranking"),
    path("rankings/weights/", views.weights, name="weights"),
    path("rankings/publish/", views.publish, name="publish"),
]
