"""The triage engine: from a pasted error to ranked, calibrated candidate articles.

Plain Python, no Django. `Index.build()` compiles the knowledge base once per
revision; `Index.triage()` then costs one pass over the paste plus the work on
the hits it finds.

Evidence
--------
A signature is something to look for in a paste, tied to an article and
sometimes to one of its causes. Editors write some; most are derived from the
verbatim error texts of the articles (`derive_signatures`): message fragments
cut at the variable parts, the error codes, exception types, event sources and
IDs, and process names in them. The argument lists of framework methods in a
stack trace are cut away too: every trace through those methods has them.
Kinds:

    primary: phrase, code, exception, event, pattern - the error itself
    context: product, process, context               - where it happened

Calibration
-----------
Each signature gets a strength in [0, 1):

    strength = 1 - (1 - specificity) ** (weight * idf)

*specificity* is how much the evidence tells in the world, before looking at
the knowledge base: an event source with its ID is nearly proof (0.9); a
message fragment counts by the information in its words (identifiers such as
NPServer::create or NetTcpPortSharing count most, everyday error vocabulary
least); a standard Windows message, a framework exception or a stack frame of
framework code is generic (see data/generic_evidence.txt) and counts little.
*idf* is how well the evidence tells articles apart: log(1 + N/df) / log(1 + N)
over N articles, df of which contain it. *weight* is the editor's (1 normal).

The strengths of one article combine as a noisy-OR, where each signature
counts once (repeats of a specific one add a little; repeats of a generic one,
the same standard message on every line of a log, add nothing) and hits
that sit side by side in the paste (a code next to its message, an exception
type before its message) form one cluster that counts as its strongest
member plus a little for the others.
Generic evidence together never counts for more than GENERIC_CAP, however
much of it there is.

A message that agrees with the article's error text up to a colon and then
gives another detail ("Failed to connect to an IPC Port: Access is denied"
where the article has "...: The system cannot find the file specified") is
another error that starts the same way: its signature counts as generic, at
most DIVERGENT_STRENGTH, and proves no cause. A code of the article right
after it (a localized detail, "Die Pipe wurde beendet. (109, 0x6d)") keeps it.

Misspelt words: a paste word of TYPO_MIN_LENGTH+ letters that nothing in
the knowledge base or the standard messages uses, but that is one edit (a
letter missing, added or wrong, two swapped) from exactly one word of a
phrase signature, is read as that word ("conect", "adress"), looked up in an
index of every word with one letter deleted. A phrase found only so needs
TYPO_WORDS_PER_FIX words per corrected one and lends TYPO_FACTOR of its
strength; its evidence points at the misspelt original. "can not" is read as
"cannot" at full strength.

Localized messages: a standard Windows message in another language
(data/localized_messages.txt) is its error code, and is read again as the
English message, so the phrases that quote it match as they would in English
("Port is Busy: Alle Pipeinstanzen sind ausgelastet."), their evidence on the
German words.

Paraphrases: a forum post may describe the error without quoting it ("an
SMSvcHost error saying a duplicated socket could not be dispatched and the
handle is leaked"). Words of an article's error texts and signatures that are
rare in English (wordfreq) and not error vocabulary, found in no other article,
count by their stems ("dispatched" for "dispatching"). So does context of an
article's own setting (its product, its process, a cause's telltale such as
"Task Manager"; not the words that only name the technology, nor those that
are themselves the trouble, "crashed") when the paste tells of trouble
("crashed", "is down", "time out"; not "no problem", "has never crashed", nor
"an alert when it fails") in a sentence that names the article's own product
or process (no other article's: not IIS), read in the pasted text where a line
break ends a sentence too, and the words are near that name: a post that says
"Lsmain.exe died and Task Manager still lists the LinkAge processes"
describes the article without a line of its error, and the cause whose
telltale it names is asked first.
PARAPHRASE_WORDS
distinct ones within PARAPHRASE_WINDOW characters make a candidate for an
article that has none otherwise. It is never high; medium only when nothing
else answered, the words weigh enough (a name such as SMSvcHost, or many plain
words) and no other product, program, application code or error code (other
than the article's own) is in the paste; low otherwise.

Context evidence counts only for an article that already has primary
evidence; it never makes a candidate on its own, and context written inside
the message itself (the service a message names) is not context. Its purpose
is to lift a generic message to a confident answer when the paste shows where
it happened: primary evidence worth at least MEDIUM plus one piece of context
of strength at least CONTEXT_LIFT scores at least HIGH. One piece, not their
sum: words that merely name the technology (net.tcp, netTcpBinding, a
framework class) carry a low weight, and however many of them a paste has,
they say "WCF over TCP", not "this article's setting". Framework names
(a context that is a framework namespace, a class inside the framework names
of the articles' texts, or a context hit inside a framework-qualified name of
the paste: IpcPort in System.Runtime.Remoting.Channels.Ipc.IpcPort.Connect)
never lift and may add to the score only below HIGH: another program on the
same framework has the same frames. The article's product (also run
together, as in the namespace ContentStudio.Web), its cause (overlapped
recycling, an application pool recycle) or its own component do lift. A
single primary hit weaker than MIN_STRENGTH makes no candidate, except a
common exception type beside the article's own name and one more piece of
its context that could lift ("EPiServer ... SocketException ... after the
application pool recycled"), below high; and never when the paste shows
another error: an error code that is not the article's, or an exception type
whose every appearance carries a message in plain English (wordfreq:
ENGLISH_SHARE of its words common in English; after a colon, in quotes or on
an ASP.NET event's "Exception message:" line) that none of the article's
signatures matched. An article so turned down is not brought back by a
description of the paste. A message in another language may be the article's
own, in words the knowledge base does not have, so it does not count against
it.

Confidence:
    high    score >= HIGH and the article has an anchor: either a specific
            (not generic) piece of primary evidence of strength >= ANCHOR, or
            primary evidence lifted by context (above);
    medium  score >= MEDIUM;
    low     anything else that matched.
Then:
    - a candidate whose primary evidence is all generic (standard messages,
      framework exceptions, common codes, generic phrases, messages with
      another detail) is low unless it has context of its own that could lift
      (CONTEXT_LIFT; framework names this strong give at most medium), or the
      article's shape: its exception chain, or a generic message its editor
      weighted above 1 as characteristic of it; with any sign of another
      program (below), or when its exceptions all carry another message in
      plain English (above), it stays low all the same;
    - markers of other products (data/foreign_context.txt) that the article
      does not mention cap its confidence at low or medium, and are listed as
      evidence with a negative weight;
    - so do stack frames of application code (not framework code) whose
      namespace the article does not mention (OrderService.Host.Program.Main,
      Acme.Scheduler.Client): the error surfaced in some other program, which
      caps the article at medium, unless the paste names the article's
      product or also shows the article's own code;
    - so do programs the paste names (AcmeTray.exe, "the AcmeBackup
      service") that are neither the article's nor Windows' own
      (data/generic_evidence.txt, "program"), unless it names the product;
    - when the two best candidates are both medium or high and their scores
      differ by less than CLOSE_MARGIN, neither is high: a question has to
      tell them apart;
    - a candidate whose every piece of primary evidence is also evidence of a
      high candidate above it is explained by that one and drops to low.
The result abstains when no candidate is medium or high.
"""

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, islice
from pathlib import Path
from typing import NamedTuple

from wordfreq import zipf_frequency

from triage import codes as codes_module
from triage.matcher import PatternSet, PhraseMatcher, match_key
from triage.text import is_word_char, long_words, normalise, substitute, word_spans

MAX_PASTE = 64 * 1024  # characters
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

KINDS = ("phrase", "code", "exception", "event", "process", "product", "context", "pattern")
PRIMARY_KINDS = frozenset({"phrase", "code", "exception", "event", "pattern"})
CONTEXT_KINDS = frozenset({"product", "process", "context"})

# Confidence thresholds on the combined score.
HIGH = 0.7
MEDIUM = 0.3
ANCHOR = 0.5
CONTEXT_LIFT = 0.3  # one piece of context this strong lifts a primary score >= MEDIUM to HIGH
MIN_STRENGTH = 0.1  # a lone primary hit weaker than this needs the article's context
MAX_CANDIDATES = 25
CLOSE_MARGIN = 0.15
GENERIC_CAP = 0.6
PROOF = 0.5  # a cause-level signature at least this strong proves its cause
DIVERGENT_STRENGTH = 0.3  # at most this for a message that goes on with another detail
CONTINUATION_CHARS = 160  # how far after a message its detail is compared

# Specificity of each kind of evidence (see "Calibration" above).
EVENT_SPECIFICITY = 0.9
PATTERN_SPECIFICITY = 0.6
CODE_SPECIFICITY = 0.45
COMMON_CODE_SPECIFICITY = 0.12
EXCEPTION_SPECIFICITY = 0.4
GENERIC_EXCEPTION_SPECIFICITY = 0.15
GENERIC_PHRASE_SPECIFICITY = 0.3
NOISE_SPECIFICITY = 0.03
FRAME_SPECIFICITY = 0.15
PRODUCT_SPECIFICITY = 0.5
PROCESS_SPECIFICITY = 0.4
CONTEXT_SPECIFICITY = 0.35
PHRASE_MIN, PHRASE_MAX = 0.15, 0.85
PHRASE_INFO_RATE = 0.55  # specificity = 1 - exp(-rate * information in the words)
MAX_STRENGTH = 0.97

# How the other members of a cluster, and repeats of one signature, add up.
CLUSTER_EXTRA = 0.25
REPEAT_EXTRA = 0.15
CLUSTER_GAP = 4  # characters without letters or digits between hits of one cluster
MAX_EVIDENCE_PER_SIGNATURE = 5

# Misspelt words (see Index._spelling_variants).
TYPO_MIN_LENGTH = 5  # shorter words are too often another real word one letter away
TYPO_FACTOR = 0.7  # a phrase found only through a corrected word lends this share
TYPO_WORDS_PER_FIX = 3  # a phrase needs this many words for each corrected one
# Regular English endings: a paste word that is another word plus one of these
# ("served" beside "serve", "server") is spelt right, however close to a phrase word.
WORD_ENDINGS = ("s", "es", "d", "ed", "ing", "er", "ly")
STEM_MIN_LENGTH = 4

# A message this share of whose words are English (Zipf at least ENGLISH_ZIPF) is one
# the engine can read; a lone weak exception followed by such a message that is not the
# article's is another error (see Index._score).
ENGLISH_SHARE = 0.85
ENGLISH_ZIPF = 3.3

