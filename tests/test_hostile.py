"""Hostile input at every public entry point: a clear 4xx for what is bad, never a 5xx,
and nothing sent comes back unescaped.

Each test sends many inputs to one entry point (the API, the paste box, the wizard's
steps, feedback, the unanswered queue, search, the article and product pages with
their filters) and checks every answer. The wizard's state is read from the forms
the pages render, whatever fields they carry, and tampered with there, so these
tests hold however the wizard keeps its state.
"""

import html
import json
import re

import pytest
from django.core.management import call_command

from tests.factory import make_article
from tests.triage.conftest import form_action, review_unanswered
from tests.triage.test_feedback import EPISERVER_RECYCLE
from tests.triage.test_workaround import _answer_causes
from triage.engine import MAX_PASTE

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024

# Payloads that must come back as text, never as markup.
XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</code></pre><iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "{{ 7|add:7 }}{% now 'Y' %}",
]
# The markup each payload would add if it were not escaped.
UNESCAPED = ["<script>alert", "<img src=x", "<svg onload", "<iframe", 'href="javascript:']

STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 50,
    "%00",
    "%",
    "\\",
    "\ufffd",
    "\u202etxt.exe",
    "😀" * 500,
    "' OR 1=1 --",
    '"; DROP TABLE kb_article; --',
    "../../../../etc/passwd",
    "${jndi:ldap://127.0.0.1/a}",
    "1e5",
    "-1",
    "0x10",
    "9" * 40,
    "NaN",
    "null",
    "[]",
    "{}",
    "a" * 5000,
    *XSS,
]

METHODS = ["get", "head", "post", "put", "patch", "delete", "options", "trace"]


def _body(response):
    return response.content.decode("utf-8", "replace")


def assert_clear(response, *, bad=True, what=""):
    """A 4xx for bad input (2xx or 3xx allowed when bad is False), never a 5xx, and no
    payload unescaped in the answer."""
    status = response.status_code
    assert status < 500, f"{what}: {status}"
    if bad:
        assert 400 <= status < 500, f"{what}: {status} for bad input"
    body = _body(response)
    if not response.get("Content-Type", "").startswith("text/html"):
        return body  # JSON, XML, plain text: data, which no browser renders as markup
    for markup in UNESCAPED:
        assert markup not in body, f"{what}: {markup!r} came back unescaped"
    return body


@pytest.fixture
def bundled(db):
    call_command("loadkb", verbosity=0)


@pytest.fixture
def catalogue(bundled):
    make_article("<script>alert(1)</script> in a title", slug="scripted", keywords="<b>x</b>")


# --- the API ------------------------------------------------------------------------


def _api(client, body, content_type="application/json"):
    return client.post("/api/triage", data=body, content_type=content_type)


API_BODIES = [
    (b"", "application/json"),
    (b"{", "application/json"),
    (b"\xff\xfe{\x00}", "application/json"),
    (b'{"text": "\xc3\x28"}', "application/json"),
    (b"[" * 100_000, "application/json"),
    (b"[" * 950 + b"]" * 950, "application/json"),
    (b'{"text": ' + b"[" * 950 + b"]" * 950 + b"}", "application/json"),
    (b'{"text": "x", "answers": ' + b'{"a":' * 950 + b"1" + b"}" * 951, "application/json"),
    (b'{"text": "x", "answers": []}', "application/json"),
    (b'{"text": "x", "answers": {"q": 1}}', "application/json"),
    (b'{"text": "x", "answers": {"q": {"deep": "x"}}}', "application/json"),
    (b'{"text": null}', "application/json"),
    (b'{"text": 1e999}', "application/json"),
    (b'{"text": ["a"]}', "application/json"),
    (b'{"text": true}', "application/json"),
    (b"null", "application/json"),
    (b'"text"', "application/json"),
    (b"NaN", "application/json"),
    (b'{"text": "\\u0000"}', "application/json"),
    (b'{"text": "' + b"x" * (MAX_PASTE + 1) + b'"}', "application/json"),
    (b'{"text": "' + b"x" * TEN_MB + b'"}', "application/json"),
    (b"x" * TEN_MB, "application/json"),
    (b"text=hello", "application/x-www-form-urlencoded"),
    (b'{"text": "hello"}', "text/plain"),
    (b'{"text": "hello"}', "application/xml"),
    (b'{"text": "hello"}', "multipart/form-data; boundary=x"),
    (b'{"text": "hello"}', ""),
]


