import re

from kb.models import Resolution
from tests.triage.conftest import (
    LINKAGE_LINES,
    answers,
    rate,
    review_unanswered,
    send_unanswered,
    start,
    step,
)
from triage.engine import MAX_PASTE
from triage.models import Feedback, TriageEvent, UnansweredGroup, UnansweredPaste


def test_paste_page_has_a_labelled_box(client, db):
    response = client.get("/triage/")
    assert response.status_code == 200
    assert b'<label for="paste-text">' in response.content


def test_empty_paste_is_refused_on_the_same_page(client, db):
    response = client.post("/triage/", {"text": "   \n  "})
    assert response.status_code == 400
    assert b"the box was empty" in response.content


def test_paste_over_the_limit_keeps_the_text(client, db):
    text = "All pipe instances are busy. " + "x" * MAX_PASTE
    response = client.post("/triage/", {"text": text})
    assert response.status_code == 413
    assert b"the limit is 65,536" in response.content
    assert text.encode() in response.content


def test_linkage_lines_reach_the_restart_steps_and_record_feedback(client, bundled):
    response = start(client, LINKAGE_LINES)
    assert response.status_code == 200
    page = response.content.decode()
    # The LinkAge article has two causes; answer its questions until the workaround.
    for _ in range(3):
        if "Did this fix it?" in page:
            break
        assert "Which cause applies?" in page
        yes = next(a for a in answers(response) if a.endswith("=yes"))
        response = step(client, response, yes)
        page = response.content.decode()
    assert "Did this fix it?" in page
    assert "LinkAge Controller" in page
    assert "<ol>" in page, "the steps are numbered"
    # The evidence is marked inside the paste, escaped.
    assert re.search(r"<mark>[^<]*NPServer::create[^<]*</mark>", page)
    resolution_id = re.search(r'name="resolution" value="(\d+)"', page).group(1)
    response = rate(client, response, resolution_id, "yes")
    assert response.status_code == 200
    assert b"Glad it worked" in response.content
    feedback = Feedback.objects.get()
    assert feedback.helped is True
    assert feedback.resolution == Resolution.objects.get(pk=resolution_id)
    assert TriageEvent.objects.count() == 1


def test_question_then_answer_narrows_to_one_article(client, bundled):
    response = start(client, "All pipe instances are busy.")
    page = response.content.decode()
    assert "one question tells them apart" in page
    offered = answers(response)
    assert any(a.endswith("=none") for a in offered)
    content_studio = next(a for a in offered if a.endswith("=content-studio-ipc-pipe-busy"))
    response = step(client, response, content_studio)
    page = response.content.decode()
    assert "Content Studio" in page
    assert "Did this fix it?" in page or "Which cause applies?" in page


def test_share_link_reopens_the_same_result(client, bundled):
    response = start(client, LINKAGE_LINES)
    link = re.search(
        r'href="(http://testserver/triage/[^"]+)">Link to this result', response.content.decode()
    )
    assert link
    again = client.get(link.group(1).replace("http://testserver", "").replace("&amp;", "&"))
    assert again.status_code == 200
    assert "NPServer::create" in again.content.decode()


def test_an_unknown_link_restarts_with_the_paste_box_and_a_404(client, bundled):
    start(client, "All pipe instances are busy.")
    for url in ("/triage/NoSuchPasteKeyAtAll123/", "/triage/NoSuchPasteKeyAtAll123/?x=y"):
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert "There is no triage at that address" in page
        assert '<textarea id="paste-text"' in page
    response = client.post("/triage/NoSuchPasteKeyAtAll123/step/", {"answer": "x=y"})
    assert response.status_code == 404


def test_answers_in_the_address_that_are_not_answers_are_ignored(client, bundled):
    response = start(client, "All pipe instances are busy.")
    here = response.request["PATH_INFO"]
    for query in ("?x=y", "?article-zzz=<script>", "?" + "&".join(f"q{i}=a" for i in range(50))):
        again = client.get(here + query)
        assert again.status_code == 200
        assert "one question tells them apart" in again.content.decode()
    # A NUL character is refused before any view reads the address, with a page that says so.
    refused = client.get(here + "?x=%00")
    assert refused.status_code == 400


def test_pasted_html_is_shown_as_text(client, bundled):
    text = '<script>alert("x")</script> All pipe instances are busy from NPServer::create'
    page = start(client, text).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_nothing_matches_offers_the_redacted_paste_to_the_editors(client, bundled):
    text = (
        "fatal: unable to access 'https://git.corp.example.com/repo.git/': "
        "SSL certificate problem, user jdoe@example.com from 10.1.2.3"
    )
    response = start(client, text)
    page = response.content.decode()
    assert "Nothing in the knowledge base fits this error yet" in page
    preview = review_unanswered(client, response)
    shown = preview.content.decode()
    assert "jdoe@example.com" not in shown
    assert "10.1.2.3" not in shown
    assert "SSL certificate problem" in shown
    assert UnansweredPaste.objects.count() == 0, "nothing is stored before the person confirms"
    sent = send_unanswered(client, preview)
    assert b"the editors have your error" in sent.content
    send_unanswered(client, preview)
    group = UnansweredGroup.objects.get()
    assert group.count == 1
    stored = UnansweredPaste.objects.first().text
    assert "jdoe@example.com" not in stored and "10.1.2.3" not in stored


def test_the_same_paste_sent_again_counts_once_and_reopens_its_group(client, bundled):
    text = "fatal: unable to access 'https://git.corp.example.com/repo.git/': SSL problem"
    preview = review_unanswered(client, start(client, text))
    send_unanswered(client, preview)
    UnansweredGroup.objects.update(handled=True)
    # Sent again: a second click, or the same paste triaged anew and sent.
    send_unanswered(client, preview)
    again = review_unanswered(client, start(client, text))
    sent = send_unanswered(client, again)
    assert sent.status_code == 200
    group = UnansweredGroup.objects.get()
    assert (group.count, UnansweredPaste.objects.count()) == (1, 1)
    assert not group.handled, "seen again, so open again"
    # Another paste of the same error is one more.
    other = review_unanswered(client, start(client, text + " on the second try"))
    send_unanswered(client, other)
    assert UnansweredPaste.objects.count() == 2


def test_another_products_pipe_error_says_nothing_fits(client, bundled):
    text = (
        "Visual Studio Code: Error: connect to named pipe \\\\.\\pipe\\vscode-git-1234-sock "
        "failed: All pipe instances are busy."
    )
    page = start(client, text).content.decode()
    assert "Nothing in the knowledge base fits this error yet" in page
    assert "Points to another product or error:" in page
    assert "Which product logged this error?" not in page


def test_evidence_on_one_span_is_listed_once(client, bundled):
    page = start(client, "All pipe instances are busy.").content.decode()
    first = page.split('class="triage-candidate ', 2)[1]
    assert first.count("<code>All pipe instances are busy") == 1


def test_an_unanswered_group_keeps_its_codes_and_exception_types(client, bundled):
    text = (
        "System.IO.FileLoadException: Could not load file or assembly 'Acme.Widgets' (0x80131040)"
    )
    preview = review_unanswered(client, start(client, text))
    send_unanswered(client, preview)
    group = UnansweredGroup.objects.get()
    assert group.exceptions == ["FileLoadException"]


def test_codes_of_other_systems_are_shown_as_their_system_writes_them(client, bundled):
    response = start(client, "HTTP Error 500.19 - Internal Server Error")
    page = response.content.decode()
    assert "<td>IIS</td><td><code>500.19</code></td>" in page
