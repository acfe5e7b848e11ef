"""The production server, and a database that fails on cue, for tests that need them.

`ProductionServer` runs gunicorn as `make serve` does (config/gunicorn.py,
DEBUG off, compressed static files) against the test database, on a port the
test opened. `DatabaseProxy` sits between it and PostgreSQL and can be
stopped (connections refused and dropped), blackholed (connections accepted,
nothing ever answered) and started again.
"""

import http.client
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

# Generous bounds, so that a hang fails the test instead of blocking the run.
CLIENT_TIMEOUT = 10
START_TIMEOUT = 60


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name):
        return self.headers.get(name, "")


def request(port, method, path, body=None, headers=None, timeout=CLIENT_TIMEOUT):
    """One HTTP request to 127.0.0.1:port; raises OSError when nothing answers in time."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


class DatabaseProxy:
    """A TCP relay to PostgreSQL that a test can stop, blackhole and start again."""

    def __init__(self, host, port):
        self._upstream = (host, port)
        self._lock = threading.Lock()
        self._selector = selectors.DefaultSelector()
        self._listener = None
        self._peers = {}  # relayed socket -> the socket at the other end
        self._held = []  # sockets that will never hear anything again
        self._blackholed = False
        self._running = True
        self.port = 0
        self._listen()
        self._thread = threading.Thread(target=self._run, name="database-proxy", daemon=True)
        self._thread.start()

    def stop(self):
        """Refuse new connections and drop every open one, as a stopped server does."""
        with self._lock:
            if self._listener is not None:
                self._selector.unregister(self._listener)
                self._listener.close()
                self._listener = None
            self._drop_all()

    def blackhole(self):
        """Accept connections but answer nothing, on new and open connections alike."""
        with self._lock:
            self._blackholed = True
            self._listen()
            for sock in list(self._peers):
                self._selector.unregister(sock)
                self._held.append(sock)
            self._peers.clear()

    def start(self):
        """Relay again; connections held by the blackhole are dropped, as after a restart."""
        with self._lock:
            self._drop_all()
            self._blackholed = False
            self._listen()

    def close(self):
        self.stop()
        self._running = False
        self._thread.join(timeout=5)
        self._selector.close()

    def _listen(self):
        if self._listener is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.setblocking(False)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._selector.register(listener, selectors.EVENT_READ)

    def _drop_all(self):
        for sock in list(self._peers):
            self._selector.unregister(sock)
            sock.close()
        self._peers.clear()
        for sock in self._held:
            sock.close()
        self._held.clear()

    def _run(self):
        while self._running:
            with self._lock:
                for key, _ in self._selector.select(timeout=0.05):
                    if key.fileobj is self._listener:
                        self._accept()
                    elif key.fileobj in self._peers:
                        self._relay(key.fileobj)

    def _accept(self):
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        if self._blackholed:
            self._held.append(client)
            return
        try:
            server = socket.create_connection(self._upstream, timeout=5)
        except OSError:
            client.close()
            return
        for sock in (client, server):
            sock.setblocking(True)
            self._selector.register(sock, selectors.EVENT_READ)
        self._peers[client], self._peers[server] = server, client

    def _relay(self, sock):
        peer = self._peers[sock]
        try:
            data = sock.recv(65536)
            if data:
                peer.sendall(data)
                return
        except OSError:
            pass
        for end in (sock, peer):
            self._selector.unregister(end)
            del self._peers[end]
            end.close()


def collect_static(var_dir):
    """Collect the compressed, fingerprinted static files the server needs with DEBUG off."""
    # DEBUG off outright, as `make serve` has it: a checkout's .env turns it on.
    env = {**os.environ, "VAR_DIR": str(var_dir), "SECRET_KEY": "collectstatic", "DEBUG": "0"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def database_env(port=None):
    """Environment that points a process at this test run's database (through `port`)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": str(settings["NAME"]), "DATABASE_URL": ""}
    user = settings["USER"]
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = "127.0.0.1" if port else settings["HOST"] or "127.0.0.1"
    port = port or settings["PORT"] or 5432
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"}


# Set for the test run, not by production; gunicorn's config sets the query bound.
_NOT_INHERITED = {"DEBUG", "DB_QUERY_TIMEOUT_MS", "GUNICORN_CMD_ARGS"}


class ProductionServer:
    """gunicorn with the production configuration, on a listening socket opened here."""

    def __init__(self, var_dir, log_path, env=None):
        self.log_path = log_path
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self._listener.getsockname()[1]
        server_env = {
            **{k: v for k, v in os.environ.items() if k not in _NOT_INHERITED},
            # DEBUG off outright, as `make serve` has it: a checkout's .env turns it on.
            "DEBUG": "0",
            "SECRET_KEY": "production-server-under-test",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "0",
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        fd = self._listener.fileno()
        self._log = open(log_path, "wb")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", f"--bind=fd://{fd}"],
            cwd=ROOT,
            env=server_env,
            pass_fds=[fd],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_ready()

    def get(self, path, **kwargs):
        return request(self.port, "GET", path, **kwargs)

    def post(self, path, body, content_type, **kwargs):
        headers = {"Content-Type": content_type}
        return request(self.port, "POST", path, body=body, headers=headers, **kwargs)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._listener.close()
        self._log.close()

    def _wait_until_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.stop()
                raise RuntimeError(f"gunicorn exited at start:\n{self.log()}")
            try:
                if self.get("/healthz", timeout=5).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"gunicorn did not answer /healthz within {START_TIMEOUT} s:\n{self.log()}"
        )
