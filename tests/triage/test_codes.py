import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage import codes

PIPE_BUSY = "All pipe instances are busy."
ADDR_IN_USE = (
    "Only one usage of each socket address (protocol/network address/port) is normally permitted."
)


def keys(text):
    return [hit.code.key for hit in codes.find_codes(text)]


def only_hit(text):
    hits = codes.find_codes(text)
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize(
    "token",
    [
        "231",
        "0xE7",
        "0xe7",
        "0x000000E7",
        "0x800700E7",
        "WIN32:231",
        "win32:231",
        "ERROR_PIPE_BUSY",
        "STATUS_PIPE_BUSY",
        "0xC00000AE",
        "STATUS_INSTANCE_NOT_AVAILABLE",
        PIPE_BUSY,
        "all pipe   instances are BUSY",
    ],
)
def test_every_spelling_of_pipe_busy_looks_up_one_error(token):
    code = codes.lookup(token)
    assert code.key == "win32:231"
    assert (code.system, code.value, code.name) == ("Win32", 231, "ERROR_PIPE_BUSY")
    assert code.message == PIPE_BUSY


@pytest.mark.parametrize(
    "token, key, name, message",
    [
        ("2", "win32:2", "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified."),
        ("ERROR_ACCESS_DENIED", "win32:5", "ERROR_ACCESS_DENIED", "Access is denied."),
        ("0x6D", "win32:109", "ERROR_BROKEN_PIPE", "The pipe has been ended."),
        ("232", "win32:232", "ERROR_NO_DATA", "The pipe is being closed."),
        (
            "No process is on the other end of the pipe.",
            "win32:233",
            "ERROR_PIPE_NOT_CONNECTED",
            "No process is on the other end of the pipe.",
        ),
        ("WAIT_TIMEOUT", "win32:258", "WAIT_TIMEOUT", "The wait operation timed out."),
        (
            "1460",
            "win32:1460",
            "ERROR_TIMEOUT",
            "This operation returned because the timeout period expired.",
        ),
        (
            "1053",
            "win32:1053",
            "ERROR_SERVICE_REQUEST_TIMEOUT",
            "The service did not respond to the start or control request in a timely fashion.",
        ),
        ("1067", "win32:1067", "ERROR_PROCESS_ABORTED", "The process terminated unexpectedly."),
        ("1326", "win32:1326", "ERROR_LOGON_FAILURE", "The user name or password is incorrect."),
        ("WSAEADDRINUSE", "winsock:10048", "WSAEADDRINUSE", ADDR_IN_USE),
        ("10048", "winsock:10048", "WSAEADDRINUSE", ADDR_IN_USE),
        (ADDR_IN_USE.rstrip("."), "winsock:10048", "WSAEADDRINUSE", ADDR_IN_USE),
        (
            "10061",
            "winsock:10061",
            "WSAECONNREFUSED",
            "No connection could be made because the target machine actively refused it.",
        ),
        ("E_FAIL", "hresult:0x80004005", "E_FAIL", "Unspecified error"),
        ("0x80004005", "hresult:0x80004005", "E_FAIL", "Unspecified error"),
        ("E_ACCESSDENIED", "win32:5", "ERROR_ACCESS_DENIED", "Access is denied."),
        ("-2147024891", "win32:5", "ERROR_ACCESS_DENIED", "Access is denied."),
        (
            "RPC_E_DISCONNECTED",
            "hresult:0x80010108",
            "RPC_E_DISCONNECTED",
            "The object invoked has disconnected from its clients.",
        ),
    ],
)
def test_lookup_gives_the_exact_name_and_message(token, key, name, message):
    code = codes.lookup(token)
    assert (code.key, code.name, code.message) == (key, name, message)


@pytest.mark.parametrize(
    "token", ["", "hello", "99999", "0x7FFE0000", "0x12345", "ERROR_NOPE", "-1"]
)
def test_lookup_of_something_that_is_no_code_is_none(token):
    assert codes.lookup(token) is None


