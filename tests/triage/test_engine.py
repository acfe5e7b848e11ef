"""The engine on small hand-made knowledge bases: each test shows one behaviour."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.engine import (
    MAX_PASTE,
    ArticleSpec,
    CauseSpec,
    Index,
    SignatureSpec,
    derive_signatures,
)

IPC = ArticleSpec(
    slug="ipc",
    title="IPC port busy",
    products=("Content Studio",),
    error_texts=("RemotingException: Port is Busy: All pipe instances are busy.",),
)
LINKAGE = ArticleSpec(
    slug="linkage",
    title="LinkAge pipes",
    products=("Exchange Server",),
    error_texts=(
        "control(01ba) 1 00001:Operating system error {WIN32:231(All pipe instances are busy.)}"
        " from NPServer::create\n"
        "control(01ba) 1 01054:Error {An unknown error condition has occurred}: "
        "Could not create the named pipe server object",
    ),
)
PORT_SHARING = ArticleSpec(
    slug="port-sharing",
    title="Leaked socket",
    error_texts=(
        "Log Name:      System\nSource:        SMSvcHost 3.0.0.0\nDate:  2/3/2010 3:18:25 PM\n"
        "Event ID:      8\nDescription:  An error occurred while dispatching a duplicated socket:"
        " this handle is now leaked in the process.\nProcess Name: SMSvcHost",
    ),
)
RECYCLING = ArticleSpec(
    slug="recycling",
    title="Overlapped recycling",
    products=("EPiServer CMS",),
    error_texts=(
        "System.ServiceModel.AddressAlreadyInUseException: There is already a listener on IP "
        "endpoint 0.0.0.0:5000. ---> System.Net.Sockets.SocketException: Only one usage of each"
        " socket address (protocol/network address/port) is normally permitted",
        "The TransportManager failed to listen on the supplied URI using the NetTcpPortSharing "
        "service: the URI is already registered with the service",
    ),
    causes=(
        CauseSpec("overlapped-recycling", "Overlapped recycling"),
        CauseSpec("shared-endpoint", "Two sites on one endpoint"),
    ),
)
ONLY_ONE_USAGE = (
    "Only one usage of each socket address (protocol/network address/port) is normally permitted"
)
EDITOR_SIGNATURES = (
    SignatureSpec("recycling", "context", "w3wp.exe"),
    SignatureSpec("recycling", "context", "net.tcp"),
    SignatureSpec("recycling", "context", "application pool", cause="overlapped-recycling"),
    SignatureSpec(
        "recycling",
        "phrase",
        "the URI is already registered with the service",
        2,
        "shared-endpoint",
    ),
    SignatureSpec("linkage", "process", "Lsmain.exe"),
)


@pytest.fixture(scope="module")
def index():
    return Index.build([IPC, LINKAGE, PORT_SHARING, RECYCLING], EDITOR_SIGNATURES)


def top(result):
    return [(c.article, c.confidence) for c in result.candidates]


def evidence_of(result, slug):
    return next(c for c in result.candidates if c.article == slug).evidence


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


def test_shared_message_counts_less_than_a_distinctive_phrase(index):
    shared = index.triage("All pipe instances are busy.").candidates[0].score
    own = index.triage("from NPServer::create").candidates[0].score
    assert own > shared


def test_evidence_counts_less_when_more_articles_share_it():
    alone = Index.build([IPC, RECYCLING], []).triage("All pipe instances are busy.")
    shared = Index.build([IPC, LINKAGE, RECYCLING], []).triage("All pipe instances are busy.")

    def weight(result):
        return next(e.weight for e in evidence_of(result, "ipc") if e.kind == "code")

    assert weight(alone) > weight(shared)


def test_code_in_any_spelling_matches_the_articles_code(index):
    for spelling in ("0x800700E7", "ERROR_PIPE_BUSY", "error 231", "WIN32:231"):
        result = index.triage(f"failed: {spelling}")
        assert {c.article for c in result.candidates} == {"ipc", "linkage"}, spelling
        assert result.codes and result.codes[0].code.key == "win32:231"


def test_localized_standard_message_counts_as_its_code(index):
    result = index.triage("Alle Pipeinstanzen sind ausgelastet.")
    assert {c.article for c in result.candidates} == {"ipc", "linkage"}
    assert [h.code.key for h in result.codes] == ["win32:231"]


def test_event_source_and_id_in_every_layout(index):
    for text in (
        "Source:        SMSvcHost 4.0.0.0\nDate: 1/1/2020\nEvent ID:      8\nLevel: Error",
        "smsvchost event id 8 again today",
        "we get event 8 from SMSvcHost every night",
    ):
        result = index.triage(text)
        assert top(result)[0] == ("port-sharing", "high"), text
        assert any(e.kind == "event" for e in result.candidates[0].evidence)


def test_event_id_under_localized_labels_and_in_the_xml_view(index):
    for text in (
        "Quelle:        SMSvcHost 4.0.0.0\nEreignis-ID:   8\nEbene:         Fehler",
        "Source :       SMSvcHost 4.0.0.0\nID de l'\u00e9v\u00e9nement :8",
        "Origen:        SMSvcHost 3.0.0.0\nId. del evento:8",
        '<Provider Name="SMSvcHost 4.0.0.0" />\n<EventID Qualifiers="49155">8</EventID>',
    ):
        result = index.triage(text)
        assert top(result)[0] == ("port-sharing", "high"), text
        assert [e.match for e in result.candidates[0].evidence if e.kind == "event"][1:], text
    assert index.triage("Quelle: SMSvcHost 4.0.0.0\nEreignis-ID: 5").candidates == []


def test_event_source_with_another_id_is_not_the_event(index):
    result = index.triage("Source: SMSvcHost 4.0.0.0\nEvent ID: 5\nThe service started.")
    assert result.candidates == [] or result.candidates[0].confidence == "low"


def test_exception_simple_name_matches_qualified_and_other_namespace_does_not(index):
    for text, matches in (
        ("AddressAlreadyInUseException: boom", True),
        ("System.ServiceModel.AddressAlreadyInUseException: boom", True),
        ("Other.Library.AddressAlreadyInUseException: boom", False),
    ):
        result = index.triage(text)
        kinds = [e.kind for c in result.candidates for e in c.evidence]
        assert ("exception" in kinds) is matches, text


def test_exception_chain_across_inner_marker(index):
    chained = index.triage(
        "System.ServiceModel.AddressAlreadyInUseException: x"
        " ---> System.Net.Sockets.SocketException: y"
    )
    unchained = index.triage(
        "System.Net.Sockets.SocketException: y\n"
        "later: System.ServiceModel.AddressAlreadyInUseException: x"
    )
    chain = [e for e in evidence_of(chained, "recycling") if " > " in e.signature]
    assert len(chain) == 2
    assert not [e for c in unchained.candidates for e in c.evidence if " > " in e.signature]


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


SOCKET_ERRORS = tuple(
    ArticleSpec(slug=f"socket-{n}", title=message, error_texts=(f"SocketException: {message}",))
    for n, message in enumerate(
        (
            "An existing connection was forcibly closed by the remote host",
            "A blocking operation was interrupted by a call to WSACancelBlockingCall",
            "No such host is known",
        )
    )
)
SETTING = "EPiServer CMS, right after the application pool recycled"


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


def test_process_name_counts_with_and_without_exe(index):
    for name in ("Lsmain.exe", "lsmain"):
        result = index.triage(f"{name} will not start: All pipe instances are busy.")
        assert top(result)[0][0] == "linkage", name
        assert any(e.kind == "process" for e in result.candidates[0].evidence)


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


def test_cause_level_evidence_proves_its_cause(index):
    result = index.triage(
        "The TransportManager failed to listen on the supplied URI using the NetTcpPortSharing "
        "service: the URI is already registered with the service."
    )
    candidate = result.candidates[0]
    assert (candidate.article, candidate.confidence) == ("recycling", "high")
    assert candidate.proven_cause == "shared-endpoint"
    assert (
        candidate.cause_scores["shared-endpoint"] > candidate.cause_scores["overlapped-recycling"]
    )


def test_context_for_a_cause_raises_its_score_but_proves_nothing(index):
    result = index.triage(
        "Only one usage of each socket address (protocol/network address/port) is normally "
        "permitted, right after the application pool recycled"
    )
    candidate = result.candidates[0]
    assert candidate.cause_scores["overlapped-recycling"] > 0
    assert candidate.cause_scores["shared-endpoint"] == 0
    assert candidate.proven_cause is None


def test_unrelated_paste_abstains(index):
    for text in (
        "",
        "   ",
        "my printer is out of paper",
        "The system cannot find the file specified.",
    ):
        result = index.triage(text)
        assert result.abstained, text
        assert all(c.confidence == "low" for c in result.candidates)


def test_close_candidates_are_not_high():
    twin = ArticleSpec(slug="twin", title="Twin", error_texts=LINKAGE.error_texts)
    index = Index.build([LINKAGE, twin], [])
    result = index.triage(LINKAGE.error_texts[0])
    assert {c.article for c in result.candidates} == {"linkage", "twin"}
    assert {c.confidence for c in result.candidates} == {"medium"}
    assert not result.abstained


def test_editor_exclusion_removes_a_derived_signature():
    derived = derive_signatures(LINKAGE)
    assert SignatureSpec("linkage", "phrase", "from NPServer::create") in derived
    index = Index.build(
        [LINKAGE], [SignatureSpec("linkage", "phrase", "From NPServer::create.", excluded=True)]
    )
    result = index.triage("trace: from NPServer::create")
    assert not [
        e for c in result.candidates for e in c.evidence if "npserver" in e.signature.lower()
    ]


def test_editor_weight_overrides_the_derived_signature():
    plain = Index.build([LINKAGE], []).triage("from NPServer::create")
    heavier = Index.build(
        [LINKAGE], [SignatureSpec("linkage", "phrase", "from NPServer::create", 3)]
    )
    assert heavier.triage("from NPServer::create").candidates[0].score > plain.candidates[0].score


def test_pattern_signature_is_evidence(index):
    idx = Index.build(
        [LINKAGE], [SignatureSpec("linkage", "pattern", r"control\([0-9a-f]{4}\) \d")]
    )
    result = idx.triage("CONTROL(02c4) 3 ended")
    assert [e.kind for e in result.candidates[0].evidence] == ["pattern"]
    assert result.candidates[0].evidence[0].match == "CONTROL(02c4) 3"


def test_derived_signatures_cut_variable_parts_and_find_codes_events_exceptions():
    derived = {
        (s.kind, s.value) for s in derive_signatures(LINKAGE) + derive_signatures(PORT_SHARING)
    }
    assert ("phrase", "from NPServer::create") in derived
    assert ("phrase", "Could not create the named pipe server object") in derived
    assert ("code", "win32:231") in derived
    assert ("event", "SMSvcHost:8") in derived
    assert ("process", "SMSvcHost") in derived
    assert not [v for k, v in derived if k == "phrase" and ("01ba" in v or "2010" in v)]
    chain = {(s.kind, s.value) for s in derive_signatures(RECYCLING)}
    assert (
        "exception",
        "System.ServiceModel.AddressAlreadyInUseException > System.Net.Sockets.SocketException",
    ) in chain
    assert ("phrase", "There is already a listener on IP endpoint") in chain


def test_framework_argument_lists_are_not_derived_as_phrases():
    article = ArticleSpec(
        slug="pipe-trace",
        title="Pipe trace",
        error_texts=(
            "System.IO.PipeException: There was an error reading from the pipe.\n"
            "   at System.ServiceModel.Channels.PipeConnection.OnAsyncReadComplete("
            "Boolean haveResult, Int32 error, Int32 numBytes)\n"
            "   at Fabrikam.Orders.OrderQueue.Drain(OrderBatch pendingBatch)",
        ),
    )
    phrases = [s.value for s in derive_signatures(article) if s.kind == "phrase"]
    assert not [p for p in phrases if "haveResult" in p or "numBytes" in p]
    assert [p for p in phrases if "pendingBatch" in p]  # application code still counts


def _weakly_placed_recycling():
    """RECYCLING with the technology words weighted down, as the shipped article has them."""
    signatures = [
        SignatureSpec("recycling", "context", "net.tcp", 0.5),
        SignatureSpec("recycling", "context", "netTcpBinding", 0.5),
        SignatureSpec("recycling", "context", "SocketConnectionListener", 0.5),
        SignatureSpec("recycling", "context", "EPiServer", 2),
        SignatureSpec("recycling", "context", "application pool", cause="overlapped-recycling"),
    ]
    return Index.build([IPC, LINKAGE, PORT_SHARING, RECYCLING], signatures)


def test_weak_context_words_do_not_add_up_to_a_lift():
    index = _weakly_placed_recycling()
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


def _ipc_index():
    """IPC and LINKAGE with IPC's signatures weighted as the shipped article has them."""
    signatures = [
        SignatureSpec("ipc", "phrase", "Port is Busy", 2),
        SignatureSpec("ipc", "context", "System.Runtime.Remoting.Channels.Ipc", 2),
    ]
    return Index.build([IPC, LINKAGE], signatures)


