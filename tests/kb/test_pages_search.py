import pytest
from django.core.management import call_command
from django.utils.html import escape

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


def _socket_article():
    return make_article(
        "EPiServer EventReplication fails after an application pool recycle",
        slug="socket",
        summary="Overlapped recycling starts a second worker process on the same port.",
        keywords="episerver zzkeyword",
        symptoms=[
            {
                "description": "The log shows `SocketException` with **10048**.",
                "error_text": "System.Net.Sockets.SocketException: Only one usage of each socket "
                "address (protocol/network address/port) is normally permitted",
            }
        ],
    )


def test_a_typo_finds_the_article_and_offers_the_correction(client, db):
    _socket_article()
    html = client.get("/search/?q=socket+adress").content.decode()
    assert 'href="/articles/socket/"' in html
    assert "Did you mean" in html
    assert 'href="/search/?q=socket%20address">socket address</a>' in html
    # The excerpt marks the corrected word.
    assert "<mark>address</mark>" in html


def test_no_correction_is_offered_when_the_query_finds_articles(client, db):
    _socket_article()
    assert "Did you mean" not in client.get("/search/?q=socket+address").content.decode()


def test_a_symbolic_code_finds_the_article_that_quotes_its_message(client, db):
    _socket_article()
    html = client.get("/search/?q=WSAEADDRINUSE").content.decode()
    assert 'href="/articles/socket/"' in html
    assert "<mark>Only one usage of each socket address" in html


def test_excerpts_are_rendered_text_without_title_or_keywords(client, db):
    _socket_article()
    html = client.get("/search/?q=socketexception").content.decode()
    excerpt = html.split('class="article-item__excerpt">', 1)[1].split("</p>", 1)[0]
    assert "The log shows <mark>SocketException</mark> with 10048." in excerpt
    assert "`" not in excerpt and "**" not in excerpt
    assert "zzkeyword" not in excerpt
    assert "EPiServer EventReplication fails" not in excerpt


PASTED = (
    "System.Net.Sockets.SocketException (0x80004005): Only one usage of each socket address\n"
    "   at System.Net.Sockets.Socket.Bind(EndPoint localEP)"
)


@pytest.mark.parametrize(
    "query",
    [
        PASTED,
        "System.ServiceModel.CommunicationException: There was an error reading from the pipe",
        "Source: SMSvcHost 3.0.0.0 Event ID: 8",
    ],
)
def test_a_pasted_error_is_offered_to_the_triage_with_its_text(client, db, query):
    html = client.get("/search/", {"q": query}).content.decode()
    form = html.split('<form class="search-triage"', 1)[1].split("</form>", 1)[0]
    assert 'method="post" action="/triage/"' in form
    assert "csrfmiddlewaretoken" in form
    assert f'name="text" value="{escape(query)}"' in form
    assert "Triage this instead" in form


def test_the_triage_takes_the_carried_text(client, db):
    # The bundled articles, as every triage test has them: the triage keeps its
    # compiled index per process between tests.
    call_command("loadkb", verbosity=0)
    response = client.post("/triage/", {"text": PASTED}, follow=True)
    assert response.status_code == 200
    # The wizard read the carried text: it leads to the socket article.
    assert "/articles/episerver-overlapped-recycling/" in response.content.decode()


@pytest.mark.parametrize("query", ["socket address", "10048", "ERROR_PIPE_BUSY"])
def test_plain_searches_are_not_offered_to_the_triage(client, db, query):
    assert "Triage this instead" not in client.get("/search/", {"q": query}).content.decode()
