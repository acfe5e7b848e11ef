"""Per-client rate limits: 429 with Retry-After, in JSON for the API, and nothing lost."""

import json
import re

import pytest
from django.core.cache import cache

from tests.triage.conftest import form_action, review_unanswered, start
from tests.triage.test_feedback import EPISERVER_RECYCLE
from tests.triage.test_workaround import _answer_causes
from triage import ratelimit

TEXT = "All pipe instances are busy."


@pytest.fixture
def limits(settings, monkeypatch):
    cache.clear()
    # One fixed moment, mid-window: a run that crosses a minute would otherwise
    # start a new window half way through a test.
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_030.0)
    settings.RATE_LIMITS = {"triage": 3, "feedback": 2}
    settings.TRUSTED_PROXIES = 1
    yield settings.RATE_LIMITS
    cache.clear()


def _api(client, address="203.0.113.1"):
    return client.post(
        "/api/triage",
        data=json.dumps({"text": TEXT}),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_the_api_answers_429_in_json_past_the_limit(client, bundled, limits):
    for _ in range(3):
        assert _api(client).status_code == 200
    refused = _api(client)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "Try again in" in refused.json()["message"]
    # Another client behind the same proxy is not held back.
    assert _api(client, "198.51.100.2").status_code == 200


def test_the_wizard_answers_429_with_the_paste_still_in_the_box(client, bundled, limits):
    for _ in range(3):
        assert client.post("/triage/", {"text": TEXT}).status_code == 303
    refused = client.post("/triage/", {"text": "<b>my paste</b> " + TEXT})
    assert refused.status_code == 429
    assert refused["Retry-After"]
    page = refused.content.decode()
    assert "Too many requests from your address" in page
    assert re.search(r"<textarea[^>]*>&lt;b&gt;my paste&lt;/b&gt; All pipe", page)


def test_feedback_and_the_queue_share_a_limit(client, bundled, limits):
    limits["triage"] = 100  # the pages on the way to the vote are triages too
    response = start(client, EPISERVER_RECYCLE)
    response = _answer_causes(client, response, lambda q: "yes" if "recycled" in q else "no")
    nothing_fits = start(client, "fatal: unable to access 'https://git.example.com/': SSL problem")
    preview = review_unanswered(client, nothing_fits)
    resolution = re.search(r'name="resolution" value="(\d+)"', response.content.decode()).group(1)
    vote = {"resolution": resolution, "helped": "yes"}
    action = form_action(response, "feedback")
    assert client.post(action, vote).status_code == 303
    assert client.post(action, vote).status_code == 303
    refused = client.post(action, vote)
    assert refused.status_code == 429
    assert refused["Retry-After"]
    sent = client.post(form_action(preview, "unanswered"))
    assert sent.status_code == 429
    assert "Send to the editors" in sent.content.decode(), "the form is there to send again"


def test_limits_of_zero_are_off(client, bundled, settings):
    settings.RATE_LIMITS = {"triage": 0}
    for _ in range(5):
        assert _api(client).status_code == 200


def test_every_wizard_page_counts_as_a_triage(client, bundled, limits):
    response = client.post("/triage/", {"text": TEXT})
    page = response["Location"]
    assert client.get(page).status_code == 200
    assert client.get(page + "?x=y").status_code == 200
    refused = client.get(page)
    assert refused.status_code == 429, "each page runs the triage again"
    assert refused["Retry-After"]


def test_refused_votes_count_against_the_limit_too(client, bundled, limits):
    limits["triage"] = 100  # the pages on the way to the vote are triages too
    response = start(client, EPISERVER_RECYCLE)
    action = form_action(
        _answer_causes(client, response, lambda q: "yes" if "recycled" in q else "no"),
        "feedback",
    )
    for _ in range(2):
        assert client.post(action, {"resolution": "abc", "helped": "yes"}).status_code == 400
    assert client.post(action, {"resolution": "abc", "helped": "yes"}).status_code == 429