def test_a_localized_detail_with_the_articles_code_is_not_another_detail():
    index = _ipc_index()

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


def test_frames_of_another_application_cap_the_article_at_medium():
    index = _ipc_index()
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


def test_framework_names_never_lift_to_high():
    index = _ipc_index()
    generic = "System.Runtime.Remoting.RemotingException: All pipe instances are busy."
    frames = "\n   at System.Runtime.Remoting.Channels.Ipc.IpcPort.Connect(String portName)"
    assert top(index.triage(generic))[0] == ("ipc", "low")
    assert top(index.triage(generic + frames))[0] == ("ipc", "medium")
    assert top(index.triage(generic + frames + "\nContent Studio admin site"))[0] == ("ipc", "high")


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


def test_a_product_name_run_together_is_the_product(index):
    message = (
        "System.Runtime.Remoting.RemotingException: Port is Busy: All pipe instances are busy."
    )
    for where in ("at ContentStudio.Web.Proxy.Call()", "our contentstudio admin site"):
        candidate = index.triage(f"{message}\n{where}").candidates[0]
        assert [e.match for e in candidate.evidence if e.kind == "product"], where


IPC_PORT = ArticleSpec(
    slug="ipc-port",
    title="IPC port not found",
    products=("Content Studio",),
    error_texts=(
        "RemotingException: Failed to connect to an IPC Port: "
        "The system cannot find the file specified.",
    ),
)