# Paraphrases (see Index._paraphrases).
PARAPHRASE_WORDS = 3  # distinct distinctive words of one article it takes
PARAPHRASE_WINDOW = 400  # characters of the normalised paste they must share
PARAPHRASE_MIN_WEIGHT = 0.45  # information of a word times its idf across articles
# score = 1 - exp(-rate * sum of the words' weights): MEDIUM takes five plain words, or
# a name (SMSvcHost, an identifier) and two more.
PARAPHRASE_RATE = 0.145
PARAPHRASE_MIN_LENGTH = 4
# A word this common in English (Zipf frequency: 6 is "because", 4 "leaked", 3
# "duplicated") is everyday language, not part of an error, whatever the article says.
PARAPHRASE_MAX_ZIPF = 4.2
PARAPHRASE_REPEATS = 8  # places of one word or piece of context looked at
NAME_CHECKS = 32  # mentions of an article's name asked whether they tell of trouble
SENTENCE_REACH = 300  # characters of its sentence read either side of a piece
# Codes that say no more than "it failed": .NET gives every SocketException the HRESULT
# E_FAIL, whatever the socket error was.
UNSPECIFIED_CODES = frozenset({"hresult:0x80004005"})
# A piece of an article's own context counts as a distinctive word of this weight times
# its strength: its product (0.75) about as much as a name such as SMSvcHost.
CONTEXT_WORD_WEIGHT = 2.5
# Endings cut off to find a word's stem: "dispatched", "dispatching" -> "dispatch".
STEM_ENDINGS = ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ed", "es", "ly")
STEM_ENDINGS += ("s", "d")

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class SignatureSpec:
    article: str  # article slug
    kind: str  # phrase|code|exception|event|process|product|context|pattern
    value: str
    weight: float = 1.0
    cause: str | None = None  # cause key within the article, when the evidence points to one
    excluded: bool = False  # an editor's exclusion of the signature with this kind and value


@dataclass(frozen=True)
class CauseSpec:
    key: str
    title: str
    how_to_tell: str = ""


@dataclass(frozen=True)
class ArticleSpec:
    slug: str
    title: str
    products: tuple[str, ...] = ()
    error_texts: tuple[str, ...] = ()
    logged_in: tuple[str, ...] = ()
    causes: tuple[CauseSpec, ...] = ()


@dataclass
class Evidence:
    kind: str
    match: str  # text[start:end] of the original paste
    start: int
    end: int
    weight: float  # the strength it lends; negative for evidence against
    signature: str  # "kind:value"
    cause: str | None = None


@dataclass
class Candidate:
    article: str
    score: float
    confidence: str  # "high" | "medium" | "low"
    evidence: list[Evidence] = field(default_factory=list)
    cause_scores: dict[str, float] = field(default_factory=dict)
    proven_cause: str | None = None


@dataclass
class Result:
    candidates: list[Candidate]
    codes: list
    abstained: bool


# ---------------------------------------------------------------- data files


def _data_lines(name):
    path = DATA_DIR / name
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.split(r"\s#(?:\s|$)", raw, maxsplit=1)[0].strip()
        if line and not line.startswith("#"):
            head, _, rest = line.partition(" ")
            yield head.strip(), rest.strip()


@cache
def foreign_markers():
    """(cap, marker) pairs from data/foreign_context.txt."""
    return tuple((cap, marker) for cap, marker in _data_lines("foreign_context.txt") if marker)


@cache
def _generic():
    phrases, exceptions, code_keys, namespaces = set(), set(), set(), []
    for kind, value in _data_lines("generic_evidence.txt"):
        if kind == "phrase":
            phrases.add(_phrase_key(value))
        elif kind == "noise":
            phrases.add(_phrase_key(value))
        elif kind == "exception":
            exceptions.add(value.lower())
        elif kind == "code":
            code_keys.add(_code_key(value))
        elif kind == "namespace":
            namespaces.append(value.lower())
    for message in codes_module.message_phrases():
        for part in re.split(r"%\w+", message):
            key = _phrase_key(part)
            if key.count(" ") >= 2:
                phrases.add(key)
    return frozenset(phrases), frozenset(exceptions), frozenset(code_keys), tuple(namespaces)


@cache
def localized_messages():
    """(message, code key) pairs from data/localized_messages.txt."""
    pairs = []
    for code, message in _data_lines("localized_messages.txt"):
        found = codes_module.lookup(code)
        key = _phrase_key(message)
        if found and key:
            pairs.append((key, found))
    return tuple(pairs)


@cache
def platform_programs():
    """Lower-case names (without .exe) of Windows' own programs and services and of the
    usual diagnostic tools, from data/generic_evidence.txt: naming one in a paste says
    nothing about which product failed."""
    return frozenset(
        value.lower().removesuffix(".exe")
        for kind, value in _data_lines("generic_evidence.txt")
        if kind == "program"
    )


@cache
def _noise():
    """Keys of the phrases that are only the furniture of error reports."""
    return frozenset(
        _phrase_key(value) for kind, value in _data_lines("generic_evidence.txt") if kind == "noise"
    )


@cache
def _code_messages():
    return frozenset(_phrase_key(m) for m in codes_module.message_phrases())


def _words(value):
    return [w.strip(".:").lower() for w in _TOKEN_RE.findall(value)]


@cache
def _generic_trigrams():
    """Every run of three words in a generic message."""
    trigrams = set()
    for phrase in _generic()[0]:
        words = _words(phrase)
        trigrams.update(zip(words, words[1:], words[2:], strict=False))
    return frozenset(trigrams)


def _generic_coverage(tokens):
    """For each token, whether it sits in a run of three words that a generic message has."""
    words = [t.strip(".:").lower() for t in tokens]
    covered = [False] * len(words)
    trigrams = _generic_trigrams()
    for i in range(len(words) - 2):
        if (words[i], words[i + 1], words[i + 2]) in trigrams:
            covered[i] = covered[i + 1] = covered[i + 2] = True
    return covered


# ---------------------------------------------------------------- word classes

_STOPWORDS = frozenset(
    """a an the of to in on at by for from with without and or not no is are was were be been
    being it its this that these those there here as if then than so but into over under up
    down out via per each any all some can could would should will shall may might must do
    does did has have had i you we they he she my our your their me us them what which who
    when where why how while after before again also only just very more most such own same
    too now please""".split()
)
_ERROR_VOCABULARY = frozenset(
    """error errors failed fail fails failure exception occurred occur unknown condition system
    operating server service services cannot could connect connection connections file files
    specified unable process processes request requests timeout time timed invalid denied
    access code return returned last ended ending end object create created open read write
    found message operation data value type application program windows network address port
    socket busy already used use using in use remote local client host handle instance
    instances set get start started stop stopped running run call called state status
    information info warning level default new name""".split()
)
_TOKEN_RE = re.compile(r"[\w.:]+")
_CAMEL_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")
_EXCEPTION_NAME_RE = re.compile(r"(?<![\w.])((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*Exception)\b")


def _phrase_key(value):
    """The match key of a phrase: normalised, without outer punctuation."""
    key = match_key(value)
    return key.strip(" .,;:!?-'\"")


def _code_key(value):
    code = codes_module.lookup(str(value).strip())
    return code.key if code else str(value).strip().lower()


def _token_information(token):
    """How much one token of a message tells (see "Calibration")."""
    bare = token.strip(".:")
    if not bare:
        return 0.0
    low = bare.lower()
    if low.endswith("exception"):
        return 0.3
    if "::" in bare or (bare.count(".") >= 1 and all(p[:1].isalpha() for p in bare.split("."))):
        return 0.3 if _is_framework(bare) else 2.0
    if _CAMEL_RE.search(bare) or "_" in bare.strip("_"):
        return 2.0  # an identifier: CamelCase or snake_case
    if low in _STOPWORDS:
        return 0.0
    if low in _ERROR_VOCABULARY or len(low) <= 2 or low.isdigit():
        return 0.2
    return 0.5


def phrase_specificity(value):
    """Specificity of a message fragment by the information in its words."""
    information = sum(_token_information(t) for t in _TOKEN_RE.findall(value))
    return min(PHRASE_MAX, max(PHRASE_MIN, 1 - math.exp(-PHRASE_INFO_RATE * information)))


def _is_framework(qualified):
    return qualified.lower().startswith(_generic()[3])


# ---------------------------------------------------------------- derivation

_HEADER_RE = re.compile(
    r"(?im)^[ \t]*(?:log name|date|time|computer|user|keywords|level|task category|opcode"
    r"|process id|thread id|id|source|event id|process name|logged)[ \t]*:.*$"
)
_EVENT_SOURCE_RE = re.compile(r"(?im)^[ \t]*source[ \t]*:[ \t]*([A-Za-z][\w.-]*)")
_EVENT_ID_RE = re.compile(r"(?im)^[ \t]*event[ \t]*id[ \t]*:[ \t]*(\d{1,6})\b")
_PROCESS_NAME_RE = re.compile(r"(?im)^[ \t]*process name[ \t]*:[ \t]*([A-Za-z][\w.-]*)")
_EXE_RE = re.compile(r"(?<![\w.-])([A-Za-z][\w.-]*\.exe)\b", re.IGNORECASE)
_INNER_MARKER_RE = re.compile(r"--->|\binner exception\b|\bcaused by:", re.IGNORECASE)
_VARIABLE_RE = re.compile(
    r"""
      (?:https?|net\.tcp|net\.pipe|ftp|file|ws|wss)://[^\s"'<>)\]}]+     # URLs
    | \b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b
    | [A-Za-z]:\\[^\s"'<>|]*                                          # Windows paths
    | \\\\[^\s"'<>|]+                                                 # UNC paths, pipes
    | (?<![\w.])/(?:[\w.-]+/)+[\w.-]*                                 # Unix paths
    | \b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b                            # IPv4 endpoints
    | \[?[0-9a-fA-F]*::[0-9a-fA-F:]*\]?:\d+                           # IPv6 endpoints
    | \b[\w-]+(?:\.[\w-]+)*\.(?:com|org|local|lan|corp|internal|edu|gov|io)(?![\w.])
    | \b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b                             # dates
    | \b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s*[AP]M)?\b           # times
    | \b0[xX][0-9a-fA-F]+\b                                           # hex numbers
    | \b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{4,}\b                           # hex ids
    | \b\d+(?:[.,:]\d+)*\b                                            # numbers, versions
    | '[^'\n]{0,80}'                                                  # quoted names
    | /[A-Za-z0-9]{6,}\b                                              # object ids (/54166759)
    """,
    re.VERBOSE,
)
_CALL_RE = re.compile(r"((?:[A-Za-z_][\w`]*\.)+[A-Za-z_][\w`]*)(?:\[[^\]\n]*\])?\([^()\n]*\)")
_CUT_RE = re.compile(r"[(){}\[\]<>\"|\t]|\s--+>?\s?|--->|\s-\s|\n")
_SUB_CUT_RE = re.compile(r":\s+|(?<=[.!?;])\s+")
_FRAME_PREFIX_RE = re.compile(r"^(?:at|in)\s+", re.IGNORECASE)


