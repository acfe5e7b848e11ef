"""Readers' pages come from the cache, and never show them anything stale or another's."""

import re
import uuid
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kb.models import Article
from tests.factory import make_article

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(user)
    return client


def _queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def test_a_page_read_again_comes_from_the_cache_with_one_query(client, db):
    make_article("Named pipe busy", slug="pipe-busy", symptoms=["All pipe instances are busy."])
    for url in ["/", "/articles/", "/articles/pipe-busy/", "/products/", "/search/?q=pipe"]:
        first, rendered = _queries(client, url)
        again, cached = _queries(client, url)
        assert again.status_code == 200
        assert cached == 1 < rendered, url  # only the revision is read
        assert TOKEN_RE.sub("", again.content.decode()) == TOKEN_RE.sub(
            "", first.content.decode()
        ), url


def test_a_published_edit_is_visible_on_the_next_request(client, db):
    article = make_article("Pipe busy on startup", slug="pipe-busy", summary="Named pipes.")
    urls = ["/articles/pipe-busy/", "/", "/articles/", "/search/?q=pipe"]
    for url in urls:
        assert "busy on startup" in client.get(url).content.decode(), url

    article.title = "Pipe busy after a restart"
    article.save()

    for url in urls:
        html = client.get(url).content.decode()
        assert "busy after a restart" in html, url
        assert "busy on startup" not in html, url


def test_an_article_taken_back_to_draft_is_gone_at_once(client, db):
    article = make_article("Soon a draft", slug="soon-draft")
    assert client.get("/articles/soon-draft/").status_code == 200
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get("/articles/soon-draft/").status_code == 404
    assert "Soon a draft" not in client.get("/articles/").content.decode()


def test_staff_see_drafts_and_readers_do_not(client, staff_client, db):
    make_article("Published one", slug="published-one")
    reader = Client()
    assert "Published one" in reader.get("/articles/").content.decode()  # now cached
    make_article("Work in progress", slug="wip", status=Article.Status.DRAFT)

    assert "Work in progress" in staff_client.get("/articles/").content.decode()
    assert staff_client.get("/articles/wip/").status_code == 200
    assert "Work in progress" not in reader.get("/articles/").content.decode()
    assert reader.get("/articles/wip/").status_code == 404
    # What staff were shown was not kept for readers either.
    assert "Work in progress" not in Client().get("/articles/").content.decode()


def test_a_matching_etag_gets_304_until_the_page_changes(client, db):
    article = make_article("Socket address in use", slug="socket")
    first = client.get("/articles/socket/")
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]

    again = client.get("/articles/socket/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""

    article.title = "Only one usage of each socket address"
    article.save()
    changed = client.get("/articles/socket/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Only one usage of each socket address" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_if_modified_since_alone_never_gets_a_stale_page(client, db):
    # Last-Modified counts whole seconds, and an edit can follow within the same
    # one: only the ETag, which changes with the page, can answer 304.
    article = make_article("Modified since", slug="since")
    first = client.get("/articles/since/")
    article.summary = "A later summary."
    article.save()
    later = client.get("/articles/since/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert later.status_code == 200
    assert "A later summary." in later.content.decode()


def test_two_visitors_get_their_own_csrf_tokens_from_the_cached_home_page(db):
    make_article("Anything", slug="anything")
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alice_token = TOKEN_RE.search(alice.get("/").content.decode()).group(1)
    with CaptureQueriesContext(connection) as captured:
        bob_page = bob.get("/")
    assert len(captured) == 1, "Bob's page came from the cache"
    bob_token = TOKEN_RE.search(bob_page.content.decode()).group(1)
    assert "kb-page-cache" not in bob_page.content.decode()
    assert bob_page["Cache-Control"].startswith("private")

    paste = {"text": "All pipe instances are busy."}
    # Alice's token is no good with Bob's cookie; Bob's own is.
    assert bob.post("/triage/", {**paste, "csrfmiddlewaretoken": alice_token}).status_code == 403
    assert bob.post("/triage/", {**paste, "csrfmiddlewaretoken": bob_token}).status_code != 403
    assert alice.post("/triage/", {**paste, "csrfmiddlewaretoken": alice_token}).status_code != 403


def test_a_visitor_with_another_cookie_does_not_get_304_for_a_page_with_a_token(db):
    visitor = Client()
    first = visitor.get("/")
    assert visitor.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Another visitor's copy carries a token that is no good for this one.
    assert Client().get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_searches_beyond_the_bound_are_answered_but_not_kept(client, db, settings):
    settings.PAGE_CACHE_QUERY_PAGES = 2
    make_article("Pipe busy", slug="pipe-busy", symptoms=["All pipe instances are busy."])
    for q in ["pipe", "busy"]:
        client.get("/search/", {"q": q})
        assert _queries(client, f"/search/?q={q}")[1] == 1, q
    response, rendered = _queries(client, "/search/?q=instances")
    assert "Pipe busy" in response.content.decode()
    assert _queries(client, "/search/?q=instances")[1] == rendered
    long_query = "pipe " * 60
    client.get("/search/", {"q": long_query})
    assert _queries(client, f"/search/?q={long_query}")[1] > 1


def test_a_search_that_holds_a_pasted_error_is_kept_by_no_cache(client, db):
    make_article("Pipe busy", slug="pipe-busy", symptoms=["All pipe instances are busy."])
    pasted = "System.ServiceModel.CommunicationException: All pipe instances are busy.\nat Srv01"
    first = client.get("/search/", {"q": pasted})
    assert "Triage this instead" in first.content.decode()
    assert first["Cache-Control"] == "no-store"
    assert _queries(client, "/search/?" + urlencode({"q": pasted}))[1] > 1, "rendered afresh"
    client.get("/search/", {"q": "pipe busy"})
    assert _queries(client, "/search/?q=pipe+busy")[1] == 1, "a plain search is still kept"


def test_parameters_the_view_does_not_read_share_one_page(client, db):
    make_article("Pipe busy", slug="pipe-busy")
    client.get("/articles/?page=1")
    assert _queries(client, "/articles/?page=1&utm_source=mail")[1] == 1


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    from django.core.cache import cache

    yield cache
    cache.clear()  # FLUSHDB: database 15, kept for the tests, not a developer's 0


def test_pages_are_shared_through_redis(redis_cache, db):
    article = make_article("Shared through Redis", slug="shared")
    Client().get("/articles/shared/")
    response, count = _queries(Client(), "/articles/shared/")
    assert count == 1 and "Shared through Redis" in response.content.decode()
    article.title = "Edited and shared"
    article.save()
    assert "Edited and shared" in Client().get("/articles/shared/").content.decode()
