"""Per-client rate limits on triage and on what people send the editors.

A fixed window per client and scope, counted in Django's cache. A few lines of
our own rather than django-ratelimit: the limiter has to answer each entry
point in its own way (JSON for the API, the paste box with the paste still in it
for the wizard), and must key on kb.clients.client_address like the admin's
throttling, which is all the library's decorator would have added.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from kb.clients import client_address

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window turns, when refused


def check(request, scope):
    """Count this request against the client's limit for scope ("triage", "feedback")."""
    limit = settings.RATE_LIMITS.get(scope, 0)
    if limit <= 0:
        return Verdict(True, 0)
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    # add() starts the count only if no one has; incr() is atomic in every cache
    # backend that spans processes (Redis, Memcached, the database cache).
    cache.add(key, 0, timeout=WINDOW_SECONDS + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=WINDOW_SECONDS + 1)
        count = 1
    if count <= limit:
        return Verdict(True, 0)
    return Verdict(False, max(1, int((window + 1) * WINDOW_SECONDS - now) + 1))


def message(verdict):
    seconds = verdict.retry_after
    return (
        f"Too many requests from your address in a minute. Try again in {seconds} second"
        f"{'s' if seconds != 1 else ''}."
    )
