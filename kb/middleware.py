import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Allow only this site's own scripts, styles and images on every page.

    Templates therefore carry no inline scripts and no style attributes; a
    response that already set its own policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


# How soon a client may try again. The site serves again by itself within a few
# seconds of the database coming back (see the database settings).
RETRY_AFTER_SECONDS = 5

_UNAVAILABLE_MESSAGE = "The knowledge base cannot reach its database just now. Try again shortly."


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, while the database is out of reach.

    Only errors of the connection itself count (OperationalError covers a
    refused or lost connection, the pool's timeout and a cancelled slow query;
    InterfaceError a connection already closed): anything else is a bug and
    stays a 500. The API answers in JSON like its other errors, pages with a
    page that needs no database; neither may be cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        if _is_api(request):
            response = JsonResponse({"message": _UNAVAILABLE_MESSAGE}, status=503)
        else:
            response = HttpResponse(
                render_to_string("503.html", {"message": _UNAVAILABLE_MESSAGE}), status=503
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


def _is_api(request):
    match = request.resolver_match
    return match is not None and "api" in match.namespaces
