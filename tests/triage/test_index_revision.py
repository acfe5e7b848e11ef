import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from kb.models import Article, Signature
from triage.index import get_index, wait_for_rebuild

ROOT = Path(__file__).resolve().parents[2]
TEXT = "The frobnicator stopped: ZQX-4711 quantum flux capacitor overload"


def _env_for_this_database():
    env = os.environ.copy()
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = name
        env.pop("DATABASE_URL", None)
    else:
        base = env["DATABASE_URL"].rsplit("/", 1)[0]
        env["DATABASE_URL"] = f"{base}/{name}"
    return env


def _current_index():
    """The index once the build that the latest edit started is done."""
    get_index()
    wait_for_rebuild()
    return get_index()


def _top(text):
    result = _current_index().triage(text)
    return [c.article for c in result.candidates]


@pytest.mark.django_db(transaction=True)
def test_an_edit_made_by_another_process_reaches_this_process_index():
    call_command("loadkb", verbosity=0)
    assert _top(TEXT) == []
    before = get_index()

    script = (
        "from kb.models import Article, Signature\n"
        "a = Article.objects.get(slug='wcf-port-sharing-leaked-socket')\n"
        "Signature.objects.create(article=a, kind='phrase', weight=3,"
        " value='quantum flux capacitor overload')\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=_env_for_this_database(),
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert _current_index() is not before
    assert _top(TEXT)[:1] == ["wcf-port-sharing-leaked-socket"]


@pytest.mark.django_db(transaction=True)
def test_unpublishing_removes_an_article_from_the_index():
    call_command("loadkb", verbosity=0)
    text = "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"
    assert _top(text)[:1] == ["exchange-linkage-pipe-busy"]
    Article.objects.filter(slug="exchange-linkage-pipe-busy").update(status="draft")
    # A queryset update sends no signal; the next real save moves the revision.
    Signature.objects.first().save()
    assert "exchange-linkage-pipe-busy" not in _top(text)


def test_an_unchanged_knowledge_base_costs_one_query(db, django_assert_num_queries):
    call_command("loadkb", verbosity=0)
    get_index()
    with django_assert_num_queries(1):
        get_index()
