"""Caps: the rules that lower a candidate's tier, and the rules across candidates."""

from tests.triage.engine.kbs import (
    IPC,
    LINKAGE,
    ONLY_ONE_USAGE,
    ipc_index,
    top,
)
from triage.engine import (
    ArticleSpec,
    Index,
    SignatureSpec,
)


def test_foreign_context_caps_confidence_and_is_shown_as_negative_evidence(index):
    message = ONLY_ONE_USAGE
    own = index.triage(f"{message}\nw3wp.exe net.tcp")
    assert top(own)[0] == ("recycling", "high")
    for marker in (
        "java.net.BindException",
        "Traceback (most recent call last)",
        "docker",
        "Tomcat",
    ):
        result = index.triage(f"{message}\nw3wp.exe net.tcp {marker}")
        candidate = result.candidates[0]
        assert candidate.confidence != "high", marker
        assert any(e.kind == "foreign" and e.weight < 0 for e in candidate.evidence), marker


def test_foreign_marker_an_article_mentions_itself_does_not_cap_it():
    article = ArticleSpec(
        slug="docker-pipe",
        title="Docker engine pipe busy",
        products=("Docker Desktop",),
        error_texts=("open //./pipe/docker_engine: All pipe instances are busy.",),
    )
    signatures = [SignatureSpec("docker-pipe", "phrase", "docker_engine")]
    index = Index.build([article, IPC], signatures)
    result = index.triage(
        "Docker Desktop: open //./pipe/docker_engine: All pipe instances are busy."
    )
    assert top(result)[0] == ("docker-pipe", "high")
    assert not [e for e in result.candidates[0].evidence if e.kind == "foreign"]


def test_frames_of_another_application_cap_the_article_at_medium():
    index = ipc_index()
    message = (
        "System.Runtime.Remoting.RemotingException: Port is Busy: All pipe instances are busy."
    )
    framework = "\n   at System.Runtime.Remoting.Channels.Ipc.IpcPort.Connect(String portName)"
    assert top(index.triage(message + framework))[0] == ("ipc", "medium")

    elsewhere = index.triage(message + framework + "\n   at Acme.Scheduler.Client.Submit(Job job)")
    candidate = elsewhere.candidates[0]
    assert (candidate.article, candidate.confidence) == ("ipc", "medium")
    assert [e.match for e in candidate.evidence if e.kind == "foreign"] == [
        "Acme.Scheduler.Client.Submit"
    ]

    named = index.triage(
        message + framework + "\n   at Acme.Scheduler.Client.Submit(Job job)\n(Content Studio)"
    )
    own = index.triage(message + framework + "\n   at ContentStudio.Web.Proxy.Call(String name)")
    assert top(named)[0] == ("ipc", "high")
    assert top(own)[0] == ("ipc", "high")


def test_generic_evidence_alone_is_low_and_repeating_it_adds_nothing(index):
    message = f"System.Net.Sockets.SocketException: {ONLY_ONE_USAGE}"
    assert top(index.triage(message))[0] == ("recycling", "low")
    scores = {
        index.triage("\n".join([message] * n) + "\nEPiServer CMS").candidates[0].score
        for n in (1, 2, 3, 5)
    }
    assert len(scores) == 1


def test_generic_evidence_beside_another_program_stays_low(index):
    message = f"System.Net.Sockets.SocketException: {ONLY_ONE_USAGE}"
    setting = "right after the application pool recycled"
    assert top(index.triage(f"{message}\n{setting}"))[0] == ("recycling", "high")
    for other in ("Apache in XAMPP will not start", "AcmeTray.exe"):
        result = index.triage(f"{message}\n{setting}\n{other}")
        assert top(result)[0] == ("recycling", "low"), other


def test_a_program_the_article_does_not_know_caps_it_at_medium(index):
    specific = (
        "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"
    )
    assert top(index.triage(specific))[0] == ("linkage", "high")
    other = index.triage(f"{specific}\nseen in AcmeTray.exe; the AcmeBackup service is stopped")
    candidate = other.candidates[0]
    assert (candidate.article, candidate.confidence) == ("linkage", "medium")
    assert [e.match for e in candidate.evidence if e.kind == "foreign"] == [
        "AcmeTray.exe",
        "AcmeBackup",
    ]
    for known in ("Lsmain.exe", "svchost.exe", "netstat.exe", "the NetTcpPortSharing service"):
        assert top(index.triage(f"{specific}\n{known}"))[0] == ("linkage", "high"), known
    named = index.triage(f"{specific}\nAcmeTray.exe on our Exchange Server")
    assert top(named)[0] == ("linkage", "high")


def test_close_candidates_are_not_high():
    twin = ArticleSpec(slug="twin", title="Twin", error_texts=LINKAGE.error_texts)
    index = Index.build([LINKAGE, twin], [])
    result = index.triage(LINKAGE.error_texts[0])
    assert {c.article for c in result.candidates} == {"linkage", "twin"}
    assert {c.confidence for c in result.candidates} == {"medium"}
    assert not result.abstained


