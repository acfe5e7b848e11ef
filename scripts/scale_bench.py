"""Scale measurements on a large knowledge base (see scripts/synthetic_kb.py).

    DATABASE_URL=... .venv/bin/python scripts/scale_bench.py pages
    DATABASE_URL=... .venv/bin/python scripts/scale_bench.py edits [--checkout DIR]

`pages`: search time (p50, p95 over varied queries, each rendered afresh,
not from the page cache), the article list's query count on its first and a
late page, the triage index's build time, and the memory of a process that
has built it. `edits`: triage p99 over HTTP (wrk, POST /api/triage with a
10 KB paste) for --duration seconds while an edit is saved every --every
seconds, against gunicorn with config/gunicorn.py serving the code in
--checkout (this one by default; another checkout measures the code before a
change).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "scale")
os.environ.setdefault("DEBUG", "0")


def _rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pages(out=print):
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from kb.models import Article
    from triage.index import build_index

    with override_settings(
        ALLOWED_HOSTS=["testserver"], SECURE_PROXY_SSL_HEADER=None, SECURE_SSL_REDIRECT=False
    ):
        client = Client()
        rng = random.Random(3)
        titles = list(Article.objects.published().values_list("title", flat=True)[:2000])
        queries = ["pipe busy", "0x54b", "10048", "ERROR_PIPE_BUSY", "recyling", "domain join"]
        for title in rng.sample(titles, 44):
            words = [w for w in title.replace("(", " ").replace(")", " ").split() if len(w) > 3]
            queries.append(" ".join(rng.sample(words, min(2, len(words)))))
        client.get("/search/?q=warm+up")
        times = []
        for q in queries:
            cache.clear()
            started = time.perf_counter()
            assert client.get("/search/", {"q": q}).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        out(
            f"search: {len(times)} queries, p50 {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
        )
        for url in ["/articles/", "/articles/?page=400", "/"]:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                assert client.get(url).status_code == 200
                took = (time.perf_counter() - started) * 1000
            out(f"{url}: {len(captured)} queries, {took:.0f} ms rendered afresh")
    before = _rss_mb()
    started = time.perf_counter()
    index = build_index()
    out(
        f"index build: {time.perf_counter() - started:.1f} s for {len(index.articles):,} articles; "
        f"process memory {before:.0f} MB before, {_rss_mb():.0f} MB after"
    )


def edits(checkout, duration, every, out=print):
    from scripts.http_bench import _paste, _post_script, _stop, _wait_until_up, _wrk

    port = int(os.getenv("BENCH_PORT", "18320"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": os.getenv("WEB_CONCURRENCY", "2"),
        "PYTHONPATH": str(checkout),
    }
    import json

    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "server.log", "wb") as log:
        post = _post_script(Path(tmp), json.dumps({"text": _paste()}))
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "-c",
                "config/gunicorn.py",
                "config.asgi:application",
            ],
            cwd=checkout,
            env={**env, "PORT": str(port), "HOST": "127.0.0.1"},
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        stop = threading.Event()
        saved = []

        def edit_every_few_seconds():
            script = (
                "from kb.models import Signature\n"
                "import time, sys\n"
                f"while True:\n"
                "    s = Signature.objects.order_by('pk').first(); s.save()\n"
                "    print('saved', flush=True)\n"
                f"    time.sleep({every})\n"
            )
            editor = subprocess.Popen(
                [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", script],
                cwd=checkout,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            while not stop.is_set() and editor.stdout.readline():
                saved.append(time.monotonic())
            _stop(editor)

        try:
            _wait_until_up(port, "/healthz", timeout=300)
            # Both workers build their first index before the measurement starts.
            _wrk(f"http://127.0.0.1:{port}/api/triage", 60, 4, post)
            editor = threading.Thread(target=edit_every_few_seconds, daemon=True)
            editor.start()
            row = _wrk(f"http://127.0.0.1:{port}/api/triage", duration, 16, post, timeout="60s")
            stop.set()
        finally:
            stop.set()
            _stop(server)
    out(
        f"triage under edits ({checkout}): {row['rps']:.1f} req/s, p50 {row['p50']:.0f} ms, "
        f"p99 {row['p99']:.0f} ms, errors {row['errors']} of {row['requests']}, "
        f"{len(saved)} edits saved in {duration} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["pages", "edits"])
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--every", type=float, default=5.0)
    args = parser.parse_args()
    if args.what == "pages":
        pages()
    else:
        edits(args.checkout.resolve(), args.duration, args.every)


if __name__ == "__main__":
    main()
