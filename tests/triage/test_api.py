import json

import pytest

from tests.factory import make_article
from tests.triage.conftest import LINKAGE_LINES
from triage.engine import MAX_PASTE

URL = "/api/triage"


def post(client, payload, content_type="application/json"):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(URL, data=body, content_type=content_type)


def test_linkage_lines_lead_to_the_exchange_article(client, bundled):
    response = post(client, {"text": LINKAGE_LINES})
    assert response.status_code == 200
    data = response.json()
    top = data["candidates"][0]
    assert top["article"]["slug"] == "exchange-linkage-pipe-busy"
    assert top["article"]["url"].endswith("/articles/exchange-linkage-pipe-busy/")
    assert top["confidence"] in ("high", "medium")
    assert 0 <= top["score"] <= 1
    assert top["resolutions"], "the candidate lists its resolutions"
    assert {"id", "title", "kind"} <= set(top["resolutions"][0])
    for evidence in top["evidence"]:
        assert 0 <= evidence["start"] < evidence["end"] <= len(LINKAGE_LINES)
        assert LINKAGE_LINES[evidence["start"] : evidence["end"]] == evidence["match"]
    assert any("NPServer::create" in e["match"] for e in top["evidence"])
    codes = {(c["system"], c["value"]): c for c in data["codes"]}
    assert codes[("Win32", "231")]["name"] == "ERROR_PIPE_BUSY"
    assert codes[("Win32", "231")]["message"] == "All pipe instances are busy."


def test_a_lone_surrogate_in_the_json_is_read_as_a_replacement_character(client, bundled):
    # JSON may escape half of a UTF-16 pair; such a paste is answered, not a server error.
    response = post(client, '{"text": "All pipe instances are busy. \\ud800 Lsmain.exe"}')
    assert response.status_code == 200
    assert {c["article"]["slug"] for c in response.json()["candidates"]} >= {
        "exchange-linkage-pipe-busy"
    }


def test_candidates_are_best_first(client, bundled):
    data = post(client, {"text": "All pipe instances are busy."}).json()
    scores = [c["score"] for c in data["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_shared_message_asks_which_product_then_which_cause(client, bundled):
    text = "All pipe instances are busy."
    first = post(client, {"text": text}).json()
    slugs = [c["article"]["slug"] for c in first["candidates"][:2]]
    assert set(slugs) == {"content-studio-ipc-pipe-busy", "exchange-linkage-pipe-busy"}
    assert "high" not in [c["confidence"] for c in first["candidates"]]
    question = first["question"]
    assert question is not None
    options = {o["id"]: o["label"] for o in question["options"]}
    assert "none" in options
    assert "exchange-linkage-pipe-busy" in options
    assert "Exchange" in options["exchange-linkage-pipe-busy"]

    answers = {question["id"]: "exchange-linkage-pipe-busy"}
    second = post(client, {"text": text, "answers": answers}).json()
    assert [c["article"]["slug"] for c in second["candidates"]] == ["exchange-linkage-pipe-busy"]
    # The LinkAge article has two causes: the next question tells them apart.
    cause_question = second["question"]
    assert cause_question is not None
    assert {o["id"] for o in cause_question["options"]} == {"yes", "no", "unsure"}

    answers[cause_question["id"]] = "yes"
    third = post(client, {"text": text, "answers": answers}).json()
    assert third["question"] is None
    assert third["cause"]


def test_none_of_these_leaves_no_candidate_standing(client, bundled):
    text = "All pipe instances are busy."
    question = post(client, {"text": text}).json()["question"]
    data = post(client, {"text": text, "answers": {question["id"]: "none"}}).json()
    slugs = {c["article"]["slug"] for c in data["candidates"]}
    assert not slugs & {"content-studio-ipc-pipe-busy", "exchange-linkage-pipe-busy"}
    assert data["question"] is None


def test_transport_manager_message_proves_the_two_sites_cause(client, bundled):
    text = (
        "The TransportManager failed to listen on the supplied URI using the NetTcpPortSharing "
        "service: the URI is already registered with the service."
    )
    data = post(client, {"text": text}).json()
    assert data["candidates"][0]["article"]["slug"] == "episerver-overlapped-recycling"
    assert data["question"] is None
    assert data["cause"] is not None
    assert "overlapped" not in data["cause"]


def test_unrelated_text_gets_an_empty_or_low_answer(client, bundled):
    data = post(client, {"text": "java.lang.OutOfMemoryError: Java heap space"}).json()
    assert all(c["confidence"] == "low" for c in data["candidates"])
    assert data["question"] is None


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        (json.dumps({"txt": "hello"}), "application/json", 400),
        (json.dumps({"text": 42}), "application/json", 400),
        (json.dumps({"text": "   "}), "application/json", 400),
        (json.dumps({"text": "x" * (MAX_PASTE + 1)}), "application/json", 413),
        ("text=hello", "application/x-www-form-urlencoded", 415),
        (json.dumps({"text": "hello"}), "text/plain", 415),
    ],
)
def test_errors_are_json_with_a_message(client, db, body, content_type, status):
    response = post(client, body, content_type=content_type)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_get_is_not_allowed(client, db):
    assert client.get(URL).status_code == 405


