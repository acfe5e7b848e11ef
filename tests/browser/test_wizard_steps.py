"""The wizard's steps in a browser: focus follows each step, reloading sends nothing
again, and every page passes axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_triage import EPISERVER_SYMPTOM
from tests.triage.test_wizard_steps import MEDIUM, NOTHING

pytestmark = pytest.mark.browser


def _paste(page, text):
    page.goto("/triage/")
    page.get_by_label("Error text").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Find the fix").click()


def _answer(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.id || e.textContent.trim().slice(0, 60); }"
    )


def test_focus_moves_to_each_new_question_and_result(page):
    _paste(page, EPISERVER_SYMPTOM)
    assert _focused(page) == "question"
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Yes", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Which cause applies?")).to_be_visible()
    assert _focused(page) == "question"
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Yes", exact=True)).to_be_focused()
    _answer(page, "Yes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Disable overlapped recycling")
    assert _focused(page) == "resolution-heading"
    _answer(page, "No")
    expect(page.locator("#result")).to_be_focused()
    expect(page.locator("#result")).to_contain_text("did not fix it. Next, try this:")


def test_reloading_a_step_shows_it_again_and_the_address_holds_no_paste(page):
    _paste(page, EPISERVER_SYMPTOM)
    _answer(page, "Yes")
    address = page.url
    assert "Sockets" not in address and "socket" not in address
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.reload()
    assert page.url == address
    assert dialogs == [], "a reload asks nothing"
    expect(page.get_by_role("heading", name="Which cause applies?")).to_be_visible()
    # The answer given so far, and a way to change it.
    answered = page.locator(".triage-answered")
    expect(answered).to_contain_text(
        "Did this happen with EPiServer CMS and Internet Information Services?"
    )
    with page.expect_navigation():
        answered.get_by_role("link", name="Change the answer to “Did this happen").click()
    expect(page.locator(".triage-question legend")).to_have_text(
        "Did this happen with EPiServer CMS and Internet Information Services?"
    )
    expect(page.locator(".triage-answered")).to_have_count(0)


def test_the_quiet_button_looks_secondary(page):
    _paste(page, EPISERVER_SYMPTOM)
    yes = page.get_by_role("button", name="Yes", exact=True)
    quiet = page.get_by_role("button", name="No / something else")

    def background(locator):
        return locator.evaluate("e => getComputedStyle(e).backgroundColor")

    assert background(yes) != background(quiet)
    assert background(quiet) == "rgba(0, 0, 0, 0)"


def test_dont_send_returns_to_the_result(page):
    _paste(page, NOTHING)
    result = page.url
    _answer(page, "Review what would be sent")
    expect(
        page.get_by_role("heading", name="This is what the editors will receive")
    ).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Don't send").click()
    assert page.url == result
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nothing in the knowledge base fits this error yet"
    )


def test_the_paste_box_has_a_hint_not_a_placeholder(page):
    page.goto("/")
    box = page.get_by_label("Error text")
    assert box.get_attribute("placeholder") is None
    expect(box).to_have_value("")
    expect(box).to_have_accessible_description(
        "For example an event-log entry, from “Log Name: System” down to its description, "
        "or an exception with its stack trace."
    )


def test_copy_tells_screen_readers_it_copied(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/articles/episerver-overlapped-recycling/")
    copy = page.get_by_role("button", name="Copy the error text").first
    copy.click()
    expect(page.get_by_role("button", name="Error text copied")).to_have_count(1)
    expect(page.get_by_role("status").filter(has_text="copied to the clipboard")).to_have_count(1)


def test_every_step_of_the_wizard_passes_axe(page, assert_no_axe_violations):
    page.goto("/triage/")
    assert_no_axe_violations(page, "paste page")
    # A long paste, so that its box on the question page scrolls.
    stack = "\n".join(f"   at Worker.Step{i}()" for i in range(60))
    _paste(page, f"{EPISERVER_SYMPTOM}\n{stack}")
    assert_no_axe_violations(page, "confirming question")
    _answer(page, "Yes")
    assert_no_axe_violations(page, "cause question")
    _answer(page, "Yes")
    assert_no_axe_violations(page, "workaround")
    # The check opened the alternatives, each with its own "No": answer the headline's.
    with page.expect_navigation():
        page.locator(".triage-feedback:not(.triage-feedback--small)").get_by_role(
            "button", name="No"
        ).click()
    expect(page.locator("#result")).to_contain_text("did not fix it")
    assert_no_axe_violations(page, "after No")
    _answer(page, "Review what would be sent")
    assert_no_axe_violations(page, "unanswered-queue confirmation")
    _answer(page, "Send to the editors")
    assert_no_axe_violations(page, "sent to the editors")

    _paste(page, MEDIUM)
    expect(page.get_by_text("Probably this: confirm")).to_be_visible()
    assert_no_axe_violations(page, "medium result")

    _paste(page, "All pipe instances are busy.")
    expect(page.get_by_text("Related at best").first).to_be_visible()
    assert_no_axe_violations(page, "which article")

    _paste(page, NOTHING)
    assert_no_axe_violations(page, "no match")
    page.goto("/triage/NoSuchPasteKeyAtAll123/")
    assert_no_axe_violations(page, "unknown link")
