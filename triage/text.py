"""Normalise pasted text for matching, keeping a map back to the original.

People paste errors from event viewers, browsers, e-mails and forum posts: the
same message arrives wrapped over several lines, indented, quoted with "> ",
with typographic quotes or HTML entities. Matching runs on a normalised copy
(lower case, one space for every run of whitespace, plain quotes and dashes,
entities decoded, quote and list markers at line starts dropped) and every
span found there is mapped back to the exact span of the original paste, so
the evidence shown to the person is what they pasted.

Text copied from a console window was cut at its width, often inside a word
("QuotaExceededExce" / "ption"): where several lines are exactly one of the
usual console widths long and a word runs over the cut, the cut is undone.

The map is a list of segments rather than one entry per character: text that
passes through unchanged is one segment however long it is. The normalised text
itself is made with C-level operations only (str.translate, re.sub with a fixed
replacement, str.lower); the map of the layout pass, the one that touches every
line, is built only when a span is first mapped back, and then from the match
positions alone.
"""

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from operator import add, sub

from wordfreq import zipf_frequency

# First pass: HTML entities and line-break tags, as found in forum posts and
# copied web pages.
_ENTITY_RE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});|<br\s*/?>"
)

_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u0130": "i",  # the one character whose lower case is two characters long
}
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# Characters replaced one for one, in C (str.translate), before the pass that
# changes lengths: plain quotes and dashes; a space for every kind of blank and
# a newline for every kind of line break, so that pass deals with two characters.
_BLANKS = "\t\x0b\x0c\x1f\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_BLANKS += "\u2009\u200a\u202f\u205f\u3000"
_BREAKS = "\r\x1c\x1d\x1e\x85\u2028\u2029"
_ONE_FOR_ONE = str.maketrans(
    {
        **{k: v for k, v in _QUOTES.items() if len(v) == 1},
        **dict.fromkeys(_BLANKS, " "),
        **dict.fromkeys(_BREAKS, "\n"),
    }
)
# A hyphen inside a word: "port-sharing" reads as "port sharing".
_WORD_HYPHEN_RE = re.compile(r"-(?<=[^\W_]-)(?=[^\W_])")  # "-" first: found by fast search

# The pass that changes lengths. A line break with everything people put in
# front of a quoted error on the next line: indentation, "> " quote markers
# (nested too), list bullets and short list numbers; the same at the start of
# the text; runs of spaces; characters to drop or expand. Bullets are checked
# only where a line break ends, which keeps the scan itself simple and fast.
_RARE = "".join(k for k, v in _QUOTES.items() if len(v) != 1) + _INVISIBLE
_REWRITE_RE = re.compile(rf"\n[ >\n]*| {{2,}}|[{_RARE}]")
_BULLET_RE = re.compile(r"(?:[-*+\u2022\u00b7]|\d{1,2}[.)]) +[ >]*")
# The same pass when the text has none of the rare characters (nearly always),
# as scans that each start with a literal and so run at the speed of a string
# search, where the alternation above tests every character: runs of two or more
# spaces; line breaks that take more than themselves (indentation, markers and
# the bullets that _extend_layout adds); and then each lone line break, which
# str.replace makes a space without changing any offset.
_LONG_BREAK_RUN_RE = re.compile(
    r"\n(?=[ >\n]|(?:[-*+\u2022\u00b7]|\d{1,2}[.)]) )"
    r"[ >\n]*+(?:(?:[-*+\u2022\u00b7]|\d{1,2}[.)]) ++[ >]*+(?:\n[ >\n]*+)?)*+"
)
_SPACE_RUN_RE = re.compile(r"  +")
_TEXT_START_RE = re.compile(r"[ >]*(?:(?:[-*+\u2022\u00b7]|\d{1,2}[.)]) +[ >]*)?")