def rules(candidate):
    return [d.rule for d in candidate.decisions]


def test_each_cap_leaves_its_decision_on_the_candidate(index):
    specific = (
        "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"
    )
    assert not any(r.startswith("cap:") for r in rules(index.triage(specific).candidates[0]))

    marker = index.triage(f"{specific}\nnpm ERR! code ELIFECYCLE").candidates[0]
    assert marker.decided("cap:foreign-marker") and marker.confidence == "low"
    assert "'npm err'" in [d.detail for d in marker.decisions if d.rule == "cap:foreign-marker"]

    program = index.triage(f"{specific}\nseen in AcmeTray.exe").candidates[0]
    assert rules(program).count("cap:foreign-program") == 1
    assert program.confidence == "medium"

    frame = index.triage(f"{specific}\n   at Acme.Scheduler.Client.Submit(Job job)")
    assert frame.candidates[0].decided("cap:foreign-code")


def test_generic_only_says_why_it_stays_low(index):
    message = f"System.Net.Sockets.SocketException: {ONLY_ONE_USAGE}"
    [alone] = [d for d in index.triage(message).candidates[0].decisions if d.rule.startswith("cap")]
    assert (alone.rule, alone.detail) == ("cap:generic-only", "no context of the article's own")
    beside = index.triage(f"{message}\nright after the application pool recycled\nAcmeTray.exe")
    why = {d.detail for d in beside.candidates[0].decisions if d.rule == "cap:generic-only"}
    assert why == {"beside another program"}


def test_the_rules_across_candidates_say_what_they_did():
    twin = ArticleSpec(slug="twin", title="Twin", error_texts=LINKAGE.error_texts)
    result = Index.build([LINKAGE, twin], []).triage(LINKAGE.error_texts[0])
    for candidate in result.candidates:
        [close] = [d for d in candidate.decisions if d.rule == "close-leaders"]
        assert close.effect == "-> medium"

    # A candidate whose only evidence is also the high one's is explained by it.
    result = Index.build([IPC, LINKAGE], []).triage(
        "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"
    )
    assert top(result)[0] == ("linkage", "high")
    ipc = next(c for c in result.candidates if c.article == "ipc")
    assert ipc.confidence == "low"
    assert ipc.decided("explained") or ipc.decided("cap:generic-only")


def test_an_article_about_a_product_is_not_capped_by_that_products_markers():
    sql = ArticleSpec(
        slug="sql-26",
        title="Error locating server",
        products=("SQL Server",),
        error_texts=(
            "A network-related or instance-specific error occurred while establishing a "
            "connection to SQL Server. (provider: SQL Network Interfaces, error: 26 - Error "
            "Locating Server/Instance Specified)",
        ),
    )
    index = Index.build([sql, IPC], [])
    paste = (
        "sqlcmd -S .\\SQLEXPRESS: A network-related or instance-specific error occurred while "
        "establishing a connection to SQL Server. (provider: SQL Network Interfaces, error: "
        "26 - Error Locating Server/Instance Specified) via SqlClient in SSMS"
    )
    candidate = index.triage(paste).candidates[0]
    assert candidate.article == "sql-26"
    assert candidate.confidence == "high"
    assert not candidate.decided("cap:foreign-marker")
    # The markers still do their job for the articles that are not about SQL Server.
    other = index.triage("Port is Busy: All pipe instances are busy. (seen in sqlcmd)")
    assert other.candidates[0].decided("cap:foreign-marker")


def test_candidates_capped_alike_keep_the_order_of_their_evidence():
    # Both articles quote the error; "zeta" quotes all of it, "alpha" only its start.
    zeta = ArticleSpec(
        slug="zeta",
        title="Scheduler queue stalled",
        error_texts=("QuotaKeeper::reserve failed: the ledger partition is sealed",),
    )
    alpha = ArticleSpec(
        slug="alpha",
        title="Reservation refused",
        error_texts=("QuotaKeeper::reserve failed",),
    )
    kb = Index.build([alpha, zeta], [])
    paste = "QuotaKeeper::reserve failed: the ledger partition is sealed"
    assert top(kb.triage(paste))[0] == ("zeta", "high")
    capped = kb.triage(f"{paste}\nTraceback (most recent call last):")
    assert top(capped)[:2] == [("zeta", "low"), ("alpha", "low")]
    assert capped.candidates[0].score > capped.candidates[1].score


def test_a_build_log_carries_the_errors_of_the_tools_it_runs(index):
    # An Azure Pipelines log is where the error was written, not whose error it is: it
    # caps at medium, as a named product does, not at low as another platform's error.
    specific = (
        "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"
    )
    logged = index.triage(f"2023-08-29T18:06:42.2867270Z ##[error]{specific}").candidates[0]
    assert (logged.article, logged.confidence) == ("linkage", "medium")
    assert logged.decided("cap:foreign-marker")


