"""Error codes in pasted text, in every spelling, reduced to one key each.

The same failure reaches a paste as `231`, `0xE7`, `0x800700E7`, `WIN32:231`,
`ERROR_PIPE_BUSY`, `STATUS_PIPE_BUSY` or "All pipe instances are busy."; all of
them are key "win32:231". The table lives in error_codes.csv (columns in
README.md).

Bare numbers are codes only where the text says so ("error 231", "errno 10048",
"SocketException (10048)"): ports, process IDs, event IDs, times and version
numbers are everywhere in logs, and taking them for error codes would send the
triage the wrong way. Plain Python, no Django: the matcher and its tests use it
directly.

Beside the Windows codes, the numbers other systems give their errors, read where
their own wording says so: IIS status and substatus ("HTTP Error 500.19", key
"iis:500.19"; "HTTP Error 503", "http:503"), SQL Server error numbers ("Msg 18456",
"Error: 18456, Severity: 14", "(Microsoft SQL Server, Error: 18456)", key
"sqlserver:18456") and the SQL Server client's network errors ("(provider: SQL Network
Interfaces, error: 26 - ...)", key "sni:26"). Those numbers identify the error: error
26 and error 52 are two errors, not one message with a variable part.
"""

import csv
import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import ahocorasick

DATA_FILE = Path(__file__).resolve().parent / "error_codes.csv"

# Messages of two words are common English ("not implemented", "invalid handle");
# only these are distinctive enough to be taken for an error on their own.
_SHORT_MESSAGES = {"incorrect function", "catastrophic failure"}


@dataclass(frozen=True)
class ErrorCode:
    key: str  # "win32:231", "winsock:10048", "hresult:0x80004005", "iis:500.19", ...
    system: str  # "Win32" | "WinSock" | "HRESULT" | "NTSTATUS" | one of OTHER_SYSTEMS
    value: int  # IIS: status * 1000 + substatus
    name: str
    message: str  # FormatMessage text; empty for an NTSTATUS, whose error is in CodeHit.code

    @property
    def number(self):
        """The value as its system writes it: 0x800700E7, 231, 500.19."""
        if self.system in ("HRESULT", "NTSTATUS"):
            return f"0x{self.value:08X}"
        if self.system == "IIS":
            return f"{self.value // 1000}.{self.value % 1000}"
        return str(self.value)


@dataclass(frozen=True)
class CodeHit:
    start: int
    end: int
    spelling: str  # text[start:end]
    code: ErrorCode  # the canonical error: Win32 231 for 0x800700E7
    wrapper: ErrorCode | None  # the HRESULT or NTSTATUS as written, if it was one
    how: str  # "decimal" | "hex" | "hresult" | "ntstatus" | "symbol" | "message"


def normalise_message(text):
    """Lowercase, whitespace collapsed, trailing period dropped: how messages are compared."""
    return " ".join(text.lower().split()).rstrip(".").rstrip()


def _key(system, value):
    if system in ("HRESULT", "NTSTATUS"):
        return f"{system.lower()}:0x{value:08X}"
    return f"{system.lower()}:{value}"