class SpanMap:
    """Maps spans of a rewritten text back to spans of the text it came from.

    Only the replaced pieces are stored; the text between them was copied, so
    its offsets differ from the input's by a constant.
    """

    def __init__(self, out_starts, out_ends, in_starts, in_ends, in_length, out_length):
        self._out_starts, self._out_ends = out_starts, out_ends
        self._in_starts, self._in_ends = in_starts, in_ends
        self.in_length = in_length
        self.out_length = out_length

    @property
    def out_starts(self):
        """Where each replaced piece starts in the output, ascending."""
        return self._out_starts

    @property
    def out_ends(self):
        """Where each replaced piece ends in the output, ascending."""
        return self._out_ends

    def _locate(self, pos):
        """(start, end) in the input of output character pos."""
        k = bisect_right(self._out_starts, pos) - 1
        if k < 0:
            return pos, pos + 1
        if pos < self._out_ends[k]:
            return self._in_starts[k], self._in_ends[k]
        start = self._in_ends[k] + (pos - self._out_ends[k])
        return start, start + 1

    def span(self, i, j):
        """The input span that output span [i, j) came from."""
        i = max(0, min(i, self.out_length))
        j = max(i, min(j, self.out_length))
        if i == j:
            if i >= self.out_length:
                return self.in_length, self.in_length
            start = self._locate(i)[0]
            return start, start
        return self._locate(i)[0], self._locate(j - 1)[1]


def substitute(text, replacements):
    """Apply (start, end, new) replacements, sorted and not overlapping.

    Returns (output, SpanMap), or (text, None) when there is nothing to replace.
    """
    if not replacements:
        return text, None
    pieces = []
    out_starts, out_ends, in_starts, in_ends = [], [], [], []
    out = pos = 0
    for start, end, new in replacements:
        if start > pos:
            pieces.append(text[pos:start])
            out += start - pos
        out_starts.append(out)
        out_ends.append(out + len(new))
        in_starts.append(start)
        in_ends.append(end)
        pieces.append(new)
        out += len(new)
        pos = end
    pieces.append(text[pos:])
    out += len(text) - pos
    return "".join(pieces), SpanMap(out_starts, out_ends, in_starts, in_ends, len(text), out)


def _rewrite(text, pattern, replace, extend=None):
    """Apply replace(match) -> str to every match of pattern; return (output, SpanMap).

    extend(text, match) may return a later end for the match (the replaced span).
    """
    replacements = []
    pos = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        if start == end or start < pos:
            continue
        new = replace(m)
        if extend is not None:
            end = extend(text, m)
        if new == text[start:end]:
            continue
        replacements.append((start, end, new))
        pos = end
    return substitute(text, replacements)


def _decode_entity(m):
    token = m.group()
    if token[0] == "<":
        return "\n"
    return html.unescape(token)


def _rewrite_layout(m):
    token = m.group()
    if token[0] not in "\n ":
        return _QUOTES.get(token, "")
    if m.start() == 0:
        return ""  # leading blank lines of the text
    return " "


def _extend_layout(text, m):
    """A line break also takes the list bullet (and what follows it) at the next line's start."""
    end = m.end()
    if text[m.start()] == "\n":
        while True:
            bullet = _BULLET_RE.match(text, end)
            if not bullet:
                break
            end = bullet.end()
            more = _REWRITE_RE.match(text, end)
            if more and more.group()[0] == "\n":
                end = more.end()
    return end


class _LayoutMap:
    """The SpanMap that _rewrite(text, _REWRITE_RE, ...) would give, built on first use.

    Every change of the layout pass makes one space (none at the start of the
    text), so the match positions are all it takes.
    """

    def __init__(self, text, out_length):
        self._text = text
        self._out_length = out_length
        self._map = None

    def span(self, i, j):
        if self._map is None:
            self._map = self._build()
        return self._map.span(i, j)

    def _build(self):
        text = self._text
        spans = list(map(re.Match.span, _LONG_BREAK_RUN_RE.finditer(text)))
        if text[0] == "\n" and not (spans and spans[0][0] == 0):
            spans.insert(0, (0, 1))  # at the start even a lone "\n" is dropped
        spaces = list(map(re.Match.span, _SPACE_RUN_RE.finditer(text)))
        if spans and spaces:
            # A run of spaces inside a line break's match was taken with it.
            merged, last_end = [], -1
            for start, end in sorted(spans + spaces):
                if start >= last_end:
                    merged.append((start, end))
                    last_end = end
            spans = merged
        else:
            spans = spans or spaces
        in_starts = [s for s, _ in spans]
        in_ends = [e for _, e in spans]
        new_lengths = [1] * len(spans)
        if in_starts and in_starts[0] == 0:
            new_lengths[0] = 0
        # Characters removed before each change: its shift from input to output.
        removed = accumulate(map(sub, map(sub, in_ends, in_starts), new_lengths), initial=0)
        out_starts = list(map(sub, in_starts, removed))
        out_ends = list(map(add, out_starts, new_lengths))
        return SpanMap(out_starts, out_ends, in_starts, in_ends, len(text), self._out_length)