@pytest.mark.parametrize(
    "text, spelling, how",
    [
        ("Windows system error 231: All pipes are busy", "231", "decimal"),
        ("failed with error 231.", "231", "decimal"),
        ("error code 231", "231", "decimal"),
        ("Win32 error 231", "231", "decimal"),
        ("Operating system error {WIN32:231} from NPServer::create", "WIN32:231", "decimal"),
        ("CreateNamedPipe failed, error 0xE7", "0xE7", "hex"),
        ("CreateFile failed with 0x000000E7", "0x000000E7", "hex"),
        ("Exception from HRESULT: 0x800700E7", "0x800700E7", "hresult"),
        ("NtCreateNamedPipeFile returned 0xC00000AE", "0xC00000AE", "ntstatus"),
        ("ConnectNamedPipe: ERROR_PIPE_BUSY", "ERROR_PIPE_BUSY", "symbol"),
        ("status STATUS_PIPE_BUSY from the driver", "STATUS_PIPE_BUSY", "symbol"),
        ("RemotingException: Port is Busy: All pipe instances are busy.", PIPE_BUSY, "message"),
        ("WARNING: ALL PIPE INSTANCES ARE BUSY", "ALL PIPE INSTANCES ARE BUSY", "message"),
    ],
)
def test_find_codes_reads_each_spelling_of_pipe_busy(text, spelling, how):
    hit = only_hit(text)
    assert (hit.spelling, hit.how, hit.code.key) == (spelling, how, "win32:231")
    assert text[hit.start : hit.end] == spelling


def test_a_message_wrapped_over_lines_is_found_with_its_original_span():
    text = "Operating system error {WIN32:231(All pipe\n  instances are busy.)} from NPServer"
    hits = codes.find_codes(text)
    assert [h.code.key for h in hits] == ["win32:231", "win32:231"]
    message = hits[1]
    assert message.how == "message"
    assert message.spelling == "All pipe\n  instances are busy."
    assert text[message.start : message.end] == message.spelling


def test_an_hresult_hit_says_what_it_wraps():
    hit = only_hit("Exception from HRESULT: 0x800700E7")
    assert hit.code.name == "ERROR_PIPE_BUSY"
    assert hit.wrapper.system == "HRESULT"
    assert hit.wrapper.value == 0x800700E7
    assert hit.wrapper.name == "HRESULT_FROM_WIN32(ERROR_PIPE_BUSY)"
    assert hit.wrapper.message == PIPE_BUSY


def test_a_named_hresult_keeps_its_name_as_the_wrapper():
    hit = only_hit("HRESULT 0x80070005")
    assert hit.code.key == "win32:5"
    assert (hit.wrapper.name, hit.wrapper.key) == ("E_ACCESSDENIED", "hresult:0x80070005")


def test_a_code_spelled_without_a_wrapper_has_none():
    assert only_hit("error 231").wrapper is None
    assert only_hit("ERROR_PIPE_BUSY").wrapper is None


def test_the_dotnet_decimal_and_hex_pair_is_one_error():
    text = "There was an error reading from the pipe: The pipe has been ended. (109, 0x6d)."
    hits = codes.find_codes(text)
    assert {h.code.key for h in hits} == {"win32:109"}
    assert {h.code.name for h in hits} == {"ERROR_BROKEN_PIPE"}
    assert {h.spelling for h in hits} == {"The pipe has been ended.", "109", "0x6d"}


@pytest.mark.parametrize(
    "text, spelling",
    [
        ("System.Net.Sockets.SocketException (10048): Only one usage", "10048"),
        ("System.Net.Sockets.SocketException (0x2740)", "0x2740"),
        ("the next request fails with a SocketException 10048", "10048"),
        ("System.Net.Sockets.SocketException 10048 at Socket.Bind", "10048"),
        ("ErrorCode 10048", "10048"),
        ("ErrorCode: 10048", "10048"),
        ("NativeErrorCode 10048", "10048"),
        ("bind: error: 10048", "10048"),
        ("socket.error: [Errno 10048]", "10048"),
        ("errno 10048", "10048"),
        ("WSAGetLastError: WSAEADDRINUSE", "WSAEADDRINUSE"),
        (f"SocketException: {ADDR_IN_USE}", ADDR_IN_USE),
        ("AFD returned 0xC000020A", "0xC000020A"),
    ],
)
def test_find_codes_reads_address_in_use_in_its_spellings(text, spelling):
    hit = only_hit(text)
    assert (hit.spelling, hit.code.key, hit.code.name) == (
        spelling,
        "winsock:10048",
        "WSAEADDRINUSE",
    )