def _phrase_evidence(result, value):
    return [
        e
        for c in result.candidates
        for e in c.evidence
        if e.signature == f"phrase:{value}" and e.weight > 0
    ]


def test_a_misspelt_word_still_finds_its_phrase_with_less_weight():
    index = Index.build([IPC_PORT, LINKAGE, RECYCLING], [])
    phrase = "Failed to connect to an IPC Port"
    [right] = _phrase_evidence(index.triage(phrase), phrase)
    for typo in ("conect", "connnect", "conmect", "cnonect", "connec"):
        text = f"Failed to {typo} to an IPC Port"
        [wrong] = _phrase_evidence(index.triage(text), phrase)
        assert wrong.match == text, typo
        assert 0 < wrong.weight < right.weight, typo


def test_words_further_off_or_close_to_no_phrase_are_not_corrected():
    index = Index.build([IPC_PORT, LINKAGE, RECYCLING], [])
    phrase = "Failed to connect to an IPC Port"
    for text in (
        "Failed to collect to an IPC Port",  # two letters off
        "Failed to contact the IPC Port",  # another word
    ):
        assert not _phrase_evidence(index.triage(text), phrase), text
    # Two corrections need a phrase of six words; one needs three.
    assert _phrase_evidence(index.triage("it is normaly permitted"), "is normally permitted")
    assert not _phrase_evidence(index.triage("it is normaly permited"), "is normally permitted")