def test_article_list_and_detail(client, bundled):
    listing = client.get("/api/articles").json()
    slugs = {a["slug"] for a in listing}
    assert slugs == {
        "content-studio-ipc-pipe-busy",
        "exchange-linkage-pipe-busy",
        "wcf-port-sharing-leaked-socket",
        "episerver-overlapped-recycling",
    }
    detail = client.get("/api/articles/wcf-port-sharing-leaked-socket").json()
    assert len(detail["causes"]) == 3
    assert any("SMSvcHost" in s["error_text"] for s in detail["symptoms"])
    assert detail["resolutions"] and detail["references"] is not None


def test_drafts_are_not_in_the_api(client, db):
    make_article(slug="secret-draft", status="draft")
    assert client.get("/api/articles/secret-draft").status_code == 404
    assert client.get("/api/articles").json() == []


def test_openapi_document_describes_the_contract(client, db):
    doc = client.get("/api/openapi.json").json()
    assert "/api/triage" in doc["paths"]
    assert "/api/articles/{slug}" in doc["paths"]
    schemas = doc["components"]["schemas"]
    assert {"candidates", "codes", "question"} <= set(schemas["TriageOut"]["properties"])


def test_get_says_to_post_in_json(client, db):
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "POST" in response.json()["message"]


def test_the_settled_article_is_named(client, bundled):
    text = "All pipe instances are busy."
    question = post(client, {"text": text}).json()["question"]
    answered = post(
        client, {"text": text, "answers": {question["id"]: "exchange-linkage-pipe-busy"}}
    )
    assert answered.json()["article"] == "exchange-linkage-pipe-busy"
    assert post(client, {"text": text}).json()["article"] is None


def test_every_candidate_carries_the_decisions_that_made_its_confidence(client, bundled):
    # The EPiServer symptom alone is a standard message: generic, so capped at low.
    text = (
        "System.Net.Sockets.SocketException: Only one usage of each socket address "
        "(protocol/network address/port) is normally permitted"
    )
    data = post(client, {"text": text}).json()
    top = data["candidates"][0]
    assert top["article"]["slug"] == "episerver-overlapped-recycling"
    assert top["confidence"] == "low"
    rules = [d["rule"] for d in top["decisions"]]
    assert "cap:generic-only" in rules
    assert all(set(d) == {"rule", "effect", "detail"} for d in top["decisions"])

    linkage = post(client, {"text": LINKAGE_LINES}).json()["candidates"][0]
    assert linkage["confidence"] == "high"
    assert any(d["rule"] == "anchor" for d in linkage["decisions"])
    assert not any(d["rule"].startswith("cap:") for d in linkage["decisions"])


def test_each_resolution_comes_with_its_steps_as_markdown_and_html(client, bundled):
    from kb.models import Resolution

    data = post(client, {"text": LINKAGE_LINES}).json()
    listed = data["candidates"][0]["resolutions"]
    assert listed
    for item in listed:
        resolution = Resolution.objects.get(pk=item["id"])
        assert item["steps"] == resolution.steps and item["steps"].strip()
        assert item["steps_html"] == resolution.steps_html
        assert item["steps_html"].lstrip().startswith("<")
        assert "**" not in item["steps_html"]
