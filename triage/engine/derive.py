"""Signatures from the articles' own error texts, so editors need write none on day one.

In: an ArticleSpec. Out: SignatureSpecs of its message fragments (cut at the variable
parts, triage/variables.py, and at the argument lists of framework methods, which every
trace through them has), its error codes, exception types and chains, event sources with
their IDs, process names, and its products.
"""

import re

from triage import codes as codes_module
from triage import variables
from triage.engine.trouble import is_trouble
from triage.engine.tuning import DEFAULT, MAX_PASTE
from triage.engine.types import SignatureSpec
from triage.engine.vocabulary import (
    COMPONENT_HEADS,
    EXCEPTION_NAME_RE,
    TOKEN_RE,
    code_key,
    code_messages,
    is_framework,
    noise,
    phrase_key,
    zipf,
)
from triage.engine.words import token_information

_HEADER_RE = re.compile(
    r"(?im)^[ \t]*(?:log name|date|time|computer|user|keywords|level|task category|opcode"
    r"|process id|thread id|id|source|event id|process name|logged"
    r"|event type|event source|event category)[ \t]*:.*$"
)
# An event's source and ID, each on a line of its own, in either order: Event Viewer's
# "Source:" and "Event ID:", the older "Event Source:", PowerShell's "ProviderName :"
# and "Id :".
_EVENT_SOURCE_RE = re.compile(
    r"(?im)^[ \t]*(?:event[ \t]*)?(?:source|provider[ \t]*name)[ \t]*:[ \t]*([A-Za-z][\w.-]*)"
)
_EVENT_ID_RE = re.compile(r"(?im)^[ \t]*(?:event[ \t]*)?id[ \t]*:[ \t]*(\d{1,6})\b")
# Windows names most event sources of its own "Microsoft-Windows-WAS"; the event list
# and older tools show "WAS".
_SOURCE_PREFIX_RE = re.compile(r"(?i)^microsoft-windows-")
_PROCESS_NAME_RE = re.compile(r"(?im)^[ \t]*process name[ \t]*:[ \t]*([A-Za-z][\w.-]*)")
EXE_RE = re.compile(r"(?<![\w.-])([A-Za-z][\w.-]*\.exe)\b", re.IGNORECASE)
_INNER_MARKER_RE = re.compile(r"--->|\binner exception\b|\bcaused by:", re.IGNORECASE)
# Double quotes cut a message into fragments (_CUT_RE), so they are no variable part here.
_VARIABLE_RE = variables.pattern(without=("double-quoted",))
_CALL_RE = re.compile(r"((?:[A-Za-z_][\w`]*\.)+[A-Za-z_][\w`]*)(?:\[[^\]\n]*\])?\([^()\n]*\)")
_CUT_RE = re.compile(r"[(){}\[\]<>\"|\t]|\s--+>?\s?|--->|\s-\s|\n")
_SUB_CUT_RE = re.compile(r":\s+|(?<=[.!?;])\s+")
_FRAME_PREFIX_RE = re.compile(r"^(?:at|in)\s+", re.IGNORECASE)
# A CamelCase, snake_case or dotted name: a setting, a registry value, a type.
_IDENTIFIER_RE = re.compile(r"(?<![\w.\\/-])[A-Za-z][\w.]*[A-Za-z0-9](?![\w\\/-])")
_QUALIFIED_NAME_RE = re.compile(r"(?<![\w.])(?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*")


def derive_signatures(article, tuning=DEFAULT, names=None):
    """Signatures derived from an ArticleSpec's error texts and products; names are its
    setting_names when the caller has them already."""
    out = []

    def add(kind, value, weight=1.0):
        out.append(SignatureSpec(article.slug, kind, value, weight))

    for text in article.error_texts:
        if not text or not text.strip():
            continue
        text = text[:MAX_PASTE]
        for fragment in fragments(text, tuning):
            add("context" if component_name(fragment) else "phrase", fragment)
        for hit in codes_module.find_codes(text):
            add("code", hit.code.key)
        for kind, value in _exceptions(text):
            add(kind, value)
        for value in _events(text, tuning.derivation):
            add("event", value)
        for m in EXE_RE.finditer(text):
            add("process", m.group(1))
        for m in _PROCESS_NAME_RE.finditer(text):
            add("process", m.group(1))
    # The codes its title names (by number or by standard message) are errors it is
    # about, whether or not its symptoms quote them that way ("The RPC server is
    # unavailable" above a symptom that says "RPC server unavailable").
    for hit in codes_module.find_codes(article.title[:MAX_PASTE]):
        add("code", hit.code.key)
    for product in article.products:
        add("product", product)
    # Named in passing, not as the error's own setting: they tell less than a product.
    for kind, value in setting_names(article, tuning) if names is None else names:
        add(kind, value, tuning.derivation.setting_weight)
    return list(dict.fromkeys(out))


def setting_names(article, tuning=DEFAULT):
    """(kind, value) of the names of an article's own setting that its text gives beyond
    its error texts: the settings, registry values and identifiers its causes and
    resolutions name (MaxUserPort, SeServiceLogonRight, maxReceivedMessageSize) as
    context, and the programs it names as processes. A paste that names one has the
    article's context, which a generic message needs."""
    quoted = " ".join(article.error_texts)
    found = []
    for m in EXE_RE.finditer(article.text):
        found.append(("process", m.group(1)))
    for token in _IDENTIFIER_RE.findall(article.text):
        bare = token.strip("._-:")
        if len(bare) < tuning.derivation.min_identifier_chars or bare in quoted:
            continue
        if "." in bare and is_framework(bare):
            continue
        if token_information(bare, tuning.information) >= tuning.information.identifier:
            found.append(("context", bare))
    return list(dict.fromkeys(found))[: tuning.derivation.max_setting_names]