def test_frames_run_onto_the_messages_line_are_frames_too(index):
    specific = (
        "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"
    )
    flattened = index.triage(f"{specific}, at Acme.Scheduler.Client.Submit(Job job)")
    assert flattened.candidates[0].decided("cap:foreign-code")
    assert flattened.candidates[0].confidence == "medium"
    # Words after "at" in a sentence are no frame.
    told = index.triage(f"{specific} at Acme.Scheduler we looked at it (twice)")
    assert not told.candidates[0].decided("cap:foreign-code")


NO_BUFFERS = (
    "An operation on a socket could not be performed because the system lacked sufficient "
    "buffer space or because a queue was full."
)


def _no_buffers(slug, title, products):
    return ArticleSpec(slug=slug, title=title, products=products, error_texts=(NO_BUFFERS,))


def test_the_windows_error_an_articles_title_names_is_medium_alone():
    windows = _no_buffers(
        "ports", "WSAENOBUFS (10055): ephemeral port exhaustion", ("Windows", "Windows Server")
    )
    index = Index.build([windows, IPC], [])
    candidate = index.triage(f"System.Net.Sockets.SocketException: {NO_BUFFERS}").candidates[0]
    assert (candidate.article, candidate.confidence) == ("ports", "medium")
    [cap] = [d for d in candidate.decisions if d.rule == "cap:generic-only"]
    assert cap.effect == "at most medium" and "title" in cap.detail


def test_a_standard_message_stays_low_for_a_product_or_an_untitled_error():
    product = _no_buffers("acme", "WSAENOBUFS (10055) in Acme Sync", ("Acme Sync",))
    untitled = _no_buffers("slow", "Slow sign-in on a busy server", ("Windows Server",))
    for article in (product, untitled):
        index = Index.build([article, IPC], [])
        candidate = index.triage(f"System.Net.Sockets.SocketException: {NO_BUFFERS}").candidates[0]
        assert (candidate.article, candidate.confidence) == (article.slug, "low"), article.slug


def test_another_platform_meets_the_windows_error_an_article_is_about():
    windows = _no_buffers("ports", "WSAENOBUFS (10055): port exhaustion", ("Windows",))
    product = _no_buffers("acme", "WSAENOBUFS (10055) in Acme Sync", ("Acme Sync",))
    python = (
        "Traceback (most recent call last):\n"
        '  File "relay.py", line 12, in <module>\n'
        "    s.connect((host, port))\n"
        f"OSError: [WinError 10055] {NO_BUFFERS}"
    )
    candidate = Index.build([windows, IPC], []).triage(python).candidates[0]
    assert (candidate.article, candidate.confidence) == ("ports", "medium")
    assert any(e.kind == "foreign" and e.weight < 0 for e in candidate.evidence)
    candidate = Index.build([product, IPC], []).triage(python).candidates[0]
    assert (candidate.article, candidate.confidence) == ("acme", "low")


def test_a_products_own_code_in_its_title_is_medium_beside_a_product_a_post_mentions():
    listing = ArticleSpec(
        slug="listing",
        title='IIS "HTTP Error 403.14 - Forbidden": directory listing denied',
        products=("Internet Information Services",),
        error_texts=("HTTP Error 403.14 - Forbidden",),
    )
    index = Index.build([listing, IPC], [])
    post = "I keep getting 403.14 errors, though it runs fine in IIS Express from Visual Studio"
    candidate = index.triage(post).candidates[0]
    assert (candidate.article, candidate.confidence) == ("listing", "medium")
    assert candidate.decided("cap:foreign-marker")
    # The same code in the title of an article of another product is only its symptom.
    elsewhere = ArticleSpec(
        slug="elsewhere",
        title='Acme Portal: "HTTP Error 403.14 - Forbidden" after an upgrade',
        products=("Acme Portal",),
        error_texts=("HTTP Error 403.14 - Forbidden",),
    )
    candidate = Index.build([elsewhere, IPC], []).triage(post).candidates[0]
    assert (candidate.article, candidate.confidence) == ("elsewhere", "low")


def test_an_hresult_of_its_own_in_a_title_is_the_articles_subject():
    def feature(title):
        return ArticleSpec(
            slug="feature",
            title=title,
            products=("OpenSSH for Windows",),
            error_texts=("Add-WindowsCapability failed. Error code = 0x800f0954",),
        )

    paste = "The install stopped with error 0x800F0954 again."
    titled = Index.build([feature("OpenSSH install fails: 0x800F0954"), IPC], []).triage(paste)
    assert top(titled)[0] == ("feature", "medium")
    untitled = Index.build([feature("OpenSSH will not install"), IPC], []).triage(paste)
    assert top(untitled)[0] == ("feature", "low")
    # A Win32 error wrapped in an HRESULT is every program's: a symptom of the product.
    denied = ArticleSpec(
        slug="denied",
        title="Acme Sync: 0x80070005 (Access is denied) after an upgrade",
        products=("Acme Sync",),
        error_texts=("Access is denied. (Exception from HRESULT: 0x80070005)",),
    )
    result = Index.build([denied, IPC], []).triage("Access is denied. 0x80070005")
    assert all(c.confidence == "low" for c in result.candidates)