def test_an_unterminated_message_is_still_found():
    text = '"System.Net.Sockets.SocketException: ' + ADDR_IN_USE.rstrip(".") + '"'
    assert keys(text) == ["winsock:10048"]


@pytest.mark.parametrize(
    "text, key",
    [
        ("System error 2 has occurred.", "win32:2"),
        ("Win32Exception (2): The system cannot find the file", "win32:2"),
        ("HResult=-2147024891", "win32:5"),
        ("GetLastError() returned 5", "win32:5"),
        ("WIN32_EXIT_CODE    : 1067  (0x42b)", "win32:1067"),
        ("The process exited with code -1073741819", "win32:998"),
        ("COMException (0x80004005): Unspecified error", "hresult:0x80004005"),
    ],
)
def test_find_codes_reads_other_common_spellings(text, key):
    assert set(keys(text)) == {key}


@pytest.mark.parametrize(
    "text",
    [
        "Now listening on: http://localhost:5000",
        "Process Name: SMSvcHost\n    Process ID: 4056",
        "ID: 6408",
        "Event ID:      8",
        "Date:          2/3/2010 3:18:25 PM",
        "did not receive a reply within the configured timeout (00:01:00).",
        "Source:        SMSvcHost 3.0.0.0",
        "at Server.<anonymous> (node:net:1817:16)",
        "at java.util.Arrays.copyOf(Arrays.java:3332)",
        "control(01ba) 1 00001:Operating system error from NPServer::create",
        "control(019f) 3 00505:control is ending, last return code was 1",
        "Server Error 500 - Internal server error",
        "The process exited with code 1",
        "Unhandled exception at 0x77A1 in app.exe",
        "thread handle 0x1f4 closed",
        "Error 1 of 3 in build",
        "error CS0246: The type or namespace name could not be found",
        "npm ERR! code E404",
        "1 2 3 5 109 231 10048 0x0000",
        "The method is not implemented",
        "Version 10.0.17763.1",
        "Unhandled exception 5 times today",
        "IOException 1 of 3 retries",
        "SocketException 10048.2 seconds",
        "TimeoutException 60000 ms",
    ],
)
def test_numbers_that_are_not_error_codes_are_left_alone(text):
    assert codes.find_codes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "(provider: Shared Memory Provider, error: 0 - The pipe has been ended.)",
        "GetLastError() returned 0",
        "The operation completed successfully.",
        "WIN32:0",
    ],
)
def test_success_is_never_reported_as_an_error_found(text):
    assert "win32:0" not in keys(text)


@pytest.mark.parametrize(
    "status, key",
    [
        ("0xC00000AE", "win32:231"),  # STATUS_PIPE_BUSY
        ("0xC00000AB", "win32:231"),  # STATUS_INSTANCE_NOT_AVAILABLE
        ("0xC00000AC", "win32:231"),  # STATUS_PIPE_NOT_AVAILABLE
        ("0xC000014B", "win32:109"),  # STATUS_PIPE_BROKEN
        ("0xC00000B1", "win32:232"),  # STATUS_PIPE_CLOSING
        ("0xC00000B0", "win32:233"),  # STATUS_PIPE_DISCONNECTED
        ("0xC0000034", "win32:2"),  # STATUS_OBJECT_NAME_NOT_FOUND
        ("0xC0000022", "win32:5"),  # STATUS_ACCESS_DENIED
        ("0xC00000B5", "win32:121"),  # STATUS_IO_TIMEOUT: "The semaphore timeout period..."
        ("0xC000020A", "winsock:10048"),  # STATUS_ADDRESS_ALREADY_EXISTS
        ("0xC0000236", "winsock:10061"),  # STATUS_CONNECTION_REFUSED
    ],
)
def test_ntstatus_values_map_to_the_error_a_program_reports(status, key):
    hit = only_hit(f"NTSTATUS {status}")
    assert hit.code.key == key
    assert hit.how == "ntstatus"
    assert hit.wrapper.system == "NTSTATUS"
    assert hit.wrapper.value == int(status, 16)
    assert hit.wrapper.name.startswith("STATUS_")


