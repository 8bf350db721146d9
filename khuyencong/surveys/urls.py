from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.campaign_list, name="campaigns"),
    path("surveys/new/", views.campaign_new, name="campaign-new"),
    path("surveys/<int:pk>/", views.campaign_detail, name="campaign"),
    path("surveys/<int:pk>/transition/", views.campaign_transition, name="campaign-transition"),
    path("surveys/<int:pk>/invite/", views.campaign_invite, name="campaign-invite"),
    path("surveys/<int:pk>/register/", views.campaign_register, name="campaign-register"),
    path("surveys/invitations/<int:pk>/", views.answer, name="answer"),
]