def test_can_not_reads_as_cannot():
    index = Index.build([IPC_PORT, LINKAGE, RECYCLING], [])
    text = "Failed to connect to an IPC Port: The system can not find the file specified"
    result = index.triage(text)
    assert [h.code.key for h in result.codes] == ["win32:2"]
    assert result.codes[0].spelling == "The system can not find the file specified"


def test_swedish_and_french_messages_count_as_their_codes(index):
    swedish = index.triage(
        "Endast en anv\u00e4ndning av varje socketadress (protokoll/n\u00e4tverksadress/port)"
        " \u00e4r normalt till\u00e5ten"
    )
    french = index.triage("Toutes les instances de canal de communication sont occup\u00e9es.")
    assert [h.code.key for h in swedish.codes] == ["winsock:10048"]
    assert [h.code.key for h in french.codes] == ["win32:231"]


def test_same_input_same_answer(index):
    text = "Port is Busy: All pipe instances are busy. w3wp.exe 0x800700E7 SMSvcHost event 8"
    assert index.triage(text) == index.triage(text)
    rebuilt = Index.build([IPC, LINKAGE, PORT_SHARING, RECYCLING], EDITOR_SIGNATURES)
    assert rebuilt.triage(text) == index.triage(text)


def test_paste_longer_than_the_limit_is_cut(index):
    text = "x" * MAX_PASTE + " from NPServer::create"
    assert index.triage(text).candidates == []