class _Table:
    def __init__(self, rows):
        self.codes = {}  # key -> ErrorCode, for codes in their own right
        self.numbered = {}  # Win32 and WinSock share one numbering: value -> ErrorCode
        self.hresult = {}  # value -> ErrorCode (standalone HRESULTs)
        self.hresult_names = {}  # 0x8007xxxx value -> its SDK name (E_ACCESSDENIED)
        self.ntstatus = {}  # value -> (wrapper, code)
        self.names = {}  # NAME -> (code, wrapper)
        self.messages = {}  # normalised message -> key, every message
        owners = {}  # normalised message -> keys of the first system that uses it

        mapped = []
        for row in rows:
            system, value = row["system"], int(row["value"], 0)
            if row["maps_to"]:
                mapped.append((system, value, row["name"], row["maps_to"]))
                continue
            code = ErrorCode(_key(system, value), system, value, row["name"], row["message"])
            self.codes[code.key] = code
            if system == "HRESULT":
                self.hresult[value] = code
            else:
                self.numbered[value] = code
            self.names[code.name.upper()] = (code, None)
            if code.message:
                norm = normalise_message(code.message)
                self.messages.setdefault(norm, code.key)
                keys = owners.setdefault(norm, [system, []])
                if keys[0] == system:
                    keys[1].append(code.key)

        for system, value, name, target in mapped:
            code = self.codes[target]
            if system == "NTSTATUS":
                wrapper = ErrorCode(_key(system, value), system, value, name, "")
                self.ntstatus[value] = (wrapper, code)
            else:
                self.hresult_names[value] = name
                wrapper = self.win32_hresult(value, code)
            self.names[name.upper()] = (code, wrapper)

        # A message shared by two codes of one system names neither.
        self.phrases = {
            norm: keys[0]
            for norm, (_, keys) in owners.items()
            if len(keys) == 1
            and "%" not in norm
            and (norm.count(" ") >= 2 or norm in _SHORT_MESSAGES)
        }
        self.automaton = ahocorasick.Automaton()
        for norm, key in self.phrases.items():
            self.automaton.add_word(norm, (len(norm), key))
        self.automaton.make_automaton()

    def win32_hresult(self, value, code):
        name = self.hresult_names.get(value) or f"HRESULT_FROM_WIN32({code.name})"
        return ErrorCode(_key("HRESULT", value), "HRESULT", value, name, code.message)

    def by_value(self, value, small_how):
        """(code, wrapper, how) for a number as written, or None if it is no known code."""
        if 0 <= value <= 0xFFFF:
            code = self.numbered.get(value)
            return (code, None, small_how) if code else None
        if value in self.hresult:
            return self.hresult[value], None, "hresult"
        if value >> 16 == 0x8007:  # HRESULT_FROM_WIN32
            code = self.numbered.get(value & 0xFFFF)
            return (code, self.win32_hresult(value, code), "hresult") if code else None
        if value in self.ntstatus:
            wrapper, code = self.ntstatus[value]
            return code, wrapper, "ntstatus"
        return _unlisted(value)


def _unlisted(value):
    """(code, None, how) for a 32-bit value with the severity bit set that the table does
    not list: an error all the same (0x800F0954, a servicing error; 0x8024402C, Windows
    Update's), an NTSTATUS when it starts with 0xC. Its key is what pastes and articles
    share, though it has no name or message here. -1 (0xFFFFFFFF) is no code."""
    if not 0x80000000 <= value < 0xFFFFFFFF:
        return None
    system = "NTSTATUS" if value >> 28 == 0xC else "HRESULT"
    how = system.lower()
    return ErrorCode(_key(system, value), system, value, "", ""), None, how


@functools.cache
def _table():
    with DATA_FILE.open(encoding="utf-8", newline="") as f:
        return _Table(csv.DictReader(f))


def all_codes():
    """Every code in its own right (not the NTSTATUS and HRESULT names that point at one)."""
    return list(_table().codes.values())


def message_phrases():
    """Normalised standard message -> key, for the messages safe to look for in free text."""
    return dict(_table().phrases)


# Each pattern that does not begin with a literal begins with a lookahead for the
# letters it can begin with: the scan then tests one character class per position
# instead of trying every alternative.
_PREFIXES = ("win32", "winsock", "hresult", "ntstatus")
_PREFIXED = re.compile(
    rf"(?i)(?=[whn])\b({'|'.join(_PREFIXES)}):(0x[0-9a-f]{{1,8}}|\d{{1,10}})(?!\w)"
)
_INTEGER = re.compile(r"-?\d{1,10}")
_HEX_TOKEN = re.compile(r"0[xX][0-9A-Fa-f]{1,8}")


def _resolve(token):
    table = _table()
    t = token.strip()
    m = _PREFIXED.fullmatch(t)
    if m:
        return _resolve_prefixed(m.group(1), m.group(2))
    other = _other_key(t)
    if other:
        return other, None, "decimal"
    if _INTEGER.fullmatch(t):
        return _resolve_integer(int(t))
    if _HEX_TOKEN.fullmatch(t):
        return table.by_value(int(t, 16), "hex")
    if t.upper() in table.names:
        code, wrapper = table.names[t.upper()]
        return code, wrapper, "symbol"
    key = table.messages.get(normalise_message(t))
    return (table.codes[key], None, "message") if key else None


def _resolve_prefixed(system, number):
    value = int(number, 0) if number[:2].lower() == "0x" else int(number)
    found = _table().by_value(value, "decimal")
    if found and system.lower() in ("win32", "winsock") and found[1] is not None:
        return None  # WIN32:0x80070005 is not a Win32 code
    return found


def _resolve_integer(value):
    """A decimal as written: a Win32/WinSock code, or an HRESULT/NTSTATUS printed as an int."""
    if value < 0:
        value &= 0xFFFFFFFF
    if value < 0x80000000 and value > 0xFFFF:
        return None
    return _table().by_value(value, "decimal")


