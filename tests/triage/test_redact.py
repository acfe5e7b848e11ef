import string
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.redact import redact

SMSVCHOST_EVENT = """\
Log Name:      System
Source:        SMSvcHost 3.0.0.0
Date:          2/3/2010 3:18:25 PM
Event ID:      8
Task Category: Sharing Service
Level:         Error
Keywords:      Classic
User:          LOCAL SERVICE
Computer:      Server1.Contoso.com
Description:  An error occurred while dispatching a duplicated socket: this handle is now leaked \
in the process.
ID: 6408
Source: System.ServiceModel.Activation.TcpWorkerProcess/54166759
Exception: System.TimeoutException: This request operation sent to \
http://schemas.microsoft.com/2005/12/ServiceModel/Addressing/Anonymous did not receive a reply \
within the configured timeout (00:01:00).
Process Name: SMSvcHost
Process ID: 4056
"""

STACK_TRACE = """\
System.ServiceModel.CommunicationException: There was an error reading from the pipe: \
The pipe has been ended. (109, 0x6d).
--->System.IO.PipeException: There was an error reading from the pipe: The pipe has been ended. \
(109, 0x6d).
at System.ServiceModel.Channels.PipeConnection.OnAsyncReadComplete(Boolean haveResult, \
Int32 error, Int32 numBytes)
--- End of inner exception stack trace ---
at System.ServiceModel.Channels.PipeConnection.EndRead()
at System.ServiceModel.AsyncResult.End[TAsyncResult](IAsyncResult result)
"""


def secrets_of(text):
    result = redact(text)
    return [(r.kind, text[r.start : r.end]) for r in result.replacements]


def assert_replaced(text, kind, secret, shown):
    """text holds a secret of kind (secret itself, when given), and shows shown redacted."""
    found = secrets_of(text)
    assert kind in [k for k, _ in found], found
    if secret is not None:
        assert (kind, secret) in found
    assert shown in redact(text).text


@pytest.mark.parametrize(
    "text, kind, secret, shown",
    [
        ("Connection from 192.168.1.20 refused", "ip", "192.168.1.20", "from [IP] refused"),
        ("listening on 10.0.0.5:8080", "ip", "10.0.0.5", "on [IP]:8080"),
        ("bound to ::1 port 80", "ip", "::1", "to [IP] port"),
        ("link-local fe80::1%3 is up", "ip", "fe80::1%3", "link-local [IP] is"),
        ("peer 2001:db8::1 went away", "ip", "2001:db8::1", "peer [IP] went"),
        ("RemoteEndPoint 10.0.0.5 closed", "ip", "10.0.0.5", "RemoteEndPoint [IP]"),
        ("cannot reach db01.corp.example.local", "host", "db01.corp.example.local", "[HOST]"),
        ("Login to Server1.Contoso.com failed", "host", "Server1.Contoso.com", "to [HOST] failed"),
        ("open \\\\FILESRV01\\share\\a.txt", "host", "FILESRV01", "\\\\[HOST]\\share"),
        ("GET http://intranet-sp01/sites/hr", "host", "intranet-sp01", "http://[HOST]/sites"),
        ("Server=sql01;Database=Sales", "host", "sql01", "Server=[HOST];Database=Sales"),
        ("Computer:      WEB01", "computer", "WEB01", "Computer:      [COMPUTER]"),
        ("Machine name: WEB01", "computer", "WEB01", "Machine name: [COMPUTER]"),
        ("MachineName=WEB02; pid=4", "computer", "WEB02", "MachineName=[COMPUTER]; pid=4"),
        ("User: CONTOSO\\jdoe", "user", "CONTOSO\\jdoe", "User: [USER]"),
        ("Access is denied for CONTOSO\\jdoe.", "user", "CONTOSO\\jdoe", "for [USER]."),
        ("User Name: John Smith", "user", "John Smith", "User Name: [USER]"),
        ("Login failed for user 'svc_sql'.", "user", "svc_sql", "for user '[USER]'."),
        ("IIS APPPOOL\\PayrollSite denied", "user", "PayrollSite", "IIS APPPOOL\\[USER] denied"),
        ("C:\\Users\\jdoe\\AppData\\x.log", "path-user", "jdoe", "C:\\Users\\[PATH-USER]\\AppData"),
        ("C:\\Users\\John Smith\\x.log", "path-user", "John Smith", "\\Users\\[PATH-USER]\\x"),
        ("open /home/jdoe/app.log", "path-user", "jdoe", "/home/[PATH-USER]/app.log"),
        ("mail jdoe@contoso.com now", "email", "jdoe@contoso.com", "mail [EMAIL] now"),
        (
            "session {3F2504E0-4F89-11D3-9A0C-0305E82C3301} lost",
            "guid",
            "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
            "session [GUID] lost",
        ),
        ("id 3f2504e0-4f89-11d3-9a0c-0305e82c3301.", "guid", None, "id [GUID]."),
        ("owner S-1-5-21-3623811015-3361044348-30300820-1013", "sid", None, "owner [SID]"),
        ("password=hunter2 next", "secret", "hunter2", "password=[SECRET] next"),
        ("pwd = 'two words'", "secret", "two words", "pwd = '[SECRET]'"),
        ('{"Password": "s3cr3t!"}', "secret", "s3cr3t!", '{"Password": "[SECRET]"}'),
        ("DB_PASSWORD: hunter2", "secret", "hunter2", "DB_PASSWORD: [SECRET]"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "secret", None, "Basic [SECRET]"),
        ("Authorization: Bearer abc.def-ghi_jkl", "secret", "abc.def-ghi_jkl", "Bearer [SECRET]"),
        ("key AKIAIOSFODNN7EXAMPLE here", "secret", "AKIAIOSFODNN7EXAMPLE", "key [SECRET] here"),
        (
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0."
            "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "secret",
            None,
            "jwt [SECRET]",
        ),
        (
            "sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 end",
            "secret",
            None,
            "sha [SECRET] end",
        ),
        ("k wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.", "secret", None, "k [SECRET]."),
        ("ftp://admin:Secr3t@files.contoso.com/x", "secret", "admin:Secr3t", "ftp://[SECRET]@"),
    ],
)
def test_each_kind_is_replaced_by_its_placeholder(text, kind, secret, shown):
    assert_replaced(text, kind, secret, shown)