def _fragments(text):
    """Message fragments of an error text, as (original-case fragment) strings."""
    masked = list(text)

    def mask(start, end):
        for i in range(start, end):
            if masked[i] != "\n":
                masked[i] = "\x00"

    for m in _HEADER_RE.finditer(text):
        mask(m.start(), m.end())
    for hit in codes_module.find_codes(text):
        if hit.how != "message":
            mask(hit.start, hit.end)
    for m in _VARIABLE_RE.finditer(text):
        mask(m.start(), m.end())
    # The argument lists and type arguments of framework methods are in every trace
    # through them; identifiers there (IAsyncResult result) would look specific.
    for m in _CALL_RE.finditer(text):
        if _is_framework(m.group(1)):
            mask(m.end(1), m.end())
    masked = "".join(masked).replace("\x00", "\t")

    # Line structure, plus a copy with soft-wrapped lines joined back together.
    lines = masked.split("\n")
    joined, buffer = [], ""
    for line in lines:
        stripped = line.strip()
        if buffer and stripped and stripped[0].islower() and buffer[-1] not in ".:;!?)}]":
            buffer += " " + stripped
        else:
            if buffer:
                joined.append(buffer)
            buffer = stripped
    if buffer:
        joined.append(buffer)
    out = []
    for block in ["\n".join(lines), "\n".join(joined)]:
        for piece in _CUT_RE.split(block):
            piece = piece.strip()
            if not piece:
                continue
            subs = [piece] + [s for s in _SUB_CUT_RE.split(piece) if s]
            for sub in subs:
                sub = _FRAME_PREFIX_RE.sub("", sub.strip(" \t.,;:!?-'"))
                if _keep_fragment(sub):
                    out.append(sub)
    return list(dict.fromkeys(out))


def _keep_fragment(fragment):
    key = _phrase_key(fragment)
    if key in _noise() or key in _code_messages():
        return False  # report furniture; or a standard message, which a code signature covers
    tokens = _TOKEN_RE.findall(fragment)
    words = [t for t in tokens if any(c.isalpha() for c in t)]
    if not words:
        return False
    if len(words) == 1 and _EXCEPTION_NAME_RE.fullmatch(words[0]):
        return False  # a bare exception type: an exception signature covers it
    if len(words) >= 3:
        return True
    return any(_token_information(t) >= 2.0 for t in words) and len(fragment) >= 6


def derive_signatures(article):
    """Signatures derived from an ArticleSpec's error texts and products."""
    out = []

    def add(kind, value, weight=1.0):
        out.append(SignatureSpec(article.slug, kind, value, weight))

    for text in article.error_texts:
        if not text or not text.strip():
            continue
        text = text[:MAX_PASTE]
        for fragment in _fragments(text):
            add("phrase", fragment)
        for hit in codes_module.find_codes(text):
            add("code", hit.code.key)
        names = [(m.start(), m.group(1)) for m in _EXCEPTION_NAME_RE.finditer(text)]
        for _, name in names:
            add("exception", name)
        markers = [m.start() for m in _INNER_MARKER_RE.finditer(text)]
        for (pos_a, outer), (pos_b, inner) in zip(names, names[1:], strict=False):
            if outer != inner and any(pos_a < m < pos_b for m in markers):
                add("exception", f"{outer} > {inner}")
        sources = list(_EVENT_SOURCE_RE.finditer(text))
        for m in _EVENT_ID_RE.finditer(text):
            before = [s for s in sources if s.start() < m.start()]
            if before and text.count("\n", before[-1].start(), m.start()) <= 10:
                add("event", f"{before[-1].group(1)}:{m.group(1)}")
        for m in _EXE_RE.finditer(text):
            add("process", m.group(1))
        for m in _PROCESS_NAME_RE.finditer(text):
            add("process", m.group(1))
    for product in article.products:
        add("product", product)
    return list(dict.fromkeys(out))


def _signature_identity(kind, value):
    """What makes two signatures of one article the same, for exclusion and overrides."""
    if kind == "code":
        return kind, _code_key(value)
    if kind == "event":
        return kind, _event_key(value)
    if kind == "pattern":
        return kind, value.strip()
    if kind == "exception":
        return kind, " > ".join(part.strip().lower() for part in value.split(">"))
    return kind, _phrase_key(value)


def _event_key(value):
    source, _, event_id = value.rpartition(":")
    return f"{_phrase_key(source)}:{event_id.strip().lstrip('0') or '0'}"


def _product_aliases(name):
    """The ways a product name is written: as is, without "Microsoft", and run together
    as in identifiers and namespaces ("ContentStudio", "ContentStudio.Web")."""
    aliases = [name]
    words = name.split()
    if len(words) >= 2 and words[0].lower() == "microsoft":
        aliases.append(" ".join(words[1:]))
    for alias in list(aliases):
        if " " in alias:
            aliases.append(alias.replace(" ", ""))
    return aliases


# ---------------------------------------------------------------- the index


@dataclass
class _Signature:
    id: int
    article: str
    kind: str
    value: str
    key: str
    weight: float
    cause: str | None
    specificity: float = 0.0
    generic: bool = False
    strength: float = 0.0
    qualified: str | None = None  # exceptions: the fully qualified name, if given
    chain: tuple[str, ...] = ()  # exceptions: outer > inner simple names
    event_id: str = ""
    technology: bool = False  # context: a framework name, which names no product or setting

    @property
    def label(self):
        return f"{self.kind}:{self.value}"

    @property
    def primary(self):
        return self.kind in PRIMARY_KINDS


# Payload tags in the automaton.
_SIG, _CHAIN_PART, _EVENT_SOURCE, _FOREIGN, _INNER, _MESSAGE = range(6)

# The namespace written before an exception name, read backwards from the name:
# the longest run of ".word" pieces is the leftmost start of "word." pieces.
_QUALIFIER_REVERSED_RE = re.compile(r"(?:\.\w+)*")
# "Event ID: 8" and its forms: Event Viewer's labels in other languages (the message
# itself stays English), and the XML view's <EventID Qualifiers="...">8</EventID>.
_EVENT_ID_NEAR_RE = re.compile(
    r"\b(?:event\s?(?:id|code)?|eventid(?: qualifiers=\"\d*\")?>|ereignis id|gebeurtenis id"
    r"|id de l'(?:é|e)v(?:é|e)nement|id\.? del evento|id(?:\.| do| dell')? evento)"
    r"\s*[:#=]?\s*(\d{1,6})\b"
)


