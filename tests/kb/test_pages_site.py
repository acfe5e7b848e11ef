"""Site-wide responses: security headers, sitemap, robots, health, error pages."""

from datetime import date
from unittest import mock

from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import server_error

from kb.middleware import CONTENT_SECURITY_POLICY
from kb.models import Article
from tests.factory import make_article, make_product


def test_every_response_carries_the_content_security_policy(client, db):
    make_article("An article", slug="an-article")
    for url in ["/", "/articles/an-article/", "/robots.txt", "/no-such-page/"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "object-src 'none'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


def test_sitemap_lists_published_articles_products_and_home(client, db):
    iis = make_product("IIS", slug="iis")
    make_product("Unused", slug="unused")
    make_article("Live", slug="live-article", products=[iis])
    make_article("Secret", slug="secret-draft", status=Article.Status.DRAFT)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://testserver/</loc>" in xml
    assert "<loc>http://testserver/articles/live-article/</loc>" in xml
    assert "<loc>http://testserver/products/iis/</loc>" in xml
    assert "secret-draft" not in xml
    assert "/products/unused/" not in xml


def test_sitemap_dates_articles_with_and_without_a_review_date(client, db):
    make_article("Reviewed", slug="reviewed", updated_on=date(2024, 5, 1))
    make_article("Never reviewed", slug="never-reviewed", updated_on=None)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<lastmod>2024-05-01</lastmod>" in xml
    assert f"<lastmod>{timezone.now().date().isoformat()}</lastmod>" in xml


def test_robots_allows_all_but_the_admin_and_triage(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /triage/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_favicon_ico_points_at_the_svg(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"


def test_healthz_is_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_is_503_when_the_database_does_not_answer(client, db):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_404_page_is_friendly(client, db):
    response = client.get("/this/does/not/exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>We could not find that page</h1>" in html
    assert 'action="/search/"' in html


def test_500_page_needs_neither_database_nor_url_reversing(django_assert_num_queries, db):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html
