"""Full-text search over articles; the same tests run on SQLite and PostgreSQL."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import search
from kb.models import Article
from tests.factory import make_article, make_product

# The error texts below are quoted from the four source documents.


def _content_studio():
    return make_article(
        title="Port is Busy errors when a Content Studio site talks to its server over IPC",
        slug="content-studio-port-is-busy",
        summary="Remoting over the IPC channel fails now and then with RemotingException; "
        "switch to the TCP channel or upgrade to Content Studio 5.2.",
        keywords="remoting ipc named-pipe",
        symptoms=[
            "RemotingException: Port is Busy: All pipe instances are busy.\n"
            "RemotingException: Failed to connect to an IPC Port: "
            "The system cannot find the file specified."
        ],
        causes=["Impersonated clients cannot reuse named pipe connections"],
        resolutions=["Change the communication channel to TCP"],
        products=[(make_product("Content Studio"), "5.0, 5.1, 5.2 Beta 3")],
        more_info="The pipe busy error (Windows system error 231: All pipes are busy) may "
        "occur even though the server is under-loaded.",
    )


def _exchange():
    return make_article(
        title="XFOR: Err Msg: All Pipe Instances Are Busy",
        slug="q168577-all-pipe-instances-are-busy",
        source_ref="Q168577",
        summary="The LinkAge Controller service will not start because it is already running "
        "or its tasks outlived it.",
        keywords="linkage exchange",
        symptoms=[
            "control(01ba) 1 00001:Operating system error {WIN32:231(All pipe\n"
            "instances are busy.)} from NPServer::create\n"
            "control(01ba) 1 01054:Error {An unknown error condition has occurred}:\n"
            "Could not create the named pipe server object"
        ],
        causes=["The LinkAge Controller (Lsmain.exe) is already running"],
        resolutions=["Restart the computer"],
        products=[(make_product("Microsoft Exchange Server"), "4.0, 5.0, 5.5")],
    )


def _wcf():
    return make_article(
        title="Clients time out and SMSvcHost logs event 8 with TCP port sharing",
        slug="wcf-port-sharing-duplicated-socket",
        summary="The port sharing service gives a socket to the service process and gives up "
        "after one minute.",
        keywords="wcf port-sharing activation",
        symptoms=[
            {
                "description": "An error in the System event log.",
                "error_text": "Source: SMSvcHost 3.0.0.0\nEvent ID: 8\n"
                "An error occurred while dispatching a duplicated socket: "
                "this handle is now leaked in the process.",
                "logged_in": "Windows System event log",
            },
            {
                "description": "An error in the WCF trace of the service.",
                "error_text": "System.ServiceModel.CommunicationException: There was an error "
                "reading from the pipe: The pipe has been ended. (109, 0x6d).",
                "logged_in": "a WCF trace",
            },
        ],
        causes=["The CPU spikes to 100% for more than a minute"],
        resolutions=["Pre-compile the application before deploying"],
    )


def _episerver():
    return make_article(
        title="EPiServer EventReplication over TCP fails after an application pool recycle",
        slug="episerver-event-replication-socket-in-use",
        summary="Overlapped recycling starts a second worker process that tries to listen on "
        "the same port.",
        keywords="episerver WSAEADDRINUSE",
        # Like the bundled article: the code is evidence for triage, not in the text.
        signatures=[("code", "10048"), ("pattern", r"port \d+")],
        symptoms=[
            "System.Net.Sockets.SocketException: Only one usage of each socket address "
            "(protocol/network address/port) is normally permitted"
        ],
        causes=[{"title": "Overlapped recycling", "explanation": "IIS starts a new w3wp."}],
        resolutions=[
            {
                "title": "Disable overlapped recycling",
                "steps": "1. In IIS 6 set the DisallowOverlappingRotation metabase property "
                "to true.\n2. In IIS 7 open Advanced Settings of the application pool.",
            }
        ],
        products=[(make_product("EPiServer CMS"), "5, 6")],
    )


@pytest.fixture
def articles(db):
    return {
        "content_studio": _content_studio(),
        "exchange": _exchange(),
        "wcf": _wcf(),
        "episerver": _episerver(),
    }


def _slugs(query):
    return [a.slug for a in Article.objects.published().search(query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("231", "exchange"),
        ("WIN32:231", "exchange"),
        ("NPServer::create", "exchange"),
        ("npserver", "exchange"),
        ("Q168577", "exchange"),
        ("0x6d", "wcf"),
        ("SMSvcHost", "wcf"),
        ("duplicated socket", "wcf"),
        ("CommunicationException", "wcf"),
        ("10048", "episerver"),
        ('"Only one usage of each socket address"', "episerver"),
        ("Only one usage of each socket address", "episerver"),
        ("System.Net.Sockets.SocketException", "episerver"),
        ("SocketException", "episerver"),
        ("DisallowOverlappingRotation", "episerver"),
        ("RemotingException", "content_studio"),
        ("IPC port busy", "content_studio"),
    ],
)
def test_error_codes_and_messages_find_their_article_first(articles, query, expected):
    slugs = _slugs(query)
    assert slugs, f"{query!r} found nothing"
    assert slugs[0] == articles[expected].slug


def test_a_code_is_not_mistaken_for_a_near_number(articles):
    # The WCF article mentions "100%"; only the article with the code 10048 may come back.
    assert _slugs("10048") == [articles["episerver"].slug]


def test_excluded_signatures_and_patterns_are_not_searched(db):
    article = make_article(
        signatures=[
            {"kind": "code", "value": "0x80004005", "excluded": True},
            ("pattern", r"HRESULT 0x8\d+"),
        ]
    )
    article.signatures.update(excluded=False)
    assert _slugs("0x80004005") == []
    assert _slugs("HRESULT") == []
    article.refresh_search()
    assert _slugs("0x80004005") == [article.slug]


def test_a_code_in_two_articles_finds_both(articles):
    assert set(_slugs("231")) == {articles["exchange"].slug, articles["content_studio"].slug}


def test_plural_and_case_do_not_matter(articles):
    assert articles["exchange"].slug in _slugs("PIPES INSTANCE")


def test_words_from_different_articles_find_nothing(articles):
    assert _slugs("SMSvcHost DisallowOverlappingRotation") == []


def test_a_quoted_phrase_needs_its_words_in_order(articles):
    assert articles["episerver"].slug in _slugs("usage only one")
    assert articles["episerver"].slug not in _slugs('"usage only one"')


def test_a_minus_excludes_a_word(articles):
    both = _slugs("231")
    without = _slugs("231 -linkage")
    assert articles["exchange"].slug in both
    assert without == [articles["content_studio"].slug]


def test_or_finds_either(articles):
    assert set(_slugs("SMSvcHost or DisallowOverlappingRotation")) == {
        articles["wcf"].slug,
        articles["episerver"].slug,
    }


def test_title_match_ranks_above_body_only_match(db):
    in_body = make_article(
        title="Service stops at start-up",
        more_info="Sometimes the frobnicator is involved, as the frobnicator log shows.",
    )
    in_title = make_article(title="Frobnicator crashes", summary="It stops.")
    results = list(Article.objects.search("frobnicator"))
    assert [a.pk for a in results] == [in_title.pk, in_body.pk]
    assert results[0].rank > results[1].rank


def test_error_text_ranks_above_more_information(db):
    in_more_info = make_article(more_info="Unrelated text; see also error 0x80070005.")
    in_error = make_article(symptoms=["Access is denied. (Exception from HRESULT: 0x80070005)"])
    assert [a.pk for a in Article.objects.search("0x80070005")] == [in_error.pk, in_more_info.pk]


def test_published_search_leaves_out_drafts_and_retired(db):
    published = make_article(title="Pipe busy on the published article")
    draft = make_article(title="Pipe busy on a draft", status=Article.Status.DRAFT)
    retired = make_article(title="Pipe busy, retired", status=Article.Status.RETIRED)
    assert list(Article.objects.published().search("pipe busy")) == [published]
    everything = set(Article.objects.search("pipe busy"))
    assert everything == {published, draft, retired}


def test_edits_are_found_after_refresh_search(db):
    article = make_article(title="Old title", summary="It breaks.")
    assert not _slugs("renamed")
    article.title = "Renamed title"
    article.save()
    article.refresh_search()
    assert _slugs("renamed") == [article.slug]
    assert not _slugs("old")


def test_a_misspelt_word_of_an_edit_finds_the_article(db):
    article = make_article(title="Printer queue", summary="Jobs wait forever.")
    assert not _slugs("spoolsvcx")
    assert not _slugs("spolsvcx")
    article.summary = "Jobs wait forever in spoolsvcx."
    article.save()
    article.refresh_search()
    assert _slugs("spoolsvcx") == [article.slug]
    # One letter missing: the typo-tolerant search knows the new word.
    assert _slugs("spolsvcx") == [article.slug]


@pytest.mark.postgres
def test_a_typo_ranks_the_article_with_the_nearer_word_first(db):
    # pg_trgm forgives more than one edit; SQLite corrects to "frobnication" alone.
    near = make_article(title="Zb", summary="The frobnication step failed.")
    far = make_article(title="Za", summary="The frobnicate tool failed.")
    assert _slugs("frobnicatio") == [near.slug, far.slug]


def test_typos_still_find_the_article(articles):
    assert _slugs("overlaped recyling")[0] == articles["episerver"].slug
    assert _slugs("overlapped recyling")[0] == articles["episerver"].slug
    assert _slugs("socket adress")[0] == articles["episerver"].slug
    assert _slugs("DisallowOverlapingRotation")[0] == articles["episerver"].slug


def test_typo_search_does_not_return_everything(articles):
    assert _slugs("qwertzuiop asdfghjkl") == []
    # Codes get no typo tolerance: 10049 is not a misspelt "100%".
    assert _slugs("10049") == []


@pytest.mark.parametrize(
    "query",
    ["ERROR_PIPE_BUSY", "0xE7", "0x800700E7", "231", "WIN32:231", "STATUS_PIPE_BUSY", "0xc00000ae"],
)
def test_every_spelling_of_a_code_finds_the_articles_with_that_error(articles, query):
    # Exchange quotes WIN32:231, Content Studio only the message of 231.
    assert set(_slugs(query)) == {articles["exchange"].slug, articles["content_studio"].slug}


@pytest.mark.parametrize(
    "query", ["WSAEADDRINUSE", "10048", "0x2740", "0x80072740", "wsaeaddrinuse"]
)
def test_socket_code_spellings_find_the_socket_article(articles, query):
    assert _slugs(query) == [articles["episerver"].slug]


def test_a_code_spelling_narrows_with_other_words(articles):
    assert _slugs("ERROR_PIPE_BUSY NPServer") == [articles["exchange"].slug]
    assert _slugs("ERROR_BROKEN_PIPE") == [articles["wcf"].slug]


def test_short_numbers_are_not_taken_for_codes(articles):
    # Event ID 8 is not ERROR_NOT_ENOUGH_MEMORY.
    assert search.code_spellings(search.Term("8")) == []
    assert "ERROR_PIPE_BUSY" in search.code_spellings(search.Term("0xE7"))


def test_did_you_mean_corrects_each_unknown_word_by_one_edit(articles):
    published = Article.objects.published()
    assert search.did_you_mean(published, "overlapped recyling") == "overlapped recycling"
    assert search.did_you_mean(published, "socket adress") == "socket address"
    assert search.did_you_mean(published, "Adress") == "address"


def test_did_you_mean_stays_quiet_when_the_query_finds_something(articles):
    published = Article.objects.published()
    assert search.did_you_mean(published, "socket address") is None
    assert search.did_you_mean(published, "qwertzuiop") is None
    assert search.did_you_mean(published, "10049") is None


def test_did_you_mean_knows_only_published_words(db):
    make_article("Zebra crossing", status=Article.Status.DRAFT)
    make_article("Something public")
    assert search.did_you_mean(Article.objects.published(), "zebar") is None


def test_did_you_mean_learns_new_words(db):
    published = Article.objects.published()
    make_article("Pipe trouble")
    assert search.did_you_mean(published, "frobnicatr") is None
    make_article("Frobnicator meltdown")
    assert search.did_you_mean(published, "frobnicatr") == "frobnicator"


HOSTILE = [
    "",
    "   ",
    "\x00",
    "pipe\x00busy",
    '"',
    '""',
    '"unbalanced',
    'unbalanced"',
    "'",
    "read-only",
    "NEAR",
    "NEAR(pipe busy, 2)",
    "AND",
    "OR",
    "NOT",
    "pipe AND",
    "or or or",
    "-",
    "--",
    "-pipe",
    "*",
    "pipe*",
    "^pipe",
    "title:pipe",
    "{title summary}: pipe",
    "(pipe",
    "':&|!<->",
    "pipe & !busy | (x <-> y)",
    "%_\\",
    "'; DROP TABLE kb_article; --",
    "😀",
    "pipe 😀 busy",
    "\ud800 pipe",
    "\u202e\u200bpipe",
    "a" * 10_000,
    "pipe " * 2_000,
    " ".join(f"w{i}" for i in range(1_000)),
    '"' * 1_000,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_raises(articles, query):
    results = list(Article.objects.published().search(query))
    for article in results:
        search.excerpt(article, query)
    assert Article.objects.count() == 4


def test_empty_or_meaningless_queries_find_nothing(articles):
    for query in ["", "   ", "\x00", "😀", "*", "-", '""', "-pipe"]:
        assert _slugs(query) == [], query


def test_junk_around_words_does_not_hide_them(articles):
    assert articles["wcf"].slug in _slugs("SMSvcHost\x00")
    assert articles["wcf"].slug in _slugs('"SMSvcHost')
    assert articles["wcf"].slug in _slugs("SMSvcHost 😀")


def test_long_queries_are_cut_before_the_database(articles):
    terms = search.parse_query("pipe " * 2_000)
    assert len(terms) == search.MAX_TERMS
    assert len(search.clean_query("x" * 10_000)) == search.MAX_QUERY_CHARS


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=80))
def test_any_text_is_a_valid_query(articles, query):
    for article in Article.objects.published().search(query):
        search.excerpt(article, query)


def test_excerpt_marks_the_match_and_centres_on_it(articles):
    text = search.excerpt(articles["episerver"], "DisallowOverlappingRotation")
    assert "<mark>DisallowOverlappingRotation</mark>" in text
    assert text.startswith("…")
    assert len(text) < 300


def test_excerpt_marks_every_query_word(articles):
    text = search.excerpt(articles["exchange"], "pipe NPServer::create")
    assert "from <mark>NPServer::create</mark>" in text
    assert "<mark>pipe</mark>" in text


def test_excerpt_marks_a_phrase_whole(articles):
    text = search.excerpt(articles["episerver"], '"Only one usage of each socket address"')
    assert "<mark>Only one usage of each socket address</mark>" in text


def test_excerpt_escapes_the_article_and_the_query(db):
    # An error text is shown verbatim, so markup in it reaches the excerpt as text.
    article = make_article(
        title="Script in the text", symptoms=["Pasted: <script>alert(1)</script> & the pipe."]
    )
    text = search.excerpt(article, '<script>alert("x")</script> pipe')
    assert "<script>" not in text
    assert "&lt;<mark>script</mark>&gt;" in text
    assert "&amp;" in text
    assert "<mark>pipe</mark>" in text


def test_excerpt_does_not_mark_inside_escaped_characters(db):
    article = make_article(title="Less than", more_info="a < b")
    assert search.excerpt(article, "lt") == "Summary of Less than. a &lt; b"


def test_excerpt_without_a_match_starts_at_the_beginning(articles):
    text = search.excerpt(articles["wcf"], "nothing-like-this")
    assert text.startswith("The port sharing service gives a socket")
    assert "<mark>" not in text


def test_excerpt_is_the_text_readers_see(db):
    article = make_article(
        title="LinkAge Controller does not start",
        keywords="linkage exchange npserver",
        symptoms=[
            {
                "description": "The log shows `control(01ba)` entries, **three** of them.",
                "error_text": "control(01ba) 1 00001:Operating system error {WIN32:231}",
            }
        ],
    )
    text = search.excerpt(article, "control")
    assert "The log shows <mark>control</mark>(01ba) entries, three of them." in text
    assert "`" not in text and "**" not in text
    # Neither the title, shown above the excerpt, nor the keywords written for the index.
    assert "LinkAge Controller does not start" not in text
    assert "linkage exchange npserver" not in text


def test_a_deleted_article_leaves_nothing_in_the_index(db):
    from django.db import connection

    article = make_article(title="Frobnicator meltdown", summary="Zyxxel overflow.")
    assert [a.pk for a in Article.objects.search("zyxxel")] == [article.pk]
    pk = article.pk
    article.delete()
    assert list(Article.objects.search("zyxxel")) == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM kb_article_fts WHERE rowid = %s", [pk])
            assert cursor.fetchone()[0] == 0


@pytest.mark.postgres
def test_postgresql_has_a_trigram_index_on_the_search_document(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'kb_article_search_document_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
    assert search.has_trigram()


@pytest.mark.postgres
def test_postgresql_without_pg_trgm_corrects_typos_from_the_articles_words(articles, monkeypatch):
    monkeypatch.setattr(search, "has_trigram", lambda: False)
    assert _slugs("socket adress") == [articles["episerver"].slug]
    assert _slugs("qwertzuiop asdfghjkl") == []


@pytest.mark.django_db
def test_an_article_saved_on_its_own_stays_found_by_its_words():
    # Saving the row (a title fixed in the shell, a status set by a command) must not
    # write back the search columns as the instance last read them: this one was made
    # before the index wrote them.
    article = _content_studio()
    found = search.search(Article.objects.published(), "impersonated")
    assert list(found) == [article]
    article.title = "Port is Busy on the IPC channel"
    article.save()
    found = search.search(Article.objects.published(), "impersonated")
    assert [a.title for a in found] == ["Port is Busy on the IPC channel"]
