import os
from pathlib import Path

import pytest
from django.db import connection

ON_CI = os.getenv("CI", "").lower() in ("1", "true", "yes")


def pytest_sessionstart(session):
    """Fail at once, and say why, when the PostgreSQL pass cannot reach its server."""
    url = os.getenv("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        pytest.exit(f"PostgreSQL at DATABASE_URL is unreachable: {exc}", returncode=1)


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="PostgreSQL only: this run uses SQLite; set DATABASE_URL=postgres://... "
        "(as .ci/run does) to run it"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _static_root():
    # WhiteNoise warns on every request when STATIC_ROOT does not exist yet.
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True, scope="session")
def _plain_http_for_the_whole_run():
    # The live server of the browser tests builds its middleware once, before any
    # test's settings apply: with DEBUG off it would redirect Chromium to HTTPS.
    # tests/kb/test_https.py turns the redirect on where it is the subject.
    from django.conf import settings

    redirect = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = redirect


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    # Test-only speed-ups; production hashing and static storage stay as they are.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Local-memory caches outlive their settings: no test reads another's pages.
    from django.core.cache import cache

    cache.clear()
    # Login throttling would refuse client.login() (it needs the request);
    # tests/kb/test_admin_login.py turns it back on to test the lockout.
    settings.AXES_ENABLED = False
    # The suite triages far faster than a person; tests/triage/test_rate_limits.py
    # turns the limits on with low values.
    settings.RATE_LIMITS = {}
    # The test client speaks plain HTTP, as the application does behind its proxy;
    # tests/kb/test_https.py turns the redirect on with the proxy's header.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(scope="session")
def production_var_dir(tmp_path_factory):
    """A VAR_DIR with the static files collected, for tests/servers.ProductionServer."""
    from tests.servers import collect_static

    var_dir = tmp_path_factory.mktemp("production-var")
    collect_static(var_dir)
    return var_dir