class Index:
    """The compiled knowledge base. Build once per revision, then triage many pastes."""

    revision: str = ""

    def __init__(self):
        self.articles = {}
        self.signatures = []
        self._matcher = PhraseMatcher()
        self._patterns = None
        self._code_sigs = defaultdict(list)
        self._article_codes = defaultdict(set)  # article -> keys of its error codes
        self._name_owners = defaultdict(set)  # key of a product or process -> its articles
        self._trouble_context = frozenset()  # ids of context signatures that are trouble words
        self._chain_sigs = []
        self._covered = defaultdict(set)  # article -> foreign markers it mentions itself
        self._texts = {}  # article -> its error texts, normalised
        self._own_words = {}  # article -> words (and joined word pairs) it is written in
        self._product_text = {}  # article -> its product names, normalised
        self._continuations = {}  # signature id -> token lists that follow it in its article
        self._known_words = frozenset()  # every word the knowledge base and Windows use
        self._deletions = {}  # phrase words by each form with one letter deleted
        self._typo_heads = self._typo_tails = frozenset()
        self._distinctive = {}  # word stem -> {article: weight}, for paraphrases
        self.revision = ""

    # -- building

    @classmethod
    def build(cls, articles: Iterable[ArticleSpec], signatures: Iterable[SignatureSpec]):
        index = cls()
        articles = list(articles)
        index.articles = {a.slug: a for a in articles}
        specs = {}  # (article, kind, identity) -> SignatureSpec; editors override derived
        for article in articles:
            for spec in derive_signatures(article):
                specs.setdefault((spec.article,) + _signature_identity(spec.kind, spec.value), spec)
        excluded = set()
        for spec in signatures:
            if spec.article not in index.articles or spec.kind not in KINDS:
                continue
            ident = (spec.article,) + _signature_identity(spec.kind, spec.value)
            if not ident[2]:
                continue
            if spec.excluded:
                excluded.add(ident)
            else:
                specs[ident] = spec
        for ident in excluded:
            specs.pop(ident, None)
        for ident, spec in specs.items():
            index._add(spec, ident[2])
        index._compile()
        return index

    def _add(self, spec, identity):
        sig = _Signature(
            id=len(self.signatures),
            article=spec.article,
            kind=spec.kind,
            value=spec.value.strip(),
            key=identity,
            weight=max(0.0, min(float(spec.weight), 3.0)),
            cause=spec.cause or None,
        )
        if sig.weight <= 0:
            return
        self.signatures.append(sig)

    def _compile(self):
        generic_phrases, generic_exceptions, common_codes, _ = _generic()
        framework_simple = set(generic_exceptions)
        for sig in self.signatures:
            if sig.kind == "exception":
                for part in sig.value.split(">"):
                    part = part.strip()
                    if "." in part and _is_framework(part):
                        framework_simple.add(part.rsplit(".", 1)[-1].lower())

        patterns = []
        for sig in self.signatures:
            if sig.kind == "phrase":
                self._matcher.add(sig.key, (_SIG, sig.id))
            elif sig.kind in ("product", "context", "process"):
                aliases = _product_aliases(sig.value) if sig.kind == "product" else [sig.value]
                if sig.value.lower().endswith(".exe"):
                    aliases.append(sig.value[:-4])
                for alias in aliases:
                    self._matcher.add(alias, (_SIG, sig.id))
                if sig.kind != "context" or self._in_product_name(sig):
                    self._name_owners[sig.key].add(sig.article)
                sig.specificity = {
                    "product": PRODUCT_SPECIFICITY,
                    "process": PROCESS_SPECIFICITY,
                    "context": CONTEXT_SPECIFICITY,
                }[sig.kind]
            elif sig.kind == "exception":
                parts = [p.strip() for p in sig.value.split(">") if p.strip()]
                simple = [p.rsplit(".", 1)[-1].lower() for p in parts]
                generic = [s in framework_simple for s in simple]
                base = [
                    GENERIC_EXCEPTION_SPECIFICITY if g else EXCEPTION_SPECIFICITY for g in generic
                ]
                if len(parts) == 1:
                    sig.qualified = parts[0].lower() if "." in parts[0] else None
                    self._matcher.add(simple[0], (_SIG, sig.id))
                    sig.specificity, sig.generic = base[0], generic[0]
                else:
                    sig.chain = tuple(simple)
                    for position, name in enumerate(simple):
                        self._matcher.add(name, (_CHAIN_PART, sig.id, position))
                    sig.specificity = min(0.9, 1 - math.prod(1 - b for b in base) + 0.1)
                    sig.generic = all(generic)
                    self._chain_sigs.append(sig)
            elif sig.kind == "code":
                self._code_sigs[sig.key].append(sig)
                self._article_codes[sig.article].add(sig.key)
                common = sig.key in common_codes
                sig.specificity = COMMON_CODE_SPECIFICITY if common else CODE_SPECIFICITY
                sig.generic = True
            elif sig.kind == "event":
                source, _, event_id = sig.key.rpartition(":")
                sig.event_id = event_id
                self._matcher.add(source, (_EVENT_SOURCE, sig.id))
                sig.specificity = EVENT_SPECIFICITY
            elif sig.kind == "pattern":
                patterns.append((sig.value, sig.id))
                sig.specificity = PATTERN_SPECIFICITY
        for cap, marker in foreign_markers():
            self._matcher.add(marker, (_FOREIGN, cap, _phrase_key(marker) or marker))
        for message, code in localized_messages():
            english = _phrase_key(code.message)
            if not codes_module.is_success(code) and english:
                # Read again in English, a localized message also completes the phrases
                # that quote it ("Port is Busy: <231 in Spanish>").
                self._matcher.add(message, (_MESSAGE, code, english))
        codes_by_key = {code.key: code for code in codes_module.all_codes()}
        for message, key in codes_module.message_phrases().items():
            if key in codes_by_key and not codes_module.is_success(codes_by_key[key]):
                self._matcher.add(message, (_MESSAGE, codes_by_key[key]))
        for marker in ("--->", "inner exception", "caused by:"):
            self._matcher.add(marker, (_INNER,))
        self._matcher.build()
        self._trouble_context = frozenset(
            sig.id
            for sig in self.signatures
            if sig.kind == "context" and _TROUBLE_RE.search(sig.value)
        )
        self._patterns = PatternSet(patterns)

        # Phrase specificity: words of generic messages inside a phrase tell nothing more.
        inside_generic = self._keys_inside("\n".join(sorted(generic_phrases)))
        for sig in self.signatures:
            if sig.kind != "phrase":
                continue
            if sig.key in _noise():
                sig.specificity, sig.generic = NOISE_SPECIFICITY, True
                continue
            if sig.key in generic_phrases or sig.key in inside_generic:
                sig.specificity, sig.generic = GENERIC_PHRASE_SPECIFICITY, True
                continue
            if _looks_like_frame(sig.value):
                if _is_framework(sig.value):
                    sig.specificity, sig.generic = FRAME_SPECIFICITY, True
                else:
                    sig.specificity = phrase_specificity(sig.value)
                continue
            words = _TOKEN_RE.findall(sig.value)
            covered = _generic_coverage(words)
            if sum(covered) >= 0.8 * len(words):
                sig.specificity, sig.generic = GENERIC_PHRASE_SPECIFICITY, True
            else:
                rest = " ".join(w for w, c in zip(words, covered, strict=True) if not c)
                sig.specificity = phrase_specificity(rest)

        # IDF: in how many articles each key occurs (their texts and signature values).
        n = max(len(self.articles), 1)
        df = defaultdict(set)
        corpora = self._corpora()
        for slug, article in self.articles.items():
            self._texts[slug] = [normalise(t).text for t in article.error_texts if t]
            self._product_text[slug] = normalise(" / ".join(article.products)).text
            words = re.findall(r"[^\W_]+", corpora.get(slug, ""))
            pairs = {a + b for a, b in zip(words, words[1:], strict=False)}
            self._own_words[slug] = frozenset(words) | pairs
        for slug, corpus in corpora.items():
            for _, _, payloads in self._matcher.find(corpus):
                for payload in payloads:
                    if payload[0] in (_SIG, _CHAIN_PART, _EVENT_SOURCE):
                        df[self.signatures[payload[1]].key].add(slug)
                    elif payload[0] == _FOREIGN:
                        self._covered[slug].add(payload[2])
        for sig in self.signatures:
            df[sig.key].add(sig.article)
        for sig in self.signatures:
            idf = math.log(1 + n / len(df[sig.key])) / math.log(1 + n) if n > 1 else 1.0
            exponent = sig.weight * idf
            sig.strength = min(MAX_STRENGTH, 1 - (1 - sig.specificity) ** exponent)

        # Context that is a framework namespace, or a class of one (IpcPort in the frames
        # System.Runtime.Remoting.Channels.Ipc.IpcPort.Connect), names the technology.
        framework_parts = _framework_parts(
            [t for a in self.articles.values() for t in a.error_texts]
            + [sig.value for sig in self.signatures]
        )
        for sig in self.signatures:
            if sig.kind == "context":
                sig.technology = _is_framework(sig.value) or sig.key in framework_parts
        self._build_spelling_index()
        self._build_distinctive_words()

    def _build_distinctive_words(self):
        """Word stems of the articles' error texts and signatures that are rare in the
        world (by _token_information: not everyday error vocabulary, nor framework
        names) and tell one article from the others, weighted information times idf."""
        words = {}  # article -> {stem: information}
        # Grouped once: scanning every signature for every article is quadratic.
        signature_values = defaultdict(list)
        for sig in self.signatures:
            if sig.kind in ("phrase", "exception", "event", "process"):
                signature_values[sig.article].append(sig.value)
        for slug, article in self.articles.items():
            values = [f for t in article.error_texts if t for f in _fragments(t[:MAX_PASTE])]
            values += signature_values[slug]
            found = words[slug] = {}
            for value in values:
                for token in _TOKEN_RE.findall(value):
                    if "." in token.strip(".") and _is_framework(token.strip(".:")):
                        continue  # System.Runtime.Remoting names the framework
                    for part in _LETTERS_RE.findall(token):
                        stem = _word_stem(part.lower())
                        if len(part) < PARAPHRASE_MIN_LENGTH:
                            continue
                        information = _token_information(part)
                        if information < 2.0 and _zipf(part.lower()) > PARAPHRASE_MAX_ZIPF:
                            continue
                        if information > found.get(stem, 0.0):
                            found[stem] = information
        n = max(len(self.articles), 1)
        df = defaultdict(int)
        for found in words.values():
            for stem in found:
                df[stem] += 1
        distinctive = defaultdict(dict)
        for slug, found in words.items():
            for stem, information in found.items():
                idf = math.log(1 + n / df[stem]) / math.log(1 + n) if n > 1 else 1.0
                if information * idf >= PARAPHRASE_MIN_WEIGHT:
                    distinctive[stem][slug] = information * idf
        self._distinctive = dict(distinctive)

    def _paraphrases(self, norm, known, context_hits=()):
        """Candidates for articles the paste describes without quoting their error: at
        least PARAPHRASE_WORDS distinct distinctive words of one article (by stem:
        "dispatched" for "dispatching") or pieces of its own context (its product, its
        process, "Task Manager" for a cause) within PARAPHRASE_WINDOW characters. Word
        evidence is weak: see _paraphrase_candidate."""
        t = norm.text
        places = defaultdict(list)  # article -> [_Place]
        for word in long_words(t, PARAPHRASE_MIN_LENGTH) if self._distinctive else ():
            stem = _word_stem(word)
            for slug, weight in self._distinctive.get(stem, {}).items():
                if slug in known or (weight < 2.0 and _zipf(word) > PARAPHRASE_MAX_ZIPF):
                    continue  # "listen" is everyday English where "listener" was not
                # Repeats add nothing, and a paste of one word repeated must stay cheap.
                for start, end in islice(word_spans(t, word), PARAPHRASE_REPEATS):
                    places[slug].append(_Place(start, end, stem, weight, "word"))
        # Context of an article's own setting reads like one of its words when the paste
        # tells of trouble where it names the article: in the sentence of its own product
        # or process (no other article's), "Lsmain.exe died"; not "the application pool
        # recycled and all is fine", nor "Outlook crashed ... We run Exchange Server",
        # nor "we want an alert when it dies". Pieces weaker than CONTEXT_LIFT or flagged
        # as naming the technology do not count, nor do pieces that are themselves the
        # trouble ("crashed"): they tell that something failed, not where.
        setting = defaultdict(list)
        named = defaultdict(list)  # article -> where a sentence telling of trouble names it
        sentences = _Sentences(norm) if context_hits else None
        repeats, checked = defaultdict(int), defaultdict(int)
        for sig, start, end in context_hits:
            slug = sig.article
            if slug in known or sig.technology or sig.strength < CONTEXT_LIFT:
                continue
            # Whether this mention of the article's name is where trouble is told: asked of
            # the first NAME_CHECKS mentions of each name, which bounds a long log's cost.
            name = False
            if self._own_name(sig):
                checked[sig.id] += 1
                name = checked[sig.id] <= NAME_CHECKS and sentences.tell_of_trouble(start, end)
            if name:
                named[slug].append(start)
            # Repeats add nothing; the name where the trouble is told is counted apart from
            # calm mentions, so a report after many of them still has it.
            repeats[sig.id, name] += 1
            if repeats[sig.id, name] > PARAPHRASE_REPEATS or sig.id in self._trouble_context:
                continue
            weight = CONTEXT_WORD_WEIGHT * sig.strength
            setting[slug].append(_Place(start, end, sig.key, weight, sig.kind, sig.cause))
        for slug, starts in named.items():
            places[slug].extend(setting[slug])
            starts.sort()
        found = {}
        for slug, hits in places.items():
            near = named.get(slug, ())
            hits = _without_overlaps(hits)
            if len({h.key for h in hits}) < PARAPHRASE_WORDS:
                continue
            hits.sort()
            best = None
            for i, (start, *_) in enumerate(hits):
                window = {}
                for hit in hits[i:]:
                    if hit.end - start > PARAPHRASE_WINDOW:
                        break
                    window.setdefault(hit.key, hit)
                # Context counts only in a window where the trouble is told of the article
                # by name (the name may have given way to a distinctive word on the same
                # span); elsewhere the window's words count alone.
                if any(h.kind != "word" for h in window.values()):
                    i_name = bisect_left(near, start)
                    if i_name == len(near) or near[i_name] > start + PARAPHRASE_WINDOW:
                        window = {k: h for k, h in window.items() if h.kind == "word"}
                if len(window) >= PARAPHRASE_WORDS:
                    total = sum(h[3] for h in window.values())
                    if best is None or total > best[0]:
                        best = (total, sorted(window.values()))
            if best is not None:
                found[slug] = best
        return found

    def _keys_inside(self, text):
        """Phrase keys that occur in text."""
        found = set()
        for _, _, payloads in self._matcher.find(text):
            for payload in payloads:
                if payload[0] == _SIG and self.signatures[payload[1]].kind == "phrase":
                    found.add(self.signatures[payload[1]].key)
        return found

    def _corpora(self):
        parts = defaultdict(list)
        for slug, article in self.articles.items():
            parts[slug].extend(article.error_texts)
            parts[slug].extend(article.products)
            parts[slug].append(article.title)
        for sig in self.signatures:
            parts[sig.article].append(sig.value)
        return {slug: normalise("\n".join(p)).text for slug, p in parts.items()}

    def _build_spelling_index(self):
        """The words of phrase signatures, indexed by every form with one letter deleted,
        so a misspelt word of a paste finds the one it stands for in a few look-ups."""
        known, targets = set(), set()
        for sig in self.signatures:
            words = _LETTERS_RE.findall(sig.key)
            known.update(words)
            if sig.kind == "phrase":
                targets.update(w for w in words if len(w) >= TYPO_MIN_LENGTH)
        for text in self._texts.values():
            for t in text:
                known.update(_LETTERS_RE.findall(t))
        for message in codes_module.message_phrases():
            known.update(_LETTERS_RE.findall(message))
        for message, _ in localized_messages():
            known.update(_LETTERS_RE.findall(message))
        for _, marker in foreign_markers():
            known.update(_LETTERS_RE.findall(marker.lower()))
        deletions = defaultdict(set)
        for word in targets:
            deletions[word].add(word)
            for i in range(len(word)):
                deletions[word[:i] + word[i + 1 :]].add(word)
        self._known_words = frozenset(known)
        # Stems, not the words themselves: "norma" (Spanish) is a known word, yet
        # "normaly" is a misspelt "normally", not "norma" + "ly".
        self._known_stems = frozenset(stem for word in known for stem in _stems(word))
        self._deletions = dict(deletions)
        # One edit leaves a word of 5+ letters its first two letters or its last two.
        self._typo_heads = frozenset(w[:2] for w in targets)
        self._typo_tails = frozenset(w[-2:] for w in targets)

    def _correction(self, word):
        """The one phrase word that word is a misspelling of (a letter missing, added or
        wrong, or two letters swapped), or None."""
        found = set(self._deletions.get(word, ()))
        for i in range(len(word)):
            found.update(self._deletions.get(word[:i] + word[i + 1 :], ()))
        found = {w for w in found if _one_edit_apart(word, w)}
        return found.pop() if len(found) == 1 else None

    def _spelling_variants(self, t):
        """(start, end, replacement, typo) in normalised text t: split forms joined
        ("can not"), and words of 5+ letters that no signature, article or standard
        message has but that are one edit away from exactly one word of a phrase."""
        variants = [(m.start(), m.end(), "cannot", False) for m in _SPLIT_CANNOT_RE.finditer(t)]
        if self._deletions:
            # Each distinct word once, and the places of only the words corrected: a
            # Python loop over every word of a 64 KB paste cost more than the rest.
            paste_words = None
            for word in long_words(t, TYPO_MIN_LENGTH) - self._known_words:
                if word[:2] not in self._typo_heads and word[-2:] not in self._typo_tails:
                    continue
                if any(stem in self._known_stems for stem in _stems(word)):
                    continue  # "served": an inflection of a word the knowledge base has
                if paste_words is None:
                    paste_words = long_words(t, STEM_MIN_LENGTH)
                if any(stem in paste_words for stem in _stems(word)):
                    continue  # an inflection of another word of the paste
                correction = self._correction(word)
                if correction:
                    variants.extend((s, e, correction, True) for s, e in word_spans(t, word))
        variants.sort()
        return variants

    def _variant_hits(self, t, variants):
        """Phrase and standard message hits that only the corrected spelling of t shows,
        in t's offsets: (hits, messages, typo hits as (signature id, start, end)).

        A phrase with a misspelt word counts only when it has at least
        TYPO_WORDS_PER_FIX words for each one; a standard message only when its words
        are all spelt right (a split form such as "can not" is no misspelling)."""
        kept, pos = [], 0
        for variant in variants:
            if variant[0] >= pos:
                kept.append(variant)
                pos = variant[1]
        hits, messages, typo_hits = [], [], set()
        if not kept:
            return hits, messages, typo_hits
        fixed, back = substitute(t, [(start, end, new) for start, end, new, _ in kept])
        typos = [typo for *_, typo in kept]
        out_starts, out_ends = back.out_starts, back.out_ends
        variant_spans = list(zip(out_starts, out_ends, strict=True))
        for start, end, payloads in self._matcher.find_overlapping(fixed, variant_spans):
            first, last = bisect_right(out_ends, start), bisect_left(out_starts, end)
            if first >= last:
                continue  # no variant inside: the pass over t found it already
            fixes = sum(typos[first:last])
            i, j = back.span(start, end)
            for payload in payloads:
                if payload[0] == _SIG:
                    sig = self.signatures[payload[1]]
                    if sig.kind != "phrase":
                        continue
                    if fixes:
                        if len(sig.key.split()) < TYPO_WORDS_PER_FIX * fixes:
                            continue
                        typo_hits.add((sig.id, i, j))
                    hits.append((sig, i, j))
                elif payload[0] == _MESSAGE and not fixes:
                    messages.append((payload[1], i, j))
        return hits, messages, typo_hits

    # -- triage

    def triage(self, text: str) -> Result:
        text = (text or "")[:MAX_PASTE]
        if not text.isascii():
            # A lone surrogate (JSON allows "\ud800") is no character: RE2 and UTF-8 refuse
            # it. U+FFFD in its place keeps every offset.
            text = _SURROGATE_RE.sub("\ufffd", text)
        norm = normalise(text)
        t = norm.text
        hits = []  # (sig, norm_start, norm_end, orig?) ; orig spans resolved later
        chain_hits = defaultdict(list)  # sig id -> [(position, start, end)]
        foreign = []  # (cap, marker, start, end)
        inner_markers = []
        localized = []
        translations = []  # (start, end, English text, False) of localized messages
        translated = defaultdict(int)  # (code key, text before) -> messages read in English
        qualifier_starts = {}  # a common exception type is a signature of many articles
        for start, end, payloads in self._matcher.find(t):
            for payload in payloads:
                tag = payload[0]
                if tag == _SIG:
                    sig = self.signatures[payload[1]]
                    if sig.kind == "exception":
                        left = qualifier_starts.get(start)
                        if left is None:
                            left = qualifier_starts[start] = _qualifier_start(t, start)
                        span = self._exception_span(t, left, end, sig)
                        if span:
                            hits.append((sig, *span))
                    else:
                        hits.append((sig, start, end))
                elif tag == _CHAIN_PART:
                    chain_hits[payload[1]].append((payload[2], start, end))
                elif tag == _EVENT_SOURCE:
                    hits.extend(self._event_hits(t, start, end, self.signatures[payload[1]]))
                elif tag == _FOREIGN:
                    foreign.append((payload[1], payload[2], start, end))
                elif tag == _INNER:
                    inner_markers.append(start)
                elif tag == _MESSAGE:
                    localized.append((payload[1], start, end))
                    # A few places of each message with the same words in front of it are
                    # enough: more of the same add little, and cost a re-read each.
                    if len(payload) > 2:
                        before = (payload[1].key, t[max(0, start - 40) : start])
                        if translated[before] < PARAPHRASE_REPEATS:
                            translated[before] += 1
                            translations.append((start, end, payload[2], False))
        for sig_id, parts in chain_hits.items():
            hits.extend(self._chain_hits(self.signatures[sig_id], parts, inner_markers))
        for start, end, sig_id in self._patterns.find(t):
            hits.append((self.signatures[sig_id], start, end))
        typo_spans = set()
        variants = self._spelling_variants(t)
        if translations:
            variants = sorted(variants + translations)
        if variants:
            more, messages, typo_hits = self._variant_hits(t, variants)
            hits.extend(more)
            localized.extend(messages)
            typo_spans = {(sig_id, *norm.orig_span(i, j)) for sig_id, i, j in typo_hits}

        spans = []  # (sig, orig_start, orig_end)
        for sig, start, end in hits:
            o_start, o_end = norm.orig_span(start, end)
            if o_end > o_start:
                spans.append((sig, o_start, o_end))
        code_hits = _find_codes(text)
        if localized:
            code_hits = self._with_localized(text, norm, code_hits, localized)
        for hit in code_hits:
            for sig in self._code_sigs.get(hit.code.key, ()):
                spans.append((sig, hit.start, hit.end))
            if hit.wrapper is not None:
                for sig in self._code_sigs.get(hit.wrapper.key, ()):
                    spans.append((sig, hit.start, hit.end))
        foreign_spans = []
        for cap, marker, start, end in foreign:
            o_start, o_end = norm.orig_span(start, end)
            if o_end > o_start:
                foreign_spans.append((cap, marker, o_start, o_end))

        by_article = defaultdict(list)
        for item in spans:
            by_article[item[0].article].append(item)
        frames = _application_frames(text) if by_article else ()
        programs = _named_programs(text) if by_article else ()
        candidates, rejected = [], set()
        for slug, items in by_article.items():
            candidate = self._score(
                text, slug, items, foreign_spans, frames, programs, typo_spans, code_hits, rejected
            )
            if candidate is not None:
                candidates.append(candidate)
        # A description must not bring back an article turned down as another error.
        known = {c.article for c in candidates} | rejected
        context_hits = [hit for hit in hits if hit[0].kind in CONTEXT_KINDS]
        paraphrased = self._paraphrases(norm, known, context_hits)
        if paraphrased:
            quiet = not any(c.confidence in ("high", "medium") for c in candidates)
            frames = frames or _application_frames(text)
            programs = programs or _named_programs(text)
            for slug, (total, described) in paraphrased.items():
                candidates.append(
                    self._paraphrase_candidate(
                        text,
                        norm,
                        slug,
                        total,
                        described,
                        quiet,
                        foreign_spans,
                        frames,
                        programs,
                        self._other_errors(slug, code_hits),
                    )
                )
        candidates.sort(key=lambda c: (-c.score, c.article))
        _calibrate_against_each_other(candidates)
        candidates.sort(key=lambda c: (-c.score, c.article))
        del candidates[MAX_CANDIDATES:]
        abstained = not any(c.confidence in ("high", "medium") for c in candidates)
        return Result(candidates=candidates, codes=code_hits, abstained=abstained)

    def _in_product_name(self, sig):
        """Whether a context signature is a word of its article's product names
        ("EPiServer" of EPiServer CMS)."""
        names = [match_key(name) for name in self.articles[sig.article].products]
        return any(f" {sig.key} " in f" {name} " for name in names)

    def _own_name(self, sig):
        """Whether a context signature names its article's own product or process, one no
        other article has (Lsmain.exe, EPiServer; not IIS, which two articles have)."""
        return not sig.technology and self._name_owners.get(sig.key) == {sig.article}

    def _other_errors(self, slug, code_hits):
        """The paste's error codes when none of them is the article's: a description
        beside them is about the error they name."""
        telling = [hit for hit in code_hits if hit.code.key not in UNSPECIFIED_CODES]
        own = self._article_codes.get(slug, ())
        if any(
            hit.code.key in own or (hit.wrapper is not None and hit.wrapper.key in own)
            for hit in telling
        ):
            return []
        return telling

    def _paraphrase_candidate(
        self, text, norm, slug, total, hits, quiet, foreign_spans, frames, programs, other_codes
    ):
        """A candidate from distinctive words and context alone: never high; medium when
        nothing else answered and no other product, program, application code or error
        code (other than the article's) is in the paste. Context of one cause ("Task
        Manager") makes that cause's question the first one asked."""
        evidence = []
        cause_scores = {c.key: 0.0 for c in self.articles[slug].causes}
        for start, end, key, weight, kind, cause in hits:
            if cause in cause_scores:
                strength = weight / CONTEXT_WORD_WEIGHT
                cause_scores[cause] = round(1 - (1 - cause_scores[cause]) * (1 - strength), 3)
            o_start, o_end = norm.orig_span(start, end)
            evidence.append(
                Evidence(
                    kind=kind,
                    match=text[o_start:o_end],
                    start=o_start,
                    end=o_end,
                    weight=round(weight, 3),
                    signature=f"{kind}:{key}",
                    cause=cause,
                )
            )
        score = min(HIGH - 0.01, 1 - math.exp(-PARAPHRASE_RATE * total))
        confidence = "medium" if quiet and score >= MEDIUM else "low"
        foreign = [
            (start, end, marker)
            for _, marker, start, end in foreign_spans
            if marker not in self._covered[slug]
        ]
        foreign += [(start, end, f"code {owner}") for owner, start, end in frames]
        foreign += [
            (start, end, f"program {name}")
            for name, start, end in programs
            if not self._knows_program(slug, name)
        ]
        foreign += [(hit.start, hit.end, f"error {hit.code.key}") for hit in other_codes]
        for start, end, what in foreign:
            evidence.append(_against(text, start, end, -0.5, what))
        if foreign or confidence == "low":
            score, confidence = _cap(score, "medium", "low")
        evidence.sort(key=lambda e: (e.start, e.end, e.signature))
        return Candidate(
            article=slug,
            score=round(score, 4),
            confidence=confidence,
            evidence=evidence,
            cause_scores=cause_scores,
        )

    def _diverging(self, text, slug, items):
        """Ids of phrase signatures every hit of which goes on, after a colon, with a detail
        other than the one the article's error texts give (and no code of the article)."""
        code_starts = [s for sig, s, _ in items if sig.kind == "code"]
        verdict = {}
        for sig, _, end in items:
            if sig.kind != "phrase" or verdict.get(sig.id) is False:
                continue
            tails = self._continuations_of(slug, sig)
            differs = bool(tails) and not any(
                end <= s < end + CONTINUATION_CHARS for s in code_starts
            )
            if differs:
                pasted = _continuation_tokens(normalise(text[end : end + CONTINUATION_CHARS]).text)
                differs = all(_detail_differs(tail, pasted) for tail in tails)
            verdict[sig.id] = differs
        return {sig_id for sig_id, differs in verdict.items() if differs}

    def _continuations_of(self, slug, sig):
        """Token lists that follow the signature's phrase in its article's error texts."""
        tails = self._continuations.get(sig.id)
        if tails is None:
            tails = []
            for article_text in self._texts.get(slug, ()):
                pos = article_text.find(sig.key)
                while pos >= 0:
                    after = pos + len(sig.key)
                    tails.append(
                        _continuation_tokens(article_text[after : after + CONTINUATION_CHARS])
                    )
                    pos = article_text.find(sig.key, pos + 1)
            self._continuations[sig.id] = tails
        return tails

    def _foreign_frames(self, slug, units, frames):
        """(owner, start, end) of the first frame of each application the article does not
        mention; none when the paste names the article's product or shows its own code."""
        if not frames:
            return []
        own_words = self._own_words.get(slug, frozenset())
        if any(owner.lower() in own_words for owner, _, _ in frames):
            return []
        if self._names_product(slug, units):
            return []
        seen, found = set(), []
        for owner, start, end in frames:
            if owner.lower() not in seen:
                seen.add(owner.lower())
                found.append((owner, start, end))
        return found

    def _names_product(self, slug, units):
        """Whether the paste names the article's product (as context, not inside a message)."""
        products = self._product_text.get(slug, "")
        return any(
            not sig.primary and (sig.kind == "product" or sig.key in products)
            for sig, *_ in units.values()
        )

    def _knows_program(self, slug, name):
        """Whether a program a paste names is the article's own or part of Windows."""
        name = name.lower().removesuffix(".exe")
        return name in platform_programs() or name in self._own_words.get(slug, frozenset())

    @staticmethod
    def _with_localized(text, norm, code_hits, localized):
        """Code hits for standard messages found by the automaton (English ones on lines
        _find_codes skipped, and localized ones), where no other code hit overlaps. Of
        messages that overlap, the one that starts first is taken, and of those the
        longest: "No more data is available from the RPC pipe." is 1918, not 259."""
        hits = list(code_hits)
        taken = _Spans((h.start, h.end) for h in code_hits)
        mapped = [(*norm.orig_span(start, end), code) for code, start, end in localized]
        reach = -1  # the furthest end of a message taken: they are taken in order of start
        for o_start, o_end, code in sorted(mapped, key=lambda m: (m[0], -m[1])):
            if o_end > o_start and o_start >= reach and not taken.overlaps(o_start, o_end):
                hits.append(
                    codes_module.CodeHit(o_start, o_end, text[o_start:o_end], code, None, "message")
                )
                reach = o_end
        hits.sort(key=lambda h: (h.start, h.end))
        return hits

    @staticmethod
    def _exception_span(t, left, end, sig):
        """The span of the exception name in the paste, with its namespace; None if it differs."""
        written = t[left:end]
        if sig.qualified and "." in written and written != sig.qualified:
            return None
        return left, end

    @staticmethod
    def _event_hits(t, start, end, sig):
        """The event source at [start, end) counts when its event ID is written nearby."""
        window_start, window_end = max(0, start - 120), min(len(t), end + 320)
        found = []
        for m in _EVENT_ID_NEAR_RE.finditer(t, window_start, window_end):
            if m.group(1).lstrip("0") == sig.event_id.lstrip("0"):
                found.append((sig, start, end))
                found.append((sig, m.start(), m.end()))
                break
        return found

    @staticmethod
    def _chain_hits(sig, parts, inner_markers):
        """An exception chain counts when each part follows the one before across a '--->'."""
        positions = [sorted((s, e) for p, s, e in parts if p == k) for k in range(len(sig.chain))]
        if not all(positions):
            return []
        found, previous = [], None
        for spans in positions:
            choice = None
            for s, e in spans:
                if previous is None or (
                    s > previous[1] and any(previous[1] <= m < s for m in inner_markers)
                ):
                    choice = (s, e)
                    break
            if choice is None:
                return []
            found.append((sig, *choice))
            previous = choice
        return found

    def _score(
        self,
        text,
        slug,
        items,
        foreign_spans,
        frames=(),
        programs=(),
        typo_spans=(),
        code_hits=(),
        rejected=None,
    ):
        """The candidate for one article from its hits, or None. An article turned down
        because the paste shows another error is added to rejected."""
        primary = {item[0].id: item[0] for item in items if item[0].primary}
        if not primary:
            return None
        # One weak generic hit makes no candidate on its own. A common exception type may,
        # beside the article's own setting (checked below), unless the paste shows another
        # error: a message in plain English or an error code, neither the article's.
        lone = next(iter(primary.values()))
        lone_weak = len(primary) == 1 and lone.strength < MIN_STRENGTH
        if lone_weak:
            if lone.kind != "exception":
                return None
            if _another_error(text, items) or self._other_errors(slug, code_hits):
                if rejected is not None:
                    rejected.add(slug)
                return None
        # One unit per signature: its first hit, with the count of repeats.
        units = {}
        for sig, start, end in sorted(items, key=lambda i: (i[1], i[2])):
            unit = units.get(sig.id)
            if unit is None:
                units[sig.id] = [sig, start, end, 1]
            else:
                unit[3] += 1
        # A signature found only through a misspelt word counts for less.
        exact = {sig.id for sig, start, end in items if (sig.id, start, end) not in typo_spans}
        strengths = {}
        for sig_id, (sig, _, _, count) in units.items():
            # The same standard message on every line of a log is still one message.
            repeats = 0 if sig.generic else min(count - 1, 4)
            strength = 1 - (1 - sig.strength) ** (1 + REPEAT_EXTRA * repeats)
            strengths[sig_id] = strength if sig_id in exact else strength * TYPO_FACTOR

        # A message whose detail after a colon differs from the article's everywhere in the
        # paste is another error that starts the same way: it counts as generic evidence.
        generic_ids = {sig.id for sig, *_ in units.values() if sig.generic}
        diverging = self._diverging(text, slug, items)
        for sig_id in diverging:
            generic_ids.add(sig_id)
            strengths[sig_id] = min(strengths[sig_id], DIVERGENT_STRENGTH)

        generic_clusters, specific_clusters = [], []
        primary_units = sorted((u for u in units.values() if u[0].primary), key=lambda u: u[1:3])
        for cluster in _clusters(text, primary_units):
            values = sorted((strengths[u[0].id] for u in cluster), reverse=True)
            combined = 1 - (1 - values[0]) * math.prod(1 - CLUSTER_EXTRA * v for v in values[1:])
            if all(u[0].id in generic_ids for u in cluster):
                generic_clusters.append(combined)
            else:
                specific_clusters.append(combined)
        generic = min(GENERIC_CAP, _noisy_or(generic_clusters))
        primary_score = _noisy_or([generic] + specific_clusters)

        # Context written inside the message itself (the service a message names) tells
        # nothing about where the message happened.
        # Framework names (a namespace, a class in a stack frame) name the technology,
        # which other programs use too: they add to the score but never make it high.
        primary_spans = _Spans((s, e) for sig, s, e in items if sig.primary)
        context, technology = {}, {}
        for sig, start, end in items:
            if sig.primary or primary_spans.contains(start, end):
                continue
            if sig.technology or _inside_framework_name(text, start, end):
                technology[sig.id] = strengths[sig.id]
            else:
                context[sig.id] = strengths[sig.id]
        for sig_id in context:
            technology.pop(sig_id, None)
        context_score = _noisy_or(context.values())
        score = _noisy_or([primary_score, context_score])
        # Only context specific enough on its own lifts: words that merely name the
        # technology (net.tcp, a framework class) do not add up to the article's setting.
        setting = max(context.values(), default=0.0) >= CONTEXT_LIFT
        if lone_weak:
            # The setting must be the article's: its own name (its product or process, no
            # other article's) and one more piece of its context ("EPiServer ... after
            # the application pool recycled"; not "EPiServer Find: SocketException").
            # The answer stays below high.
            names = {sig_id for sig_id in context if self._own_name(units[sig_id][0])}
            more = any(
                strength >= CONTEXT_LIFT
                and self._name_owners.get(units[sig_id][0].key, {slug}) == {slug}
                for sig_id, strength in context.items()
                if sig_id not in names
            )
            if not (names and more):
                return None
        lifted = primary_score >= MEDIUM and setting
        if lifted:
            score = max(score, HIGH)
        if technology:
            with_technology = _noisy_or([score, *technology.values()])
            score = with_technology if score >= HIGH else min(with_technology, HIGH - 0.01)
        if lone_weak:
            score = min(score, HIGH - 0.01)

        anchored = lifted or any(
            sig.primary and sig.id not in generic_ids and strengths[sig.id] >= ANCHOR
            for sig, *_ in units.values()
        )
        confidence = _confidence(score, anchored)

        evidence = []
        per_signature = defaultdict(int)
        shown = set()  # one piece of evidence per span and kind: the strongest signature's
        for sig, start, end in sorted(items, key=lambda i: (i[1], i[2], -strengths[i[0].id])):
            per_signature[sig.id] += 1
            if (
                per_signature[sig.id] > MAX_EVIDENCE_PER_SIGNATURE
                or (start, end, sig.kind) in shown
            ):
                continue
            shown.add((start, end, sig.kind))
            evidence.append(
                Evidence(
                    kind=sig.kind,
                    match=text[start:end],
                    start=start,
                    end=end,
                    weight=round(strengths[sig.id], 3),
                    signature=sig.label,
                    cause=sig.cause,
                )
            )

        # Markers of another product the article does not mention cap the answer.
        own = [(e.start, e.end) for e in evidence]
        cap = None
        for marker_cap, marker, start, end in foreign_spans:
            if marker in self._covered[slug]:
                continue
            if any(s < end and start < e for s, e in own):
                continue
            weight = -1.0 if marker_cap == "low" else -0.5
            evidence.append(_against(text, start, end, weight, marker))
            cap = "low" if marker_cap == "low" or cap == "low" else "medium"
        # Stack frames of application code the article does not know put the error in
        # some other program, unless the paste names the article's product.
        foreign_frames = self._foreign_frames(slug, units, frames)
        for owner, start, end in foreign_frames:
            evidence.append(_against(text, start, end, -0.5, f"code {owner}"))
        if foreign_frames:
            cap = cap or "medium"
        # So does a program the article does not know (AcmeTray.exe, the AcmeBackup service).
        named = self._names_product(slug, units)
        taken = [(s, e) for *_, s, e in foreign_spans] + [(e.start, e.end) for e in evidence]
        for name, start, end in programs:
            if named or self._knows_program(slug, name):
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            evidence.append(_against(text, start, end, -0.5, f"program {name}"))
            cap = cap or "medium"
        # Generic evidence alone (a standard message, framework exceptions, common codes)
        # is low, and stays low beside another program. It may be more with context of
        # the article's own, with the article's framework named strongly (never high,
        # above), or when it has the article's shape: its exception chain, or a message
        # its editor weighted up as characteristic of it.
        generic_only = all(sig.id in generic_ids for sig, *_ in units.values() if sig.primary)
        if generic_only:
            framework = max(technology.values(), default=0.0) >= CONTEXT_LIFT
            shaped = any(
                sig.chain or (sig.generic and sig.weight > 1)
                for sig, *_ in units.values()
                if sig.primary
            )
            if (
                cap is not None
                or not (setting or framework or shaped)
                or _another_error(text, items)
            ):
                cap = "low"
        if cap is not None:
            score, confidence = _cap(score, confidence, cap)

        cause_scores = {c.key: 0.0 for c in self.articles[slug].causes}
        proven = set()
        for sig, *_ in units.values():
            if sig.cause and sig.id not in diverging:
                previous = cause_scores.get(sig.cause, 0.0)
                cause_scores[sig.cause] = round(1 - (1 - previous) * (1 - strengths[sig.id]), 3)
                if strengths[sig.id] >= PROOF and sig.kind != "context":
                    proven.add(sig.cause)
        evidence.sort(key=lambda e: (e.start, e.end, e.signature))
        return Candidate(
            article=slug,
            score=round(score, 4),
            confidence=confidence,
            evidence=evidence,
            cause_scores=cause_scores,
            proven_cause=proven.pop() if len(proven) == 1 else None,
        )


