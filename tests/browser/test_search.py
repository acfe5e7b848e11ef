"""Search in a real browser: spellings, typos, pasted errors, layout and axe."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EPISERVER = "/articles/episerver-overlapped-recycling/"
LINKAGE = "/articles/exchange-linkage-pipe-busy/"


def _search(page, query):
    page.goto("/search/")
    page.get_by_label("Words, an error code or a message").fill(query)
    with page.expect_navigation():
        page.get_by_label("Words, an error code or a message").press("Enter")


def test_a_symbolic_code_finds_the_article_and_marks_its_spelling(page):
    _search(page, "ERROR_PIPE_BUSY")
    result = page.locator(f'.article-item:has(a[href="{LINKAGE}"])')
    expect(result).to_be_visible()
    # The article quotes the code another way: that spelling is what is marked.
    expect(result.locator("mark").first).to_be_visible()
    assert "`" not in result.locator(".article-item__excerpt").inner_text()


def test_a_typo_is_forgiven_and_corrected(page):
    _search(page, "socket adress")
    expect(page.locator(f'a[href="{EPISERVER}"]').first).to_be_visible()
    suggestion = page.get_by_role("link", name="socket address", exact=True)
    expect(suggestion).to_be_visible()
    with page.expect_navigation():
        suggestion.click()
    assert page.locator("#q").input_value() == "socket address"
    expect(page.get_by_text("Did you mean")).to_have_count(0)


def test_a_pasted_error_goes_to_the_triage_with_its_text(page):
    paste = "System.Net.Sockets.SocketException: Only one usage of each socket address"
    _search(page, paste)
    with page.expect_navigation():
        page.get_by_role("button", name="Triage this instead").click()
    assert page.url.endswith("/triage/") or "/triage/" in page.url
    # The wizard read what was typed into the search box.
    expect(page.locator("body")).to_contain_text("Only one usage of each socket address")
    assert "SocketException" not in page.url


def test_error_codes_stay_whole_in_the_codes_table_at_desktop_width(page):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/triage/")
    page.get_by_label("Error text").fill(
        "System.Net.Sockets.SocketException (0x80004005): WSAEADDRINUSE 10048 "
        "HRESULT 0x800700E7 ERROR_PIPE_BUSY"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Find the fix").click()
    cells = page.locator(".triage-codes td code")
    expect(cells.first).to_be_visible()
    for i in range(cells.count()):
        # One line box per code: a value broken across lines has two.
        lines = cells.nth(i).evaluate("el => el.getClientRects().length")
        assert lines == 1, cells.nth(i).inner_text()


def test_long_words_in_titles_do_not_overflow_a_phone(page, live_server):
    from tests.factory import make_article

    word = "DisallowOverlappingRotationMetabasePropertyOnEveryApplicationPool"
    make_article(f"Set {word} to true", slug="long-word")
    page.set_viewport_size({"width": 375, "height": 800})
    for url in ("/articles/long-word/", f"/search/?q={word}", "/articles/"):
        page.goto(url)
        expect(page.get_by_text(word).first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_an_article_and_search_results_have_no_axe_violations(
    browser, live_server, bundled_articles, assert_no_axe_violations, scheme
):
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto("/")
        assert_no_axe_violations(page, "home")
        page.goto(EPISERVER)
        assert_no_axe_violations(page, "article")
        for query in ("10048", "socket adress", "zzyzx", "Exception: All pipe instances are busy"):
            page.goto(f"/search/?q={query}")
            assert_no_axe_violations(page, f"search results for {query!r}")
    finally:
        context.close()
