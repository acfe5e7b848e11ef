import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.fingerprint import fingerprint, template

WCF_TRACE = """\
System.ServiceModel.CommunicationException: There was an error reading from the pipe: \
The pipe has been ended. (109, 0x6d).
--->System.IO.PipeException: There was an error reading from the pipe: The pipe has been ended. \
(109, 0x6d).
at System.ServiceModel.Channels.PipeConnection.OnAsyncReadComplete(Boolean haveResult, \
Int32 error, Int32 numBytes)
--- End of inner exception stack trace ---
at System.ServiceModel.Channels.PipeConnection.EndRead()
at System.ServiceModel.Channels.DelegatingConnection.EndRead()
at System.ServiceModel.Channels.TracingConnection.EndRead()
"""

SMSVCHOST_EVENT = """\
Log Name:      System
Source:        SMSvcHost 3.0.0.0
Date:          {date}
Event ID:      8
Level:         Error
User:          LOCAL SERVICE
Computer:      {computer}
Description:  An error occurred while dispatching a duplicated socket: this handle is now leaked \
in the process.
ID: {id}
Source: System.ServiceModel.Activation.TcpWorkerProcess/{worker}
Exception: System.TimeoutException: This request operation sent to \
http://schemas.microsoft.com/2005/12/ServiceModel/Addressing/Anonymous did not receive a reply \
within the configured timeout (00:01:00).
Process Name: SMSvcHost
Process ID: {pid}
"""

LINKAGE = """\
control({pid}) 1 00001:Operating system error {{WIN32:231(All pipe
instances are busy.)}} from NPServer::create
control({pid}) 1 01054:Error {{An unknown error condition has occurred}}: Could not create the \
named pipe server object
"""


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "There is already a listener on IP endpoint 0.0.0.0:5000",
            "there is already a listener on ip endpoint <*>",
        ),
        (
            "There is already a listener on IP endpoint [::1]:5001.",
            "there is already a listener on ip endpoint <*>",
        ),
        (
            "RemotingException: Port is Busy: All pipe instances are busy.",
            "port is busy: all pipe instances are busy",
        ),
        (
            "Could not load file 'C:\\Users\\jdoe\\app\\Foo.dll' at 2024-01-02 10:33:21,123",
            "could not load file <*> at <*>",
        ),
        (
            "Login failed for user 'CONTOSO\\jdoe'. Reason: pid 4056, session "
            "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
            "login failed for user <*>. reason: pid <*>, session <*>",
        ),
        ("control(01ba) 1 00001:Operating system error", "control(<*>) <*>:operating system error"),
    ],
)
def test_template_replaces_variable_parts(line, expected):
    assert template(line) == expected


def test_template_keeps_a_quoted_message_but_not_a_quoted_value():
    assert template(
        'the following exception will be thrown: "System.Net.Sockets.SocketException: '
        'Only one usage of each socket address is normally permitted"'
    ) == (
        'the following exception will be thrown: "system.net.sockets.socketexception: '
        'only one usage of each socket address is normally permitted"'
    )
    assert template('Cannot open database "Sales" requested by the login') == (
        "cannot open database <*> requested by the login"
    )


def test_template_keeps_words_that_name_the_error():
    assert template("Only one usage of each socket address (protocol/network address/port)") == (
        "only one usage of each socket address (protocol/network address/port)"
    )


def event(**overrides):
    values = {
        "date": "2/3/2010 3:18:25 PM",
        "computer": "Server1.Contoso.com",
        "id": "6408",
        "worker": "54166759",
        "pid": "4056",
    }
    values.update(overrides)
    return SMSVCHOST_EVENT.format(**values)


def test_same_event_from_another_server_and_day_groups_together():
    first = fingerprint(event())
    second = fingerprint(
        event(
            date="11/30/2012 11:02:07 AM",
            computer="WEB07.corp.fabrikam.local",
            id="911",
            worker="3341",
            pid="7720",
        )
    )
    assert first.key == second.key


def test_case_whitespace_and_wrapping_do_not_matter():
    text = LINKAGE.format(pid="01ba")
    variant = "\n\n" + LINKAGE.format(pid="019f").upper().replace(" ", "   ") + "\n"
    unwrapped = LINKAGE.format(pid="0a1c").replace("pipe\ninstances", "pipe instances")
    assert fingerprint(text).key == fingerprint(variant).key == fingerprint(unwrapped).key


def test_order_of_stack_frames_does_not_matter():
    lines = WCF_TRACE.splitlines()
    frames = [line for line in lines if line.startswith("at ")]
    shuffled = [line for line in lines if not line.startswith("at ")] + frames[::-1]
    assert fingerprint(WCF_TRACE).key == fingerprint("\n".join(shuffled)).key


def test_variable_values_in_a_message_do_not_matter():
    a = "SocketException: Only one usage of each socket address is permitted 10.0.0.5:80"
    b = "SocketException: only one usage of each socket address is permitted [fe80::2]:8080"
    assert fingerprint(a).key == fingerprint(b).key


def test_redacted_paste_groups_with_the_original():
    from triage.redact import redact

    assert fingerprint(redact(event()).text).key == fingerprint(event()).key


@pytest.mark.parametrize(
    "other",
    [
        "RemotingException: Failed to connect to an IPC Port: The system cannot find the file "
        "specified.",
        "RemotingException: Port is Busy: All pipe instances are closed.",
        "SocketException: Port is Busy: All pipe instances are busy.",
    ],
)
def test_different_errors_get_different_keys(other):
    busy = "RemotingException: Port is Busy: All pipe instances are busy."
    assert fingerprint(busy).key != fingerprint(other).key


def test_codes_given_by_the_caller_separate_otherwise_equal_messages():
    text = "Bind failed: error {code}"
    assert (
        fingerprint(text.format(code=10048), codes=["10048"]).key
        != fingerprint(text.format(code=10013), codes=["10013"]).key
    )
    assert (
        fingerprint(text.format(code=10048), codes=["10048"]).key
        == fingerprint(text.format(code=10048), codes=[" 10048 "]).key
    )


def test_all_variants_of_the_seed_events_differ_from_each_other():
    keys = {
        fingerprint(event()).key,
        fingerprint(WCF_TRACE).key,
        fingerprint(LINKAGE.format(pid="01ba")).key,
    }
    assert len(keys) == 3


def test_label_names_codes_exceptions_and_message():
    fp = fingerprint(
        "RemotingException: Port is Busy: All pipe instances are busy.", codes=["WIN32:231"]
    )
    assert fp.label == "win32:231 · RemotingException · port is busy: all pipe instances are busy"
    assert len(fp.key) == 16


def test_label_finds_codes_and_short_exception_names_when_none_are_given():
    label = fingerprint(
        "System.Runtime.InteropServices.COMException (0x800700E7): All pipe instances are busy."
    ).label
    assert label.startswith("0x800700E7 · COMException · ")


def test_label_never_shows_a_secret():
    fp = fingerprint("LoginException: Login failed for jdoe@contoso.com with password=hunter2")
    assert "jdoe" not in fp.label and "hunter2" not in fp.label


def test_empty_paste_has_a_label():
    assert fingerprint("").label == "(empty paste)"


@settings(max_examples=200)
@given(st.text(max_size=400))
def test_fingerprint_never_raises(text):
    fp = fingerprint(text)
    assert len(fp.key) == 16
