"""What the engine knows of the world, before any article: the data/*.txt files and the
word lists that are written in code.

Everything here is about frameworks, products, standard messages and the language of
error reports; nothing is about one article. The loaders read their file once.
"""

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from wordfreq import zipf_frequency

from triage import codes as codes_module
from triage.matcher import match_key

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Words that carry no information in a message.
STOPWORDS = frozenset(
    """a an the of to in on at by for from with without and or not no is are was were be been
    being it its this that these those there here as if then than so but into over under up
    down out via per each any all some can could would should will shall may might must do
    does did has have had i you we they he she my our your their me us them what which who
    when where why how while after before again also only just very more most such own same
    too now please""".split()
)
# Everyday words of error messages: they tell that something failed, not what.
ERROR_VOCABULARY = frozenset(
    """error errors failed fail fails failure exception occurred occur unknown condition system
    operating server service services cannot could connect connection connections file files
    specified unable process processes request requests timeout time timed invalid denied
    access code return returned last ended ending end object create created open read write
    found message operation data value type application program windows network address port
    socket busy already used use using in use remote local client host handle instance
    instances set get start started stop stopped running run call called state status
    information info warning level default new name""".split()
)
# The last word of a software component's name: "SQL Server Native Client", "Named Pipes
# Provider", "SQL Server Network Interfaces", "Microsoft OLE DB Driver". An error text
# names them as the part that reported it: where the error happened, not what it was.
COMPONENT_HEADS = frozenset(
    "client provider driver interfaces interface library runtime framework module".split()
)
# Codes that say no more than "it failed": .NET gives every SocketException the HRESULT
# E_FAIL, whatever the socket error was.
UNSPECIFIED_CODES = frozenset({"hresult:0x80004005"})
# The code systems of Windows itself: any program on it can meet their errors (a Python
# script runs out of ephemeral ports as a .NET service does), so which program reports
# one says where it happened, not which error it is.
OPERATING_SYSTEM_CODES = frozenset({"win32", "winsock", "ntstatus"})
# The names of Windows itself as a product an article applies to ("Windows Server 2019",
# "Microsoft Windows 10"), not of products that carry its name (Windows Communication
# Foundation, Windows Installer).
OPERATING_SYSTEM_RE = re.compile(
    r"(?i)^(?:microsoft\s+)?windows(?:\s+(?:server|client))?"
    r"(?:\s+(?:\d[\w.]*|xp|vista|rt))?(?:\s+r2)?$"
)
# The products whose own error numbers the other code systems are: an IIS status.substatus
# is IIS's, a SQL Server error number or a SQL Network Interfaces error SQL Server's.
CODE_PRODUCTS = {
    "iis": re.compile(r"(?i)\b(?:internet information services|iis)\b"),
    "sqlserver": re.compile(r"(?i)\bsql server\b"),
    "sni": re.compile(r"(?i)\bsql server\b"),
}
# Leading name parts of a stack frame that say nothing about who wrote the code
# (com.example.App).
FRAME_PREFIXES = frozenset("com org net io de nl fr uk se no dk ch at be it es eu co".split())
# The ways an exception chain is written between its outer and inner exception.
INNER_MARKERS = ("--->", "inner exception", "caused by:")
# Endings cut off to find a word's stem: "dispatched", "dispatching" -> "dispatch".
STEM_ENDINGS = ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ed", "es", "ly")
STEM_ENDINGS += ("s", "d")
# Regular English endings: a paste word that is another word plus one of these
# ("served" beside "serve", "server") is spelt right, however close to a phrase word.
WORD_ENDINGS = ("s", "es", "d", "ed", "ing", "er", "ly")

TOKEN_RE = re.compile(r"[\w.:]+")
LETTERS_RE = re.compile(r"[^\W\d_]+")
EXCEPTION_NAME_RE = re.compile(r"(?<![\w.])((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*Exception)\b")


