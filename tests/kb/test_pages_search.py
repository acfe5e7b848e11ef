from kb.models import Article
from tests.factory import make_article


def test_search_shows_matching_articles_with_excerpts(client, db):
    make_article(
        "Only one usage of each socket address",
        slug="socket",
        summary="WSAEADDRINUSE 10048 after an application pool recycle.",
        symptoms=["System.Net.Sockets.SocketException: error 10048"],
    )
    make_article("All pipe instances are busy", summary="Error 231 from a named pipe.")
    response = client.get("/search/?q=10048")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/articles/socket/"' in html
    assert "All pipe instances are busy" not in html
    assert "<mark>10048</mark>" in html
    # The query stays in the box for refining it.
    assert 'id="q" name="q" value="10048"' in html


def test_search_finds_published_articles_only(client, db, django_user_model):
    make_article("Draft about sockets", status=Article.Status.DRAFT, summary="socket 10048")
    client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    assert "Draft about sockets" not in client.get("/search/?q=10048").content.decode()


def test_no_results_explains_what_to_try(client, db):
    make_article("Something else")
    html = client.get("/search/?q=zzyzx").content.decode()
    assert "No articles match “zzyzx”" in html
    assert "Search for the error code alone" in html
    assert 'value="zzyzx"' in html


def test_empty_query_shows_only_the_form(client, db):
    make_article("Something")
    response = client.get("/search/?q=+")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<input type="search" id="q" name="q"' in html
    assert "No articles match" not in html and "result" not in html.split("</form>", 2)[1]


def test_query_is_escaped(client, db):
    html = client.get("/search/?q=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_results_are_paginated_keeping_the_query(client, db):
    for n in range(23):
        make_article(f"Socket article {n}", summary="socket trouble")
    first = client.get("/search/?q=socket")
    assert len(first.context["page_obj"].object_list) == 20
    assert 'href="?q=socket&amp;page=2"' in first.content.decode()
    second = client.get("/search/?q=socket&page=2")
    assert len(second.context["page_obj"].object_list) == 3