# Lines that may hold an error code in a spelling other than its standard message
# contain one of these: a number after "error" or "code", hex, "WIN32:", symbolic
# names with "_" or "WSA". find_codes reads only those lines; the standard
# messages, wherever they are, are found by the index's automaton in the same
# pass as everything else.
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
    "_",
)


def _find_codes(text):
    """codes.find_codes over the lines of text that may hold a code; the rest is blanked."""
    lower = text.lower()
    if len(lower) != len(text):
        return codes_module.find_codes(text)
    # Where each line starts: 0, then one past each line and its "\n".
    line_starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
    line_starts.pop()
    keep = set()
    for hint in _CODE_HINTS:
        pos = lower.find(hint)
        while pos >= 0:
            line = bisect_right(line_starts, pos) - 1
            keep.add(line)
            following = line_starts[line + 1] if line + 1 < len(line_starts) else len(text)
            pos = lower.find(hint, following)
    if len(keep) == len(line_starts):
        return codes_module.find_codes(text)
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
    for hit in codes_module.find_codes(_RUN_SEPARATOR.join(pieces)):
        k = bisect_right(joined_starts, hit.start) - 1
        shift = run_starts[k] - joined_starts[k]
        hits.append(
            codes_module.CodeHit(
                hit.start + shift, hit.end + shift, hit.spelling, hit.code, hit.wrapper, hit.how
            )
        )
    return hits


