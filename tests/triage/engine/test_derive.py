"""Derivation: signatures from the articles' own error texts."""

from tests.triage.engine.kbs import (
    LINKAGE,
    PORT_SHARING,
    RECYCLING,
)
from triage.engine import (
    ArticleSpec,
    Index,
    derive_signatures,
)
from triage.engine.derive import product_aliases, setting_names


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


def _events(text):
    article = ArticleSpec(slug="a", title="A", error_texts=(text,))
    return sorted(s.value for s in derive_signatures(article) if s.kind == "event")


def test_an_event_is_derived_whichever_order_its_fields_come_in():
    assert _events("Source: WAS\nEvent ID: 5002\nLevel: Error") == ["WAS:5002"]
    assert _events("ID: 5002\nLevel: Error\nSource: WAS") == ["WAS:5002"]
    assert _events("Event Type: Warning\nEvent Source: W3SVC\nEvent ID: 1009") == ["W3SVC:1009"]
    assert _events("ProviderName : Microsoft-Windows-WAS\nId           : 5002") == ["WAS:5002"]
    # Each ID takes the nearest source: another block's source further up is not it.
    block = "Source: SMSvcHost\nEvent ID: 8\nDescription: ...\n\nID: 6408\nSource: Worker"
    assert _events(block) == ["SMSvcHost:8", "Worker:6408"]
    assert _events("Source: WAS\n" + "line\n" * 12 + "Event ID: 5002") == []


def test_the_settings_an_articles_text_names_are_its_context():
    article = ArticleSpec(
        slug="ports",
        title="Port exhaustion",
        error_texts=("No buffer space is available (WSAENOBUFS).",),
        text=(
            "Raise MaxUserPort under HKLM\\SYSTEM\\CurrentControlSet, or lower TcpTimedWaitDelay;"
            " grant SeServiceLogonRight to the account; restart sqlbrowser.exe."
            " System.Net.Sockets.Socket is the framework's, and WSAENOBUFS is the error."
        ),
    )
    names = setting_names(article)
    assert ("context", "MaxUserPort") in names
    assert ("context", "TcpTimedWaitDelay") in names
    assert ("context", "SeServiceLogonRight") in names
    assert ("process", "sqlbrowser.exe") in names
    values = {value for _, value in names}
    assert not any(v.startswith("System.") for v in values)  # the technology, not a setting
    assert "WSAENOBUFS" not in values  # the error itself is no context
    weights = {s.value: s.weight for s in derive_signatures(article) if s.kind == "context"}
    assert weights["MaxUserPort"] < 1  # named in passing: weaker than a product


def test_a_component_an_error_text_names_is_context_not_the_error():
    article = ArticleSpec(
        slug="locating",
        title="Error locating server/instance",
        error_texts=(
            "[Microsoft][SQL Server Native Client 11.0]SQL Server Network Interfaces: Error"
            " Locating Server/Instance Specified [xFFFFFFFF].",
            "A network-related error occurred (provider: Named Pipes Provider, error: 40)",
        ),
    )
    derived = {(s.kind, s.value) for s in derive_signatures(article)}
    assert ("context", "SQL Server Native Client") in derived
    assert ("context", "SQL Server Network Interfaces") in derived
    assert ("phrase", "SQL Server Native Client") not in derived
    # The message itself, in capitals as it is, stays the error.
    assert ("phrase", "Error Locating Server") in derived
    index = Index.build([article], [])
    assert index.triage("We connect with the SQL Server Native Client 11.0.").candidates == []


def test_report_headers_and_assembly_name_furniture_are_no_message():
    article = ArticleSpec(
        slug="transport",
        title="Back pressure",
        error_texts=(
            "Event Type: Error\nEvent Source: MSExchangeTransport\nEvent Category: Resource"
            " Manager\nEvent ID: 15004\nDescription: The resource pressure increased.",
            "Could not load file or assembly 'Acme.Web, Version=1.0.0.0, Culture=neutral,"
            " PublicKeyToken=null' or one of its dependencies.",
        ),
    )
    phrases = {s.value for s in derive_signatures(article) if s.kind == "phrase"}
    assert not any(p.startswith(("Event Type", "Event Source", "Event Category")) for p in phrases)
    assert not any("PublicKeyToken" in p for p in phrases)


def test_the_codes_a_title_names_are_the_articles_errors():
    rpc = ArticleSpec(
        slug="rpc",
        title='"The RPC server is unavailable" between computers: port 135 blocked',
        products=("Windows",),
        error_texts=("RPC server unavailable",),
    )
    codes = {s.value for s in derive_signatures(rpc) if s.kind == "code"}
    assert codes == {"win32:1722"}
    # So a paste that gives the error as its HRESULT finds the article, which is about it.
    index = Index.build([rpc, LINKAGE], [])
    result = index.triage("Creating the COM component failed: 0x800706BA")
    candidate = result.candidates[0]
    assert (candidate.article, candidate.confidence) == ("rpc", "medium")


def test_a_product_of_three_capitalised_words_is_also_written_by_its_initials():
    assert "WCF" in product_aliases("Windows Communication Foundation")
    assert "WSUS" in product_aliases("Microsoft Windows Server Update Services")
    for name in ("Active Directory", "Microsoft OLE DB Driver for SQL Server", "Content Studio"):
        assert not [a for a in product_aliases(name) if a.isupper()], name
    # Initials that spell a common English word are no name.
    assert product_aliases("Advanced Network Defense") == [
        "Advanced Network Defense",
        "AdvancedNetworkDefense",
    ]


def test_an_unlisted_code_in_an_article_finds_it():
    feature = ArticleSpec(
        slug="feature",
        title="Installing an optional feature fails with 0x800F0954",
        products=("Windows",),
        error_texts=("Add-WindowsCapability failed. Error code = 0x800f0954",),
    )
    assert "hresult:0x800F0954" in {s.value for s in derive_signatures(feature)}
    result = Index.build([feature, LINKAGE], []).triage("DISM failed: 0x800F0954")
    assert result.candidates and result.candidates[0].article == "feature"
