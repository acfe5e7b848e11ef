"""A NUL character in an address is a 400 on every database (PostgreSQL refuses it in text)."""

import pytest

from tests.factory import make_article, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db):
    make_article("Pipe busy", slug="pipe-busy", products=[make_product("IIS", slug="iis")])


@pytest.mark.parametrize(
    "url",
    [
        "/articles/?keyword=a%00b",
        "/articles/?product=a%00b",
        "/articles/?code=a%00b",
        "/articles/?code=%00",
        "/search/?q=pipe%00busy",
        "/products/iis/?page=%00",
        "/triage/?s=%00",
    ],
)
def test_a_nul_in_the_query_is_a_400_page(client, article, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/articles/a%00b", "/api/articles?x=%00"])
def test_a_nul_in_an_api_address_is_a_json_400(client, article, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.json()["message"]


def test_a_nul_in_an_article_address_finds_nothing(client, article):
    assert client.get("/articles/pipe%00busy/").status_code == 404


def test_the_same_filters_without_a_nul_still_work(client, article):
    response = client.get("/articles/?keyword=pipe&product=iis")
    assert response.status_code == 200
    assert "Pipe busy" in response.content.decode()
