from django.urls import path

from . import api_views

urlpatterns = [
    path("", api_views.api_root, name="api-root"),
    path("me/", api_views.me, name="api-me"),
    path("me/tasks/", api_views.my_tasks, name="api-my-tasks"),
]
