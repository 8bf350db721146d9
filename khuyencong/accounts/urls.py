from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm, PasswordChangeView, SetPasswordView

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("set-password/<uidb64>/<token>/", SetPasswordView.as_view(), name="password_reset_confirm"),
    path("accounts/organisations/", views.organisation_list, name="organisations"),
    path("accounts/organisations/new/", views.organisation_create, name="organisation_create"),
    path("accounts/organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("accounts/users/", views.user_list, name="users"),
    path("accounts/users/new/", views.user_create, name="user_create"),
    path("accounts/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("accounts/unit-options/", views.unit_options, name="unit_options"),
    path("accounts/unit-search/", views.unit_search, name="unit_search"),
]
