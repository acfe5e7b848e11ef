"""The API answers every method and every unreadable body in JSON, never with a 500."""

import json

import pytest

from triage.engine import MAX_PASTE

pytestmark = pytest.mark.django_db

READ_ONLY = ["/api/articles", "/api/articles/exchange-linkage-pipe-busy", "/api/openapi.json"]


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "trace"])
@pytest.mark.parametrize("url", READ_ONLY)
def test_a_read_only_endpoint_refuses_writes_in_json(client, bundled, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"].startswith("application/json")
    assert method.upper() in response.json()["message"]


@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "options", "trace"])
def test_triage_takes_only_post_and_says_so_in_json(client, db, method):
    response = getattr(client, method)("/api/triage")
    assert response.status_code == 405
    assert response["Allow"] == "POST", "GET is not served, so it is not advertised"
    assert response["Content-Type"].startswith("application/json")
    if method != "head":
        assert "POST the paste as JSON" in response.json()["message"]


@pytest.mark.parametrize("url", READ_ONLY)
def test_head_answers_like_get_without_the_body(client, bundled, url):
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == got.status_code == 200
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""


def test_head_of_a_missing_article_is_404(client, db):
    assert client.head("/api/articles/no-such-article").status_code == 404


def test_the_schema_gives_the_paste_its_real_limits(client, db):
    doc = client.get("/api/openapi.json").json()
    body = doc["paths"]["/api/triage"]["post"]["requestBody"]["content"]["application/json"]
    text = body["schema"]["properties"]["text"]
    assert (text["minLength"], text["maxLength"]) == (1, MAX_PASTE)


def _post(client, body):
    return client.post("/api/triage", data=body, content_type="application/json")


@pytest.mark.parametrize(
    "body",
    [
        '{"text": ' + "[" * 950 + "]" * 950 + "}",
        "[" * 5000 + "]" * 5000,
        '{"text": "x", "answers": ' + '{"a": ' * 950 + '"b"' + "}" * 950 + "}",
        '{"text": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}",
    ],
    ids=["array-950", "array-5000", "answers-950", "object-100000"],
)
def test_deeply_nested_json_is_a_400(client, db, body):
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["message"]


def test_the_limit_is_inclusive(client, bundled):
    at_limit = "All pipe instances are busy. " + "x" * (MAX_PASTE - 29)
    assert len(at_limit) == MAX_PASTE
    assert _post(client, json.dumps({"text": at_limit})).status_code == 200
    over = _post(client, json.dumps({"text": at_limit + "x"}))
    assert over.status_code == 413
    assert f"{MAX_PASTE:,}" in over.json()["message"]


@pytest.mark.parametrize("text", ["", "\u0000", "\u0000" * 40, " \u0000\n\u0000\t"])
def test_an_empty_paste_says_so(client, db, text):
    response = _post(client, json.dumps({"text": text}))
    assert response.status_code == 400
    assert "Paste the error text first" in response.json()["message"]


@pytest.mark.parametrize("text", ["\x00", "\x00" * 40, " \x00\r\n\x00 "])
def test_a_paste_of_only_nul_characters_gets_the_empty_paste_message(client, db, text):
    response = client.post("/triage/", {"text": text})
    assert response.status_code == 400
    assert "the box was empty" in response.content.decode()
