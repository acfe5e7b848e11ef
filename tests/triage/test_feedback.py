"""“Did this fix it?”: every resolution shown can be rated, "No" shows the next thing to
try, and a triage gives one vote per resolution it offered."""

import re

import pytest

from kb.models import Resolution
from tests.triage.conftest import rate, start, step
from tests.triage.test_workaround import WCF_EVENT, _answer_causes, _headline
from triage import dashboard
from triage.models import Feedback

EPISERVER_RECYCLE = (
    "EPiServer remote events: Only one usage of each socket address "
    "(protocol/network address/port) is normally permitted after the app pool recycled"
)


def _resolutions(response):
    """The resolution ids of the rating forms, in page order."""
    return [
        int(i) for i in re.findall(r'name="resolution" value="(\d+)"', response.content.decode())
    ]


def _rate(client, response, resolution, helped):
    return rate(client, response, resolution, helped)


@pytest.fixture
def recycled(client, bundled):
    """The EPiServer workaround page, its cause answered "yes"."""
    response = start(client, EPISERVER_RECYCLE)
    return _answer_causes(client, response, lambda q: "yes" if "recycled" in q else "no")


def test_no_offers_the_next_resolution(client, recycled):
    assert _headline(recycled).group(1) == "Disable overlapped recycling"
    disable = Resolution.objects.get(title="Disable overlapped recycling")
    response = _rate(client, recycled, disable.pk, "no")
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Disable overlapped recycling” did not fix it. Next, try this:" in page
    assert _headline(response).group(1) == "Schedule recycling for a quiet time"
    assert "Did this fix it?" in page
    assert disable.pk not in _resolutions(response), "a resolution answered No is not offered again"
    assert not Feedback.objects.get(resolution=disable).helped


def test_every_resolution_shown_can_be_rated_and_is_counted_per_resolution(client, recycled):
    offered = _resolutions(recycled)
    assert len(offered) == 2, "the headline and its alternative each have a form"
    alternative = Resolution.objects.get(pk=offered[1])
    assert alternative.title == "Schedule recycling for a quiet time"
    page = recycled.content.decode()
    assert "Did “Schedule recycling for a quiet time” fix it?" in page
    response = _rate(client, recycled, alternative.pk, "yes")
    assert b"Glad it worked" in response.content
    rows = {row["resolution_id"]: row for row in dashboard.feedback_by_resolution()}
    assert (rows[alternative.pk]["yes"], rows[alternative.pk]["no"]) == (1, 0)
    assert offered[0] not in rows


def test_a_replayed_state_gives_one_vote(client, recycled):
    resolution = _resolutions(recycled)[0]
    for _ in range(5):
        _rate(client, recycled, resolution, "yes")
    assert Feedback.objects.count() == 1
    # Answering again changes the one vote.
    _rate(client, recycled, resolution, "no")
    assert list(Feedback.objects.values_list("helped", flat=True)) == [False]


def test_each_triage_of_the_same_paste_votes_once(client, bundled):
    for _ in range(2):
        response = start(client, EPISERVER_RECYCLE)
        response = _answer_causes(client, response, lambda q: "yes")
        _rate(client, response, _resolutions(response)[0], "yes")
    assert Feedback.objects.count() == 2
    assert Feedback.objects.values("triage").distinct().count() == 2


def test_a_resolution_the_triage_did_not_offer_is_refused(client, recycled):
    other = Resolution.objects.get(title="Give each website its own endpoint")  # ruled out
    foreign = Resolution.objects.exclude(article__slug="episerver-overlapped-recycling").first()
    for resolution in (other.pk, foreign.pk, 10**9):
        response = _rate(client, recycled, resolution, "yes")
        assert response.status_code == 400
        page = response.content.decode()
        assert "not one of the resolutions offered for this error" in page
        shown = re.sub(r"<[^>]+>", "", page)
        assert "EPiServer remote events: Only one usage" in shown, "the paste is kept"
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize("resolution", ["abc", "1e5", "1.5", "0x10", "\x00", "", "-1", "١٢"])
def test_a_resolution_that_is_not_an_id_is_refused(client, recycled, resolution):
    response = _rate(client, recycled, resolution, "yes")
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


def test_an_answer_other_than_yes_or_no_is_refused(client, recycled):
    response = _rate(client, recycled, _resolutions(recycled)[0], "maybe")
    assert response.status_code == 400
    assert "Answer “Yes, it did” or “No”" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_a_vote_for_a_paste_that_is_not_there_is_refused(client, recycled):
    action = re.search(
        r'action="/triage/[\w-]+/(feedback/[^"]*)"', recycled.content.decode()
    ).group(1)
    response = client.post(
        "/triage/NoSuchPasteKeyAtAll123/" + action.replace("&amp;", "&"),
        {"resolution": _resolutions(recycled)[0], "helped": "yes"},
    )
    assert response.status_code == 404
    assert b"There is no triage at that address" in response.content
    assert Feedback.objects.count() == 0


def test_when_nothing_offered_helps_the_other_causes_and_the_editors_are_next(client, bundled):
    response = start(client, WCF_EVENT)
    response = _answer_causes(client, response, lambda q: "yes" if "CPU" in q else "unsure")
    assert _headline(response).group(1) == "Log CPU with perfmon and look for long spikes"
    for resolution in _resolutions(response):
        response = _rate(client, response, resolution, "no")
    page = response.content.decode()
    assert "Nothing this triage offers has fixed it yet" in page
    assert _resolutions(response) == []
    assert "Other causes still open" in page
    assert "Long-running operations (over a minute) with service throttling enabled" in page
    assert re.search(r'action="/triage/[\w-]+/unanswered/"', page), "the editors are offered"
    # Turning to the other causes asks about the next one.
    value = re.search(r'name="answer" value="([^"]+=no)"', page).group(1)
    response = step(client, response, value)
    page = response.content.decode()
    assert "Which cause applies?" in page
    assert "Does the service use a throttle" in page


def test_no_vote_before_the_triage_offers_any_resolution(client, bundled):
    text = "Only one usage of each socket address (protocol/network address/port)"
    response = start(client, text)
    assert "Did this happen with" in response.content.decode()
    disable = Resolution.objects.get(title="Disable overlapped recycling")
    response = _rate(client, response, disable.pk, "yes")
    assert response.status_code == 400
    page = response.content.decode()
    assert "not one of the resolutions offered for this error" in page
    assert "Did this happen with" in page, "the question is still there to answer"
    assert Feedback.objects.count() == 0
