"""A paste stays on the server: links carry an unguessable key, never the text; it
expires, is purged, and no page of it is cached."""

import logging
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.triage.conftest import rate, review_unanswered, send_unanswered, start, step
from tests.triage.test_feedback import EPISERVER_RECYCLE
from triage.models import Feedback, Paste, TriageEvent, UnansweredPaste

SECRET = "Tr0ub4dor-and-3"
HOST = "sql-prod-07.corp.example.com"
PRIVATE_PASTE = f"{EPISERVER_RECYCLE}\nServer={HOST};User Id=sa;Password={SECRET};"


def _links(response):
    """Every address the page points to: links, form actions and the redirects taken."""
    page = response.content.decode()
    found = re.findall(r'(?:href|action)="([^"]*)"', page)
    return found + [url for url, _ in getattr(response, "redirect_chain", [])]


def _assert_private(response):
    for url in _links(response):
        assert SECRET not in url and HOST not in url and "Password" not in url, url


def test_no_address_of_the_wizard_carries_the_paste(client, bundled):
    response = start(client, PRIVATE_PASTE)
    _assert_private(response)
    # The paste is still what the wizard shows and triages.
    assert SECRET in response.content.decode()
    assert "Did the error start right after the application pool recycled" in (
        response.content.decode()
    )
    yes = re.search(r'name="answer" value="([^"]+=yes)"', response.content.decode()).group(1)
    response = step(client, response, yes)
    _assert_private(response)
    share = re.search(r'href="([^"]+)">Link to this result', response.content.decode()).group(1)
    assert share.startswith("http://testserver/triage/")
    key = Paste.objects.get().key
    assert key in share and len(key) >= 24, "the key is long enough not to be guessed"
    resolution = re.search(r'name="resolution" value="(\d+)"', response.content.decode()).group(1)
    _assert_private(rate(client, response, resolution, "no"))


def test_another_person_with_the_link_sees_the_same_result(client, bundled):
    response = start(client, PRIVATE_PASTE)
    share = re.search(r'href="([^"]+)">Link to this result', response.content.decode()).group(1)
    other = Client().get(share.replace("http://testserver", "").replace("&amp;", "&"))
    assert other.status_code == 200
    assert "Did the error start right after the application pool recycled" in (
        other.content.decode()
    )


def test_no_log_line_holds_the_paste(client, bundled, caplog):
    caplog.set_level(logging.DEBUG)
    response = start(client, PRIVATE_PASTE)
    step(client, response, "not-a-question=nonsense")
    rate(client, response, "123456", "maybe")  # refused: 400
    client.post("/triage/", {"text": PRIVATE_PASTE + "x" * 70_000})  # too long: 413
    review_unanswered(client, start(client, f"fatal: unable to reach {HOST} with {SECRET}"))
    client.get("/triage/NoSuchPasteKeyAtAll123/")  # 404
    assert caplog.records, "the requests were logged"
    for record in caplog.records:
        line = record.getMessage()
        assert SECRET not in line and HOST not in line, line


@pytest.mark.parametrize(
    "where",
    ["question", "workaround", "no match", "refused vote", "preview", "refused paste", "thanks"],
)
def test_pages_of_a_paste_are_never_stored_by_a_cache(client, bundled, where):
    if where in ("no match", "preview"):
        response = start(client, f"fatal: unable to reach {HOST} with {SECRET}")
        if where == "preview":
            response = review_unanswered(client, response)
    elif where == "refused paste":
        response = client.post("/triage/", {"text": SECRET + "x" * 70_000})
        assert response.status_code == 413
    else:
        response = start(client, PRIVATE_PASTE)
        if where != "question":
            yes = re.search(r'name="answer" value="([^"]+=yes)"', response.content.decode())
            response = step(client, response, yes.group(1))
        if where == "refused vote":
            response = rate(client, response, "999999", "yes")
            assert response.status_code == 400
        elif where == "thanks":
            resolution = re.search(r'name="resolution" value="(\d+)"', response.content.decode())
            response = rate(client, response, resolution.group(1), "yes")
            assert b"Glad it worked" in response.content
    assert SECRET in response.content.decode() or where in ("thanks", "preview")
    assert "no-store" in response["Cache-Control"]


def test_a_paste_is_kept_for_the_retention_period(client, bundled, settings):
    settings.PASTE_RETENTION_DAYS = 3
    start(client, PRIVATE_PASTE)
    paste = Paste.objects.get()
    assert paste.text == PRIVATE_PASTE
    kept = paste.expires_at - paste.created_at
    assert kept == timedelta(days=3)


def test_an_expired_link_restarts_with_the_paste_box_and_a_410(client, bundled):
    response = start(client, PRIVATE_PASTE)
    here = response.request["PATH_INFO"]
    Paste.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(here)
    assert response.status_code == 410
    page = response.content.decode()
    assert "That triage link has expired" in page
    assert '<textarea id="paste-text"' in page
    assert SECRET not in page
    assert not Paste.objects.exists(), "an expired paste is deleted when it is asked for"
    # Once deleted, the address is simply unknown.
    assert client.get(here).status_code == 404


def test_a_link_of_the_old_kind_is_not_opened(client, bundled):
    response = client.get("/triage/", {"s": "eyJ0IjoiQWxsIHBpcGUgaW5zdGFuY2VzIn0:1abc:def"})
    assert response.status_code == 410
    page = response.content.decode()
    assert "carried the paste inside it" in page
    assert '<textarea id="paste-text"' in page


def test_purgepastes_deletes_the_expired_and_keeps_the_counts(client, bundled):
    response = start(client, PRIVATE_PASTE)
    yes = re.search(r'name="answer" value="([^"]+=yes)"', response.content.decode()).group(1)
    response = step(client, response, yes)
    resolution = re.search(r'name="resolution" value="(\d+)"', response.content.decode()).group(1)
    rate(client, response, resolution, "yes")
    start(client, "All pipe instances are busy.")
    Paste.objects.filter(text=PRIVATE_PASTE).update(expires_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    call_command("purgepastes", stdout=out)
    assert "1 expired paste(s) deleted" in out.getvalue()
    assert list(Paste.objects.values_list("text", flat=True)) == ["All pipe instances are busy."]
    assert TriageEvent.objects.count() == 2, "the dashboard still counts both triages"
    assert Feedback.objects.get().triage is not None


def test_purging_keeps_what_was_sent_to_the_editors(client, bundled):
    text = f"fatal: unable to reach {HOST} with password {SECRET}"
    preview = review_unanswered(client, start(client, text))
    send_unanswered(client, preview)
    Paste.objects.update(expires_at=timezone.now() - timedelta(days=1))
    call_command("purgepastes", stdout=StringIO())
    # What the person chose to send stays, redacted, for the editors.
    stored = UnansweredPaste.objects.get().text
    assert "fatal: unable to reach" in stored and HOST not in stored
