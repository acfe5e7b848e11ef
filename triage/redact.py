"""Redact personal and secret values from a pasted error before it is stored.

A paste sent to the unanswered queue must not carry anybody's password, user
name or network layout, yet it must still show the error: messages, exception
names, error codes, event IDs, process names and stack frames stay as they are.

Each detector below finds spans of the *original* text; overlapping spans are
resolved in favour of the one that starts first (then the longer one, then the
detector listed first), and every kept span is replaced by a placeholder such as
``[IP]`` or ``[USER]``. Only the value is replaced, never its label, so
``Password=hunter2`` becomes ``Password=[SECRET]`` and ``10.0.0.5:8080`` becomes
``[IP]:8080`` (ports matter when diagnosing "address already in use").

Rules worth knowing:

* A dotted quad is an IPv4 address when every part is at most 255, unless it is
  a version number: written right after a version word (``Version 3.0.0.0``,
  ``Version=4.0.0.0``, ``ver``, ``build``...), glued to a ``v`` (``v1.2.3.4``),
  or written after a product name in CamelCase with a final part of 0
  (``SMSvcHost 3.0.0.0``, the event-log "Source" of WCF's port sharing service).
  Five-part numbers are never addresses.
* An IPv6 address must parse as one and hold a digit or at least three groups,
  so C++ scopes (``NPServer::create``), times (``3:18:25``) and hex words stay.
* A dotted name is a host when its last label is a common top-level domain,
  written lower or upper case (``Server1.Contoso.com``, ``DB01.CORP.LOCAL``).
  Names whose last label is capitalised like an identifier (``System.Net``),
  names rooted in ``System`` or ``Microsoft``, ``ASP.NET``-style product names,
  file names (``w3wp.exe``) and well-known public hosts that identify an error
  (``schemas.microsoft.com``, ``www.w3.org``, ``tempuri.org``) are kept.
* Well-known accounts are kept because they matter for diagnosis and identify
  nobody: SYSTEM, LOCAL SERVICE, NETWORK SERVICE, ``NT AUTHORITY\\...``,
  ``NT SERVICE\\...``, ``BUILTIN\\...``, Administrator, Guest, Everyone, sa and
  the default IIS application pools. ``IIS APPPOOL\\<name>`` keeps its prefix
  but a custom pool name, which usually names the site, becomes ``[USER]``.
* ``DOMAIN\\user`` is recognised without a label only when the domain is
  written in capitals (as NetBIOS domain names are), so registry keys and
  ``C:\\Windows\\System32`` are not mistaken for accounts.
* GUIDs are redacted, both braced and bare.

Every pattern is a stdlib regular expression without nested quantifiers, and
patterns that start with a repeated class are guarded by a look-behind for the
same class, so a match can only begin where a run begins: the work stays linear
in the length of the paste. ``redact`` never raises; if something unforeseen
goes wrong it fails closed and hides the whole text.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

# Callers cap pastes at this length before redacting and storing them.
MAX_PASTE_CHARS = 64 * 1024

# Horizontal white space, including the no-break spaces of text copied from web pages.
_H = r"[^\S\r\n\x85\u2028\u2029]"

PLACEHOLDERS = {
    "ip": "[IP]",
    "host": "[HOST]",
    "computer": "[COMPUTER]",
    "user": "[USER]",
    "path-user": "[PATH-USER]",
    "email": "[EMAIL]",
    "guid": "[GUID]",
    "sid": "[SID]",
    "secret": "[SECRET]",
}


@dataclass(frozen=True)
class Replacement:
    kind: str
    start: int  # offsets in the original text: original[start:end] is the value
    end: int

    @property
    def placeholder(self) -> str:
        return PLACEHOLDERS[self.kind]


@dataclass(frozen=True)
class Redacted:
    text: str
    replacements: list[Replacement] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.replacements)


def redact(text: str) -> Redacted:
    """Return the text with secrets and personal values replaced by placeholders."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        spans = _resolve(_find_all(text))
        return Redacted(_apply(text, spans), spans)
    except Exception:  # pragma: no cover - fail closed rather than store a secret
        return Redacted(PLACEHOLDERS["secret"], [Replacement("secret", 0, len(text))])


# --- resolving and applying -------------------------------------------------


