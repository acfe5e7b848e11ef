"""Each step of the wizard posts, then redirects to an address that holds the paste's
key and the answers; the page lists the answers so far, each one changeable."""

import re

from tests.factory import make_user
from tests.triage.conftest import answers, form_action, review_unanswered, start, step
from tests.triage.test_feedback import EPISERVER_RECYCLE
from triage.engine import MAX_PASTE
from triage.models import Paste, UnansweredGroup

CONFIRMING = (
    "System.Net.Sockets.SocketException: Only one usage of each socket address "
    "(protocol/network address/port) is normally permitted"
)
HIGH = "Content Studio RemotingException: Port is Busy: All pipe instances are busy."
MEDIUM = (
    "RemotingException: Failed to connect to an IPC Port: The system cannot find the file "
    "specified."
)
NOTHING = "fatal: unable to access 'https://git.example.com/repo.git/': SSL certificate problem"


def _answered(response):
    """(question, answer, change link) of "Your answers so far", in order."""
    page = response.content.decode()
    section = re.search(r'<section class="triage-answered".*?</section>', page, re.S)
    if section is None:
        return []
    return [
        (q, a, link.replace("&amp;", "&"))
        for q, a, link in re.findall(
            r"<dt>([^<]*)</dt>\s*<dd><strong>([^<]*)</strong> <a href=\"([^\"]+)\">",
            section.group(0),
        )
    ]


def test_a_paste_redirects_to_its_own_address(client, bundled):
    response = client.post("/triage/", {"text": CONFIRMING})
    assert response.status_code == 303
    key = Paste.objects.get().key
    assert response["Location"] == f"/triage/{key}/"
    assert "Did this happen with" in client.get(response["Location"]).content.decode()


def test_an_answer_redirects_and_the_page_can_be_reloaded(client, bundled):
    page = start(client, CONFIRMING)
    yes = next(a for a in answers(page) if a.endswith("=yes"))
    response = client.post(form_action(page, "step"), {"answer": yes})
    assert response.status_code == 303
    question_id, option = yes.split("=")
    assert response["Location"].endswith(f"/?{question_id}={option}")
    # A reload is a GET of the same address: the same question, nothing sent again.
    first, again = client.get(response["Location"]), client.get(response["Location"])
    for reloaded in (first, again):
        assert reloaded.status_code == 200
        assert "Did the error start right after the application pool recycled" in (
            reloaded.content.decode()
        )


def test_no_to_did_this_fix_it_redirects_to_the_next_thing_to_try(client, bundled):
    page = start(client, EPISERVER_RECYCLE)
    page = step(client, page, next(a for a in answers(page) if a.endswith("=yes")))
    resolution = re.search(r'name="resolution" value="(\d+)"', page.content.decode()).group(1)
    response = client.post(
        form_action(page, "feedback"), {"resolution": resolution, "helped": "no"}
    )
    assert response.status_code == 303
    after = client.get(response["Location"]).content.decode()
    assert "did not fix it. Next, try this:" in after


def test_the_answers_so_far_are_listed_and_each_can_be_changed(client, bundled):
    page = start(client, CONFIRMING)
    assert _answered(page) == []
    page = step(client, page, next(a for a in answers(page) if a.endswith("=yes")))
    page = step(client, page, next(a for a in answers(page) if a.endswith("=yes")))
    assert "Did this fix it?" in page.content.decode()
    listed = _answered(page)
    assert [(q, a) for q, a, _ in listed] == [
        ("Did this happen with EPiServer CMS and Internet Information Services?", "Yes"),
        (
            "Did the error start right after the application pool recycled while a long "
            "request was still running?",
            "Yes",
        ),
    ]
    assert 'Change<span class="visually-hidden"> the answer to “Did this happen' in (
        page.content.decode()
    )
    # Changing the first answer asks it again, with nothing answered after it.
    again = client.get(listed[0][2])
    assert "Did this happen with EPiServer CMS" in again.content.decode()
    assert _answered(again) == []
    # Changing the second keeps the first.
    again = client.get(listed[1][2])
    assert "Which cause applies?" in again.content.decode()
    assert [a for _, a, _ in _answered(again)] == ["Yes"]
    page = step(client, again, next(a for a in answers(again) if a.endswith("=no")))
    assert [a for _, a, _ in _answered(page)] == ["Yes", "No"]