words = st.sampled_from(
    [
        "All pipe",
        "instances are busy.",
        "NPServer::create",
        "\n> ",
        "w3wp.exe",
        "SMSvcHost",
        "event id 8",
        "0x800700E7",
        "&quot;",
        "docker",
        "\u2019",
        "  ",
        "\n",
        "Port is Busy",
        "net.tcp",
        "x",
        "conect",
        "can not",
        "AcmeTray.exe",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, max_size=25).map(" ".join) | st.text(max_size=120))
def test_every_evidence_span_is_inside_the_paste_and_matches_it(text):
    index = _shared_index()
    result = index.triage(text)
    for candidate in result.candidates:
        assert 0 <= candidate.score <= 1
        assert candidate.confidence in ("high", "medium", "low")
        for e in candidate.evidence:
            assert 0 <= e.start < e.end <= len(text)
            assert e.match == text[e.start : e.end]
    assert result.abstained == (not any(c.confidence != "low" for c in result.candidates))


_INDEX = []


def _shared_index():
    if not _INDEX:
        _INDEX.append(Index.build([IPC, LINKAGE, PORT_SHARING, RECYCLING], EDITOR_SIGNATURES))
    return _INDEX[0]


def test_an_inflected_english_word_is_not_read_as_a_misspelling():
    index = Index.build([IPC_PORT, LINKAGE, RECYCLING], [])
    phrase = "Could not create the named pipe server object"
    assert _phrase_evidence(index.triage(phrase), phrase)
    # "served" is "serve" + "d", not a misspelt "server", however often a log says it.
    log = "\n".join(["Could not create the named pipe served object"] + ["request served"] * 50)
    assert not _phrase_evidence(index.triage(log), phrase)


PARAPHRASE = (
    "The System log has an SMSvcHost error: a duplicated socket could not be dispatched"
    " and the handle is leaked."
)


def test_a_paraphrase_of_an_error_finds_its_article_at_medium(index):
    result = index.triage(PARAPHRASE)
    [candidate] = result.candidates
    assert (candidate.article, candidate.confidence) == ("port-sharing", "medium")
    assert {e.match for e in candidate.evidence} == {
        "SMSvcHost",
        "duplicated",
        "dispatched",
        "leaked",
    }
    assert all(e.kind == "word" for e in candidate.evidence)
    # Other forms of the same words, as far apart as a sentence or two, do as well.
    other_forms = (
        "smsvchost again. We think it is dispatching sockets that were duplicated,"
        " and every time one handle leaks."
    )
    assert [(c.article, c.confidence) for c in index.triage(other_forms).candidates] == [
        ("port-sharing", "medium")
    ]