@pytest.mark.parametrize(
    "text",
    [
        "Source: SMSvcHost 3.0.0.0",
        "Version 4.0.30319.42000",
        "Microsoft .NET Framework Version: 4.0.0.0",
        "System.ServiceModel, Version=3.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089",
        "driver v1.2.3.4 loaded",
        "http://schemas.microsoft.com/2005/12/ServiceModel/Addressing/Anonymous",
        "System.ServiceModel.Channels.PipeConnection.OnAsyncReadComplete()",
        "System.Net.Sockets.SocketException in System.IO and ASP.NET on System.Net",
        "HRESULT 0x800700E7, error 10048, Event ID: 8",
        "w3wp.exe SMSvcHost.exe Lsmain.exe web.config",
        "control(01ba) 1 00001:Operating system error {WIN32:231(All pipe instances are busy.)} "
        "from NPServer::create",
        "Date: 2/3/2010 3:18:25 PM, timeout 00:01:00",
        "User:          LOCAL SERVICE",
        "User: NT AUTHORITY\\NETWORK SERVICE",
        "Login failed for user 'NT AUTHORITY\\ANONYMOUS LOGON'.",
        "IIS APPPOOL\\DefaultAppPool",
        "HKLM\\SOFTWARE\\Microsoft\\Windows and C:\\Windows\\System32\\drivers",
        "C:\\Users\\Public\\Documents",
        "\\\\.\\pipe\\net.pipe and \\\\?\\C:\\temp",
        "Data Source=(local);User ID=sa",
        "net.tcp://localhost:808/service.svc",
        "Server: Microsoft-IIS/10.0",
        "the well-known SID S-1-5-18",
    ],
)
def test_diagnostic_text_survives(text):
    result = redact(text)
    assert result.text == text, result.replacements


