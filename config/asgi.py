"""The ASGI application that `make serve` runs under gunicorn (config/gunicorn.py).

The views are synchronous; Django runs each request's in a thread of its own.
"""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# WhiteNoise serves static files with a synchronous iterator, which Django reads
# whole in a thread before sending, and warns about on every file. The largest
# static file is a few hundred kilobytes, so reading it whole costs nothing.
warnings.filterwarnings(
    "ignore",
    message="StreamingHttpResponse must consume synchronous iterators",
    category=Warning,
)

application = get_asgi_application()
