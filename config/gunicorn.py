"""gunicorn's configuration for `make serve`: gunicorn -c config/gunicorn.py.

Django runs under gunicorn's asyncio worker, as ASGI. An event loop holds a
connection that has not finished sending its request for nothing more than a
little memory, so slow or idle clients cannot take the site down. The
threaded (gthread) worker gives each new connection a thread until its headers
arrive: five seconds for one that sends nothing, and for ever for one that
stops half way through them, so 64 such connections stopped `/healthz` on three
workers of eight threads. The views stay synchronous; Django runs each
request's in a thread of its own, and the database pool bounds how many reach
PostgreSQL at once.

Settings come from the environment, like the site's: HOST, PORT and
WEB_CONCURRENCY.
"""

import os

wsgi_app = "config.asgi:application"
worker_class = "asgi"
# Django does not speak the ASGI lifespan protocol; asking would only log that.
asgi_lifespan = "off"

bind = f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"
workers = int(os.getenv("WEB_CONCURRENCY", "3"))

# A worker whose event loop is stuck this long is restarted. Nothing a request
# does blocks the loop (views run in threads, database waits are bounded), so
# this only catches a real fault.
timeout = 30
graceful_timeout = 10
# Idle keep-alive connections (from the reverse proxy, say) close after this.
keepalive = 5

# Each query is bounded on the server and on the client (config/settings.py):
# when PostgreSQL stops answering, a request answers 503 within a second
# instead of waiting on it. Migrations and management commands stay unbounded.
os.environ.setdefault("DB_QUERY_TIMEOUT_MS", "500")

accesslog = "-"
# The control socket (gunicornc) would live at one fixed path per user, shared
# by every gunicorn that user runs on the machine; the site does not use it.
control_socket_disable = True
