"""A normalised signature of a pasted error, to group unanswered pastes.

Two pastes of the same error rarely match character for character: host names,
ports, process ids, timestamps, paths and the order of stack frames differ. The
fingerprint keeps only what identifies the error:

1. the text is redacted (so a label never shows a secret) and stack frames and
   event-log header fields (``Level: Error``, ``Event ID: 8``) are dropped;
2. the remaining lines are joined and split into sentences, so the wrapping
   column of the paste does not matter;
3. the most error-like sentences (an exception name, "error", "failed",
   "denied", "cannot"...) are turned into templates, where every variable part becomes
   ``<*>`` and case and white space are folded;
4. the sorted, de-duplicated templates, the error codes and the exception type
   names (short names, without namespace) are hashed into a short key.

The key is stable across releases only as long as these rules are; changing them
regroups the queue, which is harmless because groups are recomputed from stored
pastes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from triage import variables
from triage.redact import redact

# How many error-like sentences make up the signature.
MAX_LINES = 3
# Long lines are cut: the start of a message names the error, its tail is detail.
MAX_TEMPLATE_CHARS = 160
LABEL_MESSAGE_CHARS = 100


@dataclass(frozen=True)
class Fingerprint:
    key: str  # 16 hex digits
    label: str  # "win32:231 · RemotingException · port is busy: all pipe instances are busy"
    exceptions: tuple[str, ...] = ()  # the short exception type names the key is made of


def fingerprint(
    text: str, codes: Iterable[str] = (), exceptions: Iterable[str] = ()
) -> Fingerprint:
    """Group key and readable label for a paste.

    codes: error codes the caller already found ("win32:231", "0x800700E7");
    when none are given, HRESULT-style codes and "WIN32:n" are taken from the text.
    exceptions: exception type names; when none are given they are found in the text.
    """
    if isinstance(codes, str):
        codes = [codes]
    if isinstance(exceptions, str):
        exceptions = [exceptions]
    lines = _message_lines(redact(text or "").text)
    codes = sorted({_normalise_code(c) for c in codes if c and c.strip()})
    if not codes:
        codes = sorted({_normalise_code(c) for line in lines for c in _find_codes(line)})
    exceptions = sorted({_short_name(e) for e in exceptions if e and e.strip()})
    if not exceptions:
        exceptions = sorted({_short_name(e) for line in lines for e in _EXCEPTION.findall(line)})

    chosen = _most_error_like(lines)
    material = "\n".join(
        ["codes:" + ",".join(codes), "exceptions:" + ",".join(exceptions)]
        + sorted({t for _score, t in chosen})
    )
    key = hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]

    parts = []
    if codes:
        parts.append(", ".join(codes))
    if exceptions:
        parts.append(", ".join(exceptions))
    if chosen:
        message = chosen[0][1]
        if len(message) > LABEL_MESSAGE_CHARS:
            message = message[: LABEL_MESSAGE_CHARS - 1].rstrip() + "…"
        parts.append(message)
    return Fingerprint(
        key=key, label=" · ".join(parts) or "(empty paste)", exceptions=tuple(exceptions)
    )


# --- choosing lines ----------------------------------------------------------

_FRAME = re.compile(
    r"\s*(?:at\s+\S+\(|at\s+[\w.$<>`\[\]]+\s*$|File\s+\""
    r"|-{2,3}\s*End of|Server stack trace|Exception rethrown at|\.\.\.\s*\d+\s+more"
    r"|Stack ?Trace:?\s*$|Traceback \(most recent call last\))",
    re.IGNORECASE,
)
# Event-log and report header fields with a short value: "Level:   Error",
# "Event ID: 8"; but "SocketException: Access denied" is a message.
_HEADER_FIELD = re.compile(r"\s*([A-Z][A-Za-z ]{0,30}):\s*(\S+(?:\s+\S+){0,2})?\s*$")
_MESSAGE_LABEL = re.compile(r"(?i)(?:error|exception|message|description|details|\w+exception)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _message_lines(text):
    """The sentences that can carry the message, whatever the line wrapping.

    Consecutive lines are joined and split again at sentence ends, so a message
    wrapped at another column gives the same sentences. Blank lines, stack
    frames, header fields and "--->" inner-exception markers are hard breaks.
    """
    blocks, current = [], []
    for raw in text.splitlines():
        line = raw.strip()
        header = _HEADER_FIELD.fullmatch(line)
        if (
            not line
            or _FRAME.match(line)
            or (header and not _MESSAGE_LABEL.fullmatch(header.group(1).strip()))
        ):
            blocks.append(current)
            current = []
            continue
        if line.startswith("--->"):
            blocks.append(current)
            current = []
        current.append(line)
    blocks.append(current)
    sentences = []
    for block in blocks:
        sentences += [s for s in _SENTENCE_END.split(" ".join(block)) if s.strip()]
    return sentences


_ERROR_WORDS = re.compile(
    r"(?i)\b(?:error|errors|exception|failed|failure|fails|fail|denied|cannot|can't|could not"
    r"|couldn't|unable|invalid|refused|timed out|timeout|busy|not found|fatal|critical"
    r"|unhandled|rejected|violation|already|aborted|crash(?:ed)?|leaked|unexpected"
    r"|not be|no such|not allowed|forbidden|unauthori[sz]ed|corrupt)\b"
)
_EXCEPTION = re.compile(r"(?<![\w.])[A-Z][\w.]*?(?:Exception|Error)\b")
_EXCEPTION_WORD = re.compile(r"\b[A-Z]\w+(?:Exception|Error)\b")


def _score(line):
    line = line[:MAX_TEMPLATE_CHARS]  # the part the template keeps
    # An exception name says more than any number of repeated "busy"s.
    words = {w.lower() for w in _ERROR_WORDS.findall(line)}
    return 5 * len(set(_EXCEPTION_WORD.findall(line))) + 2 * len(words) + len(_CODE.findall(line))


def _most_error_like(lines):
    """The best lines as (score, template), best first; ties go by text, not order."""
    scored = {}
    for line in dict.fromkeys(lines):  # a log repeats itself; template each line once
        t = template(line)
        if t and t != "<*>":
            scored[t] = max(scored.get(t, 0), _score(line))
    ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
    best = [(s, t) for t, s in ranked if s > 0][:MAX_LINES]
    if not best:
        # No line says "error": a short paste such as "All pipe instances are busy".
        best = [(s, t) for t, s in ranked[:1]]
    return best


# --- codes and names ---------------------------------------------------------

_CODE = re.compile(r"(?i)\b(?:0x[0-9a-f]{8}|win32\s*:\s*\d{1,5})\b")


def _find_codes(line):
    return [re.sub(r"\s+", "", c) for c in _CODE.findall(line)]


def _normalise_code(code):
    code = code.strip()
    if re.fullmatch(r"0[xX][0-9A-Fa-f]+", code):
        return "0x" + code[2:].upper()
    return re.sub(r"\s+", "", code.lower())


def _short_name(name):
    return name.strip().rsplit(".", 1)[-1]


# --- templates ---------------------------------------------------------------

# Every variable part of a message (triage/variables.py, shared with the engine's
# derivation) becomes <*>; a long quotation is a message, not a value, and stays, as in
# 'the following exception is thrown: "SocketException: Only one usage..."'.
_VARIABLES = variables.pattern(without=("object-id",))
_FIELD_PREFIX = re.compile(
    r"(?i)^(?:description|exception|message|error message|exception message|details"
    r"|inner exception|error)\s*:\s*"
)
_LEADING_TYPES = re.compile(r"^(?:-*>\s*)?(?:[A-Za-z_][\w.`]*(?:Exception|Error)\s*:\s*)+")
_BRACKETED_VARIABLE = re.compile(r"\[<\*>\]")  # [fe80::1]:80 in a URL or an endpoint
_RUNS_OF_VARIABLES = re.compile(r"<\*>(?:[\s:.,;/\\_@#=+-]*<\*>)+")


def template(line: str) -> str:
    """The line with its variable parts replaced by <*>, lower-cased and trimmed.

    >>> template("There is already a listener on IP endpoint 0.0.0.0:5000")
    'there is already a listener on ip endpoint <*>'
    """
    text = redact(line or "").text
    text = " ".join(text.split())
    text = _FIELD_PREFIX.sub("", text)
    text = _LEADING_TYPES.sub("", text)
    text = _VARIABLES.sub("<*>", text)
    text = _BRACKETED_VARIABLE.sub("<*>", text)
    text = _RUNS_OF_VARIABLES.sub("<*>", text)
    text = text.lower().strip(" .;,")
    if len(text) > MAX_TEMPLATE_CHARS:
        text = text[:MAX_TEMPLATE_CHARS].rsplit(" ", 1)[0]
    return text
