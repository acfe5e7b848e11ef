"""HTTPS in production: plain HTTP is redirected, HSTS is sent, /healthz stays reachable,
and `manage.py check --deploy` is clean in the configuration the README documents."""

import os
import subprocess
import sys

import pytest

from tests.servers import ROOT, ProductionServer, database_env

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture
def https_settings(settings):
    # What config/settings.py sets with DEBUG off and SECURE_COOKIES on (the default).
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def test_plain_http_is_redirected_to_https(client, db, https_settings):
    response = client.get("/articles/?keyword=pipe")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/articles/?keyword=pipe"


def test_https_through_the_proxy_is_served_with_hsts(client, db, https_settings):
    response = client.get("/", **HTTPS)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_healthz_answers_load_balancers_over_plain_http(client, db, https_settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


@pytest.mark.django_db(transaction=True)
def test_the_production_server_redirects_but_answers_healthz(production_var_dir, tmp_path):
    server = ProductionServer(
        production_var_dir,
        tmp_path / "gunicorn.log",
        env={**database_env(), "SECURE_COOKIES": "1"},
    )
    try:
        assert server.get("/healthz").status == 200
        plain = server.get("/")
        assert plain.status == 301
        assert plain.header("Location") == f"https://127.0.0.1:{server.port}/"
        secure = server.get("/", headers={"X-Forwarded-Proto": "https"})
        assert secure.status == 200
        assert secure.header("Strict-Transport-Security") == "max-age=31536000"
    finally:
        server.stop()


def test_check_deploy_is_clean_in_the_documented_production_configuration(tmp_path):
    # The README's production section: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, and
    # the defaults for everything else (DEBUG off, SECURE_COOKIES on), with no .env.
    env = {
        k: v
        for k, v in os.environ.items()
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process, not production.
        if not k.startswith(("DEBUG", "SECURE_", "TRUSTED_", "ALLOWED_", "CSRF_", "DJANGO_ALLOW"))
    }
    env.update(
        SECRET_KEY="x7Qp2Lr9Vb4Nk8Tz1Wc6Hy3Jd5Fg0Ms2Aq9Ue4Ro7Ti1Pl6Kj3Hn8Bv5Cx2Zw0Ya",
        ALLOWED_HOSTS="kb.example.com",
        ENV_FILE=str(tmp_path / "no.env"),
        VAR_DIR=str(tmp_path),
        DATABASE_URL=database_env().get("DATABASE_URL", ""),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