_RUN_SEPARATOR = "\n\x00\n"

_QUALIFIED_NAME_RE = re.compile(r"(?<![\w.])(?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*")
# A service named in CamelCase, as Windows lists it: "the AcmeBackup service".
_SERVICE_NAME_RE = re.compile(r"\b([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)[ \t]+[Ss]ervice\b")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_SPLIT_CANNOT_RE = re.compile(r"can not\b(?<!\wcan not)")  # "\bcan not\b", literal first


_CONTINUATION_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]")
# A stack frame at the start of a line: "at", its translations, or nothing (ASP.NET's
# yellow screen), then a qualified method name and its argument list.
_APPLICATION_FRAME_RE = re.compile(
    r"^[ \t>]*(?:(?:at|bei|à|en|em|w|na|vid|ved|в|在|於)[ \t]+)?"
    r"(?!System\.|Microsoft\.)"  # the bulk of .NET traces, skipped early
    r"((?:[A-Za-z_][\w`]*\.){2,}[A-Za-z_.<][\w<>`]*)[ \t]*(?:\[[^\]\n]*\])?\(",
    re.MULTILINE,
)
# Leading name parts that say nothing about who wrote the code (com.example.App).
_FRAME_PREFIXES = frozenset("com org net io de nl fr uk se no dk ch at be it es eu co".split())


