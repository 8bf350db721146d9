from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/profile/", views.profile, name="profile"),
    path("portal/applications/new/", views.application_new, name="application-new"),
    path("portal/applications/cap-check/", views.cap_check, name="cap-check"),
    path("portal/applications/<int:pk>/", views.application_detail, name="application"),
    path("portal/applications/<int:pk>/files/", views.application_upload, name="application-upload"),
    path("portal/applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path("portal/applications/<int:pk>/review/", views.application_review, name="application-review"),
    path("portal/files/<int:pk>/", views.attachment_download, name="file"),
    path("portal/queue/", views.queue, name="queue"),
    path("portal/profile-changes/<int:pk>/", views.profile_change_decide, name="profile-change"),
]