def _resolve(candidates):
    # candidates: (rank, kind, start, end); earliest start wins, then the
    # longest span, then the detector listed first.
    candidates.sort(key=lambda c: (c[2], -(c[3] - c[2]), c[0]))
    kept = []
    covered = 0
    for _rank, kind, start, end in candidates:
        if start >= covered and end > start:
            kept.append(Replacement(kind, start, end))
            covered = end
    return kept


def _apply(text, spans):
    out = []
    pos = 0
    for r in spans:
        out.append(text[pos : r.start])
        out.append(PLACEHOLDERS[r.kind])
        pos = r.end
    out.append(text[pos:])
    return "".join(out)


def _find_all(text):
    found = []
    for rank, detector in enumerate(_DETECTORS):
        for kind, start, end in detector(text):
            found.append((rank, kind, start, end))
    return found


# --- secrets ------------------------------------------------------------------

_KEY_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----")
_KEY_END = re.compile(r"-----END [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----")


def _private_keys(text):
    covered = 0
    for m in _KEY_BEGIN.finditer(text):
        if m.start() < covered:
            continue
        end = _KEY_END.search(text, m.end())
        if end is None:
            # A truncated key block: hide everything after its start.
            yield "secret", m.start(), len(text)
            return
        yield "secret", m.start(), end.end()
        covered = end.end()


_URL_CREDENTIALS = re.compile(r"(?i)\b[a-z][a-z0-9+.-]{1,15}://([^\s/:@]+:[^\s/@]+)@")


def _url_credentials(text):
    for m in _URL_CREDENTIALS.finditer(text):
        yield "secret", m.start(1), m.end(1)


_SECRET_KEYS = (
    "password|passwd|pwd|client_secret|clientsecret|secret_key|secretkey|secret"
    "|access_token|refresh_token|id_token|auth_token|authtoken|token"
    "|api[_-]?key|access[_-]?key|account[_-]?key|shared[_-]?access[_-]?key"
    "|private[_-]?key|sig|credentials?"
    # The same labels in the languages Windows is most often installed in.
    "|passwort|kennwort|mot[ _]de[ _]passe|motdepasse|contrase(?:ñ|n)a|senha|wachtwoord"
    "|lösenord|parola|has[łl]o"
)
# "Password": "x", password=x, PWD = 'x', DB_PASSWORD: x
_SECRET_PAIR = re.compile(
    r"(?i)(?<![A-Za-z0-9])[\"']?(?:" + _SECRET_KEYS + r")[\"']?" + _H + r"*[:=]" + _H + r"*"
    r"(?:\"([^\"\r\n]*)\"|'([^'\r\n]*)'|([^\s;,&\"'<>]+))"
)


def _secret_pairs(text):
    for m in _SECRET_PAIR.finditer(text):
        for group in (1, 2, 3):
            if m.group(group):
                yield "secret", m.start(group), m.end(group)


# "the password is Hunter2", "Kennwort ist Geheim1": a password told in a sentence.
_PASSWORD_WORDS = (
    "password|passwd|passphrase|pwd|passwort|kennwort|mot de passe|contrase(?:ñ|n)a|senha"
    "|wachtwoord"
)
_SECRET_PROSE = re.compile(
    r"(?i)(?<![A-Za-z0-9])(?:" + _PASSWORD_WORDS + r")" + _H + r"+"
    r"(?:is|was|ist|war|est|es|era|is set to|was set to|set to)" + _H + r"+"
    r"(?:\"([^\"\r\n]{1,100})\"|'([^'\r\n]{1,100})'|([^\s\"'<>]{1,100}))"
)


def _secret_prose(text):
    """Quoted values always; a bare word only when it looks like a password (a digit,
    a symbol or a capital inside it), so "the password is incorrect" stays."""
    for m in _SECRET_PROSE.finditer(text):
        if m.group(3) is None:
            group = 1 if m.group(1) is not None else 2
            yield "secret", m.start(group), m.end(group)
            continue
        start, end = m.start(3), m.end(3)
        while end > start and text[end - 1] in ".,;:)":
            end -= 1
        if _looks_like_password(text[start:end]):
            yield "secret", start, end


def _looks_like_password(word):
    return len(word) >= 3 and (
        any(c.isdigit() for c in word)
        or not word.isalpha()
        or any(c.isupper() for c in word[1:])
        and not word.isupper()
    )