def _continuation_tokens(text):
    return _CONTINUATION_TOKEN_RE.findall(text)


# What follows an exception name as its message: after a colon ("SocketException
# (0x80004005): <message>"), in quotes, or on the next line of an ASP.NET event
# ("Exception type: SocketException" / "Exception message: <message>").
_MESSAGE_AFTER_RE = re.compile(
    r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*"
    r"(?::[ \t]*|(?<=[ \t])[\"“'][ \t]*|\r?\n[ \t]*exception message[ \t]*:[ \t]*)"
    r"([^\n\"”]{0,160})",
    re.IGNORECASE,
)
# A stack frame run onto the message's line: "... is known at System.Net.Dns.Get(".
_FRAME_AFTER_RE = re.compile(r"\s+at\s+[\w.`<>]+[.(]")
_MESSAGE_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _another_error(text, items):
    """Whether the article's primary evidence is only exception types, each appearance of
    which carries a message in plain English. Had the message been the article's, a
    phrase of it would be evidence too; so this is another error of the same type. (A
    message in another language may well be the article's, in words the knowledge base
    does not have.)"""
    return all(
        sig.kind == "exception" and _reads_as_english(_message_after(text, end))
        for sig, _, end in items
        if sig.primary
    )


def _message_after(text, end):
    """The message an exception name at end is given (see _MESSAGE_AFTER_RE), without a
    stack frame run onto its line, or "" when no message follows it."""
    found = _MESSAGE_AFTER_RE.match(text, end)
    return _FRAME_AFTER_RE.split(found.group(1), maxsplit=1)[0] if found else ""


def _reads_as_english(message):
    """Whether a message is in words of English, so that the engine could have read it."""
    words = _MESSAGE_WORD_RE.findall(message.lower())
    if len(words) < 3:
        return False
    known = sum(1 for word in words if _zipf(word) >= ENGLISH_ZIPF)
    return known >= ENGLISH_SHARE * len(words)


def _detail_differs(tail, pasted):
    """Whether pasted agrees with tail up to a colon and then gives another detail."""
    agreed = 0
    for a, b in zip(tail, pasted, strict=False):
        if a != b:
            break
        agreed += 1
    return (
        agreed >= 1
        and tail[agreed - 1] == ":"
        and agreed < min(len(tail), len(pasted))
        and tail[agreed][0].isalnum()
        and pasted[agreed][0].isalnum()
    )


def _application_frames(text):
    """(owner, start, end) for stack frames of code outside the frameworks."""
    found = []
    framework = _generic()[3]
    for m in _APPLICATION_FRAME_RE.finditer(text):
        name = m.group(1)
        if name.lower().startswith(framework):
            continue
        parts = name.split(".")
        owner = parts[1] if parts[0].lower() in _FRAME_PREFIXES and len(parts) > 2 else parts[0]
        if owner.strip("_"):
            found.append((owner, m.start(1), m.end(1)))
    return found


def _framework_parts(texts):
    """Lower-case names inside framework-qualified names in texts (ipcport, channels)."""
    parts = set()
    for text in texts:
        for m in _QUALIFIED_NAME_RE.finditer(text):
            if _is_framework(m.group()):
                parts.update(p.lower() for p in m.group().split(".")[1:])
    return frozenset(parts)


def _inside_framework_name(text, start, end):
    """Whether text[start:end] is part of a longer framework-qualified name."""
    left, right = start, end
    floor, ceiling = max(0, start - 200), min(len(text), end + 200)
    while left > floor and (text[left - 1] in "._" or text[left - 1].isalnum()):
        left -= 1
    while right < ceiling and (text[right] in "._" or text[right].isalnum()):
        right += 1
    name = text[left:right].strip(".")
    return len(name) > end - start and "." in name and _is_framework(name)


def _named_programs(text):
    """(name, start, end) of the programs and services a paste names."""
    return _line_names(_EXE_RE, text, ".exe") + _line_names(_SERVICE_NAME_RE, text, "ervice")


def _line_names(pattern, text, needle):
    """(group 1, start, end) of pattern's matches in text, for a pattern whose matches lie
    within one line and contain needle in some case. It runs only on the lines holding
    needle: tried at every word start of a long log, such a pattern costs milliseconds."""
    lower = text.lower()
    if len(lower) != len(text):
        return [(m.group(1), m.start(1), m.end(1)) for m in pattern.finditer(text)]
    found = []
    pos = lower.find(needle)
    while pos >= 0:
        start = lower.rfind("\n", 0, pos) + 1
        end = lower.find("\n", pos)
        end = len(text) if end < 0 else end
        for m in pattern.finditer(text[start:end]):
            found.append((m.group(1), m.start(1) + start, m.end(1) + start))
        pos = lower.find(needle, end)
    return found


@lru_cache(maxsize=65536)  # pastes bring words of every kind: keep it bounded
def _zipf(word):
    """How common word is in English, from 0 (never seen) to about 8 ("the")."""
    return zipf_frequency(word, "en")


def _word_stem(word):
    """A lower-case word without its ending and final "e": "dispatched", "dispatching"
    and "dispatch" are "dispatch"; "duplicated" and "duplicate" are "duplicat"."""
    for ending in STEM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= PARAPHRASE_MIN_LENGTH:
            if ending == "s" and word.endswith("ss"):
                break
            word = word[: -len(ending)]
            break
    return word[:-1] if word.endswith("e") and len(word) > PARAPHRASE_MIN_LENGTH else word


