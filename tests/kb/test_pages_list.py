import pytest

from kb.models import Article, Signature
from tests.factory import make_article, make_product


def _titles(response):
    assert response.status_code == 200
    return [a.title for a in response.context["page_obj"].object_list]


def test_filter_by_product(client, db):
    iis, exchange = make_product("IIS", slug="iis"), make_product("Exchange", slug="exchange")
    make_article("IIS article", products=[iis])
    make_article("Exchange article", products=[exchange])
    assert _titles(client.get("/articles/?product=iis")) == ["IIS article"]
    assert _titles(client.get("/articles/?product=nothing-like-this")) == []


def test_filter_by_keyword(client, db):
    make_article("Pipe busy", keywords="pipe named-pipe ipc")
    make_article("Socket in use", keywords="socket port")
    assert _titles(client.get("/articles/?keyword=ipc")) == ["Pipe busy"]


@pytest.mark.parametrize(
    "code, expected",
    [
        ("231", ["Pipe busy"]),
        ("0xE7", ["Pipe busy"]),  # the same code written in hex
        ("0x6d", ["Pipe ended"]),
        ("109", ["Pipe ended"]),
        ("10048", ["Socket in use"]),
        ("1004", []),  # part of a longer number is not a match
        # Every spelling the triage knows finds the error however the article quotes it.
        ("ERROR_PIPE_BUSY", ["Pipe busy"]),
        ("0x800700E7", ["Pipe busy"]),
        ("ERROR_BROKEN_PIPE", ["Pipe ended"]),
        ("WSAEADDRINUSE", ["Socket in use"]),
        ("0x2740", ["Socket in use"]),
    ],
)
def test_filter_by_error_code(client, db, code, expected):
    make_article(
        "Pipe busy", symptoms=["Operating system error {WIN32:231(All pipe instances are busy.)}"]
    )
    make_article("Pipe ended", symptoms=["The pipe has been ended. (109, 0x6d)."])
    make_article("Socket in use", signatures=[(Signature.Kind.CODE, "10048")])
    make_article("Timestamp only", symptoms=["Logged at 12:31:00 on 2010-12-31"])
    assert _titles(client.get(f"/articles/?code={code}")) == expected


def test_filters_combine(client, db):
    iis = make_product("IIS", slug="iis")
    make_article("Right one", products=[iis], keywords="socket", symptoms=["error 10048"])
    make_article("Wrong product", keywords="socket", symptoms=["error 10048"])
    make_article("Wrong code", products=[iis], keywords="socket", symptoms=["error 231"])
    assert _titles(client.get("/articles/?product=iis&keyword=socket&code=10048")) == ["Right one"]


def test_pagination_keeps_the_filters(client, db):
    iis = make_product("IIS", slug="iis")
    for n in range(25):
        make_article(f"IIS article {n:02}", products=[iis], keywords="socket")
    make_article("Other product", keywords="socket")
    first = client.get("/articles/?product=iis&keyword=socket")
    assert len(_titles(first)) == 20
    html = first.content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?product=iis&amp;keyword=socket&amp;page=2"' in html
    second = client.get("/articles/?product=iis&keyword=socket&page=2")
    assert _titles(second) == [f"IIS article {n}" for n in range(20, 25)]
    assert 'href="?product=iis&amp;keyword=socket&amp;page=1"' in second.content.decode()


def test_out_of_range_page_shows_the_last_page(client, db):
    make_article("Only article")
    assert _titles(client.get("/articles/?page=99")) == ["Only article"]


def test_public_sees_published_only_and_no_status_badge(client, db):
    make_article("Published one")
    make_article("Draft one", status=Article.Status.DRAFT)
    response = client.get("/articles/")
    assert _titles(response) == ["Published one"]
    assert "badge--status" not in response.content.decode()


def test_staff_see_drafts_with_their_status(client, db, django_user_model):
    client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    make_article("Published one")
    make_article("Draft one", status=Article.Status.DRAFT)
    make_article("Under review", status=Article.Status.REVIEW)
    response = client.get("/articles/")
    assert _titles(response) == ["Draft one", "Published one", "Under review"]
    html = response.content.decode()
    assert '<span class="badge badge--status badge--draft">Draft</span>' in html
    assert '<span class="badge badge--status badge--review">In review</span>' in html
    assert html.count("badge--status") == 2
