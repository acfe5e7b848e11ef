"""Clients that connect and then send nothing, or half a request, do not take the site down.

The production server (gunicorn as `make serve` runs it) gets 64 such
connections held open while other clients read pages; every request is
bounded by a client timeout, so a server that stops answering fails the test.
"""

import json
import socket

import pytest
from django.core.management import call_command

from tests.servers import ProductionServer, database_env

pytestmark = pytest.mark.django_db(transaction=True)

HALF_OPEN = 64
ARTICLE = "/articles/exchange-linkage-pipe-busy/"


@pytest.fixture
def server(production_var_dir, tmp_path):
    call_command("loadkb", verbosity=0)
    server = ProductionServer(production_var_dir, tmp_path / "gunicorn.log", env=database_env())
    yield server
    server.stop()


@pytest.fixture
def half_open(server):
    """Connections that never finish a request: half send nothing, half stop mid-headers."""
    held = []
    try:
        for n in range(HALF_OPEN):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            if n % 2:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
            held.append(sock)
        yield held
    finally:
        for sock in held:
            sock.close()


def test_pages_answer_while_64_connections_hang_half_open(server, half_open):
    for path in ["/healthz", "/", ARTICLE, "/healthz", "/articles/", "/healthz"]:
        assert server.get(path).status == 200, path
    answer = server.post(
        "/api/triage", json.dumps({"text": "All pipe instances are busy."}), "application/json"
    )
    assert answer.status == 200
    # The connections were held all along: the server did not answer by dropping them.
    for sock in half_open:
        sock.setblocking(False)
        with pytest.raises(BlockingIOError):
            sock.recv(1)
