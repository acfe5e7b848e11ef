"""An editor and a publisher take a new article through its whole life in the browser."""

import pytest
from playwright.sync_api import expect

from kb.models import Article
from tests.factory import make_user

pytestmark = pytest.mark.browser

TITLE = "Print spooler stops with RPC_S_SERVER_UNAVAILABLE"
SLUG = "print-spooler-stops-with-rpc_s_server_unavailable"
PASSWORD = "a long test password"


def log_in(browser, live_server, username, problems):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/admin/login/?next=/admin/kb/article/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/kb/article/")
    return page


def public_status(browser, live_server, path):
    """What an anonymous reader gets for path: the HTTP status of the page."""
    context = browser.new_context(base_url=live_server.url)
    response = context.new_page().goto(path)
    status = response.status
    context.close()
    return status


def press(page, label):
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()


def test_editor_drafts_and_submits_publisher_publishes_retires_and_restores(
    browser, live_server, bundled_articles, results_dir
):
    make_user("Editors", username="edith", password=PASSWORD)
    make_user("Publishers", username="petra", password=PASSWORD)
    path = f"/articles/{SLUG}/"
    problems = []  # console errors: a script the Content Security Policy blocked, say

    # The editor writes a draft; the slug is filled in from the title as she types.
    editor = log_in(browser, live_server, "edith", problems)
    editor.get_by_role("link", name="Add article").click()
    editor.locator("#id_title").press_sequentially(TITLE)
    expect(editor.locator("#id_slug")).to_have_value(SLUG)
    editor.locator("#id_summary").fill("The spooler stops; restart it and remove the bad driver.")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(slug=SLUG)
    assert article.status == Article.Status.DRAFT
    assert article.modified_by.username == "edith"

    # Staff see the draft on the site under a banner; readers do not see it at all.
    editor.goto(path)
    expect(editor.get_by_role("note")).to_contain_text("Draft")
    assert public_status(browser, live_server, path) == 404

    # An editor may submit it for review but has no button to publish it.
    editor.goto(f"/admin/kb/article/{article.pk}/change/")
    expect(editor.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    press(editor, "Submit for review")
    expect(editor.locator(".kb-workflow")).to_contain_text("In review")

    # The publisher publishes it; now everyone can read it.
    publisher = log_in(browser, live_server, "petra", problems)
    publisher.goto(f"/admin/kb/article/{article.pk}/change/")
    press(publisher, "Publish")
    expect(publisher.locator(".kb-workflow")).to_contain_text("Published")
    assert public_status(browser, live_server, path) == 200

    # Retired, it is gone from the site; restored, it is back.
    press(publisher, "Retire")
    expect(publisher.locator(".kb-workflow")).to_contain_text("Retired")
    assert public_status(browser, live_server, path) == 404
    press(publisher, "Restore and publish")
    expect(publisher.locator(".kb-workflow")).to_contain_text("Published")
    assert public_status(browser, live_server, path) == 200

    # Every step is in the history, with who took it.
    publisher.goto(f"/admin/kb/article/{article.pk}/history/")
    history = publisher.locator("tr.kb-version")
    steps = [
        ("Restore and publish", "petra"),
        ("Retire", "petra"),
        ("Publish", "petra"),
        ("Submit for review", "edith"),
        ("Created", "edith"),
    ]
    expect(history).to_have_count(len(steps))
    for row, (step, who) in zip(history.all(), steps, strict=True):
        expect(row).to_contain_text(step)
        expect(row).to_contain_text(who)
    publisher.screenshot(path=str(results_dir / "admin-article-life.png"), full_page=True)
    assert problems == []
