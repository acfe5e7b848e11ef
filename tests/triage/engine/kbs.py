"""Small hand-made knowledge bases the engine's stage tests share."""

from triage.engine import ArticleSpec, CauseSpec, Index, SignatureSpec

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


def top(result):
    return [(c.article, c.confidence) for c in result.candidates]


def evidence_of(result, slug):
    return next(c for c in result.candidates if c.article == slug).evidence


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


def weakly_placed_recycling():
    """RECYCLING with the technology words weighted down, as the shipped article has them."""
    signatures = [
        SignatureSpec("recycling", "context", "net.tcp", 0.5),
        SignatureSpec("recycling", "context", "netTcpBinding", 0.5),
        SignatureSpec("recycling", "context", "SocketConnectionListener", 0.5),
        SignatureSpec("recycling", "context", "EPiServer", 2),
        SignatureSpec("recycling", "context", "application pool", cause="overlapped-recycling"),
    ]
    return Index.build([IPC, LINKAGE, PORT_SHARING, RECYCLING], signatures)


def ipc_index():
    """IPC and LINKAGE with IPC's signatures weighted as the shipped article has them."""
    signatures = [
        SignatureSpec("ipc", "phrase", "Port is Busy", 2),
        SignatureSpec("ipc", "context", "System.Runtime.Remoting.Channels.Ipc", 2),
    ]
    return Index.build([IPC, LINKAGE], signatures)