_AUTHORIZATION = re.compile(
    r"(?i)\b(?:proxy-)?authorization[\"']?" + _H + r"*[:=]" + _H + r"*[\"']?"
    r"(?:(?:bearer|basic|digest|negotiate|ntlm|token)" + _H + r"+)?([^\s\"',;]+)"
)
_BEARER = re.compile(r"(?i)\bbearer" + _H + r"+([A-Za-z0-9\-._~+/]{8,}=*)")


def _authorization(text):
    for m in _AUTHORIZATION.finditer(text):
        yield "secret", m.start(1), m.end(1)
    for m in _BEARER.finditer(text):
        yield "secret", m.start(1), m.end(1)


_TOKEN_SHAPES = re.compile(
    r"(?<![A-Za-z0-9_-])(?:"
    r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"  # JWT
    r"|(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}"  # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{30,}"  # GitHub token
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"  # Slack token
    r"|sk-[A-Za-z0-9_-]{20,}"  # API secret keys
    r")"
)


def _token_shapes(text):
    for m in _TOKEN_SHAPES.finditer(text):
        yield "secret", m.start(), m.end()


_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{32,}(?![0-9A-Za-z])")
_B64_RUN = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}")
_B64_SEGMENT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_PATH_WORD = re.compile(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*|[0-9]{1,8}|v[0-9]{1,3}")


def _is_path_word(piece):
    return _PATH_WORD.fullmatch(piece) is not None


def _long_tokens(text):
    for m in _HEX_RUN.finditer(text):
        token = m.group()
        if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
            yield "secret", m.start(), m.end()
    for m in _B64_RUN.finditer(text):
        if _looks_random(m.group()):
            yield "secret", m.start(), m.end()


def _looks_random(token):
    digits = sum(c.isdigit() for c in token)
    upper = sum(c.isupper() for c in token)
    lower = sum(c.islower() for c in token)
    symbols = token.count("/") + token.count("+")
    if digits + symbols < 2 or upper < 2 or lower < 2:
        return False
    pieces = [p for p in token.rstrip("=").split("/") if p]
    if len(pieces) > 1 and sum(map(_is_path_word, pieces)) * 2 >= len(pieces):
        return False  # a URL path such as /2005/12/ServiceModel/Addressing
    # Identifiers such as ConvertInt32ToInt64WithOverflowCheck are made of
    # words; random base64 changes case or class every couple of characters.
    segments = len(_B64_SEGMENT.findall(token))
    return len(token) / max(segments, 1) < 4


# --- people and machines -----------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*)"
    r"(?:\.[A-Za-z0-9-]+)+"
)


def _emails(text):
    for m in _EMAIL.finditer(text):
        yield "email", m.start(), m.end()


_WELL_KNOWN_ACCOUNT = re.compile(
    r"(?i)(?:NT AUTHORITY|NT SERVICE|BUILTIN|IIS APPPOOL|NT VIRTUAL MACHINE|Window Manager"
    r"|Font Driver Host)\\"
    r"|(?:LOCAL\sSERVICE|NETWORK\sSERVICE|LocalService|NetworkService|LocalSystem|SYSTEM"
    r"|ANONYMOUS\sLOGON|Authenticated\sUsers|Everyone|Administrators?|Guest|IUSR|IWAM"
    r"|DefaultAppPool|sa|N/A|none|null|\(null\)|-)(?![\w\\])"
)
_DEFAULT_APP_POOL = re.compile(
    r"(?i)(?:DefaultAppPool|Classic \.NET AppPool|\.NET v\d\.\d(?: Classic)?)(?![\w.])"
)

_USER_LABEL = re.compile(
    r"(?im)(?<![\w-])(?:user[ _]?name|user[ _]?id|user|uid|account[ _]?name|account"
    r"|logon[ _]?account|login[ _]?name|login|identity|owner|caller"
    r"|benutzer(?:name)?|anmeldename|utilisateur|nom d'utilisateur|usuario|utente"
    r"|gebruiker(?:snaam)?|användare|användarnamn)" + _H + r"*[:=]" + _H + r"*"
)
_COMPUTER_LABEL = re.compile(
    r"(?im)(?<![\w-])(?:computer[ _]?name|computer|machine[ _]?name|workstation[ _]?name"
    r"|(?:source )?workstation|host[ _]?name)" + _H + r"*[:=]" + _H + r"*"
)
# "Server:" alone is also an HTTP response header naming software, so only the
# connection-string form and the explicit "Server Name" count.
_HOST_LABEL = re.compile(
    r"(?im)(?<![\w-])(?:server[ _]?name"
    + _H
    + r"*[:=]|server"
    + _H
    + r"*=|data[ _]?source"
    + _H
    + r"*="
    r"|host" + _H + r"*:)" + _H + r"*(?:(?:tcp|np|lpc|admin):)?"
)
_QUOTED_VALUE = re.compile(r"\"([^\"\r\n]{1,100})\"|'([^'\r\n]{1,100})'")
_USER_VALUE = re.compile(r"[^\s;,|\"'<>()\[\]]+(?:[ \u00a0][A-Z][a-z]+(?![\w:]))?")
_HOST_VALUE = re.compile(r"[^\s;,|\"'<>()\[\]\\:]+")
_LOCAL_HOST = re.compile(r"(?i)(?:\.|localhost|\(local\)|\(localdb\)|-|N/A)$")


