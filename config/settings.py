"""Settings for the troubleshooting knowledge base.

Everything that differs between a laptop and production comes from environment
variables; see the README for the list. SQLite is the default so a fresh
checkout runs with no set-up; DATABASE_URL switches to PostgreSQL.

A development checkout also has a `.env` file (written by `make setup`, kept
out of git) that turns DEBUG on, so every `manage.py` command works there as
the README shows it. Its values are defaults: the real environment wins, and
production (`make serve`) has no such file and sets DEBUG off.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env_file(path):
    """Take NAME=value lines of path as defaults for the environment; a missing file is fine."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = (part.strip() for part in line.split("=", 1))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(name, value)


read_env_file(os.getenv("ENV_FILE", BASE_DIR / ".env"))

VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.getenv(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name, default):
    value = os.getenv(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")


def _secret_key():
    key = os.getenv("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "In a development checkout, `make setup` writes a .env file that turns DEBUG on."
        )
    # A development key that survives restarts, so sessions and signed wizard
    # links keep working between `make run` invocations.
    path = VAR_DIR / "secret_key.txt"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "simple_history",
    "axes",
    "kb",
    "triage",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Turns a database out of reach into a 503 for every page and the API.
    "kb.middleware.DatabaseUnavailableMiddleware",
    # The API's 405 in JSON, like its other errors.
    "kb.middleware.ApiMethodNotAllowedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL in the address is a 400, not a database error.
    "kb.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made each change in the article history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kb.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Last: a page rendered for the cache gets a placeholder CSRF token.
                "kb.pagecache.csrf_placeholder",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Waiting on PostgreSQL is bounded, so that when it stops answering a request
# costs a fraction of a second and answers 503 (kb.middleware) rather than
# holding a worker: DB_POOL_TIMEOUT_MS for a free connection from the pool, two
# seconds (libpq's least) to open a new one, and DB_QUERY_TIMEOUT_MS for a query.
# Queries are unbounded unless that is set, as migrations and the test suite
# want; config/gunicorn.py sets it for the web workers.
DB_POOL_TIMEOUT_MS = env_int("DB_POOL_TIMEOUT_MS", 500)
DB_CONNECT_TIMEOUT_S = 2
DB_QUERY_TIMEOUT_MS = env_int("DB_QUERY_TIMEOUT_MS", 0)


def _postgres_options(options):
    from config.postgres import BoundedConnection

    options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT_S)
    answer_timeout = None
    if DB_QUERY_TIMEOUT_MS > 0:
        # The server cancels a slow query itself; the client waits half as long
        # again before it gives up on a server that answers nothing at all.
        statement_timeout = f"-c statement_timeout={DB_QUERY_TIMEOUT_MS}"
        options["options"] = " ".join(filter(None, [options.get("options"), statement_timeout]))
        answer_timeout = DB_QUERY_TIMEOUT_MS * 1.5 / 1000
    # psycopg 3's pool keeps connections warm across requests in one worker.
    options["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 1),
        "max_size": env_int("DB_POOL_MAX", 10),
        "timeout": DB_POOL_TIMEOUT_MS / 1000,
        # After a failed connection the pool retries 1, 2, 4... seconds apart, for
        # five minutes by default: a database back after a minute would wait half
        # a minute for the next try. Giving up after two seconds instead lets the
        # next request that finds the pool empty start a new try at once.
        "reconnect_timeout": 2,
        "connection_class": BoundedConnection.bounded(answer_timeout),
    }
    return options


DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["OPTIONS"] = _postgres_options(DATABASES["default"].get("OPTIONS", {}))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("SQLITE_PATH", VAR_DIR / "kb.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # A file rather than memory, so a test can reach the test database
            # from a second process (the triage index must notice its edits);
            # one per test run, so two runs at once do not collide.
            "TEST": {"NAME": VAR_DIR / f"test-kb-{os.getpid()}.sqlite3"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _cache_from_url(url):
    """Django's own Redis or Memcached backend for CACHE_URL; local memory without one."""
    if not url:
        # One per process; pages for old revisions are culled first as it fills.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 2000)},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("memcached://"):
        servers = url.removeprefix("memcached://").strip("/").split(",")
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": servers,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, unix:// or memcached://, not {url!r}."
    )


# Shared by every server when CACHE_URL names a Redis or Memcached server.
CACHES = {"default": _cache_from_url(os.getenv("CACHE_URL", ""))}

# Readers' pages, keyed on the knowledge-base revision (kb/pagecache.py).
PAGE_CACHE_ALIAS = "default"
# Seconds a page is kept; pages of an old revision are never read again.
PAGE_CACHE_TIMEOUT = 24 * 3600
# Pages for typed searches and filters: queries up to this long, at most this
# many pages per revision, each kept this many seconds.
PAGE_CACHE_MAX_QUERY = 200
PAGE_CACHE_QUERY_PAGES = env_int("PAGE_CACHE_QUERY_PAGES", 1000)
PAGE_CACHE_QUERY_TIMEOUT = 3600

AUTHENTICATION_BACKENDS = [
    # Checks the lockout before any password is tried.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin login throttling: five failures for one user name from one address
# lock that pair out for fifteen minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_VERBOSE = False
# A lockout ends AXES_COOLOFF_MINUTES after the failure that started it, however
# often someone keeps guessing meanwhile (axes would otherwise restart the clock).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "kb.clients.client_address"

# How many reverse proxies of our own stand in front of the site, each appending
# the address it saw to X-Forwarded-For. 0 (the default) never reads the header,
# which any client can write; behind the nginx of docs/deploy, set 1.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)

# Requests per minute from one client address (triage/ratelimit.py): triage by
# the wizard or the API, and feedback with sending a paste to the editors.
# 0 turns a limit off. Far above what a person does; an integration that needs
# more can raise them.
RATE_LIMITS = {
    "triage": env_int("RATE_LIMIT_TRIAGE_PER_MINUTE", 60),
    "feedback": env_int("RATE_LIMIT_FEEDBACK_PER_MINUTE", 30),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Where the site is served, for absolute links printed outside a request
# (`manage.py triage`); empty prints paths.
SITE_URL = os.getenv("SITE_URL", "").rstrip("/")

# How long the wizard keeps a paste (and so how long its links work); `manage.py
# purgepastes` deletes older ones.
PASTE_RETENTION_DAYS = env_int("PASTE_RETENTION_DAYS", 14)

# The bundled articles, one reviewable file each.
KB_CONTENT_DIR = BASE_DIR / "content" / "articles"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# After sign-in with no safe "next" address, the admin's index (not Django's
# /accounts/profile/, which this site does not have).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
if not DEBUG:
    SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
    SESSION_COOKIE_SECURE = SECURE_COOKIES
    CSRF_COOKIE_SECURE = SECURE_COOKIES
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if SECURE_COOKIES:
        # Served over HTTPS (the proxy says so in X-Forwarded-Proto): plain HTTP is
        # redirected and browsers are told to use HTTPS only. /healthz stays on
        # plain HTTP for load balancers that check the application directly.
        SECURE_SSL_REDIRECT = True
        SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
        SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
        # Both bind every other name under the domain, and preloading is a
        # commitment to the browsers' own lists: the domain's owner decides.
        SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
        SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
        SILENCED_SYSTEM_CHECKS = [
            check
            for check, chosen in [
                ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
                ("security.W021", SECURE_HSTS_PRELOAD),
            ]
            if not chosen
        ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
