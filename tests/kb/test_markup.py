"""Markdown fields are rendered once on save, then sanitised: nothing active survives."""

import re

import pytest

from kb.markup import to_html
from tests.factory import make_article

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![img](javascript:alert(1))",
    '<div onclick="alert(1)">text</div>',
    '<p style="background:url(javascript:alert(1))">text</p>',
    "<style>body{display:none}</style>",
    '<object data="evil.swf"></object>',
    '<form action="https://evil.example/"><input name=x></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    "<<script>script>alert(1)<</script>/script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "```\n</code><script>alert(1)</script>\n```",
]

ACTIVE = re.compile(
    r"<(script|iframe|object|embed|svg|math|style|form|input|meta|base|link)\b"
    r"|\son\w+\s*="
    r"|(href|src)\s*=\s*\"?\s*(javascript|data|vbscript):"
    r"|\sstyle\s*=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_vectors_come_out_inert(vector):
    html = to_html(f"Before\n\n{vector}\n\nAfter")
    assert not ACTIVE.search(html), html
    assert "<p>Before</p>" in html


def test_links_get_safe_rel_and_keep_http_targets():
    html = to_html("[Microsoft](https://support.microsoft.com/kb/168577)")
    assert 'href="https://support.microsoft.com/kb/168577"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_ordinary_markdown_survives():
    html = to_html("1. Open **IIS Manager**.\n2. Set `DisallowOverlappingRotation` to true.")
    assert "<ol>" in html and "<strong>IIS Manager</strong>" in html
    assert "<code>DisallowOverlappingRotation</code>" in html


@pytest.mark.parametrize("vector", XSS_VECTORS[:6])
def test_every_markdown_field_of_an_article_is_sanitised_on_the_page(client, db, vector):
    article = make_article(
        more_info=vector,
        symptoms=[{"description": vector, "error_text": "Port is Busy"}],
        causes=[{"title": "Cause", "key": "c", "explanation": vector}],
        resolutions=[{"title": "Fix", "steps": vector, "caveats": vector}],
    )
    stored = [article.more_info_html]
    stored += [s.description_html for s in article.symptoms.all()]
    stored += [c.explanation_html for c in article.causes.all()]
    for r in article.resolutions.all():
        stored += [r.steps_html, r.caveats_html]
    for html in stored:
        assert not ACTIVE.search(html), html
    page = client.get(article.get_absolute_url()).content.decode()
    main = page.split("<main", 1)[1]
    assert not re.search(r"<script>alert|onerror=alert|href=\"javascript:", main)
