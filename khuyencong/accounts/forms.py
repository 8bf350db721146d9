from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class RateLimitedPasswordChangeForm(PasswordChangeForm):
    """The current password is checked through `authenticate`, so django-axes counts wrong guesses and locks
    the account out exactly as it does for the login form."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Mật khẩu hiện tại không đúng. Nhập sai nhiều lần, tài khoản sẽ bị "
        "tạm khóa như khi đăng nhập.",
    }

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old) is None:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = RateLimitedPasswordChangeForm
    template_name = "accounts/password_change_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        from .services import user_password_changed

        user_password_changed(user=form.user)
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link of a new user: the password chosen here is the user's own (no change required)."""

    template_name = "accounts/set_password.html"
    success_url = "/login/"

    def form_valid(self, form):
        response = super().form_valid(form)
        from django.contrib import messages

        from .services import user_password_changed

        user_password_changed(user=form.user)
        messages.success(
            self.request,
            f"Đã đặt mật khẩu cho tài khoản «{form.user.get_username()}»: hãy đăng nhập bằng mật khẩu "
            "vừa đặt.",
        )
        return response
