import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
ON_CI = os.getenv("CI", "").lower() in ("1", "true", "yes")
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse database access from the test body.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if ON_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def bundled_articles(transactional_db):
    call_command("loadkb", verbosity=0)


@pytest.fixture
def page(browser, live_server, bundled_articles):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def results_dir():
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR


@pytest.fixture
def assert_no_axe_violations():
    """assert_no_axe_violations(page, where): axe-core finds nothing wrong on the page.

    axe-core comes inside the axe-playwright-python wheel; nothing is fetched at test
    time. Folded <details> are opened first so their content is checked too.
    """
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, where):
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        results = axe.run(page)
        assert results.violations_count == 0, f"{where}:\n{results.generate_snapshot()}"

    return check