def lookup(token):
    """The canonical ErrorCode for any one spelling, or None.

    "231", "0xE7", "0x800700E7", "WIN32:231", "ERROR_PIPE_BUSY", "STATUS_PIPE_BUSY",
    "0xC00000AE" and "All pipe instances are busy." all give Win32 231.
    """
    if not isinstance(token, str):
        return None
    found = _resolve(token)
    return found[0] if found else None


# A decimal is an error code only right after words that say so.
_DECIMAL = re.compile(
    r"(?i)(?=[ewh])(?:"
    r"(?P<kw>win32[_ ]exit[_ ]code|exit[_ ]code|exited with code"
    r"|error[_ ]?(?:code|no\.?|number)?(?:\(\))?|errno|\berr\b|h[_ ]?result)"
    r"[ \t]*+(?:[:=#]|\bis\b|\bwas\b|\breturned\b)?[ \t]*+\(?[ \t]*+"
    r"(?P<num>-?\d{1,10})(?!\w|[.,:/-]\d|[ \t]++of[ \t]++\d)"
    r"|exception[ \t]*+\([ \t]*+(?P<exc>\d{1,5})[ \t]*+\)"
    # "SocketException 10048": a named exception type, a space, the number.
    r"|(?<=[a-z0-9])exception[ \t]++(?P<named>\d{1,5})(?!\w|[.,:/-]\d|[ \t]++of[ \t]++\d)"
    r")"
)
# "Server Error 500" and "HTTP error 404" are web status codes, not Windows errors.
_NOT_WINDOWS_BEFORE = re.compile(r"(?i)(?:http\S*|server|sql|status|line)[ \t]*+$")
# The .NET pair "(109, 0x6d)": one code in decimal and hex.
_PAIR = re.compile(r"\((\d{1,5}),[ \t]*+(0[xX][0-9A-Fa-f]{1,4})\)")
_HEX = re.compile(r"0(?<!\w0)[xX][0-9A-Fa-f]{1,8}(?!\w)")  # "0" first: found by fast search
_ERROR_WORDS = re.compile(
    r"(?i)(?:error|errno|\berr\b|code|status|h[_ ]?result|\bhr\b|fail|exception|win32|returned)"
)
# A short hex after these is an address, handle or count, whatever came before.
_NOT_CODE_BEFORE = re.compile(
    r"(?i)(?:\bat|address|addr|location|handle|pid|tid|thread|process|\bid|offset|base|port"
    r"|flags?|mask|size|length|exit[_ ]code|exited with code)[ \t]*+[:=#]?[ \t]*+\(?[ \t]*+$"
)
_SYMBOL = re.compile(r"(?=[A-Z])\b(?:WSA[A-Z_]+|[A-Z][A-Z0-9]*_[A-Za-z0-9_]+)\b")


def find_codes(text):
    """Every error code in text, sorted by position, overlapping duplicates removed."""
    if not isinstance(text, str) or not text:
        return []
    table = _table()
    hits = []
    for readings in (
        _prefixed_codes,
        _decimal_codes,
        _pair_codes,
        _hex_codes,
        _symbol_codes,
        _other_codes,
    ):
        for start, end, found in readings(text, table):
            if found:
                code, wrapper, how = found
                hits.append(CodeHit(start, end, text[start:end], code, wrapper, how))
    hits.extend(_message_hits(text, table))
    # "error: 0" is success: no error was found there.
    return _without_overlaps([h for h in hits if not is_success(h.code)])


# Each reading yields (start, end, (code, wrapper, how) or None) for one way of writing
# a code.


def _prefixed_codes(text, table):
    """WIN32:231, HRESULT:0x800700E7."""
    # For ASCII text a case-blind match is a match in the lowercased text: the pattern
    # with nothing to find is skipped after a substring test.
    lowered = text.lower() if text.isascii() else None
    if lowered is not None and not any(f"{p}:" in lowered for p in _PREFIXES):
        return
    for m in _PREFIXED.finditer(text):
        yield m.start(), m.end(), _resolve_prefixed(m.group(1), m.group(2))


