"""One pass over the paste: every signature, marker and standard message in it.

In: the Compiled index (with its Speller) and the pasted text. Out: Findings: the hits
of every article's signatures in paste offsets, the markers of other products, the
error codes, which hits only a corrected spelling found, and (in normalised offsets)
the context hits the description reading weighs.

The automaton finds phrases, exception names, event sources, product, process and
context words, markers and the standard messages (English and localized) in one walk of
the normalised paste. Around that: an exception name counts with the namespace written
before it, when that is the article's; an event source only with its ID written near it;
a chain only with each part after the one before across an inner-exception marker. A
localized standard message is its error code, and is read again in English so that the
phrases quoting it match as they would in English.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from triage import codes as codes_module
from triage.engine.build import (
    ChainPart,
    EventSource,
    ForeignKey,
    InnerMarker,
    SignatureKey,
    StandardMessage,
)
from triage.engine.foreign import application_frames, named_programs
from triage.engine.spans import Spans
from triage.engine.spelling import Corrections, Variant, corrections
from triage.engine.tuning import MAX_PASTE
from triage.engine.types import Hit, Marker, MessageHit, hit
from triage.text import LongWords, normalise

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# The namespace written before an exception name, read backwards from the name:
# the longest run of ".word" pieces is the leftmost start of "word." pieces.
_QUALIFIER_REVERSED_RE = re.compile(r"(?:\.\w+)*")
# "Event ID: 8" and its forms: Event Viewer's labels in other languages (the message
# itself stays English), the XML view's <EventID Qualifiers="...">8</EventID>, and a bare
# "ID: 8" or PowerShell's "Id : 8" beside the source.
_EVENT_ID_NEAR_RE = re.compile(
    r"\b(?:event\s?(?:id|code)?|eventid(?: qualifiers=\"\d*\")?>|ereignis id|gebeurtenis id"
    r"|id(?= ?:)|id de l'(?:é|e)v(?:é|e)nement|id\.? del evento|id(?:\.| do| dell')? evento)"
    r"\s*[:#=]?\s*(\d{1,6})\b"
)


def clean(text):
    """The paste as the engine reads it: cut at MAX_PASTE, lone surrogates replaced."""
    text = (text or "")[:MAX_PASTE]
    if not text.isascii():
        # A lone surrogate (JSON allows "\ud800") is no character: RE2 and UTF-8 refuse
        # it. U+FFFD in its place keeps every offset.
        text = _SURROGATE_RE.sub("\ufffd", text)
    return text


@dataclass
class _Scan:
    """What the automaton's walk found, in normalised offsets."""

    hits: list[Hit] = field(default_factory=list)
    chain_parts: dict = field(default_factory=lambda: defaultdict(list))  # id -> [(pos, s, e)]
    markers: list[Marker] = field(default_factory=list)
    inner_markers: list[int] = field(default_factory=list)
    messages: list[MessageHit] = field(default_factory=list)
    translations: list[Variant] = field(default_factory=list)


@dataclass
class Findings:
    """Everything one pass found in a paste; offsets are the paste's unless said."""

    text: str
    norm: object  # text.Normalised
    hits: list[Hit]  # every signature hit, in the order found
    context: list[Hit]  # context hits of the main walk, in normalised offsets
    markers: list[Marker]
    codes: list  # codes.CodeHit, sorted by position
    typo_spans: set  # (signature id, start, end) of hits found only through a misspelling
    loose_spans: set  # (signature id, start, end) of phrases found in other wording (loose)
    words: LongWords  # the words of the normalised paste
    by_article: dict = field(default_factory=dict)  # slug -> [Hit]

    @cached_property
    def frames(self):
        """(owner, start, end) of the stack frames of application code."""
        return application_frames(self.text)

    @cached_property
    def frame_owners(self):
        """The owners of those frames, lowered, each with its first frame, in paste order:
        every article hit asks about the same few owners."""
        owners = {}
        for frame in self.frames:
            owners.setdefault(frame[0].lower(), frame)
        return owners

    @cached_property
    def programs(self):
        """(name, start, end) of the programs and services the paste names."""
        return named_programs(self.text)