@pytest.mark.parametrize(
    "text, kind, secret, shown",
    [
        # A computer named on its own, without a "Computer:" label.
        ("Cannot connect to SRV-PROD-01.", "computer", "SRV-PROD-01", "to [COMPUTER]."),
        ("failover from DC-01 to DC-02", "computer", "DC-02", "from [COMPUTER] to [COMPUTER]"),
        ("node APP-NODE2 left", "computer", "APP-NODE2", "node [COMPUTER] left"),
        ("host WIN-7H3K2QP9L1A rebooted", "computer", "WIN-7H3K2QP9L1A", "host [COMPUTER] reb"),
        ("on DESKTOP-KQLMBZT today", "computer", "DESKTOP-KQLMBZT", "on [COMPUTER] today"),
        # DOMAIN\user as JSON and many logs escape it.
        ('{"user": "CONTOSO\\\\jsmith"}', "user", "CONTOSO\\\\jsmith", '"[USER]"'),
        ("Access denied for CONTOSO\\\\jsmith.", "user", None, "for [USER]."),
        # A password told in a sentence.
        ("the password is Hunter2", "secret", "Hunter2", "the password is [SECRET]"),
        ("my password was hunter2.", "secret", "hunter2", "was [SECRET]."),
        ("The password is 'correct horse'", "secret", "correct horse", "is '[SECRET]'"),
        ("pwd is S3cret!", "secret", "S3cret!", "pwd is [SECRET]"),
        ("das Kennwort ist Sommer2024", "secret", "Sommer2024", "Kennwort ist [SECRET]"),
        # Labels in other languages.
        ("Passwort=geheim1", "secret", "geheim1", "Passwort=[SECRET]"),
        ("Kennwort: Geheim", "secret", "Geheim", "Kennwort: [SECRET]"),
        ("Benutzer=hmueller", "user", "hmueller", "Benutzer=[USER]"),
        ("Benutzername: hmueller", "user", "hmueller", "Benutzername: [USER]"),
        ("mot de passe : soleil", "secret", "soleil", "mot de passe : [SECRET]"),
        ("Mot_de_passe=soleil", "secret", "soleil", "Mot_de_passe=[SECRET]"),
        ("utilisateur=jdupont", "user", "jdupont", "utilisateur=[USER]"),
        ("contraseña=clave", "secret", "clave", "contraseña=[SECRET]"),
        ("Contrasena: clave", "secret", "clave", "Contrasena: [SECRET]"),
        ("usuario=jperez", "user", "jperez", "usuario=[USER]"),
        ("wachtwoord=geheim", "secret", "geheim", "wachtwoord=[SECRET]"),
    ],
)
def test_missed_values_are_replaced(text, kind, secret, shown):
    assert_replaced(text, kind, secret, shown)


@pytest.mark.parametrize(
    "text",
    [
        "The user name or password is incorrect.",
        "The password is expired. The password was changed.",
        "HTTP Error 500.19 - Internal Server Error, 0x8007000d",
        "HTTP Error 502.5 - Process Failure; 403.14 Forbidden",
        "Event ID 7000, Event ID: 7013, error 1603",
        "UTF-8, ISO-8859-1, SHA-256, AES-256, TLS-1, X-509",
        "CVE-2021-34527 fixed in KB5005565",
        "ORA-12154: TNS-12560 and MSI-1603, MSB-3073, NETSDK-1004",
        # Other products' error codes: a prefix and a number of four digits or more.
        "DPI-1047: Cannot locate a 64-bit Oracle Client library",
        "RMAN-03009: failure of backup command; KUP-04040 file not found",
        "CRS-4535: Cannot communicate with Cluster Ready Services; CAA-20002",
        "MQRC-2035 (MQRC_NOT_AUTHORIZED); SQLSTATE-08001",
        "%ASA-4-106023: Deny tcp src outside",
        "WS-Management, X-Forwarded-For, Content-Type",
        "Win32 error ERROR_PIPE_BUSY (WIN32:231), RPC_S_SERVER_UNAVAILABLE",
        "SQL Server 2019 CU-18 and SP-2",
        "the well-known SID S-1-5-18 and S-1-5-32-544",
        "SMSvcHost 3.0.0.0, W3SVC, WAS, HTTPERR",
    ],
)
def test_codes_products_and_messages_are_not_taken_for_names_or_passwords(text):
    result = redact(text)
    assert result.text == text, result.replacements


def test_smsvchost_event_keeps_the_error_and_hides_the_computer():
    result = redact(SMSVCHOST_EVENT)

    assert secrets_of(SMSVCHOST_EVENT) == [("computer", "Server1.Contoso.com")]
    assert "Computer:      [COMPUTER]\n" in result.text
    for kept in (
        "SMSvcHost 3.0.0.0",
        "Event ID:      8",
        "User:          LOCAL SERVICE",
        "An error occurred while dispatching a duplicated socket",
        "System.TimeoutException",
        "http://schemas.microsoft.com/2005/12/ServiceModel/Addressing/Anonymous",
        "Process ID: 4056",
    ):
        assert kept in result.text


