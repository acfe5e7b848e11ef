"""A one-file Django site that answers "Hello": the yardstick of the HTTP benchmark.

scripts/http_bench.py serves it with the same gunicorn configuration as the
site (config/gunicorn.py), so what is measured against it is what the site
adds on top of Django, gunicorn and the worker: middleware, queries, templates.

    DJANGO_SETTINGS_MODULE= gunicorn -c config/gunicorn.py scripts.hello:application
"""

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="hello",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)
django.setup()


def hello(request):
    return HttpResponse("Hello, world!\n", content_type="text/plain")


urlpatterns = [path("", hello)]

from django.core.asgi import get_asgi_application  # noqa: E402 (after settings)

application = get_asgi_application()