def _stems(word):
    """What word may be a regular inflection of: "served" -> "serve", "serv"."""
    found = []
    for ending in WORD_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= STEM_MIN_LENGTH:
            found.append(stem)
            if ending[0] in "ei":
                found.append(stem + "e")  # "closing", "closed" -> "close"
    return found


def _one_edit_apart(word, target):
    """Whether word is target with one letter missing, added or wrong, or two swapped."""
    a, b = word, target
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if a.startswith(b):
        return False  # an ending ("pipes" for "pipe"): the matcher's inflections read those
    if b.startswith(a):
        return True  # the last letter missing ("addres")
    i = 0
    while a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if len(a) > len(b):
        a, b = b, a
    return a[i:] == b[i + 1 :]


def _qualifier_start(t, start):
    """Where the namespace written before position start begins (up to 200 characters back)."""
    window = max(0, start - 200)
    return start - _QUALIFIER_REVERSED_RE.match(t[window:start][::-1]).end()


def _looks_like_frame(value):
    head = value.split("(", 1)[0].strip()
    return " " not in head and head.count(".") >= 2


def _against(text, start, end, weight, what):
    """Evidence of another product or program at text[start:end], weighing against."""
    return Evidence(
        kind="foreign",
        match=text[start:end],
        start=start,
        end=end,
        weight=weight,
        signature=f"foreign:{what}",
    )


# Words that tell of something going wrong, read in the pasted text itself. Whole words
# with their inflections ("issue", not "issued"; "dead", not "deadline"), and not right
# after a denial ("no problem", "without any errors", "has never crashed", "error-free",
# "the problem is solved"); see _supposes for suppositions ("an alert when it
# fails").
_TROUBLE_RE = re.compile(
    # \b and the first letters first: most places fail there at once.
    r"\b(?=[abcdefhilmnprstuw])"
    r"(?<!\bno )(?<!\bwithout )(?<!\bwithout any )(?<!\bnever had a )(?<!\bnever had any )"
    r"(?<!\bnever )(?<!n[’']t )(?<!\bnot )(?<!\b0 )(?<!\bzero )"
    r"(?<!\bwith the )(?:"
    r"errors?|fail(?:s|ed|ing|ures?)?|faults?|faulting|exceptions?|crash(?:es|ed|ing)?"
    r"|hang(?:s|ing)?|hung|freez(?:e|es|ing)|froze(?:n)?|stop(?:ped|ping)"
    r"|stops? (?:working|responding)|stuck|die[sd]|dying|dead|broken|breaks"
    r"|(?:is|was|are|were) down|leak(?:s|ed|ing)?|busy|refus(?:e|es|ed|ing)"
    r"|denied|cannot|can[’']t|unable|won[’']t|(?:doesn[’']t|does not|didn[’']t) work"
    r"|time[sd]? ?out|timing out|timeouts?|not (?:respond|start|work|accept|connect|run)\w*"
    r"|problems?|issues?|wrong|missing|lost|empty"
    r")\b(?!-free)(?! (?:is|are|was|were|has been|have been|got)(?: now)?"
    r" (?:solved|fixed|resolved|gone))",
    re.IGNORECASE,
)


class _Place(NamedTuple):
    """A word or piece of context of one article in the normalised paste, for the
    description reading (Index._paraphrases)."""

    start: int
    end: int
    key: str
    weight: float
    kind: str  # "word", or the kind of a context signature
    cause: str | None = None


class _Sentences:
    """The sentences of a paste, to ask whether the one around a hit tells of trouble.
    Read in the pasted text, where line breaks still part a subject from its body; a
    full stop inside a file name (Lsmain.exe) ends none. Only the sentences asked about
    are read, each once; of a long one (a log without full stops), the SENTENCE_REACH
    characters on either side of the hit."""

    def __init__(self, norm):
        self._norm = norm
        self._ends = None
        self._verdicts = {}

    def tell_of_trouble(self, start, end):
        """Whether the sentence around normalised span [start, end) tells of trouble."""
        text = self._norm.original
        if self._ends is None:
            # str.find: a regular expression tried at every character of a 64 KB paste
            # costs milliseconds.
            ends = []
            for mark in (". ", "? ", "! ", "\n"):
                i = text.find(mark)
                while i >= 0:
                    ends.append(i + len(mark))
                    i = text.find(mark, i + 1)
            self._ends = sorted(ends)
        ends = self._ends
        o_start = self._norm.orig_span(start, end)[0]
        n = bisect_right(ends, o_start)
        left = ends[n - 1] if n else 0
        right = ends[n] if n < len(ends) else len(text)
        if right - left > 2 * SENTENCE_REACH:
            # The stretch of a long sentence around the hit, on a grid so that the
            # hits of one stretch share its reading.
            bucket = o_start // SENTENCE_REACH
            left = max(left, (bucket - 1) * SENTENCE_REACH)
            right = min(right, (bucket + 2) * SENTENCE_REACH)
        verdict = self._verdicts.get((left, right))
        if verdict is None:
            verdict = self._verdicts[left, right] = _tells_of_trouble(text, left, right)
        return verdict


def _tells_of_trouble(text, left, right):
    """Whether a word of trouble starts in text[left:right] (one sentence, or a stretch
    of one), other than in a clause that only supposes it ("an alert when it dies"):
    from such a clause to the end of the sentence, trouble is supposed."""
    asking = [m.start() for m in _ASKING_RE.finditer(text, max(0, left - CLAUSE_REACH), right)]
    supposing = False
    for match in _TROUBLE_RE.finditer(text, left, min(len(text), right + 40)):
        start = match.start()
        if start >= right:
            break
        # "An alert when it crashed" is a report, whatever asks about it.
        if _PAST_TROUBLE_RE.fullmatch(match.group()):
            return True
        if not supposing:
            supposing = _supposes(text, asking, start)
            if not supposing:
                return True
    return False


# A clause that only supposes trouble, for someone to be told of it: "an alert when
# Lsmain.exe dies", "notify us if the service hangs". (Plain "when" or "if" does not:
# "when I start the controller Lsmain.exe crashes" is a report.) Searched in the
# CLAUSE_REACH characters before a word of trouble; it must reach that word.
_ASKING_RE = re.compile(
    r"\b(?:alert|alarm|notif\w*|warn\w*|monitor\w*|e-?mail|watch\w*|a page|paged?)\b",
    re.IGNORECASE,
)
_SUPPOSING_RE = re.compile(r"\b(?:if|when|whenever|in case|once)\b", re.IGNORECASE)
_CLAUSE_ENDS = (",", ";", ":", "(", "\n", ". ", "? ", "! ")


def _supposes(text, asking, start):
    """Whether the word of trouble at start is in a clause that only supposes it: the
    nearest word that asks to be told (asking: their sorted places) stands less than
    CLAUSE_REACH before it, an "if" or "when" follows that word closely, and no clause
    ends between them ("we want an alert when Lsmain.exe dies")."""
    i = bisect_left(asking, start) - 1
    if i < 0 or start - asking[i] > CLAUSE_REACH:
        return False
    between = text[asking[i] : start]
    if any(mark in between for mark in _CLAUSE_ENDS):
        return False
    return _SUPPOSING_RE.search(between, 0, SUPPOSING_REACH) is not None


# Trouble told as past is a report, whatever asks about it ("paged when it crashed").
_PAST_TROUBLE_RE = re.compile(r"\w+ed|died|hung|froze|frozen|lost|broken", re.IGNORECASE)
CLAUSE_REACH = 120  # characters before a word of trouble read for the clause it is in
SUPPOSING_REACH = 70  # characters after a word that asks within which "if" or "when" follows


class _Spans:
    """Fixed spans, asked whether a span lies inside or overlaps one of them, in O(log n)
    a question."""

    def __init__(self, spans):
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._reach = list(accumulate((e for _, e in spans), max))  # furthest end so far

    def contains(self, start, end):
        """Whether [start, end) lies inside one of the spans."""
        i = bisect_right(self._starts, start)
        return i > 0 and self._reach[i - 1] >= end

    def overlaps(self, start, end):
        """Whether [start, end) shares a character with one of the spans."""
        i = bisect_left(self._starts, end)  # the spans that start before it ends
        return i > 0 and self._reach[i - 1] > start


def _without_overlaps(hits):
    """Hits (start, end, ...weight at [3]) with each overlapping group reduced to its
    heaviest, the longer of two as heavy: "Port Sharing Service" holds the contexts
    "port sharing" and "Sharing Service", and SMSvcHost is both a process and a
    distinctive word."""
    starts, kept = [], []  # kept hits do not overlap, so sorted by start they are by end
    for hit in sorted(hits, key=lambda h: (-h[3], h[0] - h[1])):
        i = bisect_left(starts, hit[1])  # kept hits starting before this one ends
        if i and kept[i - 1][1] > hit[0]:
            continue
        starts.insert(i, hit[0])
        kept.insert(i, hit)
    return kept


def _clusters(text, units):
    """Group hits that overlap or sit next to each other in the paste."""
    clusters, current, current_end = [], [], -1
    for unit in units:
        start, end = unit[1], unit[2]
        if current and (
            start <= current_end
            or (
                start - current_end <= CLUSTER_GAP
                and not any(is_word_char(c) for c in text[current_end:start])
            )
        ):
            current.append(unit)
            current_end = max(current_end, end)
        else:
            if current:
                clusters.append(current)
            current, current_end = [unit], end
    if current:
        clusters.append(current)
    return clusters


def _noisy_or(values):
    return 1 - math.prod(1 - v for v in values)


def _confidence(score, anchored):
    if score >= HIGH and anchored:
        return "high"
    if score >= MEDIUM:
        return "medium"
    return "low"


def _cap(score, confidence, cap):
    order = ("low", "medium", "high")
    if order.index(confidence) <= order.index(cap):
        return score, confidence
    ceiling = MEDIUM - 0.01 if cap == "low" else HIGH - 0.01
    return min(score, ceiling), cap


def _calibrate_against_each_other(candidates):
    """Close leaders are not high; candidates a high one explains drop to low."""
    if len(candidates) >= 2:
        first, second = candidates[0], candidates[1]
        both = all(c.confidence in ("high", "medium") for c in (first, second))
        if both and first.score - second.score < CLOSE_MARGIN:
            for c in (first, second):
                if c.confidence == "high":
                    c.confidence = "medium"
    for i, candidate in enumerate(candidates):
        if candidate.confidence == "low":
            continue
        spans = [(e.start, e.end) for e in candidate.evidence if e.kind in PRIMARY_KINDS]
        for better in candidates[:i]:
            if better.confidence != "high":
                continue
            theirs = [(e.start, e.end) for e in better.evidence if e.weight > 0]
            if spans and all(any(s < e2 and s2 < e for s2, e2 in theirs) for s, e in spans):
                candidate.confidence = "low"
                candidate.score = min(candidate.score, MEDIUM - 0.01)
                break
