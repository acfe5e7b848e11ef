"""Anonymous pages served from Django's cache, keyed on the knowledge-base revision.

Readers see only published articles, and every edit moves the revision
(kb/revision.py), so a reader's page can only change when the revision does: a
page rendered once is served to every reader until then, at the cost of the one
query that reads the counter. Staff, who see drafts, always get a fresh page.

A page can carry a form with a CSRF token, and a token belongs to its visitor
(it is the visitor's CSRF cookie, masked). Such a page is rendered for the
cache with a placeholder where the token goes (see `csrf_placeholder`), and each
response fills in the token of the visitor it goes to, setting their cookie if
they had none.

Every page answers conditional GETs: its ETag is a hash of the cached page (and,
for a page with a token, of the visitor's CSRF cookie, since their copy carries
a token made from it), and a matching If-None-Match gets 304. Last-Modified,
the time the revision moved, is sent too, but counts whole seconds.

Pages for what readers type (searches, filters) are bounded: only the query
parameters the view reads make the key, queries longer than
PAGE_CACHE_MAX_QUERY are not cached, and at most PAGE_CACHE_QUERY_PAGES such
pages are kept per revision, whatever the cache backend.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from kb import revision as kb_revision

# Put into a page in place of the CSRF token; only letters, digits and dashes,
# so escaping leaves it alone. Matched only as a whole attribute value.
PLACEHOLDER = "kb-page-cache-csrf-token"
_PLACEHOLDER_VALUE = f'value="{PLACEHOLDER}"'.encode()

_RENDERING_FOR_CACHE = "_kb_rendering_for_cache"


def csrf_placeholder(request):
    """Context processor: the placeholder instead of the token while a page is
    rendered for the cache. Listed after Django's own, so it wins."""
    if getattr(request, _RENDERING_FOR_CACHE, False):
        return {"csrf_token": PLACEHOLDER}
    return {}


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _is_staff(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_active and user.is_staff


def _digest(*parts):
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_page(*params):
    """Serve the view's page from the cache for readers.

    params: the query parameters the view reads, stripped of surrounding
    whitespace as the views strip them. They make the key, and a page with any
    of them is bounded as above; anything else in the address is ignored by
    the view, so it is ignored by the key.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "GET" or _is_staff(request):
                return view(request, *args, **kwargs)
            revision = kb_revision.current()
            if revision is None:
                return view(request, *args, **kwargs)
            # As the views read them. Only the ends: a pasted error keeps its lines,
            # and the page carries the text back to the triage as it was typed.
            values = [request.GET.get(name, "").strip() for name in params]
            typed = "".join(values)
            key = "kb:page:" + _digest(
                revision.key,
                request.path,
                *(f"{n}={v}" for n, v in zip(params, values, strict=True)),
            )
            entry = _cache().get(key)
            if entry is None:
                response, entry = _render(view, request, args, kwargs)
                if entry is None:
                    return response
                if _may_store(revision.key, typed):
                    timeout = (
                        settings.PAGE_CACHE_QUERY_TIMEOUT if typed else settings.PAGE_CACHE_TIMEOUT
                    )
                    _cache().set(key, entry, timeout)
            return _respond(request, entry, revision)

        return wrapper

    return decorator


def _render(view, request, args, kwargs):
    """The view's response, and the entry to cache for it (None if it is not a page)."""
    setattr(request, _RENDERING_FOR_CACHE, True)
    try:
        response = view(request, *args, **kwargs)
    finally:
        setattr(request, _RENDERING_FOR_CACHE, False)
    # A page the view marked no-store (a search that holds a pasted error) is
    # nobody else's business: it goes to this visitor and no cache keeps it.
    private = "no-store" in response.get("Cache-Control", "")
    if response.status_code != 200 or response.streaming or response.cookies or private:
        _fill_token(request, response)
        return response, None
    body = response.content
    entry = {
        "body": body,
        "content_type": response["Content-Type"],
        "carries_token": _PLACEHOLDER_VALUE in body,
        "etag": _digest(body.decode("utf-8", "replace"))[:32],
    }
    return response, entry


def _fill_token(request, response):
    if not response.streaming and _PLACEHOLDER_VALUE in response.content:
        response.content = _with_token(request, response.content)


def _with_token(request, body):
    return body.replace(_PLACEHOLDER_VALUE, f'value="{get_token(request)}"'.encode())


def _may_store(revision_key, typed):
    """Pages for typed queries: short queries only, and a bounded number per revision."""
    if not typed:
        return True
    if len(typed) > settings.PAGE_CACHE_MAX_QUERY:
        return False
    counter = f"kb:page-count:{_digest(revision_key)[:16]}"
    cache = _cache()
    cache.add(counter, 0, settings.PAGE_CACHE_QUERY_TIMEOUT)
    try:
        stored = cache.incr(counter)
    except ValueError:  # the counter was culled just now: start again
        cache.set(counter, 1, settings.PAGE_CACHE_QUERY_TIMEOUT)
        stored = 1
    return stored <= settings.PAGE_CACHE_QUERY_PAGES


def _respond(request, entry, revision):
    etag = entry["etag"]
    body = entry["body"]
    if entry["carries_token"]:
        body = _with_token(request, body)
        # The visitor's copy carries a token made from their cookie: another
        # cookie needs another copy.
        etag += "-" + _digest(request.META["CSRF_COOKIE"])[:16]
    response = HttpResponse(body, content_type=entry["content_type"])
    response["ETag"] = quote_etag(etag)
    if revision.changed_at is not None:
        response["Last-Modified"] = http_date(revision.changed_at.timestamp())
    # Browsers may keep the page but must ask each time; a page with a token is
    # for this visitor alone.
    response["Cache-Control"] = "private, no-cache" if entry["carries_token"] else "no-cache"
    # Only the ETag answers 304. Last-Modified counts whole seconds and an edit
    # can follow within the same one, so If-Modified-Since alone gets the page
    # (browsers send the ETag back too, and Django then ignores the date anyway).
    return get_conditional_response(request, etag=response["ETag"], response=response)