def _labelled_users(text):
    for m in _USER_LABEL.finditer(text):
        pos = m.end()
        if _WELL_KNOWN_ACCOUNT.match(text, pos):
            continue
        q = _QUOTED_VALUE.match(text, pos)
        if q:
            group = 1 if q.group(1) is not None else 2
            start, end = q.start(group), q.end(group)
            if not _WELL_KNOWN_ACCOUNT.match(text, start, end):
                yield "user", start, end
            continue
        v = _USER_VALUE.match(text, pos)
        if v:
            yield "user", v.start(), v.end()


# SRV-PROD-01, DC-02, WEB-01A: a NetBIOS name (at most 15 characters) of capitals and
# digits in hyphenated parts, ending in a digit, as naming schemes number machines.
_BARE_COMPUTER = re.compile(
    r"(?<![\w.\\/:-])[A-Z]{2,}[A-Z0-9]*(?:-[A-Z0-9]{1,12}){1,4}(?![\w.-]*\w)(?![\\/])"
)
# Standards, encodings and identifiers that are written the same way and name no machine.
_NOT_A_COMPUTER = frozenset(
    """
    UTF UCS ISO SHA AES DES RSA DSA ECDSA MD RFC CVE KB MS TLS SSL HTTP HTTPS IPV IP TCP UDP
    WS WIN SP CU GB MB CP WINDOWS X IEEE ANSI ASCII EBCDIC CRC ECMA LZ PKCS OID DNS SMB NTLM
    DFS SQL MSSQL ODBC OLEDB AD TPM ARM AMD
    MSI ERROR ERR HRESULT EVENT ID CODE STATUS EXIT IIS ASP NET WCF RPC DCOM COM LDAP KERB
    SEC SMTP IMAP POP FTP SSH VPN ORA TNS PLS SP2 IMP EXP AADSTS CS BC VBC FS NU NETSDK MSB
    """.split()
)
# The names Windows Setup gives a machine until someone renames it.
_DEFAULT_COMPUTER_PREFIXES = ("WIN-", "DESKTOP-", "LAPTOP-")


def _bare_computers(text):
    for m in _BARE_COMPUTER.finditer(text):
        name = m.group()
        if len(name) > 15:
            continue
        if name.startswith(_DEFAULT_COMPUTER_PREFIXES) and len(name.split("-")[1]) >= 5:
            yield "computer", m.start(), m.end()
            continue
        if not name[-1].isdigit():
            continue
        parts = name.split("-")
        # RMAN-03009, DPI-1047, %ASA-4-106023: a product's prefix and a number of four
        # digits or more is how error codes are written; machines are numbered shorter.
        if all(p.isdigit() for p in parts[1:]) and len(parts[-1]) >= 4:
            continue
        if parts[0].rstrip("0123456789") in _NOT_A_COMPUTER:
            continue
        yield "computer", m.start(), m.end()


def _labelled_machines(text):
    for label, kind in ((_COMPUTER_LABEL, "computer"), (_HOST_LABEL, "host")):
        for m in label.finditer(text):
            v = _HOST_VALUE.match(text, m.end())
            if v and not _LOCAL_HOST.match(v.group()):
                yield kind, v.start(), v.end()


# Login failed for user 'CONTOSO\jdoe'.
_QUOTED_USER = re.compile(r"(?i)\buser" + _H + r"+(?:\"([^\"\r\n]{1,100})\"|'([^'\r\n]{1,100})')")


