"""The address of the client a request came from, the one place that decides it.

Behind the reverse proxy the README asks for, every request comes from the
proxy's address; the client's is the one the proxy adds to X-Forwarded-For.
That header is whatever the client sent plus what each proxy appended, so only
the entries added by proxies we run can be believed: TRUSTED_PROXIES says how
many there are, and the client is the entry that many from the right. With
none (the default) the header is ignored, since anyone can write it. Admin
sign-in throttling (django-axes) and the site's rate limits both use this.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer entries than proxies: the first is as far back as anyone vouches for.
    candidate = hops[-trusted] if len(hops) >= trusted else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
