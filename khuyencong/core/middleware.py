from django.shortcuts import render

from .errors import DomainError


class DomainErrorMiddleware:
    """A DomainError that escapes a page view is shown as a clear Vietnamese message, not a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(request, "errors/error.html", {"status": exception.status, "message": exception.message},
                          status=exception.status)
        return None
