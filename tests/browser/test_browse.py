"""A reader's path through the site in a real browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARTICLE = "/articles/episerver-overlapped-recycling/"


def test_search_for_a_code_and_read_the_fix(page, live_server, results_dir):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Paste your error, find the fix"
    page.get_by_label("Words, an error code or a message").fill("10048")
    page.get_by_label("Words, an error code or a message").press("Enter")

    page.wait_for_url("**/search/?q=10048")
    assert page.locator("#q").input_value() == "10048"
    page.locator(f'a[href="{ARTICLE}"]').first.click()

    page.wait_for_url(f"**{ARTICLE}")
    steps = page.get_by_text("Disable Overlapped Recycling").first
    assert steps.is_visible()
    assert page.locator("#resolutions .steps ol li").first.is_visible()

    page.screenshot(path=str(results_dir / "article-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert steps.is_visible()
    # Nothing may stick out sideways on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(results_dir / "article-390.png"), full_page=True)

    # The policy blocks inline code; a violation would show up as a console error.
    assert console_errors == []


def test_home_page_at_phone_and_desktop_widths(page, results_dir):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        assert page.get_by_label("Error text").is_visible()
        assert page.get_by_role("button", name="Find the fix").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(results_dir / f"home-{width}.png"), full_page=True)


def test_copy_button_copies_the_error_text(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(ARTICLE)
    button = page.locator(".error-text .copy-button").first
    button.click()
    # The label changes only once the asynchronous clipboard write has resolved.
    expect(button).to_have_text("Copied")
    expect(page.locator(".error-text [role=status]").first).to_have_text(
        "Error text copied to the clipboard"
    )
    expected = page.locator(".error-text pre code").first.inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == expected


def test_without_javascript_there_is_no_copy_button(browser, live_server, bundled_articles):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + ARTICLE)
    assert page.locator(".error-text pre").count() > 0
    assert page.locator(".copy-button").count() == 0
    context.close()