def test_a_paraphrase_is_never_more_than_weak_evidence(index):
    # Two words are not a description; nor are words far apart in a long post.
    assert not index.triage("SMSvcHost leaked a handle").candidates
    far = "SMSvcHost dispatched it. " + "Nothing else to say here. " * 30 + "It leaked, duplicated."
    assert not index.triage(far).candidates
    # Everyday words the article happens to use, with no name of its own, are low.
    [plain] = index.triage("The dispatcher leaked memory and duplicated the jobs.").candidates
    assert plain.confidence == "low"
    # Another product in the paste, or an answer from the error itself, keeps it low.
    [beside] = index.triage(PARAPHRASE + " We run it under Node.js.").candidates
    assert beside.confidence == "low"
    assert any(e.kind == "foreign" and e.weight < 0 for e in beside.evidence)
    quoted = index.triage(PARAPHRASE + "\nPort is Busy: All pipe instances are busy.")
    assert quoted.candidates[0].article == "ipc"
    assert [c.confidence for c in quoted.candidates if c.article == "port-sharing"] == ["low"]


def test_a_post_telling_of_trouble_in_the_articles_own_setting_finds_it_at_medium(index):
    post = (
        "Since the application pool of our EPiServer CMS site recycles every night, "
        "the calls over net.tcp fail until morning."
    )
    [candidate] = index.triage(post).candidates
    assert (candidate.article, candidate.confidence) == ("recycling", "medium")
    assert {(e.kind, e.match) for e in candidate.evidence} == {
        ("context", "application pool"),
        ("product", "EPiServer CMS"),
        ("context", "net.tcp"),
    }


def test_the_articles_setting_without_trouble_or_beside_its_error_is_no_description(index):
    fine = "The application pool of our EPiServer CMS site recycled; net.tcp calls work fine."
    assert index.triage(fine).candidates == []
    no_problem = "EPiServer CMS on net.tcp, application pool recycled nightly: no problem so far."
    assert index.triage(no_problem).candidates == []
    # Trouble the post only supposes, away from the setting, is not trouble with it.
    watch = (
        "We watch the application pool of our EPiServer CMS site and net.tcp. "
        "All works; we only want an alert when it fails."
    )
    assert index.triage(watch).candidates == []
    # Two pieces of the setting are not enough to describe the article.
    assert index.triage("EPiServer CMS on net.tcp fails every night.").candidates == []
    # Another product in the post keeps it low; so does an error code of another error.
    post = "The application pool of our EPiServer CMS site recycles and net.tcp calls fail."
    assert top(index.triage(post)) == [("recycling", "medium")]
    [beside] = index.triage(f"{post} The client is a Node.js script.").candidates
    assert beside.confidence == "low"
    [refused] = index.triage(f"{post} The log says WSAECONNREFUSED (10061).").candidates
    assert refused.confidence == "low"
    assert [e.match for e in refused.evidence if e.weight < 0] == ["WSAECONNREFUSED"]
    own_code = index.triage(f"{post} The log says WSAEADDRINUSE (10048).")
    assert top(own_code)[0] == ("recycling", "high")