def test_api_triage_refuses_every_bad_body_clearly(client, bundled):
    for body, content_type in API_BODIES:
        response = _api(client, body, content_type)
        assert_clear(response, what=f"{body[:40]!r} as {content_type}")
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["message"]
    for text in STRINGS:
        response = _api(client, json.dumps({"text": text, "answers": {text: text}}))
        assert_clear(response, bad=bool(text.replace("\x00", "").strip()) is False, what=text)
        assert response["Content-Type"].startswith("application/json")
    for answer in STRINGS:
        # Answers to questions never asked, or options that do not exist, are ignored.
        body = {"text": "All pipe instances are busy.", "answers": {"q": answer, answer: "x"}}
        response = _api(client, json.dumps(body))
        assert response.status_code == 200, answer


def test_api_triage_at_the_limit_and_one_past(client, bundled):
    at_limit = "All pipe instances are busy." + "\u00e9" * (MAX_PASTE - 28)
    assert _api(client, json.dumps({"text": at_limit})).status_code == 200
    assert _api(client, json.dumps({"text": at_limit + "x"})).status_code == 413
    lone = '{"text": "All pipe instances are busy. \\udfff \\ud800"}'
    assert _api(client, lone).status_code == 200
    # A surrogate encoded as if it were a character (CESU-8) is read the same way.
    assert _api(client, b'{"text": "All pipe instances are busy. \xed\xa0\x80"}').status_code == 200


def test_api_triage_returns_payloads_as_data_not_markup(client, bundled):
    for payload in XSS:
        response = _api(client, json.dumps({"text": f"{payload} All pipe instances are busy."}))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        for candidate in response.json()["candidates"]:
            for resolution in candidate["resolutions"]:
                assert "<script" not in resolution["steps_html"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/triage",
        "/api/articles",
        "/api/articles/exchange-linkage-pipe-busy",
        "/api/openapi.json",
    ],
)
def test_api_answers_every_method_in_json(client, catalogue, url):
    for method in METHODS:
        response = getattr(client, method)(url)
        assert_clear(response, bad=response.status_code >= 400, what=f"{method} {url}")
        if method != "head":
            assert response["Content-Type"].startswith("application/json"), (method, url)
        if response.status_code == 405:
            assert response["Allow"]
            assert method.upper() not in response["Allow"].split(", ")


def test_api_article_slugs(client, catalogue):
    for slug in [
        "a%00b",
        "%00",
        "a" * 5000,
        "%ED%A0%80",
        "%3Cscript%3E",
        "exchange-linkage-pipe-busy%00",
        "%F0%9F%98%80",
        "'",
        "%22%3E%3Cimg%20src=x%3E",
    ]:
        response = client.get(f"/api/articles/{slug}")
        assert_clear(response, what=slug)
        assert response["Content-Type"].startswith("application/json")


# --- the paste box and the wizard -----------------------------------------------------


