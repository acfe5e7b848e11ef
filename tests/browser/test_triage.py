"""From a pasted error to the workaround, in a real browser, without and with questions."""

import pytest
from playwright.sync_api import expect

from tests.triage.conftest import LINKAGE_LINES
from triage.models import Feedback

pytestmark = pytest.mark.browser


def test_linkage_lines_lead_to_restarting_the_controller(page, results_dir):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    page.goto("/")
    page.get_by_label("Error text").fill(LINKAGE_LINES)
    # Every step is a form post; wait for each answer page before reading it.
    with page.expect_navigation():
        page.get_by_role("button", name="Find the fix").click()

    # The LinkAge article has two causes: answer until the workaround shows.
    for _ in range(3):
        if page.get_by_text("Did this fix it?").count():
            break
        expect(page.get_by_role("heading", name="Which cause applies?")).to_be_visible()
        # The controller is not running any more; it crashed and left its tasks behind.
        question = page.locator(".triage-question legend").inner_text()
        answer = "No" if "already running" in question else "Yes"
        with page.expect_navigation():
            page.get_by_role("button", name=answer, exact=True).click()
    expect(page.get_by_text("Did this fix it?")).to_be_visible()
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .lower()
        .startswith(("restart", "terminate"))
    )
    steps = page.locator(".triage-resolution .steps ol li")
    assert steps.count() >= 2
    assert "LinkAge Controller" in page.locator(".triage-resolution").inner_text()
    page.screenshot(path=str(results_dir / "triage-workaround-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(results_dir / "triage-workaround-390.png"), full_page=True)

    page.get_by_role("button", name="Yes, it did").click()
    expect(page.get_by_role("heading", name="Glad it worked")).to_be_visible()
    feedback = Feedback.objects.get()
    assert feedback.helped
    assert "LinkAge" in feedback.resolution.steps or "LinkAge" in feedback.resolution.title
    assert console_errors == []


def test_shared_message_asks_which_product(page):
    page.goto("/triage/")
    page.get_by_label("Error text").fill("All pipe instances are busy.")
    page.get_by_role("button", name="Find the fix").click()
    expect(page.get_by_text("Which product logged this error?")).to_be_visible()
    page.get_by_role("button", name="Content Studio").click()
    expect(page.get_by_text("Switch the communication channel to TCP").first).to_be_visible()
    expect(page.get_by_text("Content Studio").first).to_be_visible()


def test_empty_paste_keeps_the_page_and_says_why(page):
    page.goto("/triage/")
    page.get_by_role("button", name="Find the fix").click()
    expect(page.get_by_role("alert")).to_contain_text("Paste the error text first")


EPISERVER_SYMPTOM = (
    "System.Net.Sockets.SocketException: Only one usage of each socket address "
    "(protocol/network address/port) is normally permitted"
)


def _answer(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_the_articles_own_message_is_confirmed_then_leads_to_its_workaround(page):
    page.goto("/triage/")
    page.get_by_label("Error text").fill(EPISERVER_SYMPTOM)
    _answer(page, "Find the fix")
    expect(page.get_by_text("Nothing in the knowledge base fits")).to_have_count(0)
    question = page.locator(".triage-question legend")
    expect(question).to_have_text(
        "Did this happen with EPiServer CMS and Internet Information Services?"
    )
    expect(page.get_by_role("button", name="No / something else")).to_be_visible()
    _answer(page, "Yes")
    expect(page.get_by_role("heading", name="Which cause applies?")).to_be_visible()
    expect(question).to_contain_text("right after the application pool recycled")
    _answer(page, "Yes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Disable overlapped recycling")
    expect(page.locator(".triage-cause")).to_contain_text("since you answered “Yes”")


def test_no_to_did_this_fix_it_offers_the_next_resolution(page):
    page.goto("/triage/")
    page.get_by_label("Error text").fill(EPISERVER_SYMPTOM)
    _answer(page, "Find the fix")
    _answer(page, "Yes")
    _answer(page, "Yes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Disable overlapped recycling")
    expect(page.get_by_text("Did this fix it?")).to_be_visible()
    _answer(page, "No")
    expect(page.get_by_role("status")).to_contain_text(
        "“Disable overlapped recycling” did not fix it. Next, try this:"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule recycling for a quiet time")
    expect(page.get_by_text("Did this fix it?")).to_be_visible()
    expect(page.get_by_role("button", name="Review what would be sent")).to_be_visible()
    feedback = Feedback.objects.get()
    assert feedback.resolution.title == "Disable overlapped recycling"
    assert not feedback.helped
