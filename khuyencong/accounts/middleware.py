"""A user created with a first password must choose their own before doing anything else."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/static/", "/logout/", "/password-change/", "/set-password/", "/i18n/")


class FirstPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {
                        "error": {
                            "code": "password_change_required",
                            "message": "Hãy đổi mật khẩu ban đầu trước khi dùng hệ thống.",
                            "details": {},
                        }
                    },
                    status=403,
                )
            messages.info(
                request, "Đây là lần đăng nhập đầu tiên: hãy đổi mật khẩu ban đầu trước khi tiếp tục."
            )
            return redirect(reverse("password_change"))
        return self.get_response(request)
