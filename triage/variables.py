"""The variable parts of an error message: what differs between two reports of one error.

Ports, process ids, GUIDs, paths, host names, timestamps and quoted names change from
one paste to the next while the error stays the same. One ordered list of them serves
both the engine's derivation of signatures from an article's error text (the fixed words
between the variable parts are what it looks for) and the fingerprint that groups
unanswered pastes (the variable parts become ``<*>``). Plain Python, no Django.

The order matters where parts overlap: the first that matches at a position wins, so a
URL is taken whole before its host or its numbers.
"""

import re
from functools import lru_cache
from typing import NamedTuple


class Part(NamedTuple):
    name: str
    pattern: str


PARTS = (
    # Placeholders that redaction leaves: [IP], [USER], [PATH-USER].
    Part("placeholder", r"\[[A-Z][A-Z-]{1,15}\]"),
    # The placeholders documentation writes for a value of the reader's own:
    # <computer name>, <domain_name>, <FQDN>, <servername>, ServerName.contoso.com.
    Part(
        "documented-placeholder",
        r"<[A-Za-z][\w.-]*(?:[ _][\w.-]+)+>"
        r"|(?i:<(?:server|servername|computer|computername|domain|fqdn|host|hostname|instance"
        r"|instancename|user|username|share|sharename|port|portnumber|version|drive|tld)>)"
        r"|\b(?:Server|Computer|User|Domain|Share|Instance|Host|Machine|Database)Name\b",
    ),
    Part("url", r"\b[A-Za-z][A-Za-z0-9+.-]{1,15}://[^\s\"'<>)\]}]+"),  # net.tcp://, https://
    Part(
        "guid", r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
    ),
    Part("windows-path", r"(?<![\w\\])[A-Za-z]:\\[^\s\"'<>|]*"),
    Part("unc-path", r"\\\\[^\s\"'<>|]+"),  # and pipe names, \\.\pipe\...
    Part("unix-path", r"(?<![\w.])/(?:[\w.-]+/)+[\w.-]*"),
    Part("ipv4-endpoint", r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"),
    Part("ipv6-endpoint", r"\[?[0-9a-fA-F]*::[0-9a-fA-F:]*\]?:\d+"),
    Part("host", r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|local|lan|corp|internal|edu|gov|io)(?![\w.])"),
    Part("date", r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:T(?=\d)|\b)"),
    Part("time", r"\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s*[AaPp][Mm]\b|[Zz]\b|\b)"),
    Part("hex-number", r"\b0[xX][0-9a-fA-F]+\b"),
    Part("hex-id", r"\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{4,}\b"),
    Part("number", r"\b\d+(?:[.,:]\d+)*\b"),  # and versions, 3.0.0.0
    Part("quoted", r"(?<!\w)'[^'\r\n]{0,80}'(?!\w)"),  # a name in single quotes: 'Default Web Site'
    # A quotation in double quotes: a value when short ("Sales"), while a whole quoted
    # message runs past the limit and stays.
    Part("double-quoted", r'"[^"\r\n]{0,80}"|[“‘][^”’\r\n]{0,80}[”’]'),
    Part("object-id", r"/[A-Za-z0-9]{6,}\b"),  # /54166759 after a class name
)
_BY_NAME = {part.name: part for part in PARTS}
# What a text holds when a part can match in it: at least one of these strings (none
# given: any text). A pattern without the parts a text cannot hold finds the same
# matches in it, and a long log is spared trying each of them at every character.
NEEDS = {
    "placeholder": ("[",),
    "documented-placeholder": ("<", "Name"),
    "url": ("://",),
    "guid": ("-",),
    "windows-path": (":\\",),
    "unc-path": ("\\\\",),
    "unix-path": ("/",),
    "ipv4-endpoint": (".",),
    "ipv6-endpoint": ("::",),
    "host": (".com", ".org", ".local", ".lan", ".corp", ".internal", ".edu", ".gov", ".io"),
    "date": ("-", "/", "."),
    "time": (":",),
    "hex-number": ("0x", "0X"),
    "hex-id": (),
    "number": (),
    "quoted": ("'",),
    "double-quoted": ('"', "\u201c", "\u2018"),
    "object-id": ("/",),
}


def pattern(*, without=()):
    """One regular expression of every part but those named in without, in list order."""
    unknown = set(without) - _BY_NAME.keys()
    if unknown:
        raise ValueError(f"no such variable parts: {sorted(unknown)}")
    return _compiled(tuple(p.name for p in PARTS if p.name not in without))


def pattern_for(text, *, without=()):
    """pattern(without=...) but for the parts text cannot hold (NEEDS): the same matches
    in text. None when text can hold none of them."""
    names = tuple(
        p.name
        for p in PARTS
        if p.name not in without
        and (not NEEDS[p.name] or any(needle in text for needle in NEEDS[p.name]))
    )
    return _compiled(names) if names else None


@lru_cache(maxsize=256)  # a few combinations of parts make up nearly every paste
def _compiled(names):
    return re.compile("|".join(f"(?:{_BY_NAME[name].pattern})" for name in names))