def test_stack_trace_is_left_alone():
    assert redact(STACK_TRACE).text == STACK_TRACE


def test_connection_string_hides_server_user_and_password():
    text = "Server=sql01.corp.local;Database=Sales;User Id=appuser;Password=P@ss;w0rd"
    assert redact(text).text == (
        "Server=[HOST];Database=Sales;User Id=[USER];Password=[SECRET];w0rd"
    )


def test_sql_instance_keeps_its_name_but_not_its_server():
    assert redact("Data Source=SQL02\\SQLEXPRESS;").text == "Data Source=[HOST]\\SQLEXPRESS;"


def test_private_key_block_is_hidden_whole():
    text = (
        "config:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nZm9vYmFy\n"
        "-----END RSA PRIVATE KEY-----\nafter"
    )
    result = redact(text)
    assert result.text == "config:\n[SECRET]\nafter"


def test_truncated_private_key_hides_the_rest_of_the_paste():
    text = "x\n-----BEGIN PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nZm9v"
    assert redact(text).text == "x\n[SECRET]"


def test_offsets_point_into_the_original_and_rebuild_the_output():
    text = (
        "User: CONTOSO\\jdoe at 10.1.2.3:445 mailed bob@contoso.com about "
        "C:\\Users\\bob\\x {3F2504E0-4F89-11D3-9A0C-0305E82C3301} password=x"
    )
    result = redact(text)
    assert [(r.kind, text[r.start : r.end]) for r in result.replacements] == [
        ("user", "CONTOSO\\jdoe"),
        ("ip", "10.1.2.3"),
        ("email", "bob@contoso.com"),
        ("path-user", "bob"),
        ("guid", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"),
        ("secret", "x"),
    ]
    rebuilt, pos = [], 0
    for r in result.replacements:
        rebuilt += [text[pos : r.start], r.placeholder]
        pos = r.end
    assert "".join(rebuilt) + text[pos:] == result.text


def test_text_without_secrets_is_unchanged():
    result = redact("All pipe instances are busy.")
    assert result.text == "All pipe instances are busy."
    assert not result.changed


@pytest.mark.parametrize(
    "text",
    [
        "a" * 65536,
        "1." * 32768,
        ":" * 65536,
        "a@" * 32768,
        "a." * 32768,
        "\\\\a" * 21845,
        "User: " * 10922,
        "A1b2" * 16384,
        "aB3/" * 16384,
        "C:\\Users\\" * 7281,
        "0000-" * 13107,
        "http://a" * 8192,
        "-----BEGIN RSA PRIVATE KEY-----" * 2114,
    ],
    ids=lambda t: repr(t[:10]),
)
def test_large_hostile_input_is_handled_quickly(text):
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 2.0


LEAD = st.text(alphabet=string.ascii_letters + string.digits + " .,:;()-_\n", max_size=40)

ipv4s = st.ip_addresses(v=4).map(str)
# An IPv6 address without any digit ("a::b") reads like a C++ scope and is kept.
ipv6s = st.ip_addresses(v=6).map(str).filter(lambda a: any(c.isdigit() for c in a))
emails = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[a-z][a-z0-9._+-]{0,15}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}[a-z0-9]", fullmatch=True),
    st.sampled_from(["com", "org", "se", "local", "co.uk"]),
)
guids = st.uuids().map(str) | st.uuids().map(lambda u: "{" + str(u).upper() + "}")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(before=LEAD, secret=ipv4s | ipv6s | emails | guids, after=LEAD)
def test_generated_secrets_never_reach_the_output(before, secret, after):
    text = f"{before} from {secret} {after}"
    result = redact(text)
    assert secret not in result.text
    for r in result.replacements:
        assert 0 <= r.start < r.end <= len(text)


@settings(max_examples=300)
@given(st.text(max_size=500))
def test_never_raises_and_offsets_are_ordered(text):
    result = redact(text)
    previous_end = 0
    for r in result.replacements:
        assert previous_end <= r.start < r.end <= len(text)
        previous_end = r.end