def _quoted_users(text):
    for m in _QUOTED_USER.finditer(text):
        group = 1 if m.group(1) is not None else 2
        start, end = m.start(group), m.end(group)
        if _WELL_KNOWN_ACCOUNT.match(text, start):
            continue
        yield "user", start, end


# One backslash, or two as JSON and most log formats escape it.
_DOMAIN_USER = re.compile(
    r"(?<![\w\\.$%-])([A-Z][A-Z0-9-]{1,14})\\{1,2}([A-Za-z0-9][\w.$-]{0,63})(?![\w\\$-])"
)
_SQL_SOURCE_BEFORE = re.compile(r"(?i)(?:source|server)" + _H + r"*=" + _H + r"*$")
_NOT_A_DOMAIN = {
    "AUTHORITY",
    "SERVICE",
    "APPPOOL",
    "BUILTIN",
    "MACHINE",
    "HKLM",
    "HKCU",
    "HKCR",
    "HKU",
    "HKCC",
    "NT",
}


def _domain_users(text):
    for m in _DOMAIN_USER.finditer(text):
        if m.group(1) in _NOT_A_DOMAIN:
            continue
        if _SQL_SOURCE_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue  # Data Source=SQL02\SQLEXPRESS: a server and its instance
        end = m.end()
        while end > m.start(2) + 1 and text[end - 1] == ".":
            end -= 1
        yield "user", m.start(), end


_APP_POOL = re.compile(r"(?i)\bIIS APPPOOL\\([^\s\"',;:()\[\]]+(?: Classic)?)")


def _app_pools(text):
    for m in _APP_POOL.finditer(text):
        if not _DEFAULT_APP_POOL.match(text, m.start(1)):
            yield "user", m.start(1), m.end(1)


_SID = re.compile(r"\bS-1-5-21(?:-[0-9]{1,10}){3,4}\b")


def _sids(text):
    for m in _SID.finditer(text):
        yield "sid", m.start(), m.end()


# C:\Users\jdoe\..., C:\Documents and Settings\John Smith\..., /home/jdoe/
_PROFILE_PATH = re.compile(
    r"(?i)[\\/](?:Users|home|Documents and Settings)[\\/]+"
    r"(?:([^\\/\r\n\t\"'<>:|*?]{1,64}?)(?=[\\/])|([^\\/\s\"'<>:|*?,;()]+))"
)
_SHARED_PROFILES = {"public", "default", "default user", "all users", "administrator", "shared"}


def _profile_paths(text):
    for m in _PROFILE_PATH.finditer(text):
        group = 1 if m.group(1) is not None else 2
        name = m.group(group)
        if name.lower() in _SHARED_PROFILES or name.startswith("%"):
            continue
        yield "path-user", m.start(group), m.end(group)


# --- identifiers and addresses -----------------------------------------------

_GUID = re.compile(
    r"(?<![0-9A-Fa-f-])\{?[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\}?"
    r"(?![0-9A-Fa-f-])"
)


def _guids(text):
    for m in _GUID.finditer(text):
        start, end = m.start(), m.end()
        # Keep an unbalanced brace out of the span.
        if text[start] == "{" and text[end - 1] != "}":
            start += 1
        elif text[end - 1] == "}" and text[start] != "{":
            end -= 1
        yield "guid", start, end


_IPV6 = re.compile(
    r"(?<![0-9A-Za-z:.%])(?:[0-9A-Fa-f]{0,4}:){2,7}"
    r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})(?:%[0-9A-Za-z]{1,16})?"
)


def _ipv6(text):
    for m in _IPV6.finditer(text):
        candidate = m.group()
        for value in (candidate, candidate.rstrip(":")):
            if _is_ipv6(value):
                yield "ip", m.start(), m.start() + len(value)
                break


def _is_ipv6(value):
    address = value.split("%", 1)[0]
    if not any(c in "0123456789abcdefABCDEF" for c in address):
        return False
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    groups = [g for g in address.split(":") if g]
    return any(c.isdigit() for c in address) or len(groups) >= 3


_IPV4 = re.compile(r"(?<![0-9A-Za-z.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9]|\.[0-9])")
_VERSION_WORD = re.compile(
    r"(?i)\b(?:version|ver|build|release|rev|revision|fileversion|productversion"
    r"|assemblyversion)\.?" + _H + r"*[:=]?" + _H + r"*$"
)
_PRODUCT_NAME = re.compile(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:\.exe)?")