def _decimal_codes(text, table):
    """A decimal right after words that say it is a code: "error 231", "errno 10048"."""
    for m in _DECIMAL.finditer(text):
        number = m.group("exc") or m.group("named")
        if number:
            start = m.start("exc") if m.group("exc") else m.start("named")
            yield start, start + len(number), table.by_value(int(number), "decimal")
            continue
        if _NOT_WINDOWS_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue
        value = int(m.group("num"))
        keyword = m.group("kw").lower()
        if 0 <= value <= 0xFFFF and (
            keyword.startswith("h") or ("exit" in keyword and not keyword.startswith("win32"))
        ):
            continue  # an exit status 1 is not ERROR_INVALID_FUNCTION, nor "HRESULT 5" a code
        yield m.start("num"), m.end("num"), _resolve_integer(value)


def _pair_codes(text, table):
    """The .NET pair "(109, 0x6d)"."""
    for m in _PAIR.finditer(text):
        if int(m.group(1)) == int(m.group(2), 16):
            found = table.by_value(int(m.group(1)), "decimal")
            yield m.start(1), m.end(1), found
            if found:
                yield m.start(2), m.end(2), (found[0], None, "hex")


def _hex_codes(text, table):
    """0x800700E7 anywhere; a short hex such as 0xE7 only after words of error."""
    for m in _HEX.finditer(text):
        value = int(m.group(), 16)
        if value <= 0xFFFF and not _short_hex_is_code(text, m.start()):
            continue
        yield m.start(), m.end(), table.by_value(value, "hex")


def _symbol_codes(text, table):
    """ERROR_PIPE_BUSY, WSAEADDRINUSE, STATUS_PIPE_BUSY."""
    if "_" not in text and "WSA" not in text:
        return
    for m in _SYMBOL.finditer(text):
        pair = table.names.get(m.group().upper())
        if pair:
            yield m.start(), m.end(), (pair[0], pair[1], "symbol")


# ---------------------------------------------------------------- other systems

OTHER_SYSTEMS = {
    "iis": "IIS",
    "http": "HTTP",
    "sqlserver": "SQL Server",
    "sni": "SQL Network Interfaces",
}
# "HTTP Error 500.19", "HTTP Error 503.2 - Service Unavailable", "HTTP 404.3", "HTTP
# error code 405", "HTTP status code: 403", "HTTP/1.1 503".
_IIS = re.compile(
    r"(?i)(?=h)\bHTTP(?:/\d(?:\.\d)?)?(?:[ \t]+(?:Error|status))?(?:[ \t]+code)?:?[ \t]+"
    r"([1-5]\d\d)(?:\.(\d{1,3}))?(?!\w|\.\d)"
)
# IIS's status.substatus without "HTTP", where the words around it make it an error and
# not any decimal number: "403.14 errors", "error 500.19", "a 502.5 - Process Failure".
_IIS_SUBSTATUS = re.compile(
    r"(?i)(\b(?:error|status)[ \t]+)?(?<![\w.])([45]\d\d)\.(\d{1,2})(?![\w.]|\.\d)"
)
# (each of these words is also one of _CODE_HINTS, so a long paste's line holding one is read)
_IIS_ERROR_AFTER = re.compile(
    r"(?i)[ \t]*(?:[-\u2013][ \t]+)?(?:errors?\b|forbidden|not found|not allowed|unauthorized"
    r"|bad request|bad gateway|internal server error|service unavailable|[\w -]{0,40}?fail)"
)
# SQL Server's own error numbers, as it and its tools print them.
_SQL = re.compile(
    r"(?i)(?=[mes(])(?:\bMsg[ \t]+(\d{1,6})(?=,[ \t]*Level\b)"
    r"|\bError:[ \t]*(\d{1,6})(?=,[ \t]*Severity:)"
    r"|\(Microsoft SQL Server,[ \t]*Error:[ \t]*(\d{1,6})\)"
    r"|\bError Number:[ \t]*(\d{1,6})\b)"
)
# The SQL Server client's network layer: "(provider: Named Pipes Provider, error: 40 - ".
_SNI = re.compile(r"(?i)\(provider:[^,()\n]{1,60},[ \t]*(error:[ \t]*(\d{1,5}))\b")
_OTHER_KEY = re.compile(r"(?i)(iis|http|sqlserver|sni):(\d{1,6})(?:\.(\d{1,3}))?")


