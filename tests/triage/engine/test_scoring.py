"""Scoring: one article's hits combined into its score and first confidence."""

from tests.triage.engine.kbs import (
    EDITOR_SIGNATURES,
    IPC,
    LINKAGE,
    ONLY_ONE_USAGE,
    PORT_SHARING,
    RECYCLING,
    SETTING,
    SOCKET_ERRORS,
    evidence_of,
    ipc_index,
    top,
    weakly_placed_recycling,
)
from triage.engine import (
    ArticleSpec,
    Index,
    SignatureSpec,
)


def test_verbatim_distinctive_error_is_high(index):
    result = index.triage(
        "Operating system error {WIN32:231(All pipe instances are busy.)} from NPServer::create"
    )
    assert top(result)[0] == ("linkage", "high")
    assert not result.abstained


def test_message_shared_by_two_articles_is_ambiguous_and_not_high(index):
    result = index.triage("All pipe instances are busy.")
    assert {c.article for c in result.candidates[:2]} == {"ipc", "linkage"}
    assert "high" not in {c.confidence for c in result.candidates}


def test_generic_message_alone_is_at_most_medium_and_context_makes_it_high(index):
    message = f"System.Net.Sockets.SocketException: {ONLY_ONE_USAGE}"
    alone = index.triage(message)
    assert top(alone)[0][0] == "recycling" and top(alone)[0][1] in ("low", "medium")
    for context in (
        "w3wp.exe",
        "net.tcp binding",
        "EPiServer CMS",
        "after the application pool recycled",
    ):
        result = index.triage(f"{message}\n{context}")
        assert top(result)[0] == ("recycling", "high"), context


def test_context_alone_makes_no_candidate(index):
    assert (
        index.triage("w3wp.exe net.tcp EPiServer CMS Lsmain.exe application pool").candidates == []
    )


def test_a_common_exception_beside_the_articles_setting_is_a_candidate_but_not_high():
    # SocketException is in four articles: on its own it says too little to be a candidate.
    index = Index.build([IPC, RECYCLING, *SOCKET_ERRORS], EDITOR_SIGNATURES)
    assert index.triage("SocketException every minute").candidates == []
    # A forum post that names only the exception type, where the article applies.
    post = "After the application pool recycled, EPiServer CMS logs a SocketException every minute."
    assert top(index.triage(post))[0] == ("recycling", "medium")
    # Its message in a language the knowledge base does not have may be the article's.
    dutch = (
        "System.Net.Sockets.SocketException: Elk socketadres (protocol/netwerkadres/poort) "
        "kan normaal slechts één keer gebruikt worden"
    )
    assert top(index.triage(f"{dutch}\n{SETTING}"))[0] == ("recycling", "medium")


def test_a_common_exception_with_another_message_in_english_is_another_error(index):
    refused = (
        "System.Net.Sockets.SocketException (0x80004005): No connection could be made because "
        "the target machine actively refused it"
    )
    # Where SocketException is rare it is still a candidate, but no longer lifted by context.
    assert top(index.triage(f"{refused}\n{SETTING}"))[0] == ("recycling", "low")
    many = Index.build([IPC, RECYCLING, *SOCKET_ERRORS], EDITOR_SIGNATURES)
    assert many.triage(f"{refused}\n{SETTING}").candidates == []
    # The article's own message after the same type keeps it high.
    own = f"System.Net.Sockets.SocketException: {ONLY_ONE_USAGE}\n{SETTING}"
    assert top(many.triage(own))[0] == ("recycling", "high")


def test_a_common_exception_shows_another_error_in_every_spelling_of_it():
    many = Index.build([IPC, RECYCLING, *SOCKET_ERRORS], EDITOR_SIGNATURES)
    for other in (
        "SocketException (WSAECONNREFUSED) every minute",
        'a SocketException "No connection could be made because the target machine actively'
        ' refused it"',
        "Exception type: SocketException\n    Exception message: No connection could be made"
        " because the target machine actively refused it",
        "SocketException (0x80004005): The requested address is not valid in its context at"
        " System.Net.Sockets.Socket.DoBind(EndPoint endPointSnapshot)",
    ):
        assert many.triage(f"{SETTING}: {other}").candidates == [], other
    # The product's name alone is no setting: EPiServer has more products than the CMS.
    assert many.triage("EPiServer CMS: SocketException when connecting").candidates == []
    # The exception's name in quotes, or with an ending, is no message of another error.
    for named in ("'SocketException'", '"SocketException"', "SocketException's"):
        result = many.triage(f"{SETTING}: we see {named} in the log")
        assert top(result) == [("recycling", "medium")], named


def test_weak_context_words_do_not_add_up_to_a_lift():
    index = weakly_placed_recycling()
    message = f"System.Net.Sockets.SocketException: {ONLY_ONE_USAGE}"
    technology = index.triage(
        f"{message}\n   at System.ServiceModel.Channels.SocketConnectionListener.Listen()\n"
        "ServiceHost on net.tcp://localhost:808/Orders with a netTcpBinding"
    )
    assert top(technology)[0] == ("recycling", "low")
    for setting in ("EPiServer remote events", "right after the application pool recycled"):
        assert top(index.triage(f"{message}\n{setting}"))[0] == ("recycling", "high"), setting