def _exceptions(text):
    """("exception", name) for each exception type, and "outer > inner" for each pair
    written across an inner-exception marker."""
    names = [(m.start(), m.group(1)) for m in EXCEPTION_NAME_RE.finditer(text)]
    found = [("exception", name) for _, name in names]
    markers = [m.start() for m in _INNER_MARKER_RE.finditer(text)]
    for (pos_a, outer), (pos_b, inner) in zip(names, names[1:], strict=False):
        if outer != inner and any(pos_a < m < pos_b for m in markers):
            found.append(("exception", f"{outer} > {inner}"))
    return found


def _events(text, derivation):
    """Source:ID of each event ID with the nearest source line, above or below it and at
    most event_source_lines away (above when both are as near)."""
    sources = [
        (text.count("\n", 0, m.start()), m.group(1)) for m in _EVENT_SOURCE_RE.finditer(text)
    ]
    found = []
    for m in _EVENT_ID_RE.finditer(text):
        line = text.count("\n", 0, m.start())
        near = [(abs(line - at), at > line, name) for at, name in sources]
        near = [n for n in near if n[0] <= derivation.event_source_lines]
        if near:
            source = _SOURCE_PREFIX_RE.sub("", min(near)[2])
            found.append(f"{source}:{m.group(1)}")
    return found


def fragments(text, tuning=DEFAULT):
    """Message fragments of an error text, as (original-case fragment) strings."""
    masked = _masked(text)
    out = []
    for block in _blocks(masked):
        for piece in _CUT_RE.split(block):
            piece = piece.strip()
            if not piece:
                continue
            subs = [piece] + [s for s in _SUB_CUT_RE.split(piece) if s]
            for sub in subs:
                sub = _FRAME_PREFIX_RE.sub("", sub.strip(" \t.,;:!?-'"))
                if _keep_fragment(sub, tuning):
                    out.append(sub)
    return list(dict.fromkeys(out))


def _masked(text):
    """text with its report headers, codes, variable parts and the argument lists of
    framework calls replaced by tabs, which cut fragments; line breaks are kept."""
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
        if is_framework(m.group(1)):
            mask(m.end(1), m.end())
    return "".join(masked).replace("\x00", "\t")


def _blocks(masked):
    """The masked text as it is, and with soft-wrapped lines joined back together."""
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
    return ["\n".join(lines), "\n".join(joined)]


def _keep_fragment(fragment, tuning):
    key = phrase_key(fragment)
    if key in noise() or key in code_messages():
        return False  # report furniture; or a standard message, which a code signature covers
    tokens = TOKEN_RE.findall(fragment)
    words = [t for t in tokens if any(c.isalpha() for c in t)]
    if not words:
        return False
    if len(words) == 1 and EXCEPTION_NAME_RE.fullmatch(words[0]):
        return False  # a bare exception type: an exception signature covers it
    derivation = tuning.derivation
    if len(words) >= derivation.min_words:
        return True
    identifier = tuning.information.identifier
    return (
        any(token_information(t, tuning.information) >= identifier for t in words)
        and len(fragment) >= derivation.min_identifier_chars
    )


def component_name(fragment):
    """Whether a fragment is the name of a software component ("SQL Server Native Client",
    "Net SqlClient Data Provider"): words in capitals only, the last a component's head
    word, and no word of trouble. A name is context, never the error."""
    words = fragment.split()
    if len(words) < 2 or words[-1].lower() not in COMPONENT_HEADS:
        return False
    if any(w[:1].islower() for w in words):
        return False
    return not is_trouble(fragment) and "error" not in fragment.lower()


def signature_identity(kind, value):
    """What makes two signatures of one article the same, for exclusion and overrides."""
    if kind == "code":
        return kind, code_key(value)
    if kind == "event":
        return kind, event_key(value)
    if kind == "pattern":
        return kind, value.strip()
    if kind == "exception":
        return kind, " > ".join(part.strip().lower() for part in value.split(">"))
    return kind, phrase_key(value)


def event_key(value):
    source, _, event_id = value.rpartition(":")
    return f"{phrase_key(source)}:{event_id.strip().lstrip('0') or '0'}"


def product_aliases(name, tuning=DEFAULT):
    """The ways a product name is written: as is, without "Microsoft", run together as in
    identifiers and namespaces ("ContentStudio", "ContentStudio.Web"), and a name of
    three or more capitalised words by its initials ("Windows Communication Foundation"
    is "WCF", "Internet Information Services" "IIS")."""
    aliases = [name]
    words = name.split()
    if len(words) >= 2 and words[0].lower() == "microsoft":
        words = words[1:]
        aliases.append(" ".join(words))
    for alias in list(aliases):
        if " " in alias:
            aliases.append(alias.replace(" ", ""))
    if len(words) >= 3 and all(w[:1].isupper() and w.isalpha() for w in words):
        initials = "".join(w[0] for w in words)
        if zipf(initials.lower()) < tuning.derivation.initials_max_zipf:
            aliases.append(initials)
    return aliases


def looks_like_frame(value):
    head = value.split("(", 1)[0].strip()
    return " " not in head and head.count(".") >= 2


def framework_parts(texts):
    """Lower-case names inside framework-qualified names in texts (ipcport, channels)."""
    parts = set()
    for text in texts:
        for m in _QUALIFIED_NAME_RE.finditer(text):
            if is_framework(m.group()):
                parts.update(p.lower() for p in m.group().split(".")[1:])
    return frozenset(parts)