def find(compiled, speller, text):
    """The Findings of one pass over text."""
    text = clean(text)
    norm = normalise(text)
    t = norm.text
    scan = _scan(compiled, t)
    tuning = compiled.tuning
    words = LongWords(t, min(tuning.spelling.stem_min_length, tuning.paraphrase.min_length))
    for sig_id, parts in scan.chain_parts.items():
        scan.hits.extend(_chain_hits(compiled.signatures[sig_id], parts, scan.inner_markers))
    for start, end, sig in compiled.patterns.find(t):
        scan.hits.append(hit(sig, start, end))
    found = _corrected(compiled, speller, t, words, scan)
    scan.hits.extend(found.hits)
    scan.messages.extend(found.messages)
    typo_spans = {(sig_id, *norm.orig_span(i, j)) for sig_id, i, j in found.typo_hits}
    exact = {sig.id for sig, _, _ in scan.hits if sig.kind == "phrase"}
    loosely = compiled.loose.find(t, exact)
    scan.hits.extend(loosely)
    loose_spans = {(sig.id, *norm.orig_span(i, j)) for sig, i, j in loosely}

    hits = []
    for sig, start, end in scan.hits:
        o_start, o_end = norm.orig_span(start, end)
        if o_end > o_start:
            hits.append(hit(sig, o_start, o_end))
    code_hits = codes_module.find_codes_in_paste(text)
    if scan.messages:
        code_hits = _with_messages(text, norm, code_hits, scan.messages)
    for code in code_hits:
        for sig in compiled.code_signatures.get(code.code.key, ()):
            hits.append(hit(sig, code.start, code.end))
        if code.wrapper is not None:
            for sig in compiled.code_signatures.get(code.wrapper.key, ()):
                hits.append(hit(sig, code.start, code.end))
    markers = []
    for marker in scan.markers:
        o_start, o_end = norm.orig_span(marker.start, marker.end)
        if o_end > o_start:
            markers.append(marker._replace(start=o_start, end=o_end))
    by_article = defaultdict(list)
    for found_hit in hits:
        by_article[found_hit.signature.article].append(found_hit)
    return Findings(
        text=text,
        norm=norm,
        hits=hits,
        context=[h for h in scan.hits if not h.signature.primary],
        markers=markers,
        codes=code_hits,
        typo_spans=typo_spans,
        loose_spans=loose_spans,
        words=words,
        by_article=by_article,
    )


def _scan(compiled, t):
    """The automaton's walk over normalised text t."""
    scan = _Scan()
    hits = scan.hits
    translated = defaultdict(int)  # (code key, text before) -> messages read in English
    qualifier_starts = {}  # a common exception type is a signature of many articles
    windows = compiled.tuning.windows
    for start, end, payloads in compiled.matcher.find(t):
        for payload in payloads:
            kind = type(payload)
            if kind is SignatureKey:
                sig = payload.signature
                if sig.kind == "exception":
                    left = qualifier_starts.get(start)
                    if left is None:
                        left = qualifier_starts[start] = _qualifier_start(t, start, windows)
                    if _exception_fits(t, left, end, sig):
                        hits.append(hit(sig, left, end))
                else:
                    hits.append(hit(sig, start, end))
            elif kind is ChainPart:
                scan.chain_parts[payload.signature.id].append((payload.position, start, end))
            elif kind is EventSource:
                hits.extend(_event_hits(t, start, end, payload.signature, windows))
            elif kind is ForeignKey:
                scan.markers.append(Marker(payload.cap, payload.marker, start, end, payload.family))
            elif kind is InnerMarker:
                scan.inner_markers.append(start)
            elif kind is StandardMessage:
                scan.messages.append(MessageHit(payload.code, start, end))
                # A few places of each message with the same words in front of it are
                # enough: more of the same add little, and cost a re-read each.
                if payload.english is not None:
                    before = (
                        payload.code.key,
                        t[max(0, start - windows.translation_context) : start],
                    )
                    if translated[before] < windows.translations:
                        translated[before] += 1
                        scan.translations.append(Variant(start, end, payload.english, False))
    return scan


def _corrected(compiled, speller, t, words, scan):
    """The hits that the paste read with its misspellings corrected, and its localized
    messages in English, shows beside those of the walk."""
    variants = speller.variants(t, words)
    if scan.translations:
        variants = sorted(variants + scan.translations)
    if not variants:
        return Corrections()
    return corrections(compiled.matcher, t, variants, compiled.tuning.spelling)


def _qualifier_start(t, start, windows):
    """Where the namespace written before position start begins."""
    window = max(0, start - windows.qualifier)
    return start - _QUALIFIER_REVERSED_RE.match(t[window:start][::-1]).end()


def _exception_fits(t, left, end, sig):
    """Whether the exception name at [left, end), with its namespace, is the signature's."""
    written = t[left:end]
    return not (sig.qualified and "." in written and written != sig.qualified)


def _event_hits(t, start, end, sig, windows):
    """The event source at [start, end) counts when its event ID is written nearby."""
    window_start = max(0, start - windows.event_id_before)
    window_end = min(len(t), end + windows.event_id_after)
    for m in _EVENT_ID_NEAR_RE.finditer(t, window_start, window_end):
        if m.group(1).lstrip("0") == sig.event_id.lstrip("0"):
            return [hit(sig, start, end), hit(sig, m.start(), m.end())]
    return []


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
        found.append(hit(sig, *choice))
        previous = choice
    return found


def _with_messages(text, norm, code_hits, messages):
    """Code hits for standard messages found by the automaton (English ones on lines the
    code finder skipped, and localized ones), where no other code hit overlaps. Of
    messages that overlap, the one that starts first is taken, and of those the
    longest: "No more data is available from the RPC pipe." is 1918, not 259."""
    hits = list(code_hits)
    taken = Spans((h.start, h.end) for h in code_hits)
    mapped = [(*norm.orig_span(m.start, m.end), m.code) for m in messages]
    reach = -1  # the furthest end of a message taken: they are taken in order of start
    for o_start, o_end, code in sorted(mapped, key=lambda m: (m[0], -m[1])):
        if o_end > o_start and o_start >= reach and not taken.overlaps(o_start, o_end):
            hits.append(
                codes_module.CodeHit(o_start, o_end, text[o_start:o_end], code, None, "message")
            )
            reach = o_end
    hits.sort(key=lambda h: (h.start, h.end))
    return hits
