"""HTTP benchmark: the site's pages and API beside a hello view, in one run.

    .venv/bin/python scripts/http_bench.py [--duration 10] [--connections 16]

Both are served by gunicorn with the production configuration
(config/gunicorn.py: the asyncio worker serving Django over ASGI, DEBUG off,
compressed static files), WEB_CONCURRENCY workers each (2 unless set), on
ports 18300 and 18301 (BENCH_PORT sets the first). The site uses the database
the environment names (DATABASE_URL, or SQLite in var/), as `make serve`
would, so it must be migrated and loaded first (`make setup`). Each address is
loaded with wrk (Debian's package; `make wrk` installs it as root), 2
threads, 16 connections, for --duration seconds after a short warm-up, and the
table gives req/s as a share of the hello view's, p50 and p99 latency and the
errors (socket errors and answers other than 2xx/3xx).
"""

import argparse
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage.bench import synthetic_kb, synthetic_paste  # noqa: E402

ARTICLE = "/articles/exchange-linkage-pipe-busy/"
TARGETS = [
    ("hello", None),
    ("home", "/"),
    ("article", ARTICLE),
    ("search", "/search/?q=pipe+busy"),
    ("triage 10 KB", "/api/triage"),
]

GOALS = {"home": 0.60, "article": 0.60, "search": 0.30, "triage 10 KB": 0.25}


def _paste():
    """A 10 KB log-like paste around the pipe-busy error of a bundled article."""
    _, signatures = synthetic_kb(1000)
    log = synthetic_paste(10 * 1024 - 200, signatures)
    error = "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"
    return log[: len(log) // 2] + "\n" + error + "\n" + log[len(log) // 2 :]


def _serve(app, port, env, log):
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", app],
        cwd=ROOT,
        env={**env, "PORT": str(port), "HOST": "127.0.0.1"},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def _wait_until_up(port, path, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answered on port {port} within {timeout} s")


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output):
    """Requests per second, p50 and p99 in ms, and errors, from wrk --latency output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": requests}


def _wrk(url, seconds, connections, script=None, timeout="5s"):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", timeout]
    if script:
        command += ["-s", script]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


def _post_script(directory, body):
    (directory / "paste.json").write_text(body)
    script = directory / "post.lua"
    # wrk reads the body from Lua; a long string keeps the JSON as it is.
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"local f = io.open({str(directory / 'paste.json')!r}, 'rb')\n"
        "wrk.body = f:read('*a')\nf:close()\n"
    )
    return str(script)


def run(duration, connections, out=print):
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make wrk` (as root) or apt-get install wrk")
    import json

    port = int(os.getenv("BENCH_PORT", "18300"))
    env = os.environ.copy()
    env.setdefault("WEB_CONCURRENCY", "2")
    site_env = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": env.get("SECRET_KEY") or "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
    }
    hello_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=site_env,
        check=True,
    )
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "servers.log", "wb") as log:
        post = _post_script(Path(tmp), json.dumps({"text": _paste()}))
        servers = [
            _serve("scripts.hello:application", port, hello_env, log),
            _serve("config.asgi:application", port + 1, site_env, log),
        ]
        try:
            _wait_until_up(port, "/")
            _wait_until_up(port + 1, "/healthz")
            rows = {}
            for name, path in TARGETS:
                url = (
                    f"http://127.0.0.1:{port}/"
                    if path is None
                    else f"http://127.0.0.1:{port + 1}{path}"
                )
                script = post if path == "/api/triage" else None
                _wrk(url, 2, connections, script)  # warm-up: caches, index, connections
                rows[name] = _wrk(url, duration, connections, script)
        finally:
            for server in servers:
                _stop(server)
    hello = rows["hello"]["rps"]
    out(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()} {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}; gunicorn -c config/gunicorn.py (asyncio worker, "
        f"ASGI), {env['WEB_CONCURRENCY']} workers; database "
        f"{'PostgreSQL' if env.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}; "
        f"wrk -t2 -c{connections} -d{duration}s"
    )
    out("")
    out("| address | req/s | share of hello | p50 ms | p99 ms | errors | goal |")
    out("|---|---:|---:|---:|---:|---:|---|")
    for name, row in rows.items():
        share = row["rps"] / hello
        goal = GOALS.get(name)
        verdict = ""
        if goal is not None:
            met = share >= goal and row["p99"] < 50 and row["errors"] == 0
            verdict = f"{'met' if met else 'not met'} (>= {goal:.0%}, p99 < 50 ms, 0 errors)"
        out(
            f"| {name} | {row['rps']:,.0f} | {share:.0%} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['errors']} of {row['requests']:,} | {verdict} |"
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per address")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    run(args.duration, args.connections)


if __name__ == "__main__":
    main()