def test_a_description_needs_the_articles_own_name_and_trouble_told_of_it():
    setting = [
        SignatureSpec("recycling", "context", "application pool", cause="overlapped-recycling"),
        SignatureSpec("recycling", "context", "net.tcp"),
        SignatureSpec("recycling", "context", "remote events"),
    ]
    index = Index.build([IPC, RECYCLING, *SOCKET_ERRORS], setting)
    told = "after the application pool recycle the remote events over net.tcp are lost"
    [candidate] = index.triage(f"EPiServer CMS: {told}").candidates
    assert candidate.confidence == "medium"
    # The cause its context belongs to is asked about first.
    assert (
        candidate.cause_scores["overlapped-recycling"] > candidate.cause_scores["shared-endpoint"]
    )
    # The same words about another product are not the article, even where the paste
    # names the article elsewhere, away from the trouble.
    assert index.triage(f"Umbraco: {told}").candidates == []
    assert index.triage(f"Umbraco: {told}. We left EPiServer CMS last year.").candidates == []
    # Trouble told after many calm mentions still counts.
    calm = "EPiServer CMS with its application pool and remote events over net.tcp runs fine.\n"
    assert top(index.triage(calm * 9 + f"EPiServer CMS: {told}")) == [("recycling", "medium")]
    notes = ("EPiServer CMS release notes, see the changelog.\n" + "x " * 250 + "\n") * 8
    assert top(index.triage(notes + f"EPiServer CMS: {told}")) == [("recycling", "medium")]
    # ... but trouble told of it in one place and its setting in another are not.
    elsewhere = (
        "Our old EPiServer CMS site crashed last week (disk full).\n" + "y " * 300 + "\nNew"
        " site: EPiServer CMS with application pool recycle and remote events over net.tcp."
    )
    assert index.triage(elsewhere).candidates == []
    # A supposition reaches to the end of its sentence and no further; trouble told as
    # past is a report, whatever asks about it.
    report = "EPiServer CMS: after the application pool recycle the remote events over net.tcp"
    for text in (
        f"Our monitoring e-mails us when a site fails. Last night {report} failed.",
        f"Nagios warned us when {report} failed.",
    ):
        assert top(index.triage(text)) == [("recycling", "medium")], text
    supposed = (
        "We want an alert if the remote events of EPiServer CMS over net.tcp hang after the"
        " application pool recycle, or stop responding, or die."
    )
    assert index.triage(supposed).candidates == []
    # "When" or "if" alone suppose nothing: these are reports.
    when = "When I recycle the application pool of EPiServer CMS the remote events over net.tcp"
    assert top(index.triage(f"{when} fail"))[0][0] == "recycling"
    for trouble in ("is down", "keeps stopping", "crashes when I start it"):
        told_so = f"EPiServer CMS {trouble} after the application pool recycle; remote events"
        assert top(index.triage(told_so + " over net.tcp"))[0][0] == "recycling", trouble
    # A subject line is a sentence of its own; so are words that only look like trouble.
    subject = (
        "Subject: EPiServer CMS, application pool, remote events, net.tcp\nThe printer is broken"
    )
    assert index.triage(subject).candidates == []
    for calm in (
        "The deadline for EPiServer CMS is Friday; the application pool and remote events"
        " over net.tcp were issued new settings.",
        "EPiServer CMS, application pool recycle, remote events over net.tcp: works without"
        " any problem.",
        "EPiServer CMS has never crashed after an application pool recycle; remote events"
        " over net.tcp are error-free.",
        "We want an alert when EPiServer CMS fails after the application pool recycle of"
        " the remote events site on net.tcp.",
    ):
        assert index.triage(calm).candidates == [], calm
    # An exception with another message turns the article down; a description of the
    # same paste does not bring it back.
    refused = (
        f"EPiServer CMS: {told}. SocketException: The socket was closed unexpectedly by the"
        " remote side"
    )
    assert index.triage(refused).candidates == []


def test_a_localized_message_completes_the_phrases_that_quote_it(index):
    english = index.triage("RemotingException: Port is Busy: All pipe instances are busy.")
    german = index.triage("RemotingException: Port is Busy: Alle Pipeinstanzen sind ausgelastet.")
    assert top(german) == top(english) == [("ipc", "medium"), ("linkage", "low")]
    assert [c.score for c in german.candidates] == [c.score for c in english.candidates]
    # The evidence points at the German words of the paste.
    quoted = [e.match for e in german.candidates[0].evidence if e.kind == "phrase"]
    assert "RemotingException: Port is Busy: Alle Pipeinstanzen sind ausgelastet" in quoted


def test_half_a_surrogate_pair_is_read_without_moving_any_offset():
    # Editors' patterns run on RE2, which refuses text that is not valid Unicode.
    pattern = SignatureSpec("linkage", "pattern", r"WIN32:\d+\(")
    index = Index.build([IPC, LINKAGE], [*EDITOR_SIGNATURES, pattern])
    text = (
        "\ud800 Operating system error {WIN32:231(All pipe instances are busy.)}"
        " from NPServer::create"
    )
    result = index.triage(text)
    assert top(result)[0] == ("linkage", "high")
    evidence = result.candidates[0].evidence
    assert any(e.match == "from NPServer::create" == text[e.start : e.end] for e in evidence)


def test_of_standard_messages_one_inside_another_the_longer_is_the_error(index):
    for text, key in (
        ("RPC failed: No more data is available from the RPC pipe.", "win32:1918"),
        ("The specified service does not exist as an installed service.", "win32:1060"),
    ):
        assert [hit.code.key for hit in index.triage(text).codes] == [key], text
