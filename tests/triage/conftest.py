import html
import re

import pytest
from django.core.management import call_command


@pytest.fixture
def bundled(db):
    """The four bundled articles, loaded the way `make run` loads them."""
    call_command("loadkb", verbosity=0)


LINKAGE_LINES = (
    "control(01ba) 1 00001:Operating system error {WIN32:231(All pipe\n"
    "  instances are busy.)} from NPServer::create\n"
    "control(01ba) 1 01054:Error {An unknown error condition has occurred}: "
    "Could not create the named pipe server object\n"
    "control(01ba) 3 00505:control is ending, last return code was "
    "{An unknown error condition has occurred}\n"
)


# The wizard as a browser without JavaScript drives it: post the form, follow the redirect.


def form_action(response, view):
    """Where the page's form for view ("step", "feedback", "unanswered") sends to."""
    page = response.content.decode()
    match = re.search(r'action="(/triage/[\w-]+/' + view + r'/[^"]*)"', page)
    assert match, f"no {view} form on the page"
    return html.unescape(match.group(1))


def start(client, text):
    """Paste text and land on the page the wizard redirects to."""
    return client.post("/triage/", {"text": text}, follow=True)


def step(client, response, answer):
    """Press the answer button whose value is answer ("question-id=option-id")."""
    return client.post(form_action(response, "step"), {"answer": answer}, follow=True)


def rate(client, response, resolution, helped):
    """Answer "Did this fix it?" for one resolution on the page; on a page with no such
    form, send what a forged one would."""
    if 'name="helped"' in response.content.decode():
        action = form_action(response, "feedback")
    else:
        request = response.request
        action = request["PATH_INFO"] + "feedback/?" + request.get("QUERY_STRING", "")
    return client.post(action, {"resolution": resolution, "helped": helped}, follow=True)


def review_unanswered(client, response):
    """Press "Review what would be sent": a GET form carrying the answers."""
    page = response.content.decode()
    form = re.search(r'<form method="get" action="([^"]+/unanswered/)">(.*?)</form>', page, re.S)
    assert form, "no review form on the page"
    fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    return client.get(form.group(1), fields)


def send_unanswered(client, preview):
    """Press "Send to the editors" on the preview."""
    return client.post(form_action(preview, "unanswered"), follow=True)


def answers(response):
    """The values of the page's answer buttons."""
    return re.findall(r'name="answer" value="([^"]+)"', response.content.decode())