def _forms(page):
    """Each form of the page: its action and the fields it would post (hidden inputs
    and buttons' names and values), as a browser reads them."""
    forms = []
    for match in re.finditer(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', page, re.S):
        action, inner = match.groups()
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', inner))
        fields.pop("csrfmiddlewaretoken", None)
        buttons = re.findall(r'<button[^>]*name="([^"]+)"[^>]*value="([^"]*)"', inner)
        forms.append((action, fields, buttons))
    return [f for f in forms if f[1] or f[2]]


def _unescape(value):
    return value.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


def _tampered(value):
    value = _unescape(value)
    middle = len(value) // 2
    flipped = (
        value[:middle] + ("A" if value[middle : middle + 1] != "A" else "B") + value[middle + 1 :]
    )
    return [
        "",
        " ",
        "\x00",
        value[:-1],
        value[:middle],
        value + "x",
        flipped,
        value + "\x00",
        "x" * 100_000,
        "1",
        "-1",
        "9" * 40,
        "abc",
        '"><script>alert(1)</script>',
        "{}",
        value[::-1],
        value.swapcase(),
        value.replace(":", ""),
        value * 2,
        "%00",
        "ÿ" * 10,
    ]


def _key_of(response):
    """The paste key of the wizard page a paste landed on."""
    return re.fullmatch(r"/triage/([\w-]+)/", response.request["PATH_INFO"]).group(1)


def _start(client, text):
    return client.post("/triage/", {"text": text}, follow=True)


def _workaround(client):
    return _answer_causes(
        client, _start(client, EPISERVER_RECYCLE), lambda q: "yes" if "recycled" in q else "no"
    )


def test_the_paste_box_refuses_bad_pastes_and_keeps_them(client, bundled):
    for text in ["", " ", "\x00", "\x00" * 30, " \x00\n\t", "x" * (MAX_PASTE + 1)]:
        response = client.post("/triage/", {"text": text})
        page = assert_clear(response, what=repr(text[:20]))
        assert 'name="text"' in page, "the paste box is there to try again"
    long = "All pipe instances are busy. " + "y" * MAX_PASTE
    page = _body(client.post("/triage/", {"text": long}))
    assert "y" * 1000 in page, "a paste over the limit is kept in the box"
    assert _start(client, long[:MAX_PASTE]).status_code == 200, "at the limit it is triaged"


def test_the_paste_box_takes_anything_as_text(client, bundled):
    mixed = [f"{x} All pipe instances are busy. 0x800700E7" for x in STRINGS]
    for text in STRINGS + mixed:
        response = _start(client, text)
        bad = not text.replace("\x00", "").strip()
        assert_clear(response, bad=bad, what=repr(text[:30]))


def test_the_wizard_step_takes_any_answer(client, bundled):
    page = _body(_start(client, "All pipe instances are busy."))
    action, fields, _ = next(f for f in _forms(page) if "/step/" in f[0])
    action = html.unescape(action)
    for answer in STRINGS + ["=", "x=y", "a" * 300 + "=b", "q=" + "x" * 10_000]:
        for value in (answer, f"{answer}={answer}"):
            response = client.post(action, {**fields, "answer": value}, follow=True)
            assert_clear(response, bad=False, what=repr(value[:30]))
            assert response.status_code == 200, "the question is asked again"


def test_the_wizard_answers_every_method(client, bundled):
    key = _key_of(_start(client, "All pipe instances are busy."))
    allowed = {
        f"/triage/{key}/": {"get", "head"},
        f"/triage/{key}/step/": {"post"},
        f"/triage/{key}/feedback/": {"post"},
        f"/triage/{key}/unanswered/": {"get", "head", "post"},
        "/triage/": {"get", "head", "post"},
    }
    for url, methods in allowed.items():
        for method in METHODS:
            response = getattr(client, method)(url)
            assert response.status_code < 500, (method, url)
            if method not in methods:
                assert response.status_code == 405, (method, url, response.status_code)


def _tampered_urls(action, key):
    """The action with its paste key and its answers tampered with."""
    path, _, query = action.partition("?")
    urls = [
        path.replace(key, bad, 1) for bad in _tampered(key) if "/" not in bad and "?" not in bad
    ]
    for bad in ["%00", "<script>alert(1)</script>", "x" * 10_000, "\u00ff", "=", "&&&"]:
        urls.append(f"{path}?{query}&{bad}={bad}" if query else f"{path}?{bad}={bad}")
    return urls


def test_tampered_wizard_links_and_forms_never_err(client, bundled):
    pages = [_start(client, EPISERVER_RECYCLE), _workaround(client)]
    sent = 0
    for page in pages:
        key = _key_of(page)
        for action, fields, buttons in _forms(_body(page)):
            action = html.unescape(action)
            if not action.startswith(f"/triage/{key}/"):
                continue
            data = dict(fields)
            for button, choice in buttons[:1]:
                data[button] = choice
            for url in _tampered_urls(action, key):
                response = client.post(url, data)
                sent += 1
                assert_clear(response, bad=False, what=f"{url[:60]}")
                if key not in url:
                    assert 400 <= response.status_code < 500, "no such paste"
                response = client.get(url.replace("/step/", "/").replace("/feedback/", "/"))
                sent += 1
                assert_clear(response, bad=False, what=f"GET {url[:60]}")
    assert sent >= 80


def test_tampered_answers_and_votes_are_refused(client, bundled):
    page = _body(_workaround(client))
    action, fields, _ = next(f for f in _forms(page) if "resolution" in f[1])
    action = html.unescape(action)
    for resolution in [
        "abc",
        "1e5",
        "1.5",
        "0x10",
        "\x00",
        "",
        "-1",
        "9" * 40,
        "1 OR 1=1",
        '"><script>alert(1)</script>',
        "١٢",
        "+1",
        " 1",
        "1" * 19,
    ]:
        response = client.post(action, {**fields, "resolution": resolution, "helped": "yes"})
        assert_clear(response, what=repr(resolution))
    for helped in ["", "maybe", "YES", "\x00", "<script>alert(1)</script>", "x" * 10_000]:
        response = client.post(action, {**fields, "helped": helped})
        assert_clear(response, what=repr(helped))
    response = client.post(
        action, data=b"\xff" * 1000, content_type="application/x-www-form-urlencoded"
    )
    assert_clear(response, what="undecodable body")
    response = client.post(
        action,
        data=b"resolution=" + b"1" * TEN_MB,
        content_type="application/x-www-form-urlencoded",
    )
    assert_clear(response, what="10 MB body")


def test_the_unanswered_queue_escapes_what_it_shows(client, bundled):
    text = "fatal: unknown thing " + " ".join(XSS)
    response = _start(client, text)
    assert_clear(response, bad=False, what="unanswered paste")
    preview = review_unanswered(client, response)
    assert_clear(preview, bad=False, what="preview")
    sent = client.post(form_action(preview, "unanswered"), follow=True)
    assert_clear(sent, bad=False, what="sent")
    assert sent.status_code == 200
    key = _key_of(response)
    for bad in _tampered(key):
        if "/" in bad or "?" in bad or bad == key:
            continue
        response = client.post(f"/triage/{bad}/unanswered/")
        assert 400 <= response.status_code < 500, (bad[:30], response.status_code)


# --- search, article and product pages ------------------------------------------------


PAGES = [
    "/search/?q={}",
    "/articles/?keyword={}",
    "/articles/?product={}",
    "/articles/?code={}",
    "/articles/?keyword={0}&product={0}&code={0}&page={0}",
    "/products/iis/?page={}",
    "/search/?q=pipe&page={}",
    "/?q={}",
    "/products/?page={}",
    "/products/{}/",
    "/products/iis/?page=1&sort={}",
    "/articles/{}/",
    "/articles/exchange-linkage-pipe-busy/?page={}",
    "/articles/exchange-linkage-pipe-busy/?q={0}&s={0}",
]

QUERY_VALUES = [
    "%00",
    "a%00b",
    "%ED%A0%80",
    "%FF%FE",
    "%C3%28",
    "%",
    "%%",
    "%2",
    "a" * 10_000,
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
    "'%20OR%201=1--",
    "0x%25",
    "-1",
    "0",
    "9999999999999999999999",
    "1e5",
    "NaN",
    "%5B%5D",
    "*",
    "%5C",
    "(",
    "%7C%7C",
    "%F0%9F%98%80" * 200,
]


@pytest.mark.parametrize("template", PAGES)
def test_search_and_listing_filters(client, catalogue, template):
    for value in QUERY_VALUES:
        url = template.format(value)
        response = client.get(url)
        bad = "%00" in value
        assert_clear(response, bad=bad, what=url[:80])


def test_article_and_product_addresses(client, catalogue):
    for base in ["/articles/", "/products/"]:
        for slug in [
            "a%00b",
            "%ED%A0%80",
            "a" * 5000,
            "%3Cscript%3E",
            "..",
            "exchange-linkage-pipe-busy%00",
            "%F0%9F%98%80",
            "iis%2F..%2F",
        ]:
            response = client.get(f"{base}{slug}/")
            assert_clear(response, what=f"{base}{slug[:30]}")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search/?q=pipe",
        "/articles/",
        "/articles/exchange-linkage-pipe-busy/",
        "/products/",
        "/products/iis/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
    ],
)
def test_pages_answer_every_method(client, catalogue, url):
    for method in METHODS:
        response = getattr(client, method)(url)
        assert response.status_code < 500, (method, url)
        if method not in ("get", "head"):
            assert response.status_code == 405, (method, url, response.status_code)


def test_a_thanks_address_for_no_vote_is_a_404(client, bundled):
    key = _key_of(_start(client, "All pipe instances are busy."))
    for resolution in ["1", "0", "9" * 18, "9" * 19, "9" * 30]:
        response = client.get(f"/triage/{key}/thanks/{resolution}/")
        assert response.status_code == 404, resolution
