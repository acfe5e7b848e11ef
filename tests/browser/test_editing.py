"""A publisher corrects a step of a published article in the admin."""

import pytest
from playwright.sync_api import expect

from kb.models import Article
from tests.factory import make_user

pytestmark = pytest.mark.browser

NEW_STEP = "Recycle the application pool named KbBrowserPool"


def test_publisher_edits_a_resolution_step_and_readers_see_it(page, results_dir):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    make_user("Publishers", username="petra", password="a long test password")
    article = Article.objects.published().filter(resolutions__isnull=False).first()
    assert article is not None, "loadkb should have loaded published articles"

    page.goto("/admin/login/?next=/admin/kb/article/")
    page.get_by_label("Username").fill("petra")
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/kb/article/")

    page.get_by_role("link", name=article.title).click()
    steps = page.locator('textarea[name="resolutions-0-steps"]')
    steps.fill(f"1. {NEW_STEP}.\n2. Check the **event log**.")

    # The preview comes from the server's sanitiser, fetched by the static script.
    steps.locator("xpath=following-sibling::button[1]").click()
    preview = steps.locator("xpath=following-sibling::div[contains(@class, 'kb-preview')][1]")
    expect(preview.locator("ol li strong")).to_have_text("event log")
    expect(preview).to_contain_text(NEW_STEP)

    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=str(results_dir / "admin-edit.png"), full_page=True)

    page.goto(article.get_absolute_url())
    expect(page.get_by_text(NEW_STEP).first).to_be_visible()

    page.goto(f"/admin/kb/article/{article.pk}/history/")
    latest = page.locator("tr.kb-version").first
    expect(latest).to_contain_text("petra")
    expect(latest).to_contain_text("Steps")

    assert problems == []


def test_a_new_articles_resolution_can_take_a_cause_typed_on_the_same_page(page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    make_user("Editors", username="edna", password="a long test password")
    page.goto("/admin/login/?next=/admin/kb/article/add/")
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/kb/article/add/")

    page.locator("#id_title").fill("WAS event 5011")
    page.locator("#id_summary").fill("A worker process failed.")
    page.get_by_role("button", name="Add another Cause").click()
    page.locator('input[name="causes-0-key"]').fill("rapid-fail")
    page.locator('input[name="causes-0-title"]').fill("Rapid-fail protection stopped the pool")
    page.locator('textarea[name="causes-0-explanation"]').fill("Five crashes in five minutes.")
    page.get_by_role("button", name="Add another Resolution").click()
    page.locator('input[name="resolutions-0-title"]').fill("Raise the rapid-fail limit")
    page.locator('textarea[name="resolutions-0-steps"]').fill("1. Open Advanced Settings.")
    cause = page.locator('select[name="resolutions-0-cause_key"]')
    # Offered before anything is saved, and renaming the key keeps the choice.
    cause.select_option(label="Rapid-fail protection stopped the pool (rapid-fail)")
    page.locator('input[name="causes-0-key"]').fill("rapid-fail-protection")
    expect(cause).to_have_value("rapid-fail-protection")

    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get(slug="was-event-5011")
    assert article.resolutions.get().cause.key == "rapid-fail-protection"
    assert problems == []
