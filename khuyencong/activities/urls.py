from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.activity_new, name="new"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:pk>/transition/", views.activity_transition, name="transition"),
    path("activities/<int:pk>/participants/", views.participation_add, name="participation-add"),
    path(
        "activities/<int:pk>/participants/<int:participation_pk>/remove/",
        views.participation_remove,
        name="participation-remove",
    ),
    path("activities/<int:pk>/participants.xlsx", views.participants_export, name="participants-xlsx"),
    path("activities/<int:pk>/pieces/", views.piece_add, name="piece-add"),
    path("activities/<int:pk>/attendees/", views.attendee_add, name="attendee-add"),
    path("activities/<int:pk>/assessments/", views.assessment_add, name="assessment-add"),
    path("activities/<int:pk>/import/<str:which>/", views.list_import, name="import"),
]