def test_confidence_is_said_in_words_and_scores_are_for_staff(client, bundled):
    high = start(client, HIGH).content.decode()
    assert "<strong>This is it:</strong> your error matches" in high
    medium = start(client, MEDIUM).content.decode()
    assert "<strong>Probably this: confirm.</strong>" in medium
    assert "What it rests on, from your paste:" in medium
    assert "Failed to connect to an IPC Port" in medium
    low = start(client, "All pipe instances are busy.").content.decode()
    assert "<strong>Related at best</strong>" in low
    for page in (high, medium, low):
        assert "score" not in re.sub(r"<[^>]+>", "", page).lower()
    client.force_login(make_user(role="Editors"))
    staff = start(client, "All pipe instances are busy.").content.decode()
    assert re.search(
        r"<strong>Related at best</strong> <span class=\"triage-score\">\(score", staff
    )


def test_a_chosen_article_says_it_was_chosen(client, bundled):
    page = start(client, "All pipe instances are busy.")
    content_studio = next(a for a in answers(page) if a.endswith("=content-studio-ipc-pipe-busy"))
    page = step(client, page, content_studio).content.decode()
    assert "You chose <a" in page
    assert "Related at best" not in page


def test_a_message_found_twice_and_as_a_code_is_listed_once(client, bundled):
    text = (
        "Server Error in '/' Application.\nPort is Busy: All pipe instances are busy.\n"
        "Exception Details: System.Runtime.Remoting.RemotingException: Port is Busy: "
        "All pipe instances are busy."
    )
    page = start(client, text).content.decode()
    evidence = re.search(r'<ul class="triage-evidence">(.*?)</ul>', page, re.S).group(1)
    shown = re.findall(r"<code>([^<]*)</code>", evidence)
    assert len(shown) == len({s.rstrip(".").casefold() for s in shown}), shown
    assert [s.rstrip(".") for s in shown].count("All pipe instances are busy") == 1


def test_the_paste_is_said_to_be_marked_only_when_something_is(client, bundled):
    nothing = start(client, NOTHING).content.decode()
    assert "<summary>Your paste</summary>" in nothing
    assert "<mark>" not in nothing
    assert "with the evidence marked" not in nothing
    marked = start(client, HIGH).content.decode()
    assert "<summary>Your paste, with the evidence marked</summary>" in marked


def test_the_size_limit_counts_a_line_end_once(client, bundled):
    line = "All pipe instances are busy." + "x" * 11
    typed = "\n".join([line] * (MAX_PASTE // 40))  # 39 characters and a line end each
    assert len(typed) <= MAX_PASTE < len(typed.replace("\n", "\r\n"))
    response = client.post("/triage/", {"text": typed.replace("\n", "\r\n")})
    assert response.status_code == 303, "what was typed is under the limit"
    over = typed + "\n" + "y" * (MAX_PASTE - len(typed))
    response = client.post("/triage/", {"text": over.replace("\n", "\r\n")})
    assert response.status_code == 413
    assert f"That paste is {len(over):,} characters long" in response.content.decode()


def test_dont_send_goes_back_to_the_result(client, bundled):
    page = start(client, NOTHING)
    here = page.request["PATH_INFO"]
    preview = review_unanswered(client, page).content.decode()
    back = re.search(r'<a class="button button--quiet" href="([^"]+)">Don', preview).group(1)
    assert back == here
    assert "Nothing in the knowledge base fits" in client.get(back).content.decode()


def test_dont_send_after_answers_keeps_them(client, bundled):
    page = start(client, CONFIRMING)
    page = step(client, page, next(a for a in answers(page) if a.endswith("=no")))
    assert "Nothing in the knowledge base fits" in page.content.decode()
    preview = review_unanswered(client, page).content.decode()
    back = re.search(r'href="([^"]+)">Don', preview).group(1).replace("&amp;", "&")
    result = client.get(back).content.decode()
    assert "You said none of the suggested articles fit." in result


def test_reloading_the_sent_page_sends_nothing_again(client, bundled):
    preview = review_unanswered(client, start(client, NOTHING))
    response = client.post(form_action(preview, "unanswered"))
    assert response.status_code == 303
    for _ in range(2):
        assert b"the editors have your error" in client.get(response["Location"]).content
    assert UnansweredGroup.objects.get().count == 1
