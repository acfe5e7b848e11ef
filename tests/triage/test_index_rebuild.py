"""No triage waits for the index to be rebuilt: the old one answers meanwhile."""

import threading

import pytest
from django.core.management import call_command

from kb.models import Article, Signature
from triage import index as triage_index
from triage import service
from triage.index import get_index, wait_for_rebuild

NEW_TEXT = "The frobnicator stopped: quantum flux capacitor overload"
PIPE_TEXT = "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"


@pytest.fixture(autouse=True)
def cold_process(monkeypatch):
    """Each test starts as a process that has built no index yet."""
    wait_for_rebuild()
    monkeypatch.setattr(triage_index, "_cached", None)


@pytest.fixture
def blocked_build(monkeypatch):
    """Builds started from now on wait until the test releases them."""
    started, release = threading.Event(), threading.Event()
    real_build = triage_index.build_index

    def build_when_released(revision=None):
        started.set()
        # Bounded, so a triage that wrongly waited for the build would get the new
        # index (and fail the test) rather than hang the suite.
        release.wait(timeout=60)
        return real_build(revision)

    monkeypatch.setattr(triage_index, "build_index", build_when_released)
    yield started, release
    release.set()
    wait_for_rebuild()


def _slugs(report):
    return [c.article for c in report.candidates]


@pytest.mark.django_db(transaction=True)
def test_a_triage_during_a_rebuild_is_answered_from_the_old_index(blocked_build):
    started, release = blocked_build
    call_command("loadkb", verbosity=0)
    release.set()
    old = get_index()  # a cold process builds once, and waits for it
    release.clear()
    started.clear()

    article = Article.objects.get(slug="wcf-port-sharing-leaked-socket")
    Signature.objects.create(
        article=article, kind="phrase", weight=3, value="quantum flux capacitor overload"
    )

    report = service.triage(NEW_TEXT, record=False)
    assert started.wait(timeout=60), "the edit started a build"
    assert not release.is_set()
    assert get_index() is old
    assert "wcf-port-sharing-leaked-socket" not in _slugs(report)
    # The knowledge base as it was still answers while the build runs.
    assert _slugs(service.triage(PIPE_TEXT, record=False))[:1] == ["exchange-linkage-pipe-busy"]

    release.set()
    wait_for_rebuild()
    assert get_index() is not old
    assert _slugs(service.triage(NEW_TEXT, record=False))[:1] == ["wcf-port-sharing-leaked-socket"]


@pytest.mark.django_db(transaction=True)
def test_an_article_unpublished_during_a_rebuild_is_not_offered(blocked_build):
    started, release = blocked_build
    call_command("loadkb", verbosity=0)
    release.set()
    get_index()
    release.clear()
    assert _slugs(service.triage(PIPE_TEXT, record=False))[:1] == ["exchange-linkage-pipe-busy"]

    article = Article.objects.get(slug="exchange-linkage-pipe-busy")
    article.status = Article.Status.DRAFT
    article.save()

    report = service.triage(PIPE_TEXT, record=False)
    assert not release.is_set(), "answered before the new index was built"
    assert "exchange-linkage-pipe-busy" not in _slugs(report)
    assert report.outcome.article != "exchange-linkage-pipe-busy"


@pytest.mark.django_db(transaction=True)
def test_a_cold_process_builds_once_while_its_first_triage_waits():
    call_command("loadkb", verbosity=0)
    assert _slugs(service.triage(PIPE_TEXT, record=False))[:1] == ["exchange-linkage-pipe-busy"]
    assert triage_index._rebuilding is None or not triage_index._rebuilding.is_alive()
    assert get_index() is get_index()


@pytest.mark.django_db(transaction=True)
def test_a_failed_rebuild_keeps_the_old_index_serving(monkeypatch):
    call_command("loadkb", verbosity=0)
    old = get_index()

    def broken_build(revision=None):
        raise RuntimeError("the build broke")

    monkeypatch.setattr(triage_index, "build_index", broken_build)
    Signature.objects.first().save()
    assert _slugs(service.triage(PIPE_TEXT, record=False))[:1] == ["exchange-linkage-pipe-busy"]
    wait_for_rebuild()
    assert get_index() is old


@pytest.mark.django_db(transaction=True)
def test_a_paste_sent_to_the_wizard_during_a_rebuild_is_answered_from_the_old_index(
    client, blocked_build
):
    started, release = blocked_build
    call_command("loadkb", verbosity=0)
    release.set()
    old = get_index()
    release.clear()
    started.clear()
    Signature.objects.first().save()  # an edit: the next triage starts a build

    response = client.post("/triage/", {"text": PIPE_TEXT}, follow=True)
    assert started.wait(timeout=60), "the edit started a build"
    # Answered while the build still waits to be released: the page did not wait for it.
    assert not release.is_set() and get_index() is old
    assert response.status_code == 200
    assert "LinkAge" in response.content.decode()
