from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from .errors import DomainError


class DomainErrorMiddleware:
    """A DomainError that escapes a page view is shown as a clear Vietnamese message, not a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(
                request,
                "errors/error.html",
                {"status": exception.status, "message": exception.message},
                status=exception.status,
            )
        return None


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the switch (its cookie): an officer whose
    browser
    asks for English still gets the Vietnamese interface Vietnamese offices work in."""

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
