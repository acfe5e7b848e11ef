"""The signature tester in the admin: evidence, spans, highlighting and the ranking."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from kb.models import Article
from tests.factory import make_article, make_user
from tests.triage.conftest import LINKAGE_LINES
from triage.models import TriageEvent

pytestmark = pytest.mark.django_db

URL = reverse("admin:triage_tester")
LINKAGE = "exchange-linkage-pipe-busy"


@pytest.fixture
def editor(client):
    user = make_user("Editors")
    client.force_login(user)
    return user


def _rows(page):
    """(kind, signature, weight, span, text) of every evidence row, in page order."""
    rows = re.findall(
        r"<tr class=\"[^\"]*\">\s*<td>(\w+)</td>\s*<td><code>(.*?)</code></td>\s*"
        r"<td>([-\d.]+)</td>\s*<td>(\d+)&ndash;(\d+)</td>\s*"
        r"<td><code class=\"triage-match\">(.*?)</code></td>",
        page,
        re.S,
    )
    return [(k, s, float(w), (int(a), int(b)), t) for k, s, w, a, b, t in rows]


def test_a_linkage_paste_shows_its_evidence_spans_and_ranking(client, editor, bundled):
    response = client.post(URL, {"text": LINKAGE_LINES})
    assert response.status_code == 200
    page = response.content.decode()

    linkage = Article.objects.get(slug=LINKAGE)
    ranking = page.split('id="tester-ranking"', 1)[1]
    first = ranking.split('<h3 class="triage-rank"', 2)[1]
    assert "#1" in first and linkage.title.replace('"', "&quot;") in first
    assert "high" in first
    # Sure of the article, the triage asks which of its two causes applies.
    question = linkage.causes.order_by("order").first().how_to_tell
    assert f"The triage would ask: <strong>{question}</strong>" in page

    rows = _rows(page)
    start = LINKAGE_LINES.index("NPServer::create")
    assert ("phrase", "phrase:NPServer::create", (start, start + len("NPServer::create"))) in [
        (k, s, span) for k, s, _, span, _ in rows
    ]
    for _, _, weight, (a, b), text in rows:
        assert text == LINKAGE_LINES[a:b].replace("&", "&amp;").replace("<", "&lt;") or weight < 0
    marked = re.findall(r"<mark>(.*?)</mark>", page, re.S)
    assert any("NPServer::create" in m for m in marked)
    assert any("Could not create the named pipe server object" in m for m in marked)
    assert TriageEvent.objects.count() == 0  # testing is not a triage to count


def test_the_tester_says_why_a_candidate_is_not_higher(client, editor, bundled):
    # A standard message alone: the editor sees that it is generic and why it stays low.
    text = "System.Net.Sockets.SocketException: Only one usage of each socket address"
    page = client.post(URL, {"text": text}).content.decode()
    first = page.split('id="tester-ranking"', 1)[1].split('<div class="triage-candidate">')[1]
    assert "Why low" in first
    assert "<code>cap:generic-only</code>: at most low" in first
    assert "no context of the article&#x27;s own" in first


def test_the_paste_is_escaped(client, editor, bundled):
    paste = "<script>alert(1)</script> " + LINKAGE_LINES
    page = client.post(URL, {"text": paste}).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_draft_is_tested_only_when_drafts_are_included(client, editor):
    draft = make_article(
        title="Widget spooler stalls",
        status=Article.Status.DRAFT,
        symptoms=["WidgetSpooler::flush failed with QuuxOverflowFault"],
        signatures=[("phrase", "WidgetSpooler::flush")],
    )
    paste = "WidgetSpooler::flush failed with QuuxOverflowFault"

    public = client.post(URL, {"text": paste, "article": draft.pk}).content.decode()
    assert "No signature fired." in public
    assert "is not in this index" in public

    with_drafts = client.post(URL, {"text": paste, "article": draft.pk, "drafts": "on"})
    page = with_drafts.content.decode()
    assert "Widget spooler stalls" in page
    assert "ranks <strong>#1</strong>" in page
    assert any("WidgetSpooler::flush" in m for m in re.findall(r"<mark>(.*?)</mark>", page))


def test_the_change_form_list_and_index_link_to_the_tester(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    change = client.get(reverse("admin:kb_article_change", args=[draft.pk])).content.decode()
    assert f'{URL}?article={draft.pk}&amp;drafts=1"' in change
    assert URL in client.get(reverse("admin:kb_article_changelist")).content.decode()
    assert URL in client.get(reverse("admin:index")).content.decode()


def test_the_form_opens_on_the_article_it_was_reached_from(client, editor):
    article = make_article(title="Chosen one")
    page = client.get(URL, {"article": article.pk}).content.decode()
    assert f'<option value="{article.pk}" selected>Chosen one</option>' in page


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_article_permissions_are_refused(client):
    client.force_login(make_user(is_staff=True))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": LINKAGE_LINES}).status_code == 403


def test_view_permission_is_enough(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(URL).status_code == 200
