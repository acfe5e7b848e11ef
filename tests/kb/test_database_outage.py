"""PostgreSQL stops, then accepts connections and answers nothing: the site says 503 and recovers.

The production server (gunicorn as `make serve` runs it) reaches the test
database through a proxy that the test stops, blackholes and starts again.
Every request is bounded by a client timeout, so a hang fails the test; the
bound the site promises (a 503 within a second) is the server's, not asserted
here.
"""

import json
import time

import pytest
from django.core.management import call_command
from django.db import connection

from tests.servers import DatabaseProxy, ProductionServer, database_env

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ARTICLE = "/articles/exchange-linkage-pipe-busy/"
PAGES = ["/", "/articles/", ARTICLE, "/search/?q=pipe", "/products/"]
API = ["/api/articles", "/api/articles/exchange-linkage-pipe-busy"]
PASTE = "Lsmain.exe: All pipe instances are busy. (231)"
# Long enough for the pool to give up on its broken connections and retry,
# short of hanging a CI run when the site never comes back.
RECOVERY_LIMIT = 30


@pytest.fixture
def proxy():
    settings = connection.settings_dict
    proxy = DatabaseProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432))
    yield proxy
    proxy.close()


@pytest.fixture
def server(proxy, production_var_dir, tmp_path):
    call_command("loadkb", verbosity=0)
    server = ProductionServer(
        production_var_dir,
        tmp_path / "gunicorn.log",
        env={**database_env(port=proxy.port), "WEB_CONCURRENCY": "2"},
    )
    yield server
    server.stop()


def _assert_serving(server):
    for path in [*PAGES, *API, "/healthz"]:
        assert server.get(path).status == 200, path
    answer = server.post("/api/triage", json.dumps({"text": PASTE}), "application/json")
    assert answer.status == 200
    assert answer.body and json.loads(answer.body)["candidates"]


def _assert_unavailable(server):
    for path in PAGES:
        answer = server.get(path)
        assert answer.status == 503, path
        assert answer.header("Content-Type").startswith("text/html"), path
        assert int(answer.header("Retry-After")) > 0, path
        assert b"temporarily unavailable" in answer.body, path
    for path in API:
        answer = server.get(path)
        assert answer.status == 503, path
        assert answer.header("Content-Type") == "application/json", path
        assert int(answer.header("Retry-After")) > 0, path
        assert "database" in json.loads(answer.body)["message"], path
    answer = server.post("/api/triage", json.dumps({"text": PASTE}), "application/json")
    assert answer.status == 503
    assert answer.header("Content-Type") == "application/json"
    assert server.get("/healthz").status == 503


def _wait_for_recovery(server):
    """Poll until every page answers again; fail if the site never comes back."""
    deadline = time.monotonic() + RECOVERY_LIMIT
    while True:
        try:
            _assert_serving(server)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _assert_no_worker_was_killed(server):
    log = server.log()
    assert "WORKER TIMEOUT" not in log
    assert log.count("Booting worker") == 2, log


def test_a_stopped_database_gives_503s_and_the_site_comes_back(proxy, server):
    _assert_serving(server)

    proxy.stop()
    # Twice: first on the pool's connections that the stop broke, then on an empty pool.
    _assert_unavailable(server)
    _assert_unavailable(server)

    proxy.start()
    _wait_for_recovery(server)
    _assert_no_worker_was_killed(server)


def test_a_database_that_accepts_but_never_answers_gives_503s_and_the_site_comes_back(
    proxy, server
):
    _assert_serving(server)

    proxy.blackhole()
    # First on the pool's connections, which fall silent mid-conversation; then
    # on new connections, which are accepted and never greeted.
    _assert_unavailable(server)
    _assert_unavailable(server)

    proxy.start()
    _wait_for_recovery(server)
    _assert_no_worker_was_killed(server)