def _flatten(text):
    """(flat text, map) of the layout pass over text, as _rewrite with _REWRITE_RE gives."""
    if any(c in text for c in _RARE):  # a search for a character the text cannot hold is free
        return _rewrite(text, _REWRITE_RE, _rewrite_layout, _extend_layout)
    # Runs of spaces first: a line break's match takes any number of spaces, so
    # it takes the same characters after the runs are made one space.
    spaced, n_spaces = _SPACE_RUN_RE.subn(" ", text)
    flat, n_breaks = _LONG_BREAK_RUN_RE.subn(" ", spaced)
    if "\n" in flat:  # the line breaks that take nothing else become a space
        flat = flat.replace("\n", " ")
        n_breaks += 1
    if not (n_spaces or n_breaks):
        return text, None
    if text[0] == "\n" or text.startswith("  "):
        flat = flat[1:]  # a change at the very start makes no space
    return flat, _LayoutMap(text, len(flat))


@dataclass(frozen=True)
class Normalised:
    original: str
    text: str
    _maps: tuple
    # Spans already mapped: a phrase of many articles is mapped once.
    _spans: dict = field(default_factory=dict, compare=False, repr=False)

    def orig_span(self, i, j):
        """The span of the original text that normalised span [i, j) came from."""
        span = self._spans.get((i, j))
        if span is None:
            span = self._spans[i, j] = self._orig_span(i, j)
        return span

    def _orig_span(self, i, j):
        i = max(0, min(i, len(self.text)))
        j = max(i, min(j, len(self.text)))
        for span_map in reversed(self._maps):
            i, j = span_map.span(i, j)
        return i, j


# The widths console windows cut lines at: the classic 80 columns, 120 (Windows
# Terminal and newer consoles), and the others terminals offer.
CONSOLE_WIDTHS = (80, 100, 120, 132, 160)
_MIN_CUT_LINES = 2  # lines of exactly one width it takes to read a paste as cut
# A line that starts with a date starts a record of its own, whatever came before.
_RECORD_START_RE = re.compile(r"\d{4}[-/.]\d\d[-/.]\d\d")


def _console_cuts(text):
    """The offsets of the line breaks a console window put inside a word."""
    if len(text) < CONSOLE_WIDTHS[0] * _MIN_CUT_LINES or "\n" not in text:
        return []
    lines = text.split("\n")
    lengths = list(map(len, lines))
    for width in CONSOLE_WIDTHS:
        cut = [i for i, n in enumerate(lengths[:-1]) if n == width]
        # A cut paste has the tail of some logical line after a cut line: shorter.
        if len(cut) >= _MIN_CUT_LINES and any(lengths[i + 1] < width for i in cut):
            break
    else:
        return []
    starts = list(accumulate((n + 1 for n in lengths), initial=0))
    found = []
    for i in cut:
        line, following = lines[i], lines[i + 1]
        if not (following and is_word_char(line[-1]) and is_word_char(following[0])):
            continue
        if _RECORD_START_RE.match(following) or _words_apart(line, following):
            continue
        found.append(starts[i + 1] - 1)
    return found


