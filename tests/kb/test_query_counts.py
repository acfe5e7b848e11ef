"""Pages must not issue one query per part of an article."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import Resolution, Signature
from tests.factory import make_article, make_product, make_reference


def _article_with(n, slug):
    products = [make_product() for _ in range(n)]
    article = make_article(
        f"Article with {n} of each",
        slug=slug,
        symptoms=[f"Error {i}" for i in range(n)],
        causes=[f"Cause {i}" for i in range(n)],
        resolutions=[
            {
                "title": f"Resolution {i}",
                "steps": "1. Step.",
                "cause": i,
                "kind": Resolution.Kind.FIX,
            }
            for i in range(n)
        ],
        products=[(p, "1.0, 2.0") for p in products],
        signatures=[(Signature.Kind.CODE, str(1000 + i)) for i in range(n)],
    )
    for i in range(n):
        make_reference(article, f"Reference {i}", order=i)
    # Another published article related through each product.
    for p in products:
        make_article(products=[p])
    return article


def _count_queries(client, url):
    # Of rendering the page: a page the cache already holds costs one query.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_article_page_query_count_does_not_grow_with_its_parts(
    client, db, django_assert_num_queries
):
    _article_with(1, "small")
    _article_with(6, "large")
    client.get("/articles/small/")  # warm up anything cached per process
    small = _count_queries(client, "/articles/small/")
    # The article, one query per kind of part, and the related articles.
    assert small <= 9
    cache.clear()
    with django_assert_num_queries(small):
        response = client.get("/articles/large/")
    assert response.status_code == 200
    assert response.content.decode().count('class="resolution"') == 6


def test_list_pages_query_count_does_not_grow_with_articles(client, db, django_assert_num_queries):
    iis = make_product(slug="iis")
    make_article(products=[iis])
    client.get("/")
    counts = {
        url: _count_queries(client, url)
        for url in ["/", "/articles/", "/products/", "/products/iis/"]
    }
    for _ in range(8):
        make_article(products=[iis, make_product()])
    for url, count in counts.items():
        cache.clear()
        with django_assert_num_queries(count):
            client.get(url)
