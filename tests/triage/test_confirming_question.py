"""A paste that is exactly a standard message an article documents is asked about, not
answered with "nothing fits"."""

import re

from tests.factory import make_article, make_product
from tests.triage.conftest import start, step
from triage.models import TriageEvent

EPISERVER_SYMPTOM = (
    "System.Net.Sockets.SocketException: Only one usage of each socket address "
    "(protocol/network address/port) is normally permitted"
)


def _answer(response, label):
    """The value of the answer button with that label."""
    page = response.content.decode()
    pattern = r'name="answer" value="([^"]+)"[^>]*>' + re.escape(label) + "</button>"
    return re.search(pattern, page).group(1)


def _step(client, response, label):
    return step(client, response, _answer(response, label))


def test_the_articles_own_error_text_gets_a_confirming_question(client, bundled):
    response = start(client, EPISERVER_SYMPTOM)
    page = response.content.decode()
    assert "Nothing in the knowledge base fits" not in page
    assert "Did this happen with EPiServer CMS and Internet Information Services?" in page
    assert "Where it is logged: Website error page" in page
    assert "Known cause: Overlapped recycling starts a second worker process" in page
    assert "is a standard message that many programs print" in page
    assert "No / something else" in page
    # The engine still thinks it related at best; the question is the wizard's.
    assert TriageEvent.objects.get().outcome == "low"


def test_yes_leads_through_the_cause_question_to_the_workaround(client, bundled):
    response = start(client, EPISERVER_SYMPTOM)
    response = _step(client, response, "Yes")
    page = response.content.decode()
    assert "Which cause applies?" in page
    assert "Did the error start right after the application pool recycled" in page
    response = _step(client, response, "Yes")
    page = response.content.decode()
    assert re.search(r'<h1 id="resolution-heading"[^>]*>Disable overlapped recycling</h1>', page)
    assert "Did this fix it?" in page


def test_no_ends_where_nothing_fits_ends(client, bundled):
    response = start(client, EPISERVER_SYMPTOM)
    response = _step(client, response, "No / something else")
    page = response.content.decode()
    assert "Nothing in the knowledge base fits this error yet" in page
    assert "Review what would be sent" in page


def test_the_same_message_from_another_program_is_not_asked_about(client, bundled):
    text = (
        "[Server] Failed to bind UDP port 27015: Only one usage of each socket address "
        "(protocol/network address/port) is normally permitted. (10048)\n"
        "Is another instance of the dedicated server already running?"
    )
    page = start(client, text).content.decode()
    assert "Nothing in the knowledge base fits this error yet" in page
    assert "Did this happen with" not in page


def test_the_api_asks_the_same_question(client, bundled):
    response = client.post(
        "/api/triage", {"text": EPISERVER_SYMPTOM}, content_type="application/json"
    )
    question = response.json()["question"]
    assert question["text"] == (
        "Did this happen with EPiServer CMS and Internet Information Services?"
    )
    assert [o["label"] for o in question["options"]] == ["Yes", "No / something else"]
    assert "Where it is logged: Website error page" in question["details"]
    answers = {question["id"]: "yes"}
    data = client.post(
        "/api/triage",
        {"text": EPISERVER_SYMPTOM, "answers": answers},
        content_type="application/json",
    ).json()
    assert data["article"] == "episerver-overlapped-recycling"
    assert data["question"]["options"][0]["id"] == "yes"


def _spool_article(product):
    return make_article(
        title="Acme Gateway cannot write its spool",
        slug="acme-gateway-spool",
        products=[product],
        symptoms=[
            {
                "error_text": "Access is denied.",
                "description": "The gateway stops writing its spool.",
                "logged_in": "Acme Gateway service log",
            }
        ],
        causes=[{"title": "The spool folder lost its permissions", "how_to_tell": "Was it moved?"}],
        resolutions=[{"title": "Give the service account the spool folder back", "cause": 0}],
    )


def test_any_article_whose_symptom_is_a_standard_message_is_confirmed(
    client, db, django_capture_on_commit_callbacks
):
    # The article's save moves the index revision once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        _spool_article(make_product("Acme Gateway"))
    response = start(client, "Access is denied.")
    page = response.content.decode()
    assert "Did this happen with Acme Gateway?" in page
    assert "Where it is logged: Acme Gateway service log" in page
    assert "Known cause: The spool folder lost its permissions" in page
    response = _step(client, response, "Yes")
    assert "Give the service account the spool folder back" in response.content.decode()
