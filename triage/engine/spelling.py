"""Misspelt words and split forms, read as the phrase words they stand for.

A paste word of five or more letters that nothing in the knowledge base or the standard
messages uses, but that is one edit (a letter missing, added or wrong, two swapped)
from exactly one word of a phrase signature, is read as that word ("conect",
"adress"), looked up in an index of every word with one letter deleted. A phrase found
only so needs words_per_fix words per corrected one and lends `factor` of its strength
(scoring); its evidence points at the misspelt original. "can not" is read as "cannot"
at full strength.

In (build): the Compiled index. In (triage): the normalised paste. Out: Variants, the
places to read otherwise, and Corrections, the hits that only the corrected text shows.
"""

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from triage import codes as codes_module
from triage.engine.build import SignatureKey, StandardMessage
from triage.engine.types import Hit, MessageHit
from triage.engine.vocabulary import LETTERS_RE, foreign_markers, localized_messages
from triage.engine.words import inflection_stems, one_edit_apart
from triage.text import substitute, word_spans

_SPLIT_CANNOT_RE = re.compile(r"can not\b(?<!\wcan not)")  # "\bcan not\b", literal first


class Variant(NamedTuple):
    """Normalised [start, end) read as replacement; typo when it corrects a misspelling
    (a split form, or a localized message read in English, is none)."""

    start: int
    end: int
    replacement: str
    typo: bool


@dataclass
class Corrections:
    """What the corrected text shows that the paste itself did not, in normalised offsets."""

    hits: list[Hit] = field(default_factory=list)  # phrases
    messages: list[MessageHit] = field(default_factory=list)  # standard messages
    typo_hits: set = field(default_factory=set)  # (signature id, start, end) found via a typo


class Speller:
    """The words of the knowledge base, and the phrase words a misspelling may stand for."""

    def __init__(self, compiled):
        self._tuning = compiled.tuning.spelling
        known, targets = set(), set()
        for sig in compiled.signatures:
            words = LETTERS_RE.findall(sig.key)
            known.update(words)
            if sig.kind == "phrase":
                targets.update(w for w in words if len(w) >= self._tuning.min_length)
        for facts in compiled.facts.values():
            for t in facts.texts:
                known.update(LETTERS_RE.findall(t))
        for message in codes_module.message_phrases():
            known.update(LETTERS_RE.findall(message))
        for message, _ in localized_messages():
            known.update(LETTERS_RE.findall(message))
        for foreign in foreign_markers():
            known.update(LETTERS_RE.findall(foreign.marker.lower()))
        deletions = defaultdict(set)
        for word in targets:
            deletions[word].add(word)
            for i in range(len(word)):
                deletions[word[:i] + word[i + 1 :]].add(word)
        self._known_words = frozenset(known)
        # Stems, not the words themselves: "norma" (Spanish) is a known word, yet
        # "normaly" is a misspelt "normally", not "norma" + "ly".
        self._known_stems = frozenset(stem for word in known for stem in self._stems(word))
        self._deletions = dict(deletions)
        # One edit leaves a word of 5+ letters its first two letters or its last two.
        self._heads = frozenset(w[:2] for w in targets)
        self._tails = frozenset(w[-2:] for w in targets)

    def _stems(self, word):
        return inflection_stems(word, self._tuning.stem_min_length)

    def correction(self, word):
        """The one phrase word that word is a misspelling of, or None."""
        found = set(self._deletions.get(word, ()))
        for i in range(len(word)):
            found.update(self._deletions.get(word[:i] + word[i + 1 :], ()))
        found = {w for w in found if one_edit_apart(word, w)}
        return found.pop() if len(found) == 1 else None

    def variants(self, t, words):
        """Variants of normalised text t (whose words are the LongWords words): split
        forms joined ("can not"), and words of 5+ letters that no signature, article or
        standard message has but that are one edit away from exactly one word of a
        phrase."""
        found = [Variant(m.start(), m.end(), "cannot", False) for m in _SPLIT_CANNOT_RE.finditer(t)]
        if self._deletions:
            found.extend(self._typos(t, words))
        found.sort()
        return found

    def _typos(self, t, words):
        # Each distinct word once, and the places of only the words corrected: a Python
        # loop over every word of a 64 KB paste cost more than the rest.
        paste_words = None
        for word in words.at_least(self._tuning.min_length) - self._known_words:
            if word[:2] not in self._heads and word[-2:] not in self._tails:
                continue
            if any(stem in self._known_stems for stem in self._stems(word)):
                continue  # "served": an inflection of a word the knowledge base has
            if paste_words is None:
                paste_words = words.at_least(self._tuning.stem_min_length)
            if any(stem in paste_words for stem in self._stems(word)):
                continue  # an inflection of another word of the paste
            correction = self.correction(word)
            if correction:
                for s, e in word_spans(t, word):
                    yield Variant(s, e, correction, True)


def corrections(matcher, t, variants, spelling):
    """The phrase and standard-message hits that only the corrected spelling of t shows,
    in t's offsets.

    A phrase with a misspelt word counts only when it has at least words_per_fix words
    for each one; a standard message only when its words are all spelt right (a split
    form such as "can not" is no misspelling)."""
    kept, pos = [], 0
    for variant in variants:
        if variant.start >= pos:
            kept.append(variant)
            pos = variant.end
    found = Corrections()
    if not kept:
        return found
    fixed, back = substitute(t, [(v.start, v.end, v.replacement) for v in kept])
    typos = [v.typo for v in kept]
    out_starts, out_ends = back.out_starts, back.out_ends
    variant_spans = list(zip(out_starts, out_ends, strict=True))
    for start, end, payloads in matcher.find_overlapping(fixed, variant_spans):
        first, last = bisect_right(out_ends, start), bisect_left(out_starts, end)
        if first >= last:
            continue  # no variant inside: the pass over t found it already
        fixes = sum(typos[first:last])
        i, j = back.span(start, end)
        for payload in payloads:
            kind = type(payload)
            if kind is SignatureKey:
                sig = payload.signature
                if sig.kind != "phrase":
                    continue
                if fixes:
                    if len(sig.key.split()) < spelling.words_per_fix * fixes:
                        continue
                    found.typo_hits.add((sig.id, i, j))
                found.hits.append(Hit(sig, i, j))
            elif kind is StandardMessage and not fixes:
                found.messages.append(MessageHit(payload.code, i, j))
    return found
