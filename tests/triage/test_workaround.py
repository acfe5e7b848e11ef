"""The workaround page: the concluded cause leads, and says what it was concluded from."""

import re

import pytest

from tests.triage.conftest import start, step

WCF_EVENT = (
    "Log Name: System\nSource: SMSvcHost 3.0.0.0\nEvent ID: 8\n"
    "Description: An error occurred while dispatching a duplicated socket: "
    "this handle is now leaked in the process."
)
THROTTLE = "Does the service use a throttle"


def _answer_causes(client, response, answer_for):
    """Answer cause questions, each with answer_for(question text), until none is left."""
    for _ in range(5):
        page = response.content.decode()
        legend = re.search(r"<legend>([^<]*)</legend>", page)
        if "Which cause applies?" not in page or legend is None:
            return response
        question = legend.group(1)
        option = answer_for(question)
        value = re.search(r'name="answer" value="([^"]+=' + option + ')"', page).group(1)
        response = step(client, response, value)
    return response


def _headline(response):
    return re.search(r'<h1 id="resolution-heading"[^>]*>([^<]*)</h1>', response.content.decode())


@pytest.fixture
def throttled(client, bundled):
    response = start(client, WCF_EVENT)
    return _answer_causes(client, response, lambda q: "yes" if THROTTLE in q else "no")


def test_the_answered_cause_heads_the_page_with_its_own_step(throttled):
    assert _headline(throttled).group(1) == (
        "Turn on warning-level WCF tracing to catch throttle hits"
    )
    page = throttled.content.decode()
    assert re.search(
        r"The cause: <strong>Long-running operations \(over a minute\) with service "
        r"throttling enabled</strong>, since you answered “Yes” to “Does the service use a "
        r"throttle such as MaxConcurrentCalls",
        page,
    )


def test_causes_answered_no_offer_none_of_their_resolutions(client, bundled):
    response = start(client, WCF_EVENT)
    response = _answer_causes(client, response, lambda q: "no")
    page = response.content.decode()
    assert _headline(response).group(1) == "Install the fix for the port sharing hand-off"
    assert "Capture a memory dump on the first-chance PipeException" in page
    for ruled_out in ("Log CPU with perfmon", "Turn on warning-level", "Pre-compile"):
        assert ruled_out not in page
    assert "The cause:" not in page


def test_a_cause_the_paste_proves_says_which_evidence(client, bundled):
    text = (
        "System.ServiceModel.AddressAlreadyInUseException: The TransportManager failed to "
        "listen on the supplied URI using the NetTcpPortSharing service: the URI is already "
        "registered with the service."
    )
    response = start(client, text)
    assert _headline(response).group(1) == "Give each website its own endpoint"
    line = re.search(r'<p class="triage-cause">(.*?)</p>', response.content.decode()).group(1)
    assert "<strong>Two websites use the same remote events endpoint</strong>" in line
    assert "shown by your paste: “" in line
    assert "the URI is already registered with the service" in line


def test_the_only_cause_says_so(client, bundled):
    text = "Content Studio RemotingException: Port is Busy: All pipe instances are busy."
    response = start(client, text)
    line = re.search(r'<p class="triage-cause">(.*?)</p>', response.content.decode()).group(1)
    assert "Impersonated IPC clients" in line
    assert "the only one the article knows" in line
