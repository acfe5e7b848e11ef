import pytest

from kb.models import Article, Resolution, Signature
from tests.factory import make_article, make_product, make_reference


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(user)
    return client


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_article_shows_the_kb_layout(client, db):
    iis = make_product("IIS", slug="iis")
    article = make_article(
        "Port sharing fails after a recycle",
        slug="port-sharing",
        source_ref="Q168577",
        published_on="2010-09-19",
        updated_on="2011-02-03",
        symptoms=[
            {
                "description": "Clients time out.",
                "error_text": "Event ID: 8\nAn error occurred while dispatching a socket",
                "logged_in": "Windows System event log",
            }
        ],
        causes=[
            {
                "title": "Overlapped recycling",
                "explanation": "Two *w3wp* processes.",
                "how_to_tell": "Did the pool recycle just before?",
                "key": "overlap",
            },
            "A leaked handle",
        ],
        resolutions=[
            {
                "title": "Disable Overlapped Recycling",
                "kind": Resolution.Kind.FIX,
                "cause": 0,
                "steps": "1. Open IIS Manager.\n2. Select the pool.\n3. Set it to True.",
                "caveats": "Requests wait during the recycle.",
            },
            {"title": "Restart the service", "kind": Resolution.Kind.WORKAROUND},
        ],
        products=[(iis, "6.0, 7.0")],
        more_info="Port sharing needs a *unique* endpoint.",
    )
    make_reference(article, "Remote events", "https://example.org/remote-events")
    html = _html(client, "/articles/port-sharing/")

    assert "<h1>Port sharing fails after a recycle</h1>" in html
    assert "Problem" in html and "Q168577" in html
    assert "19 September 2010" in html and "3 February 2011" in html
    assert '<h2 id="symptoms-heading">Symptoms</h2>' in html
    assert "<pre><code>Event ID: 8\nAn error occurred while dispatching a socket" in html
    assert "Logged in: Windows System event log" in html
    assert '<h2 id="causes-heading">Causes</h2>' in html
    assert "<p>Two <em>w3wp</em> processes.</p>" in html
    assert "Did the pool recycle just before?" in html
    assert '<h2 id="resolutions-heading">Resolutions</h2>' in html
    assert "<ol>\n<li>Open IIS Manager.</li>" in html
    assert '<span class="badge badge--fix">Fix</span>' in html
    assert '<span class="badge badge--workaround">Workaround</span>' in html
    assert '<a href="#cause-overlap">Overlapped recycling</a>' in html
    assert "Requests wait during the recycle." in html
    assert '<a href="/products/iis/">IIS</a>: 6.0, 7.0' in html
    assert "<em>unique</em>" in html
    assert 'href="https://example.org/remote-events"' in html
    assert "Last updated" in html
    # Without JavaScript there is no Copy button: the script adds it.
    assert "Copy</button>" not in html
    assert '<script src="/static/js/copy.js" defer></script>' in html


def test_one_cause_and_one_resolution_use_singular_headings(client, db):
    make_article("Single", slug="single", causes=["Only cause"], resolutions=["Only fix"])
    html = _html(client, "/articles/single/")
    assert '<h2 id="causes-heading">Cause</h2>' in html
    assert '<h2 id="resolutions-heading">Resolution</h2>' in html


def test_user_visible_fields_are_escaped(client, db):
    make_article(
        "<script>alert(1)</script> title",
        slug="xss",
        summary="<img src=x onerror=alert(2)>",
        source_ref="<b>Q1</b>",
        symptoms=[
            {
                "description": "<script>alert(3)</script>",
                "error_text": "<script>alert(4)</script>",
                "logged_in": "<i>log</i>",
            }
        ],
        causes=[{"title": "<u>cause</u>", "explanation": "x", "how_to_tell": "<s>tell</s>"}],
        resolutions=["<em>fix</em>"],
    )
    html = _html(client, "/articles/xss/")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; title" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html
    for raw in ["<b>Q1</b>", "<i>log</i>", "<u>cause</u>", "<s>tell</s>", "<em>fix</em>"]:
        assert raw not in html
    listing = _html(client, "/articles/")
    assert "<script>alert" not in listing and "&lt;script&gt;alert(1)" in listing


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.RETIRED]
)
def test_unpublished_article_is_hidden_from_the_public(client, db, status):
    make_article("Work in progress", slug="wip", status=status)
    response = client.get("/articles/wip/")
    assert response.status_code == 404
    assert "Work in progress" not in response.content.decode()


def test_staff_see_a_draft_with_a_banner(staff_client, db):
    make_article("Work in progress", slug="wip", status=Article.Status.DRAFT)
    html = _html(staff_client, "/articles/wip/")
    assert "<strong>Draft</strong> — not visible to the public." in html
    assert "<h1>Work in progress</h1>" in html


def test_published_article_has_no_banner_for_staff(staff_client, db):
    make_article("Live", slug="live")
    assert "not visible to the public" not in _html(staff_client, "/articles/live/")


def test_related_articles_share_a_product_or_an_error_code(client, db):
    iis = make_product("IIS")
    make_article("Main", slug="main", products=[iis], signatures=[(Signature.Kind.CODE, "10048")])
    make_article("Same product", products=[iis])
    make_article("Same code", signatures=[(Signature.Kind.CODE, "10048")])
    make_article("Unrelated", signatures=[(Signature.Kind.CODE, "231")])
    make_article("Draft same product", products=[iis], status=Article.Status.DRAFT)
    html = _html(client, "/articles/main/")
    related = html[html.index('id="related-heading"') :]
    assert "Same product" in related and "Same code" in related
    assert "Unrelated" not in related and "Draft same product" not in related
    assert ">Main<" not in related


def test_unknown_article_is_a_friendly_404(client, db):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'href="/articles/"' in html


def test_last_updated_falls_back_to_the_publication_date(client, db):
    make_article("Old article", slug="old", published_on="2009-03-30")
    html = _html(client, "/articles/old/")
    assert 'Last updated: <time datetime="2009-03-30">30 March 2009</time>' in html