WINSOCK = {
    10004: "WSAEINTR",
    10009: "WSAEBADF",
    10013: "WSAEACCES",
    10014: "WSAEFAULT",
    10022: "WSAEINVAL",
    10024: "WSAEMFILE",
    **{
        10035 + i: name
        for i, name in enumerate(
            "WSAEWOULDBLOCK WSAEINPROGRESS WSAEALREADY WSAENOTSOCK WSAEDESTADDRREQ WSAEMSGSIZE "
            "WSAEPROTOTYPE WSAENOPROTOOPT WSAEPROTONOSUPPORT WSAESOCKTNOSUPPORT WSAEOPNOTSUPP "
            "WSAEPFNOSUPPORT WSAEAFNOSUPPORT WSAEADDRINUSE WSAEADDRNOTAVAIL WSAENETDOWN "
            "WSAENETUNREACH WSAENETRESET WSAECONNABORTED WSAECONNRESET WSAENOBUFS WSAEISCONN "
            "WSAENOTCONN WSAESHUTDOWN WSAETOOMANYREFS WSAETIMEDOUT WSAECONNREFUSED WSAELOOP "
            "WSAENAMETOOLONG WSAEHOSTDOWN WSAEHOSTUNREACH WSAENOTEMPTY WSAEPROCLIM WSAEUSERS "
            "WSAEDQUOT WSAESTALE WSAEREMOTE".split()
        )
    },
    10091: "WSASYSNOTREADY",
    10092: "WSAVERNOTSUPPORTED",
    10093: "WSANOTINITIALISED",
    10101: "WSAEDISCON",
    10102: "WSAENOMORE",
    10103: "WSAECANCELLED",
    10104: "WSAEINVALIDPROCTABLE",
    10105: "WSAEINVALIDPROVIDER",
    10106: "WSAEPROVIDERFAILEDINIT",
    10107: "WSASYSCALLFAILURE",
    10108: "WSASERVICE_NOT_FOUND",
    10109: "WSATYPE_NOT_FOUND",
    10110: "WSA_E_NO_MORE",
    10111: "WSA_E_CANCELLED",
    10112: "WSAEREFUSED",
    11001: "WSAHOST_NOT_FOUND",
    11002: "WSATRY_AGAIN",
    11003: "WSANO_RECOVERY",
    11004: "WSANO_DATA",
}


def test_the_table_has_every_winsock_error_from_10004_to_11004():
    table = {c.value: c for c in codes.all_codes() if c.system == "WinSock"}
    assert WINSOCK[10071] == "WSAEREMOTE"  # the run above ends where winsock2.h does
    for value, name in WINSOCK.items():
        code = table[value]
        assert (code.key, code.name) == (f"winsock:{value}", name)
        assert code.message.endswith(".")
    listed = {v for v in table if 10004 <= v <= 11004}
    assert listed == set(WINSOCK)


