"""Signs in a paste that an error is some other program's, whatever the articles say.

In: the pasted text. Out: the stack frames of application code (not framework code),
with the application they belong to; the programs and services the paste names; and
whether an exception type's every appearance carries a message in plain English. The
markers of other products (data/foreign_context.txt) are found by the automaton in
the evidence pass; caps decides what all of these do to a candidate.
"""

import re

from triage.engine.derive import EXE_RE
from triage.engine.vocabulary import (
    FRAME_PREFIXES,
    UNSPECIFIED_CODES,
    framework_namespaces,
    is_framework,
)
from triage.engine.words import reads_as_english

# A stack frame at the start of a line: "at", its translations, or nothing (ASP.NET's
# yellow screen), then a qualified method name and its argument list.
# A log that writes an exception on one line runs its frames on after the message
# ("... does not match the assembly reference. , at Acme.Viewer.Program.Main("): there
# "at" itself, after a space or a comma, starts the frame.
_APPLICATION_FRAME_RE = re.compile(
    r"(?:^[ \t>]*(?:(?:at|bei|à|en|em|w|na|vid|ved|в|在|於)[ \t]+)?|(?<=[ \t,;])at[ \t]+)"
    r"(?!System\.|Microsoft\.)"  # the bulk of .NET traces, skipped early
    r"((?:[A-Za-z_][\w`]*\.){2,}[A-Za-z_.<][\w<>`]*)[ \t]*(?:\[[^\]\n]*\])?\(",
    re.MULTILINE,
)
# A service named in CamelCase, as Windows lists it: "the AcmeBackup service".
_SERVICE_NAME_RE = re.compile(r"\b([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)[ \t]+[Ss]ervice\b")
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


def application_frames(text):
    """(owner, start, end) for stack frames of code outside the frameworks."""
    found = []
    framework = framework_namespaces()
    for m in _APPLICATION_FRAME_RE.finditer(text):
        name = m.group(1)
        if name.lower().startswith(framework):
            continue
        parts = name.split(".")
        owner = parts[1] if parts[0].lower() in FRAME_PREFIXES and len(parts) > 2 else parts[0]
        if owner.strip("_"):
            found.append((owner, m.start(1), m.end(1)))
    return found


def named_programs(text):
    """(name, start, end) of the programs and services a paste names."""
    return _line_names(EXE_RE, text, ".exe") + _line_names(_SERVICE_NAME_RE, text, "ervice")


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


def inside_framework_name(text, start, end, reach):
    """Whether text[start:end] is part of a longer framework-qualified name."""
    left, right = start, end
    floor, ceiling = max(0, start - reach), min(len(text), end + reach)
    while left > floor and (text[left - 1] in "._" or text[left - 1].isalnum()):
        left -= 1
    while right < ceiling and (text[right] in "._" or text[right].isalnum()):
        right += 1
    name = text[left:right].strip(".")
    return len(name) > end - start and "." in name and is_framework(name)


def another_error(text, hits, english):
    """Whether the article's primary evidence is only exception types, each appearance of
    which carries a message in plain English. Had the message been the article's, a
    phrase of it would be evidence too; so this is another error of the same type. (A
    message in another language may well be the article's, in words the knowledge base
    does not have.)"""
    return all(
        hit.signature.kind == "exception"
        and reads_as_english(message_after(text, hit.end), english)
        for hit in hits
        if hit.signature.primary
    )


def message_after(text, end):
    """The message an exception name at end is given (see _MESSAGE_AFTER_RE), without a
    stack frame run onto its line, or "" when no message follows it."""
    found = _MESSAGE_AFTER_RE.match(text, end)
    return _FRAME_AFTER_RE.split(found.group(1), maxsplit=1)[0] if found else ""


def other_errors(facts, code_hits):
    """The paste's error codes when none of them is the article's: a description or a
    lone exception beside them is about the error they name."""
    telling = [hit for hit in code_hits if hit.code.key not in UNSPECIFIED_CODES]
    own = facts.codes
    if any(
        hit.code.key in own or (hit.wrapper is not None and hit.wrapper.key in own)
        for hit in telling
    ):
        return []
    return telling
