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


class NulCharacterMiddleware:
    """Answer 400 for a NUL character in the address or its query.

    No slug, filter or search term can hold one (PostgreSQL refuses it in text
    outright, so it would be a 500 there), and none of the site's own links
    carries one.
    """

    message = "The address contains a NUL character (%00), which no page of this site has."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" not in request.path_info and "%00" not in query:
            return None
        if _is_api(request):
            return JsonResponse({"message": self.message}, status=400)
        return HttpResponse(
            render_to_string("400.html", {"message": self.message}, request=request), status=400
        )


class ApiMethodNotAllowedMiddleware:
    """The API's 405 in JSON, like its other errors, with the methods it does allow.

    django-ninja answers a method an endpoint does not serve with a bare HTML
    page; the Allow header it sets is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or not _is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = ", ".join(sorted(m.strip() for m in response.get("Allow", "").split(",") if m))
        answer = JsonResponse(
            {"message": _method_message(request.method, allowed, request.path)}, status=405
        )
        answer["Allow"] = allowed
        return answer


def _method_message(method, allowed, path):
    if path.rstrip("/").endswith("/triage") and "POST" in allowed:
        return f'{method} is not served here: POST the paste as JSON, {{"text": "..."}}.'
    return f"{method} is not served here; this address answers {allowed}."
