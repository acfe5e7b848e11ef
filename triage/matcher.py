"""Find many phrases and patterns in a normalised paste in one pass.

Every phrase-like signature of the knowledge base (message fragments, exception
names, process, product and context words, markers of other products) is a key
of one Aho-Corasick automaton. A triage walks the normalised paste once; the
cost grows with the length of the paste and the number of hits, not with the
number of signatures. Hits inside a longer word are dropped: "pipe" does not
match in "pipeline", while a phrase that begins or ends with punctuation
("::create", "node:") needs no boundary on that side.

Patterns are RE2 expressions, so no paste can make them backtrack; all of them
run together as one RE2 set, and only those that matched are run again to find
their spans.
"""

from bisect import bisect_right

import ahocorasick
import re2

from triage.text import is_word_char, normalise

# Endings a word of the paste may add to a signature's last word: "recycle"
# finds "recycled", "impersonat" finds "impersonation", "pipe" finds "pipes";
# "pipe" still misses "pipeline".
INFLECTIONS = ("s", "es", "d", "ed", "ing", "er", "ers", "ion", "ions", "ation", "ations")
_MAX_INFLECTION = max(map(len, INFLECTIONS))

PATTERN_MAX_MEM = 8 << 20  # bytes of RE2 program memory per pattern
PATTERN_MAX_LENGTH = 500

_FORBIDDEN = (
    ("(?=", "lookahead (?=...) is not supported"),
    ("(?!", "negative lookahead (?!...) is not supported"),
    ("(?<=", "lookbehind (?<=...) is not supported"),
    ("(?<!", "negative lookbehind (?<!...) is not supported"),
    ("(?P=", "backreferences are not supported"),
    ("\\k<", "backreferences are not supported"),
)


def match_key(value):
    """The form in which a phrase is looked for: normalised, without outer spaces."""
    return normalise(value).text.strip()


class PhraseMatcher:
    """An automaton of normalised phrases, each carrying a list of payloads."""

    def __init__(self):
        self._payloads = {}
        self._automaton = None
        self._longest = 0  # characters in the longest key

    def add(self, phrase, payload):
        """Register payload under phrase; returns the key used, or "" when empty."""
        key = match_key(phrase)
        if key:
            self._payloads.setdefault(key, []).append(payload)
        return key

    def __contains__(self, key):
        return key in self._payloads

    def __len__(self):
        return len(self._payloads)

    def build(self):
        automaton = ahocorasick.Automaton()
        for key, payloads in self._payloads.items():
            automaton.add_word(
                key, (len(key), is_word_char(key[0]), is_word_char(key[-1]), tuple(payloads))
            )
        if len(automaton):
            automaton.make_automaton()
            self._automaton = automaton
        self._longest = max(map(len, self._payloads), default=0)
        return self

    def find(self, text):
        """Yield (start, end, payloads) for every whole-word hit in normalised text."""
        if self._automaton is None:
            return
        last = len(text) - 1
        for end, (length, word_left, word_right, payloads) in self._automaton.iter(text):
            start = end - length + 1
            if word_left and start > 0 and is_word_char(text[start - 1]):
                continue
            if word_right and end < last and is_word_char(text[end + 1]):
                if not _inflected(text, end + 1):
                    continue
            yield start, end + 1, payloads

    def find_overlapping(self, text, spans):
        """The hits of find(text) that overlap one of spans, in the same order.

        spans are sorted, disjoint (start, end) pairs. Only the text around them is
        read: as far as the longest key, and its word edge and inflection, reach.
        """
        if self._automaton is None or not spans:
            return
        margin = self._longest + _MAX_INFLECTION + 2
        windows = []
        for start, end in spans:
            low, high = max(0, start - margin), min(len(text), end + margin)
            if windows and low <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], high)
            else:
                windows.append([low, high])
        starts = [start for start, _ in spans]
        ends = [end for _, end in spans]
        for low, high in windows:
            for start, end, payloads in self.find(text[low:high]):
                start, end = start + low, end + low
                k = bisect_right(ends, start)  # the first span that ends after the hit starts
                if k < len(starts) and starts[k] < end:
                    yield start, end, payloads


def _inflected(text, pos):
    """True when text at pos continues with an inflection ending and then a word edge."""
    for n in range(1, _MAX_INFLECTION + 1):
        after = pos + n
        if after > len(text) or not is_word_char(text[after - 1]):
            return False
        if text[pos:after] in INFLECTIONS and (after == len(text) or not is_word_char(text[after])):
            return True
    return False


def validate_pattern(pattern):
    """Why pattern cannot be used as a signature, or None when it can."""
    if not pattern or not pattern.strip():
        return "The pattern is empty."
    if len(pattern) > PATTERN_MAX_LENGTH:
        return f"The pattern is longer than {PATTERN_MAX_LENGTH} characters."
    for token, reason in _FORBIDDEN:
        if token in pattern:
            return f"RE2 syntax only: {reason}."
    if re2_backreference(pattern):
        return "RE2 syntax only: backreferences such as \\1 are not supported."
    try:
        compiled = compile_pattern(pattern)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return f"Not a valid RE2 pattern: {detail}."
    if compiled.search("") is not None:
        return "The pattern matches empty text, so it would match every paste."
    return None


def re2_backreference(pattern):
    """True when pattern has \\1..\\9 outside a character class (octal escapes aside)."""
    escaped = False
    in_class = False
    for c in pattern:
        if escaped:
            escaped = False
            if c in "123456789" and not in_class:
                return True
            continue
        if c == "\\":
            escaped = True
        elif c == "[":
            in_class = True
        elif c == "]":
            in_class = False
    return False


def _options():
    options = re2.Options()
    options.max_mem = PATTERN_MAX_MEM
    options.case_sensitive = False
    options.log_errors = False
    return options


def compile_pattern(pattern):
    return re2.compile(pattern, _options())


class PatternSet:
    """RE2 patterns run together over the normalised paste."""

    def __init__(self, patterns):
        """patterns: iterable of (pattern, payload); invalid patterns are skipped."""
        self._compiled, self._payloads = [], []
        self._set = None
        candidates = []
        for pattern, payload in patterns:
            if validate_pattern(pattern) is None:
                candidates.append((pattern, payload))
        if not candidates:
            return
        regex_set = re2.Set.SearchSet(_options())
        for pattern, payload in candidates:
            regex_set.Add(pattern)
            self._compiled.append(compile_pattern(pattern))
            self._payloads.append(payload)
        regex_set.Compile()
        self._set = regex_set

    def __len__(self):
        return len(self._compiled)

    def find(self, text):
        """Yield (start, end, payload) for every match of every pattern."""
        if self._set is None:
            return
        for k in sorted(self._set.Match(text) or ()):
            for m in self._compiled[k].finditer(text):
                if m.end() > m.start():
                    yield m.start(), m.end(), self._payloads[k]