def test_context_named_inside_the_message_is_not_context():
    article = ArticleSpec(slug="sharing", title="Port sharing endpoint")
    index = Index.build(
        [article, IPC],
        [
            SignatureSpec("sharing", "phrase", "could not be registered with SharingHost", 0.3),
            SignatureSpec("sharing", "context", "SharingHost"),
        ],
    )
    inside = index.triage("The endpoint could not be registered with SharingHost.")
    beside = index.triage(
        "The endpoint could not be registered with SharingHost. Seen on the SharingHost box."
    )
    assert top(inside) == [("sharing", "medium")]
    assert top(beside) == [("sharing", "high")]


def test_message_with_another_detail_after_the_colon_counts_as_generic(index):
    right = index.triage(
        "The TransportManager failed to listen on the supplied URI using the NetTcpPortSharing "
        "service: the URI is already registered with the service."
    )
    other = index.triage(
        "The TransportManager failed to listen on the supplied URI using the NetTcpPortSharing "
        "service: failed to start the service because it is disabled."
    )
    assert top(right)[0] == ("recycling", "high")
    candidate = other.candidates[0]
    assert candidate.article == "recycling" and candidate.confidence != "high"
    assert candidate.proven_cause is None


WRONG_PRINCIPAL = ArticleSpec(
    slug="wrong-principal",
    title="WinRM and a duplicate HTTP SPN",
    error_texts=(
        "Connecting to remote server failed with the following error message: WinRM cannot"
        " process the request. The following error with error code 0x80090322 occurred while"
        " using Kerberos authentication: An unknown security error occurred.",
    ),
)


def test_a_message_that_goes_on_with_another_detail_anchors_nothing_on_its_line():
    index = Index.build([WRONG_PRINCIPAL, IPC], [])
    own = index.triage(
        "WinRM cannot process the request. The following error with error code 0x80090322"
        " occurred while using Kerberos authentication: An unknown security error occurred."
    )
    assert top(own)[0] == ("wrong-principal", "high")
    other = index.triage(
        "WinRM cannot process the request. The following error with errorcode 0x8009030e"
        " occurred while using Kerberos authentication: A specified logon session does not exist."
    )
    candidate = other.candidates[0]
    assert (candidate.article, candidate.confidence) == ("wrong-principal", "medium")
    assert candidate.decided("diverging-line")
    # The same message on a line of its own, beside the other error, still anchors.
    beside = index.triage(
        "WinRM cannot process the request.\nThe following error with errorcode 0x8009030e"
        " occurred while using Kerberos authentication: A specified logon session does not exist."
    )
    assert top(beside)[0] == ("wrong-principal", "high")


def test_a_localized_detail_with_the_articles_code_is_not_another_detail():
    index = ipc_index()

    def weight_of_port_is_busy(text):
        evidence = evidence_of(index.triage(text), "ipc")
        return max(e.weight for e in evidence if e.signature == "phrase:Port is Busy")

    english = weight_of_port_is_busy(
        "RemotingException: Port is Busy: All pipe instances are busy."
    )
    german = weight_of_port_is_busy(
        "RemotingException: Port is Busy: Alle Pipeinstanzen sind ausgelastet."
    )
    other = weight_of_port_is_busy("RemotingException: Port is Busy: Access is denied.")
    assert german == english
    assert other < english


def test_framework_names_never_lift_to_high():
    index = ipc_index()
    generic = "System.Runtime.Remoting.RemotingException: All pipe instances are busy."
    frames = "\n   at System.Runtime.Remoting.Channels.Ipc.IpcPort.Connect(String portName)"
    assert top(index.triage(generic))[0] == ("ipc", "low")
    assert top(index.triage(generic + frames))[0] == ("ipc", "medium")
    assert top(index.triage(generic + frames + "\nContent Studio admin site"))[0] == ("ipc", "high")


def test_lift_and_anchor_leave_their_decisions(index):
    message = f"System.Net.Sockets.SocketException: {ONLY_ONE_USAGE}"
    lifted = index.triage(f"{message}\nright after the application pool recycled")
    candidate = lifted.candidates[0]
    assert (candidate.article, candidate.confidence) == ("recycling", "high")
    [lift] = [d for d in candidate.decisions if d.rule == "lift"]
    assert "context:application pool" in lift.detail
    assert not candidate.decided("anchor")

    specific = index.triage("from NPServer::create").candidates[0]
    assert specific.decided("anchor") and not specific.decided("lift")
    assert specific.decisions[-1].rule == "confidence"


def test_an_index_can_be_built_with_other_tuning(index):
    from dataclasses import replace

    from triage.engine import DEFAULT

    message = f"System.Net.Sockets.SocketException: {ONLY_ONE_USAGE}"
    paste = f"{message}\nright after the application pool recycled"
    assert top(index.triage(paste))[0] == ("recycling", "high")
    strict = replace(DEFAULT, confidence=replace(DEFAULT.confidence, context_lift=0.99))
    experiment = Index.build([IPC, LINKAGE, PORT_SHARING, RECYCLING], EDITOR_SIGNATURES, strict)
    assert top(experiment.triage(paste))[0] != ("recycling", "high")
    assert not experiment.triage(paste).candidates[0].decided("lift")
