"""A message in other wording: its fixed words found near each other.

Another driver words the same error its own way ("Failed to generate SSPI context" for
"Cannot generate SSPI context"), a tool shortens it, a log wraps it. The exact phrase is
then not in the paste, but most of its fixed words are, close together and in order.
Such a loose hit counts for a share (`factor`) of the phrase's strength: enough for a
candidate or a medium answer, never enough to anchor a high one on its own.

In (build): the phrase signatures of the Compiled index. In (triage): the normalised
paste and the phrases already found exactly. Out: Hits in normalised offsets, the
span from the first to the last fixed word found.
"""

import re
from collections import Counter, defaultdict
from itertools import chain

from triage.engine.types import hit
from triage.engine.vocabulary import ERROR_VOCABULARY, STOPWORDS
from triage.engine.words import word_stem

_WORD_RE = re.compile(r"[^\W_][\w'-]*")


def _key(word):
    """A word as compared: only a plural's "s" is let go. A stem would make "served" the
    word "server"; another wording keeps the words and changes the ones between."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _fixed_words(value, tuning):
    """(stem, telling) of the words of a message that say which error it is, in order."""
    loose = tuning.loose
    found = []
    for word in _WORD_RE.findall(value.lower()):
        if len(word) < loose.min_length or word in STOPWORDS or word.isdigit():
            continue
        found.append((_key(word), word not in ERROR_VOCABULARY))
    return found


class Phrases:
    """The phrase signatures by their fixed words: stem -> the phrases that have it."""

    def __init__(self, signatures, tuning):
        self.tuning = tuning
        self.words = {}  # signature id -> (its distinct stems, the telling ones, its length)
        self.signatures = {}
        self.need = {}  # signature id -> how many of its fixed words a loose hit needs
        self.stem_sets = {}  # signature id -> its distinct stems, as a set
        self.by_stem = defaultdict(list)
        self.by_telling = defaultdict(list)  # telling stem -> ids of the phrases that have it
        loose = tuning.loose
        for sig in signatures:
            if sig.kind != "phrase":
                continue
            fixed = _fixed_words(sig.value, tuning)
            stems = list(dict.fromkeys(stem for stem, _ in fixed))
            telling = {stem for stem, is_telling in fixed if is_telling}
            if len(stems) < loose.min_words or len(telling) < loose.min_telling:
                continue
            self.words[sig.id] = (stems, telling, len(sig.value))
            self.stem_sets[sig.id] = frozenset(stems)
            self.need[sig.id] = max(loose.min_words, round(loose.share * len(stems)))
            self.signatures[sig.id] = sig
            for stem in stems:
                self.by_stem[stem].append(sig)
            for stem in telling:
                self.by_telling[stem].append(sig.id)

    def find(self, t, exact_ids):
        """Loose Hits in normalised text t of phrases not in exact_ids."""
        if not self.words:
            return []
        loose = self.tuning.loose
        # A common word is a fixed word of thousands of phrases in a large knowledge base:
        # the paste's places of each word are gathered once, and each phrase that has the
        # word takes the first max_places places of its words from them.
        lowered = t.lower()
        words = _WORD_RE.findall(lowered)
        keys = {}  # word -> its stem, for each distinct word of the paste some phrase has
        for word in set(words):
            if len(word) >= loose.min_length and word not in STOPWORDS:
                key = _key(word)
                if key in self.by_stem:
                    keys[word] = key
        stems = set(keys.values())
        # Everyday error words are words of thousands of phrases; a phrase needs some of
        # its telling words in the paste, and those are words of few.
        # signature id -> how many of its telling words are here
        telling = Counter(chain.from_iterable(self.by_telling.get(key, ()) for key in stems))
        candidates = [
            sig_id
            for sig_id, count in telling.items()
            if count >= loose.min_telling
            and sig_id not in exact_ids
            # A phrase with too few of its words in the paste has no run that holds them.
            and len(self.stem_sets[sig_id] & stems) >= self.need[sig_id]
        ]
        if not candidates:
            return []  # and the paste's words need not be walked
        # Only the words of the candidates, and of each only its first max_places places,
        # are read; found one by one when that takes fewer steps than the paste has words.
        wanted = set(chain.from_iterable(self.words[sig_id][0] for sig_id in candidates))
        keys = {word: key for word, key in keys.items() if key in wanted}
        occurrences = _first_places(lowered, keys, loose.max_places, len(words))
        if occurrences is None:
            occurrences = defaultdict(list)  # stem -> (start, end) in the order of the text
            for m in _WORD_RE.finditer(lowered):
                key = keys.get(m.group())
                if key is not None:
                    occurrences[key].append(m.span())
        first = {key: spans[0][0] for key, spans in occurrences.items()}
        ready = [
            (min(first[stem] for stem in self.words[sig_id][0] if stem in first), sig_id)
            for sig_id in candidates
        ]
        found = []
        # In the order of the text, as the phrases' words are first found.
        for _, sig_id in sorted(ready):
            span = self._best_span(sig_id, self._places(sig_id, occurrences, loose))
            if span is not None and not self._another_form(sig_id, t, span):
                found.append(hit(self.signatures[sig_id], *span))
        return found

    def _places(self, sig_id, occurrences, loose):
        """The first max_places (start, end, stem) of the phrase's words in the paste, in
        the order of the text."""
        stems, _, _ = self.words[sig_id]
        present = [stem for stem in stems if stem in occurrences]
        cap = loose.max_places
        spots = [(s, e, stem) for stem in present for s, e in occurrences[stem][:cap]]
        spots.sort()
        return spots[:cap]

    def _best_span(self, sig_id, spots):
        """(start, end) of the shortest run of spots that holds enough of the phrase's
        fixed words, in the phrase's order and within its reach, or None."""
        stems, telling, length = self.words[sig_id]
        loose = self.tuning.loose
        need = max(loose.min_words, round(loose.share * len(stems)))
        if len({stem for _, _, stem in spots}) < need:
            return None
        order = {stem: i for i, stem in enumerate(stems)}
        reach = length * loose.reach + loose.slack
        best = None
        for i, (start, _, _) in enumerate(spots):
            run = []
            # A run as long as the best one found cannot replace it.
            limit = reach if best is None else min(reach, best[1] - best[0] - 1)
            # Words do not overlap, so the spots end in order: a run of need of them
            # that ends too far away starts no run at all here.
            if i + need > len(spots) or spots[i + need - 1][1] - start > limit:
                continue
            for _, end, stem in spots[i:]:
                if end - start > limit:
                    break
                run.append(stem)
                ordered = _in_order(run, order)
                if len(ordered) >= need and len(telling & ordered) >= loose.min_telling:
                    if best is None or end - start < best[1] - best[0]:
                        best = (start, end)
                    break
        return best

    def _another_form(self, sig_id, t, span):
        """Whether the span holds another form of a word the phrase has and it lacks
        ("served" for "server"): the spelling reading decides on those, not this one."""
        stems, _, _ = self.words[sig_id]
        start, end = span
        here = {_key(w) for w in _WORD_RE.findall(t[start:end].lower())}
        missing = {word_stem(stem, 4) for stem in stems if stem not in here}
        return any(word_stem(w, 4) in missing for w in here if w not in stems)