def _ipv4(text):
    for m in _IPV4.finditer(text):
        parts = m.group().split(".")
        if any(int(p) > 255 for p in parts):
            continue
        if _is_version(text, m.start(), parts):
            continue
        yield "ip", m.start(), m.end()


def _is_version(text, start, parts):
    before = text[max(0, start - 40) : start]
    if _VERSION_WORD.search(before):
        return True
    # One space between: "SMSvcHost 3.0.0.0", not a column of an aligned table.
    if parts[-1] == "0" and before[-1:].isspace() and not before[-2:-1].isspace():
        words = before.split()
        if words and _PRODUCT_NAME.fullmatch(words[-1]):
            return True
    return False


# Common top-level domains; country codes that are also file extensions in
# error text (.py, .sh, .md, .pl, .so, .cs, .ps, .rs) are left out.
_TLDS = frozenset(
    """
    com net org edu gov mil biz io co local localdomain lan corp internal intranet home
    private priv ad domain cloud online site tech xyz
    us uk eu de se no dk fi is fr nl be ch at es pt it cz sk hu ro bg gr ru ua ee lv lt
    jp cn kr tw hk sg in au nz ca br ar mx cl za ie tr il ae
    """.split()
)
_PUBLIC_DOMAINS = (
    "microsoft.com",
    "windows.com",
    "windowsupdate.com",
    "msdn.com",
    "microsoftonline.com",
    "msftncsi.com",
    "w3.org",
    "xmlsoap.org",
    "tempuri.org",
    "openxmlformats.org",
    "oasis-open.org",
    "ietf.org",
    "iana.org",
    "nuget.org",
    "github.com",
    "python.org",
    "apache.org",
    "mozilla.org",
    "digicert.com",
    "verisign.com",
    "globalsign.com",
    "letsencrypt.org",
)
_NAMESPACE_ROOTS = {"system", "microsoft"}
_DOTTED_NAME = re.compile(r"(?<![A-Za-z0-9_.@-])[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+")


def _host_names(text):
    for m in _DOTTED_NAME.finditer(text):
        if _is_host_name(m.group()):
            yield "host", m.start(), m.end()


def _is_host_name(name):
    labels = name.split(".")
    last = labels[-1]
    if last.lower() not in _TLDS:
        return False
    if re.fullmatch(r"[A-Z][a-z]+", last):  # System.Net, Foo.Com: identifiers
        return False
    if last == "NET" and len(labels) == 2:  # ASP.NET, ADO.NET, Microsoft.NET
        return False
    if labels[0].lower() in _NAMESPACE_ROOTS and labels[0] != labels[0].lower():
        return False
    return not _is_public(name)


def _is_public(host):
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in _PUBLIC_DOMAINS)


# Host part of a URL, including single-label intranet names: http://sp01/sites/hr
_URL_HOST = re.compile(r"(?i)\b[a-z][a-z0-9+.-]{1,15}://(?:[^\s/@]+@)?([A-Za-z0-9][\w.-]*)")


def _url_hosts(text):
    for m in _URL_HOST.finditer(text):
        host = m.group(1).rstrip(".")
        if host.lower() == "localhost" or _is_public(host):
            continue
        if all(c.isdigit() or c == "." for c in host):
            continue  # an IPv4 address; the address detector names it
        yield "host", m.start(1), m.start(1) + len(host)


# \\FILESRV01\share; not \\.\pipe\ or \\?\C:\
_UNC_HOST = re.compile(r"(?<![\w:\\])\\\\([A-Za-z0-9][\w.-]*)(?=\\)")


def _unc_hosts(text):
    for m in _UNC_HOST.finditer(text):
        host = m.group(1)
        if host.lower() == "localhost" or all(c.isdigit() or c == "." for c in host):
            continue
        yield "host", m.start(1), m.end(1)


# Listed by priority: on an exact tie the detector listed first names the span.
_DETECTORS = (
    _private_keys,
    _url_credentials,
    _authorization,
    _secret_pairs,
    _secret_prose,
    _token_shapes,
    _emails,
    _guids,
    _sids,
    _ipv6,
    _ipv4,
    _labelled_users,
    _quoted_users,
    _app_pools,
    _labelled_machines,
    _domain_users,
    _bare_computers,
    _profile_paths,
    _url_hosts,
    _unc_hosts,
    _host_names,
    _long_tokens,
)