def _other(system, number, sub=None):
    """The ErrorCode of another system's error number, as written."""
    number = int(number)
    if system == "iis" and (sub is None or int(sub) == 0):
        # A status without substatus is HTTP's, whatever server sent it; IIS writes
        # none as .0 ("HTTP Error 405.0" is HTTP's 405).
        system, sub = "http", None
    if system == "iis":
        return ErrorCode(f"iis:{number}.{int(sub)}", "IIS", number * 1000 + int(sub), "", "")
    if system == "http" and sub is not None:
        return _other("iis", number, sub)
    return ErrorCode(f"{system}:{number}", OTHER_SYSTEMS[system], number, "", "")


def _other_key(token):
    m = _OTHER_KEY.fullmatch(token)
    if not m:
        return None
    system = m.group(1).lower()
    if m.group(3) is not None and system not in ("iis", "http"):
        return None
    return _other(system, m.group(2), m.group(3))


def _sql_number(text, m, number, table):
    """A SqlException's number is the Windows error of a failed connection ("(provider:
    Named Pipes Provider, error: 40 - ...) (Microsoft SQL Server, Error: 231)") and SQL
    Server's own error otherwise ("Login failed ... (Microsoft SQL Server, Error: 18456)")."""
    connection = "provider:" in text[max(0, m.start() - 400) : m.start()].lower()
    if connection and (m.group(3) or m.group(4)):
        return table.by_value(number, "decimal")
    return _other("sqlserver", number), None, "decimal"


def _other_codes(text, table):
    """IIS status.substatus, HTTP status, SQL Server and SQL Network Interfaces errors."""
    lowered = text.lower() if text.isascii() else None
    if lowered is None or "http" in lowered:
        for m in _IIS.finditer(text):
            yield m.start(), m.end(), (_other("iis", m.group(1), m.group(2)), None, "decimal")
    if lowered is None or "." in lowered:
        for m in _IIS_SUBSTATUS.finditer(text):
            if m.group(1) or _IIS_ERROR_AFTER.match(text, m.end()):
                found = (_other("iis", m.group(2), m.group(3)), None, "decimal")
                yield m.start(2), m.end(), found
    if lowered is None or "msg" in lowered or "error" in lowered:
        for m in _SQL.finditer(text):
            number = next(g for g in m.groups() if g)
            yield m.start(), m.end(), _sql_number(text, m, int(number), table)
    if lowered is None or "provider:" in lowered:
        for m in _SNI.finditer(text):
            if int(m.group(2)):  # error 0: the message that follows is the error
                found = (_other("sni", m.group(2)), None, "decimal")
                yield m.start(1), m.end(1), found


def is_success(code):
    """Whether code is ERROR_SUCCESS (0), which says that nothing failed."""
    return code.value == 0 and code.system in ("Win32", "WinSock")


def _short_hex_is_code(text, start):
    """0xE7 is an error code after "error", "HRESULT", "failed with"; not after "at" or "handle"."""
    window = max(0, start - 40)
    window = max(window, text.rfind("\n", window, start) + 1)
    before = text[window:start]
    return bool(_ERROR_WORDS.search(before)) and not _NOT_CODE_BEFORE.search(before)


def _message_hits(text, table):
    lowered = text.lower()
    if len(lowered) == len(text):
        # The text _normalise_with_offsets makes, in C; its offsets only if a message is there.
        norm, offsets = " ".join(lowered.split()), None
    else:
        norm, offsets = _normalise_with_offsets(text)
    hits = []
    for last, (length, key) in table.automaton.iter(norm):
        first = last - length + 1
        if first > 0 and norm[first - 1].isalnum():
            continue
        if last + 1 < len(norm) and norm[last + 1].isalnum():
            continue
        if offsets is None:
            offsets = _normalise_with_offsets(text)[1]
        start, end = offsets[first], offsets[last] + 1
        if text[end : end + 1] == ".":
            end += 1
        hits.append(CodeHit(start, end, text[start:end], table.codes[key], None, "message"))
    return hits


def _normalise_with_offsets(text):
    """Lowercased text with runs of whitespace as one space, and each character's offset."""
    parts, offsets = [], []
    previous_end = None
    for m in re.finditer(r"\S+", text):
        if previous_end is not None:
            parts.append(" ")
            offsets.append(previous_end)
        word = m.group()
        lowered = word.lower()
        if len(lowered) == len(word):
            parts.append(lowered)
            offsets.extend(range(m.start(), m.end()))
        else:  # a few characters lowercase to two ("İ"): keep offsets aligned
            for i, ch in enumerate(word, m.start()):
                low = ch.lower()
                parts.append(low)
                offsets.extend([i] * len(low))
        previous_end = m.end()
    return "".join(parts), offsets