def test_the_table_has_the_named_win32_codes_up_to_499_and_the_service_errors():
    win32 = {c.value: c for c in codes.all_codes() if c.system == "Win32"}
    assert all(win32[v].name.startswith(("ERROR_", "WAIT_")) for v in win32 if v < 500)
    file_pipe_handle_access = {2, 3, 4, 5, 6, 32, 33, 53, 64, 87, 109, 112, 121, 122, 123, 183}
    assert file_pipe_handle_access | {230, 231, 232, 233, 234, 258, 267} <= set(win32)
    service_errors = {
        1053: "ERROR_SERVICE_REQUEST_TIMEOUT",
        1056: "ERROR_SERVICE_ALREADY_RUNNING",
        1058: "ERROR_SERVICE_DISABLED",
        1060: "ERROR_SERVICE_DOES_NOT_EXIST",
        1061: "ERROR_SERVICE_CANNOT_ACCEPT_CTRL",
        1062: "ERROR_SERVICE_NOT_ACTIVE",
        1067: "ERROR_PROCESS_ABORTED",
        1069: "ERROR_SERVICE_LOGON_FAILED",
        1072: "ERROR_SERVICE_MARKED_FOR_DELETE",
        1073: "ERROR_SERVICE_EXISTS",
        1075: "ERROR_SERVICE_DEPENDENCY_DELETED",
        1077: "ERROR_SERVICE_NEVER_STARTED",
        1079: "ERROR_DIFFERENT_SERVICE_ACCOUNT",
        1385: "ERROR_LOGON_TYPE_NOT_GRANTED",
    }
    for value, name in service_errors.items():
        assert (win32[value].name, win32[value].message[-1]) == (name, ".")


def test_every_key_in_the_table_is_unique_and_well_formed():
    all_codes = codes.all_codes()
    assert len({c.key for c in all_codes}) == len(all_codes)
    for code in all_codes:
        assert codes.lookup(code.key) == code or code.system == "HRESULT"
        assert codes.lookup(code.name) == code


def test_message_phrases_are_normalised_and_unambiguous():
    phrases = codes.message_phrases()
    assert phrases["all pipe instances are busy"] == "win32:231"
    assert phrases["the pipe has been ended"] == "win32:109"
    assert phrases["access is denied"] == "win32:5"
    assert phrases[codes.normalise_message(ADDR_IN_USE)] == "winsock:10048"
    for phrase in phrases:
        assert phrase == codes.normalise_message(phrase)
        assert "%" not in phrase
    # Common English and messages two codes share are left to other evidence.
    assert "not implemented" not in phrases
    assert "the operating system cannot run this application program" not in phrases


def test_the_module_runs_without_django():
    script = (
        "import sys; import triage.codes as c; "
        "assert c.lookup('231').name == 'ERROR_PIPE_BUSY'; "
        "assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


@pytest.mark.parametrize(
    "text",
    [
        "error" + " " * 65000 + "x",
        "SocketException(" + "\t" * 65000,
        "(1," + " " * 65000,
        "at" + " " * 65000 + "0x5",
        "error 0x" * 8000,
        "ERROR_" * 10000,
        ("All pipe instances are busy. " * 3000)[:65536],
    ],
)
def test_find_codes_stays_fast_on_hostile_input(text):
    began = time.perf_counter()
    codes.find_codes(text)
    assert time.perf_counter() - began < 2


FRAGMENTS = st.sampled_from(
    [
        "error ",
        "231",
        "0xE7",
        "0x800700E7",
        "WIN32:",
        "ERROR_PIPE_BUSY",
        "All pipe",
        "\n  instances are busy.",
        "(109, 0x6d)",
        "SocketException (",
        "10048",
        ")",
        "HResult=-",
        "2147024891",
        "İ",
        " ",
        ":",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(FRAGMENTS, st.text(max_size=5))).map("".join)))
def test_find_codes_never_raises_and_its_spans_are_the_text(text):
    hits = codes.find_codes(text)
    last_end = 0
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.spelling
        assert hit.start >= last_end
        last_end = hit.end
        assert codes.lookup(hit.code.key) == hit.code


