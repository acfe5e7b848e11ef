"""A database out of reach answers 503 with Retry-After, never a 500.

These fake the failure inside the process, on either database; the real
outage, with PostgreSQL behind a proxy that is stopped and blackholed, is
tests/kb/test_database_outage.py.
"""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, connection

from tests.factory import make_article


def _database_gone(error=None):
    return mock.patch.object(
        connection, "cursor", side_effect=error or OperationalError("connection refused")
    )


def _assert_unavailable(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url", ["/", "/articles/", "/articles/an-article/", "/search/?q=socket", "/products/"]
)
def test_pages_say_the_site_is_temporarily_unavailable(client, db, url):
    make_article("An article", slug="an-article")
    with _database_gone():
        response = client.get(url)
    _assert_unavailable(response)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>The knowledge base is temporarily unavailable</h1>" in html
    assert "Try again shortly" in html


def test_a_paste_sent_while_the_database_is_gone_is_a_503(client, db):
    with _database_gone():
        response = client.post("/triage/", {"text": "All pipe instances are busy."})
    _assert_unavailable(response)
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/articles"), ("get", "/api/articles/an-article"), ("post", "/api/triage")],
)
def test_the_api_answers_503_in_json(client, db, method, url):
    make_article("An article", slug="an-article")
    with _database_gone():
        response = getattr(client, method)(
            url, data={"text": "All pipe instances are busy."}, content_type="application/json"
        )
    _assert_unavailable(response)
    assert response["Content-Type"] == "application/json"
    assert "database" in response.json()["message"]


def test_a_connection_closed_under_the_request_is_a_503_too(client, db):
    with _database_gone(InterfaceError("connection already closed")):
        response = client.get("/articles/")
    _assert_unavailable(response)


def test_other_database_errors_stay_server_errors(client, db):
    # A broken query is a bug to fix, not an outage to wait out.
    client.raise_request_exception = False
    with _database_gone(ProgrammingError("relation does not exist")):
        response = client.get("/articles/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_healthz_says_503_for_load_balancers(client, db):
    with _database_gone():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