def _without_overlaps(hits):
    """Sorted by start; where spans overlap the longer (then earlier) hit is kept."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept, last_end = [], -1
    for hit in hits:
        if hit.start >= last_end:
            kept.append(hit)
            last_end = hit.end
    return kept


# Lines that may hold an error code in a spelling other than its standard message
# contain one of these: a number after "error" or "code", hex, "WIN32:", symbolic
# names with "_" or "WSA". find_codes_in_paste reads only those lines; the standard
# messages, wherever they are, are found by the triage's automaton in the same pass
# as everything else.
_CODE_HINTS = (
    "err",
    "code",
    "exception",
    "win32",
    "winsock",
    "result",
    "ntstatus",
    "status",
    "0x",
    "wsa",
    "exit",
    "fail",
    "return",
    "msg",
    "http",
    "forbidden",
    "not found",
    "unauthorized",
    "unavailable",
    "not allowed",
    "bad request",
    "bad gateway",
    "_",
)
_RUN_SEPARATOR = "\n\x00\n"


def find_codes_in_paste(text):
    """find_codes over the lines of text that may hold a code in a spelling other than its
    standard message; the other lines are not read. For a long log this is most of the
    cost of reading its codes."""
    lower = text.lower()
    if len(lower) != len(text):
        return find_codes(text)
    # Where each line starts: 0, then one past each line and its "\n".
    line_starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
    line_starts.pop()
    keep = _hint_lines(lower, line_starts)
    if len(keep) == len(line_starts):
        return find_codes(text)
    # Runs of kept lines, read in one call: a line holding only NUL between two
    # runs ends a message there and is no word, number or keyword any pattern
    # reads past, so each run is read as if alone. Hits are shifted back to
    # offsets in text.
    pieces, run_starts, joined_starts, joined_at = [], [], [], 0
    lines = sorted(keep)
    run_start = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or lines[i] != lines[i - 1] + 1:
            first, last = lines[run_start], lines[i - 1]
            start = line_starts[first]
            end = line_starts[last + 1] - 1 if last + 1 < len(line_starts) else len(text)
            pieces.append(text[start:end])
            run_starts.append(start)
            joined_starts.append(joined_at)
            joined_at += end - start + len(_RUN_SEPARATOR)
            run_start = i
    hits = []
    for hit in find_codes(_RUN_SEPARATOR.join(pieces)):
        k = bisect_right(joined_starts, hit.start) - 1
        shift = run_starts[k] - joined_starts[k]
        hits.append(
            CodeHit(
                hit.start + shift, hit.end + shift, hit.spelling, hit.code, hit.wrapper, hit.how
            )
        )
    return hits


def _hint_lines(lower, line_starts):
    """The numbers of the lines of lower-cased text that hold one of the code hints."""
    keep = set()
    for hint in _CODE_HINTS:
        pos = lower.find(hint)
        while pos >= 0:
            line = bisect_right(line_starts, pos) - 1
            keep.add(line)
            following = line_starts[line + 1] if line + 1 < len(line_starts) else len(lower)
            pos = lower.find(hint, following)
    return keep


# ---------------------------------------------------------------- spellings


def spellings(code):
    """Every way the error is written, for finding it in text that quotes it one way.

    Win32 231 is "231", "0xE7", "WIN32:231", "ERROR_PIPE_BUSY", its HRESULT "0x800700E7",
    the NTSTATUS names and numbers that stand for it ("STATUS_PIPE_BUSY", "0xC00000AE")
    and its standard message when that message names this error alone. The code as
    its system writes it comes first.
    """
    table = _table()
    found = [code.number]
    if code.system in ("Win32", "WinSock"):
        found += [f"0x{code.value:X}", f"{code.system.upper()}:{code.value}"]
        found.append(table.win32_hresult(0x80070000 | code.value, code).number)
    if code.name:
        found.append(code.name)
    for name, (target, wrapper) in _aliases().items():
        if target.key == code.key:
            found.append(name)
            if wrapper is not None:
                found.append(wrapper.number)
    message = normalise_message(code.message)
    if message and table.phrases.get(message) == code.key:
        found.append(code.message.rstrip(".").strip())
    return list(dict.fromkeys(found))


@functools.cache
def _aliases():
    """The names that point at another code (STATUS_PIPE_BUSY, E_ACCESSDENIED), as written."""
    return {
        name: pair
        for name, pair in _table().names.items()
        if pair[1] is not None or pair[0].name.upper() != name
    }
