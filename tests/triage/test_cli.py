import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.triage.conftest import LINKAGE_LINES


def test_triage_command_reads_a_file_and_prints_the_answer(bundled, tmp_path):
    paste = tmp_path / "paste.txt"
    paste.write_text(LINKAGE_LINES)
    out = io.StringIO()
    call_command("triage", str(paste), stdout=out)
    text = out.getvalue()
    assert text.startswith("1. ")
    assert "LinkAge" in text.splitlines()[0]
    assert "NPServer::create" in text
    assert "ERROR_PIPE_BUSY" in text


def test_triage_command_reads_stdin_and_prints_json(bundled, monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("SMSvcHost event id 8: dispatching a duplicated socket")
    )
    out = io.StringIO()
    call_command("triage", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["candidates"][0]["article"]["slug"] == "wcf-port-sharing-leaked-socket"


def test_triage_command_says_so_and_exits_1_when_nothing_fits(bundled, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("java.lang.OutOfMemoryError: Java heap space"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="No article in the knowledge base fits") as raised:
        call_command("triage", stdout=out)
    assert raised.value.returncode == 1
    text = out.getvalue()
    assert "[high," not in text and "[medium," not in text
    assert "Apply:" not in text


def test_triage_command_ends_without_error_when_an_article_fits(bundled, tmp_path):
    paste = tmp_path / "paste.txt"
    paste.write_text(LINKAGE_LINES)
    out = io.StringIO()
    call_command("triage", str(paste), stdout=out)  # exit status 0; see test_setup_commands
    assert out.getvalue().startswith("1. XFOR: LinkAge Controller")


def test_triage_command_prints_absolute_links_under_a_base_url(bundled, tmp_path, settings):
    paste = tmp_path / "paste.txt"
    paste.write_text(LINKAGE_LINES)
    out = io.StringIO()
    call_command("triage", str(paste), "--base-url", "https://kb.example.com/", stdout=out)
    assert "   https://kb.example.com/articles/exchange-linkage-pipe-busy/" in out.getvalue()

    settings.SITE_URL = "https://support.example.org"
    out = io.StringIO()
    call_command("triage", str(paste), "--json", stdout=out)
    data = json.loads(out.getvalue())
    url = data["candidates"][0]["article"]["url"]
    assert url == "https://support.example.org/articles/exchange-linkage-pipe-busy/"


def test_triage_command_refuses_an_empty_paste(bundled, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("  \n"))
    with pytest.raises(CommandError, match="empty"):
        call_command("triage")


def test_explain_prints_the_rules_that_decided(bundled, monkeypatch):
    paste = "Port is Busy: All pipe instances are busy. at node:net:1817 (node_modules)"
    monkeypatch.setattr("sys.stdin", io.StringIO(paste))
    out = io.StringIO()
    # Capped to low, nothing fits: the command says so with exit status 1.
    with pytest.raises(CommandError, match="related at best"):
        call_command("triage", "--explain", stdout=out)
    text = out.getvalue()
    assert "Decided by:" in text
    assert "cap:foreign-marker: at most low ('node_modules')" in text

    monkeypatch.setattr("sys.stdin", io.StringIO(paste))
    quiet = io.StringIO()
    with pytest.raises(CommandError):
        call_command("triage", stdout=quiet)
    assert "Decided by:" not in quiet.getvalue()