def _data_lines(name):
    path = DATA_DIR / name
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.split(r"\s#(?:\s|$)", raw, maxsplit=1)[0].strip()
        if line and not line.startswith("#"):
            head, _, rest = line.partition(" ")
            yield head.strip(), rest.strip()


def phrase_key(value):
    """The match key of a phrase: normalised, without outer punctuation."""
    key = match_key(value)
    return key.strip(" .,;:!?-'\"")


def code_key(value):
    code = codes_module.lookup(str(value).strip())
    return code.key if code else str(value).strip().lower()


class ForeignMarker(NamedTuple):
    cap: str  # "low" or "medium"
    marker: str
    family: str  # the product or platform it names


@cache
def foreign_markers():
    """The ForeignMarkers of data/foreign_context.txt."""
    found, family = [], ""
    for head, rest in _data_lines("foreign_context.txt"):
        if head == "family":
            family = rest
        elif rest:
            found.append(ForeignMarker(head, rest, family or rest))
    return tuple(found)


@cache
def _generic_evidence():
    return tuple(_data_lines("generic_evidence.txt"))


@cache
def generic_phrases():
    """Keys of the messages many programs print: the listed ones, the report furniture,
    and every standard Windows message of three words or more between its placeholders."""
    phrases = {
        phrase_key(value) for kind, value in _generic_evidence() if kind in ("phrase", "noise")
    }
    for message in codes_module.message_phrases():
        for part in re.split(r"%\w+", message):
            key = phrase_key(part)
            if key.count(" ") >= 2:
                phrases.add(key)
    return frozenset(phrases)


@cache
def generic_exceptions():
    """Lower-case simple names of the framework exceptions many programs throw."""
    return frozenset(value.lower() for kind, value in _generic_evidence() if kind == "exception")


@cache
def common_codes():
    """Keys of the error codes that turn up in every kind of failure."""
    return frozenset(code_key(value) for kind, value in _generic_evidence() if kind == "code")


@cache
def framework_namespaces():
    """Lower-case namespace prefixes of framework code ("system.", "java.")."""
    return tuple(value.lower() for kind, value in _generic_evidence() if kind == "namespace")


@cache
def noise():
    """Keys of the phrases that are only the furniture of error reports."""
    return frozenset(phrase_key(value) for kind, value in _generic_evidence() if kind == "noise")


@cache
def platform_programs():
    """Lower-case names (without .exe) of Windows' own programs and services and of the
    usual diagnostic tools: naming one in a paste says nothing about which product failed."""
    return frozenset(
        value.lower().removesuffix(".exe")
        for kind, value in _generic_evidence()
        if kind == "program"
    )


@cache
def localized_messages():
    """(message key, ErrorCode) pairs from data/localized_messages.txt."""
    pairs = []
    for code, message in _data_lines("localized_messages.txt"):
        found = codes_module.lookup(code)
        key = phrase_key(message)
        if found and key:
            pairs.append((key, found))
    return tuple(pairs)


@cache
def code_messages():
    """Keys of the standard Windows messages that a code signature covers."""
    return frozenset(phrase_key(m) for m in codes_module.message_phrases())


@cache
def generic_trigrams():
    """Every run of three words in a generic message."""
    trigrams = set()
    for phrase in generic_phrases():
        words = message_words(phrase)
        trigrams.update(zip(words, words[1:], words[2:], strict=False))
    return frozenset(trigrams)


def message_words(value):
    return [w.strip(".:").lower() for w in TOKEN_RE.findall(value)]


def is_framework(qualified):
    """Whether a qualified name is framework code (System.Net.Sockets, java.io)."""
    return qualified.lower().startswith(framework_namespaces())


@lru_cache(maxsize=65536)  # pastes bring words of every kind: keep it bounded
def zipf(word):
    """How common word is in English, from 0 (never seen) to about 8 ("the")."""
    return zipf_frequency(word, "en")
