"""The Markdown preview shows what readers will get, sanitised by the server."""

import pytest
from django.urls import reverse

from tests.factory import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("Editors"))
    return client


def _preview(client, text):
    response = client.post(reverse("admin:kb_article_preview"), {"text": text})
    assert response.status_code == 200
    return response.json()["html"]


def test_markdown_is_rendered(editor_client):
    html = _preview(editor_client, "1. Open **IIS Manager**.\n2. Recycle the pool.")
    assert "<ol>" in html
    assert "<strong>IIS Manager</strong>" in html


def test_a_script_in_markdown_comes_out_inert(editor_client):
    html = _preview(
        editor_client,
        "Hello <script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(2)"> [link](javascript:alert(3))',
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "Hello" in html


def test_the_preview_needs_a_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("Editors"))
    response = strict.post(reverse("admin:kb_article_preview"), {"text": "*x*"})
    assert response.status_code == 403


def test_get_is_refused(editor_client):
    assert editor_client.get(reverse("admin:kb_article_preview")).status_code == 405


def test_markdown_fields_carry_the_preview_hook_and_script(editor_client):
    article = make_article(status="draft", resolutions=["Fix it"], causes=["A cause"])
    page = editor_client.get(reverse("admin:kb_article_change", args=[article.pk]))
    html = page.content.decode()
    preview_url = reverse("admin:kb_article_preview")
    for name in [
        "more_info",
        "resolutions-0-steps",
        "resolutions-0-caveats",
        "causes-0-explanation",
    ]:
        assert f'name="{name}"' in html
        start = html.index(f'name="{name}"')
        tag = html[html.rindex("<textarea", 0, start) : html.index(">", start)]
        assert f'data-markdown-preview="{preview_url}"' in tag, name
    assert "admin-kb/markdown-preview.js" in html
    # Under script-src 'self' nothing may run inline.
    assert " onclick=" not in html