@pytest.mark.parametrize(
    "text, key, spelling",
    [
        ("HTTP Error 500.19 - Internal Server Error", "iis:500.19", "HTTP Error 500.19"),
        ("HTTP Error 503.2 - Service Unavailable", "iis:503.2", "HTTP Error 503.2"),
        ("HTTP Error 503. The service is unavailable.", "http:503", "HTTP Error 503"),
        ("HTTP Error 404. The requested resource is not found.", "http:404", "HTTP Error 404"),
        ("HTTP Error 405.0 - Method not allowed", "http:405", "HTTP Error 405.0"),
        ("HTTP error code 405 on all PUT requests", "http:405", "HTTP error code 405"),
        ("HTTP status code: 403 from the proxy", "http:403", "HTTP status code: 403"),
        ("< HTTP/1.1 503 Service Unavailable", "http:503", "HTTP/1.1 503"),
        ("i keep getting 403.14 errors", "iis:403.14", "403.14"),
        ("the site shows 500.19 - Internal Server Error", "iis:500.19", "500.19"),
        ("it fails with error 502.5 after the deploy", "iis:502.5", "502.5"),
        ("a 500.30 - ANCM In-Process Start Failure", "iis:500.30", "500.30"),
        ("Msg 18456, Level 14, State 1, Server DB1, Line 1", "sqlserver:18456", "Msg 18456"),
        ("Error: 18456, Severity: 14, State: 8.", "sqlserver:18456", "Error: 18456"),
        (
            "Login failed for user 'sa'. (Microsoft SQL Server, Error: 18456)",
            "sqlserver:18456",
            "(Microsoft SQL Server, Error: 18456)",
        ),
        (
            "(provider: SQL Network Interfaces, error: 26 - Error Locating Server/Instance "
            "Specified)",
            "sni:26",
            "error: 26",
        ),
        (
            "(provider: Named Pipes Provider, error: 40 - Could not open a connection)",
            "sni:40",
            "error: 40",
        ),
    ],
)
def test_other_systems_numbers_are_codes_of_their_own(text, key, spelling):
    [hit] = codes.find_codes(text)
    assert (hit.code.key, hit.spelling) == (key, spelling)
    assert codes.lookup(key) == hit.code
    assert codes.find_codes_in_paste(text) == [hit]


@pytest.mark.parametrize(
    "text",
    ["it costs 403.14 dollars", "version 404.3.1 is out", "scored 500.19 - 3 points"],
)
def test_a_decimal_number_is_no_iis_status_without_words_of_an_error(text):
    assert codes.find_codes(text) == []


def test_an_sni_error_number_is_not_a_windows_code():
    # Win32 26 is "The specified disk or diskette cannot be accessed": not this error.
    text = "(provider: SQL Network Interfaces, error: 26 - Error Locating Server/Instance"
    assert [h.code.system for h in codes.find_codes(text)] == ["SQL Network Interfaces"]
    assert codes.find_codes("(provider: TCP Provider, error: 0 - ") == []


def test_a_failed_connections_number_is_the_windows_error_it_carries():
    text = (
        "(provider: Named Pipes Provider, error: 40 - Could not open a connection to SQL "
        "Server) (Microsoft SQL Server, Error: 231)"
    )
    assert [h.code.key for h in codes.find_codes(text)] == ["sni:40", "win32:231"]


def test_the_value_is_written_as_its_system_writes_it():
    assert codes.lookup("iis:500.19").number == "500.19"
    assert codes.lookup("0x800700E7").number == "231"
    assert codes.lookup("E_FAIL").number == "0x80004005"


def test_an_hresult_the_table_does_not_list_is_a_code_all_the_same():
    # 0x800F0954 (a servicing error) and 0x8024402C (Windows Update's) are in no table here.
    for text in ("Add-WindowsCapability failed. Error code = 0x800f0954", "HRESULT: 0x800F0954"):
        [hit] = codes.find_codes(text)
        assert hit.code.key == "hresult:0x800F0954" and hit.code.system == "HRESULT", text
        assert codes.lookup(hit.code.key) == hit.code
    assert [h.code.key for h in codes.find_codes("0xC0000409")] == ["ntstatus:0xC0000409"]
    # No severity bit, or -1, is no error code.
    assert codes.find_codes("flags 0x4024402C") == []
    assert codes.find_codes("it returned error 0xFFFFFFFF") == []
    assert codes.find_codes("exit code -1") == []