def _first_places(text, keys, cap, budget):
    """key -> the (start, end) of the first cap places of its words (keys: word -> key) in
    text, as _WORD_RE.finditer reads them, in order; None when finding them takes more
    than budget steps."""
    found = defaultdict(list)
    size = len(text)
    for word, key in keys.items():
        spans = []
        pos = text.find(word)
        while pos >= 0 and len(spans) < cap:
            budget -= 1
            if budget < 0:
                return None
            end = pos + len(word)
            if (end == size or not _in_word(text[end])) and _word_starts(text, pos):
                spans.append((pos, end))
            pos = text.find(word, pos + 1)
        if spans:
            found[key].extend(spans)
    for spans in found.values():
        spans.sort()
        del spans[cap:]
    return found


def _in_word(c):
    """Whether c is a character of a word of _WORD_RE: a letter, digit, _, ' or -."""
    return c.isalnum() or c in "_'-"


def _word_starts(text, pos):
    """Whether a word of _WORD_RE starts at pos of text, a letter or digit: nothing but
    "_", "'" and "-" stand between it and the start of its run of word characters."""
    pos -= 1
    while pos >= 0 and text[pos] in "_'-":
        pos -= 1
    return pos < 0 or not text[pos].isalnum()


def _in_order(run, order):
    """The longest set of distinct stems of run that stand in the phrase's order."""
    best = {}  # phrase position -> the longest ordered run ending there
    for stem in run:
        at = order[stem]
        before = [chain for position, chain in best.items() if position < at]
        chain = max(before, key=len, default=()) + (stem,)
        if len(chain) > len(best.get(at, ())):
            best[at] = chain
    return set(max(best.values(), key=len, default=()))