_LAST_WORD_RE = re.compile(r"[^\W\d_]+$")
_FIRST_WORD_RE = re.compile(r"[^\W\d_]+")
_COMMON_WORD = 3.0  # Zipf frequency: "ver" and "sion" are words; "propert" and "ption" are not


def _words_apart(line, following):
    """Whether the cut falls between two English words that do not make one ("words" /
    "more"), as in text wrapped at word boundaries, rather than inside one ("ver" /
    "sion", "propert" / "y")."""
    before, after = _LAST_WORD_RE.search(line), _FIRST_WORD_RE.match(following)
    if before is None or after is None:
        return False  # a number or an identifier runs over the cut
    a, b = before.group().lower(), after.group().lower()
    least = min(zipf_frequency(a, "en"), zipf_frequency(b, "en"))
    return least >= _COMMON_WORD and zipf_frequency(a + b, "en") < least


def normalise(text):
    """Normalise text for matching; see the module docstring."""
    maps = []
    cuts = _console_cuts(text)
    if cuts:
        joined, cut_map = substitute(text, [(pos, pos + 1, "") for pos in cuts])
        maps.append(cut_map)
    else:
        joined = text
    if "&" in joined or "<br" in joined:  # all that _ENTITY_RE can match starts so
        text_1, entity_map = _rewrite(joined, _ENTITY_RE, _decode_entity)
        if entity_map:
            maps.append(entity_map)
    else:
        text_1 = joined
    text_2 = _WORD_HYPHEN_RE.sub(" ", text_1.translate(_ONE_FOR_ONE))
    lead = _TEXT_START_RE.match(text_2).end()  # indentation and markers of the first line
    if lead:
        text_2 = " " * lead + text_2[lead:]
    flat, layout_map = _flatten(text_2)
    if layout_map:
        maps.append(layout_map)
    if flat.startswith(" "):
        stripped = flat.lstrip(" ")
        cut = len(flat) - len(stripped)
        start_map = SpanMap([0], [0], [0], [cut], len(flat), len(stripped))
        flat = stripped
        maps.append(start_map)
    lowered = flat.lower()
    if len(lowered) != len(flat):  # pragma: no cover - guarded by _QUOTES["\u0130"]
        lowered = "".join(c.lower()[0] for c in flat)
    return Normalised(text, lowered, tuple(maps))


def is_word_char(c):
    return c.isalnum() or c == "_"


# For ASCII text: digits and "_" become "0", every other character that is no
# letter a space, so the words of letters alone are the tokens without a "0".
_WORD_MASK = str.maketrans(
    {
        **{chr(c): " " for c in range(128) if not chr(c).isalnum() and chr(c) != "_"},
        **dict.fromkeys("0123456789_", "0"),
    }
)


def long_words(text, min_length):
    """The distinct words of min_length or more letters in text, with no letter, digit
    or underscore on either side: what (?<!\\w)[^\\W\\d_]{min_length,}(?!\\w) finds."""
    if not text.isascii():
        return set(re.findall(rf"(?<!\w)[^\W\d_]{{{min_length},}}(?!\w)", text))
    return {
        w for w in set(text.translate(_WORD_MASK).split()) if len(w) >= min_length and w.isalpha()
    }


class LongWords:
    """long_words(text, n) for any n, from one scan of text: the stages that read a
    paste's words each want them at a different least length."""

    def __init__(self, text, shortest):
        self._text = text
        self._shortest = shortest
        self._words = None
        self._by_length = {}

    def at_least(self, min_length):
        found = self._by_length.get(min_length)
        if found is None:
            if min_length < self._shortest:
                found = long_words(self._text, min_length)
            else:
                if self._words is None:
                    self._words = long_words(self._text, self._shortest)
                found = {w for w in self._words if len(w) >= min_length}
            self._by_length[min_length] = found
        return found


def word_spans(text, word):
    """(start, end) of each place where word stands in text with no word character either
    side (word made of letters only, as long_words gives)."""
    w = re.escape(word)
    # The word first, so the scan is a fast search for it; then the look at both sides.
    return list(map(re.Match.span, re.finditer(rf"{w}(?!\w)(?<!\w{w})", text)))
