"""Every public page answers, for articles built in tests and for the bundled ones."""

import pytest
from django.core.management import call_command

from kb.models import Article
from tests.factory import make_article, make_product, make_reference

BUNDLED_SLUGS = [
    "content-studio-ipc-pipe-busy",
    "exchange-linkage-pipe-busy",
    "wcf-port-sharing-leaked-socket",
    "episerver-overlapped-recycling",
]


@pytest.fixture
def article(db):
    product = make_product("Internet Information Services", slug="iis")
    article = make_article(
        "Only one usage of each socket address",
        slug="socket-address",
        symptoms=[
            {
                "description": "The site stops answering.",
                "error_text": "SocketException (0x80004005): Only one usage of each socket address",
                "logged_in": "Application event log",
            }
        ],
        causes=["Overlapped recycling"],
        resolutions=["Disable Overlapped Recycling"],
        products=[(product, "7.0, 7.5")],
        keywords="socket port",
        source_ref="Q12345",
    )
    make_reference(article, "TCP port sharing", "https://example.org/port-sharing")
    return article


def test_every_public_page_answers(client, article):
    for url in [
        "/",
        "/articles/",
        "/articles/?product=iis&keyword=socket&code=0x80004005",
        "/articles/socket-address/",
        "/search/",
        "/products/",
        "/products/iis/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_home_has_the_paste_form_products_and_recent_articles(client, article):
    make_article("Secret draft", status=Article.Status.DRAFT, products=[article.products.get()])
    html = client.get("/").content.decode()
    assert '<form class="paste-form" method="post" action="/triage/">' in html
    assert '<textarea id="paste-text" name="text"' in html
    assert '<label for="paste-text">' in html
    assert "Find the fix" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'action="/search/"' in html
    # The draft neither counts for the product nor shows as recently updated.
    assert 'Internet Information Services</a> <span class="count">1 article</span>' in html
    assert "Only one usage of each socket address" in html
    assert "Secret draft" not in html


def test_recently_updated_lists_the_newest_first(client, db):
    make_article("Older article", updated_on="2020-01-01")
    make_article("Newer article", updated_on="2024-06-01")
    html = client.get("/").content.decode()
    assert html.index("Newer article") < html.index("Older article")


def test_products_list_and_page_show_published_articles(client, article):
    make_article("Hidden draft", status=Article.Status.DRAFT, products=[article.products.get()])
    listing = client.get("/products/").content.decode()
    assert "Internet Information Services" in listing
    assert "1 article" in listing
    page = client.get("/products/iis/").content.decode()
    assert "<h1>Internet Information Services</h1>" in page
    assert "Only one usage of each socket address" in page
    assert "Hidden draft" not in page
    assert client.get("/products/no-such-product/").status_code == 404


def test_pages_have_a_title_description_and_one_h1(client, article):
    for url in ["/", "/articles/", "/articles/socket-address/", "/products/", "/search/?q=x"]:
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert "<title>" in html and '<meta name="description" content="' in html, url
        assert 'rel="icon" href="/static/favicon.svg"' in html, url


def test_no_page_loads_anything_from_another_site(client, article):
    for url in ["/", "/articles/socket-address/", "/search/?q=socket"]:
        html = client.get(url).content.decode()
        assert 'src="http' not in html and 'href="//' not in html, url
        assert '<link rel="stylesheet" href="/static/' in html, url
        # The policy forbids inline styles and scripts; the pages must not need them.
        assert " style=" not in html and "<style" not in html, url
        assert "<script>" not in html and "onclick" not in html, url


@pytest.mark.django_db(transaction=True)
def test_bundled_articles_render(client):
    call_command("loadkb", verbosity=0)
    for slug in BUNDLED_SLUGS:
        response = client.get(f"/articles/{slug}/")
        assert response.status_code == 200, slug
        assert '<h2 id="resolutions-heading">' in response.content.decode(), slug
    episerver = client.get("/articles/episerver-overlapped-recycling/").content.decode()
    assert "Disable Overlapped Recycling" in episerver
