"""The evidence pass: codes, events, exceptions, names and messages found in a paste."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.triage.engine.kbs import (
    EDITOR_SIGNATURES,
    IPC,
    LINKAGE,
    PORT_SHARING,
    RECYCLING,
    evidence_of,
    top,
)
from triage.engine import (
    MAX_PASTE,
    ArticleSpec,
    Index,
    SignatureSpec,
)


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


def test_process_name_counts_with_and_without_exe(index):
    for name in ("Lsmain.exe", "lsmain"):
        result = index.triage(f"{name} will not start: All pipe instances are busy.")
        assert top(result)[0][0] == "linkage", name
        assert any(e.kind == "process" for e in result.candidates[0].evidence)


def test_pattern_signature_is_evidence(index):
    idx = Index.build(
        [LINKAGE], [SignatureSpec("linkage", "pattern", r"control\([0-9a-f]{4}\) \d")]
    )
    result = idx.triage("CONTROL(02c4) 3 ended")
    assert [e.kind for e in result.candidates[0].evidence] == ["pattern"]
    assert result.candidates[0].evidence[0].match == "CONTROL(02c4) 3"


def test_a_product_name_run_together_is_the_product(index):
    message = (
        "System.Runtime.Remoting.RemotingException: Port is Busy: All pipe instances are busy."
    )
    for where in ("at ContentStudio.Web.Proxy.Call()", "our contentstudio admin site"):
        candidate = index.triage(f"{message}\n{where}").candidates[0]
        assert [e.match for e in candidate.evidence if e.kind == "product"], where


def test_swedish_and_french_messages_count_as_their_codes(index):
    swedish = index.triage(
        "Endast en anv\u00e4ndning av varje socketadress (protokoll/n\u00e4tverksadress/port)"
        " \u00e4r normalt till\u00e5ten"
    )
    french = index.triage("Toutes les instances de canal de communication sont occup\u00e9es.")
    assert [h.code.key for h in swedish.codes] == ["winsock:10048"]
    assert [h.code.key for h in french.codes] == ["win32:231"]


def test_paste_longer_than_the_limit_is_cut(index):
    text = "x" * MAX_PASTE + " from NPServer::create"
    assert index.triage(text).candidates == []


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


def test_an_event_is_found_in_any_layout_of_its_source_and_id():
    was = ArticleSpec(
        slug="was",
        title="Application pool disabled",
        error_texts=(
            "ID: 5002\nSource: WAS\nApplication pool 'Pool' is being automatically "
            "disabled due to a series of failures in the process(es) serving that pool.",
        ),
    )
    index = Index.build([was, IPC], [])
    for paste in (
        "Log Name: System\nSource: Microsoft-Windows-WAS\nEvent ID: 5002\nLevel: Error",
        "ProviderName : Microsoft-Windows-WAS\nId           : 5002\nMessage : ...",
        "Event ID 5002 from WAS",
    ):
        result = index.triage(paste)
        assert [e.kind for e in evidence_of(result, "was")].count("event") == 2, paste
    # The source with another ID is not the event.
    assert not index.triage("Source: WAS\nEvent ID: 5186").candidates
