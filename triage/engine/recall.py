"""A paste that shares an article's words: the recall channel, BM25 over the articles' text.

Many pastes quote no error an article lists: a forum post that tells the story ("Win 10
does not enable SMBv1 anymore ... your shares will be found again"), a log of another
wording, a question. The articles' own text (title, summary, symptoms, causes,
resolutions, more information) still shares words with them. BM25 ranks the articles by
those words; the best one is a candidate when nothing quoted answered:

- a candidate when the paste shares at least `words` distinctive words with it: words
  nearly as rare across the knowledge base as a word of one article, not everyday
  English, and not names: the article's products, processes and other context tell
  where an error happens, never that it did ("EPiServer CMS on net.tcp: all fine"), and
  framework names (System.ServiceModel...) tell the technology;
- medium when it clearly leads (its score at least `lead` times the runner-up's) and
  one of those words is one the article uses of the problem itself (title, errors,
  causes), not only in its steps; low otherwise;
- never high: shared words are not a quoted error.

The caps then lower it like a description (caps.weak_description): beside another
program or another error code it is low. An article the quoted evidence already made a
low candidate of, only for want of its own context (cap:generic-only), is lifted to
medium by a clear lead: its words are that context.

A paste with too few distinctive words may still tell the article's story in everyday
words: when it shares many of them (`story_words`) close together, with the lead medium
takes, it is medium ("the guest account share stopped working after the update; it
asks for credentials, even anonymous access is refused...").

A paste that makes no candidate at all (nothing quoted, described or recalled) still
shows the best article at low, related at best, when it leads and the paste shares
at least `fallback_words` of its words close together, rare or not but for names and
the words every error has ("Since the driver update, print jobs just sit in the
queue"): a post that tells the article's story in everyday words. Fewer words ("The
spooler is stuck."), words scattered over a long post, or two articles alike in them
make none.

In (build): the ArticleSpecs. In (triage): the paste. Out: the Recall of the best
article (its words and where they are) and its Draft.
"""

import math
import re
from array import array
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from triage import variables
from triage.engine.spans import overlap
from triage.engine.tuning import MAX_PASTE
from triage.engine.types import Draft, Evidence
from triage.engine.vocabulary import (
    ERROR_VOCABULARY,
    STOPWORDS,
    TOKEN_RE,
    UNSPECIFIED_CODES,
    common_codes,
    framework_namespaces,
    is_framework,
    zipf,
)
from triage.engine.words import word_stem

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9_]*")
# The parts of an error that change from one machine to the next (a host, a path, a
# time) say nothing of which error it is; numbers and names in quotes may.
_KEPT_PARTS = ("hex-number", "hex-id", "number", "quoted", "double-quoted", "object-id")


class Word(NamedTuple):
    """A distinctive word the paste shares with the article, where it first stands."""

    stem: str
    start: int
    end: int
    weight: float  # its idf as a share of the idf of a word of one article
    problem: bool  # whether the article names it of the problem, not only of the fix
    telling: bool  # a number or an identifier (18456, smb1, maxreceivedmessagesize)


class Recall(NamedTuple):
    article: str
    score: float
    runner_up: float
    words: list[Word]  # the distinctive ones, in paste order
    shared: list[Word] = []  # every word it shares but names and error words, in paste order

    @property
    def lead(self):
        return self.score / self.runner_up if self.runner_up else math.inf


def problem_text(spec):
    """What an article says of the problem itself: its title, products, errors, where
    they are logged, its causes and how to tell them."""
    parts = [spec.title, *spec.products, *spec.error_texts, *spec.logged_in]
    for cause in spec.causes:
        parts += [cause.title, cause.how_to_tell]
    return "\n".join(p for p in parts if p)


@lru_cache(maxsize=1 << 16)  # the same words run through every article and paste
def _stem(word, min_length):
    return word_stem(word, min_length)


def _stems(text, tuning):
    """(stem, start, end) of each word of text worth counting, in order."""
    recall = tuning.recall
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if len(word) < recall.min_length or word in STOPWORDS:
            continue
        yield _stem(word, recall.stem_min_length), m.start(), m.end()


class Words:
    """The articles' words as postings: stem -> the articles that have it and how often."""

    def __init__(self, articles, names, tuning):
        """names: slug -> the words (as text) that name the article's setting."""
        self.tuning = tuning
        self.slugs = []
        self.problem = []  # per article: the stems of its problem_text
        self.names = []  # per article: the stems of the names of its setting
        lengths = []
        postings = {}  # stem -> (array of article numbers, array of counts)
        for number, spec in enumerate(articles):
            self.slugs.append(spec.slug)
            problem = problem_text(spec).lower()
            counts = Counter(s for s, _, _ in _stems(spec.text.lower() or problem, tuning))
            self.problem.append(frozenset(s for s, _, _ in _stems(problem, tuning)))
            named = " ".join(names.get(spec.slug, ())).lower()
            self.names.append(frozenset(s for s, _, _ in _stems(named, tuning)))
            lengths.append(sum(counts.values()))
            for stem, n in counts.items():
                found = postings.get(stem)
                if found is None:
                    found = postings[stem] = (array("I"), array("I"))
                found[0].append(number)
                found[1].append(n)
        self.postings = postings
        n = len(self.slugs)
        average = (sum(lengths) / n) if n else 1.0
        b = tuning.recall.b
        self.norms = [1 - b + b * (length / average if average else 1.0) for length in lengths]
        self.top_idf = self.idf(1)

    def idf(self, df):
        n = len(self.slugs)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def best(self, text, codes=()):
        """The Recall of the article that best shares the words of text, or None. codes:
        the paste's CodeHits; a code every kind of failure gives (E_ACCESSDENIED) is no
        shared word."""
        if len(self.slugs) < 2:
            return None
        lowered, first, stems, scores = self._read(text, codes)
        ranked = scores.most_common(2)
        if not ranked:
            return None
        places = _first_places(lowered, {first[stem] for stem in stems})
        first = {stem: (*places[first[stem]], first[stem]) for stem in stems}
        number, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        words = self._distinctive(number, stems, first)
        shared = self._shared(number, stems, first)
        return Recall(self.slugs[number], score, runner_up, words, shared)

    def scores(self, text, codes=()):
        """slug -> the BM25 score of each article that shares a word with text."""
        _, _, _, scores = self._read(text, codes)
        return {self.slugs[number]: score for number, score in scores.items()}

    def _read(self, text, codes):
        """The paste's words as BM25 reads them: the text read, the word at the first place
        of each stem the articles have, the stems read, and each article's score (by
        article number)."""
        recall = self.tuning.recall
        lowered = _lower(_without_names(_without_common_codes(text[:MAX_PASTE], codes)))
        first = _first_words(lowered, self.postings, self.tuning)
        # The rarest words decide a BM25 ranking; reading only them bounds a long log's cost.
        stems = sorted(first, key=lambda s: len(self.postings[s][0]))[: recall.max_words]
        scores = Counter()
        k1 = recall.k1
        for stem in stems:
            numbers, counts = self.postings[stem]
            idf = self.idf(len(numbers))
            for number, count in zip(numbers, counts, strict=True):
                scores[number] += idf * count * (k1 + 1) / (count + k1 * self.norms[number])
        return lowered, first, stems, scores

    def _shared(self, number, stems, first):
        """The words of the paste the article has, rare or not, but the names of its
        setting and the words every error has ("failed", "socket"), each with its idf as a
        share of a word of one article's."""
        shared = []
        for stem in stems:
            numbers, _ = self.postings[stem]
            start, end, word = first[stem]
            if number not in numbers or stem in self.names[number] or word in ERROR_VOCABULARY:
                continue
            share = self.idf(len(numbers)) / self.top_idf
            problem = stem in self.problem[number]
            shared.append(Word(stem, start, end, round(share, 3), problem, _telling(word)))
        shared.sort(key=lambda w: w.start)
        return shared

    def _distinctive(self, number, stems, first):
        recall = self.tuning.recall
        words = []
        for stem in stems:
            numbers, _ = self.postings[stem]
            share = self.idf(len(numbers)) / self.top_idf
            start, end, word = first[stem]
            if share < recall.distinctive or stem in self.names[number] or number not in numbers:
                continue
            if word in ERROR_VOCABULARY:
                continue  # "failed", "socket": they tell that something failed, not what
            if not any(c.isdigit() for c in word) and zipf(word) > recall.max_zipf:
                continue  # "export", "der": everyday words, whatever the articles say
            problem = stem in self.problem[number]
            words.append(Word(stem, start, end, round(share, 3), problem, _telling(word)))
        words.sort(key=lambda w: w.start)
        return _best_window(words, recall)


def _first_words(text, stems, tuning):
    """stem -> the word at its first place in text, for the stems of text's words (as
    _stems reads them) that are in stems, in the order of those places."""
    recall = tuning.recall
    first = {}
    # The distinct words in the order they first stand: of the words of one stem, the
    # first one is the one at the stem's first place.
    for word in dict.fromkeys(_WORD_RE.findall(text)):
        if len(word) < recall.min_length or word in STOPWORDS:
            continue
        stem = _stem(word, recall.stem_min_length)
        if stem in stems and stem not in first:
            first[stem] = word
    return first


def _first_places(text, words):
    """word -> (start, end) of its first place in text, for words of text as _WORD_RE
    reads them: the walk stops once it has them all."""
    places, wanted = {}, set(words)
    if wanted:
        for m in _WORD_RE.finditer(text):
            word = m.group()
            if word in wanted:
                places[word] = m.span()
                wanted.discard(word)
                if not wanted:
                    break
    return places


def _count(words, recall):
    """Distinctive words as counted: a number or an identifier tells more than a word."""
    return sum(recall.telling if w.telling else 1 for w in words)


def _best_window(words, recall):
    """The distinctive words within window characters of each other that count the most:
    words scattered over a long post are not one account of one error."""
    best = []
    for i, first in enumerate(words):
        within = [w for w in words[i:] if w.end - first.start <= recall.window]
        if _count(within, recall) > _count(best, recall):
            best = within
    return best


def _without_common_codes(text, codes):
    common = common_codes() | UNSPECIFIED_CODES
    for hit in codes:
        if hit.code.key in common and hit.how != "message" and hit.end <= len(text):
            text = text[: hit.start] + " " * (hit.end - hit.start) + text[hit.end :]
    return text


def _lower(text):
    """text in lower case, each character in place (Evidence keeps the paste's offsets)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _telling(word):
    return any(c.isdigit() for c in word) or "_" in word.strip("_") or zipf(word) == 0


def _without_names(text):
    """text with its variable parts and framework-qualified names blanked out, offsets
    kept."""

    def framework(m):
        name = m.group().strip(".:")
        return " " * len(m.group()) if "." in name and is_framework(name) else m.group()

    variable = variables.pattern_for(text, without=_KEPT_PARTS)
    if variable is not None:
        text = variable.sub(lambda m: " " * len(m.group()), text)
    # A framework name starts with one of the namespaces (ASCII, lowered as anywhere):
    # a paste without any of them has none to blank.
    lowered = text.lower()
    if not any(namespace in lowered for namespace in framework_namespaces()):
        return text
    return TOKEN_RE.sub(framework, text)


def draft(found, text, tuning):
    """The Draft of a Recall: medium on a clear lead, else low; None when it shares too
    few distinctive words."""
    recall, confidence = tuning.recall, tuning.confidence
    if _count(found.words, recall) < recall.words:
        return None
    evidence = _evidence(found.words, text)
    total = sum(w.weight for w in found.words)
    score = min(confidence.high - confidence.below, 1 - math.exp(-recall.rate * total))
    # The paste tells of the problem: a word the article only uses in its steps or
    # background ("perfmon", "throttle") does not make it the answer on its own.
    clear = found.lead >= recall.lead and any(w.problem for w in found.words)
    if clear:
        tier, score = "medium", max(score, confidence.medium)
    else:
        tier, score = "low", min(score, confidence.medium - confidence.below)
    result = Draft(found.article, score, tier, evidence, {})
    _decide_recall(result, found, found.words, score)
    if not clear:
        result.decide("recall-tier", "at most low", "no clear lead on distinctive words")
    return result


def story(found, text, tuning):
    """The Draft of a Recall with too few distinctive words that shares story_words of
    the article's words (any but names and error words) close together, with a clear
    lead: medium at the medium threshold. None otherwise."""
    recall, confidence = tuning.recall, tuning.confidence
    if found.lead < recall.lead:
        return None
    words = _heaviest_window(found.shared, recall)
    if len(words) < recall.story_words:
        return None
    result = Draft(found.article, confidence.medium, "medium", _evidence(words, text), {})
    _decide_recall(result, found, words, confidence.medium)
    result.decide("recall-story", "medium", f"{len(words)} of its words close together")
    return result


def fallback(found, text, tuning):
    """The Draft of a Recall with too few distinctive words, for a paste that makes no
    other candidate at all: low, related at best, when the article leads and the paste
    shares enough of its words (any but the names of its setting and the words every
    error has) close together; None otherwise. A few shared words are no account of an
    error ("The spooler is stuck."), nor are words scattered over a long post."""
    recall, confidence = tuning.recall, tuning.confidence
    if found.lead <= recall.fallback_lead:
        return None
    words = _heaviest_window(found.shared, recall)
    total = sum(w.weight for w in words)
    if len(words) < recall.fallback_words or total < recall.fallback_weight:
        return None
    evidence = _evidence(words, text)
    ceiling = confidence.medium - 2 * confidence.below
    score = min(ceiling, 1 - math.exp(-recall.fallback_rate * total))
    result = Draft(found.article, score, "low", evidence, {})
    _decide_recall(result, found, words, score)
    result.decide(
        "recall-fallback", "at most low", f"{len(words)} shared words, too few distinctive ones"
    )
    return result


def _evidence(words, text):
    return [
        Evidence(
            kind="word",
            match=text[w.start : w.end],
            start=w.start,
            end=w.end,
            weight=w.weight,
            signature=f"word:{w.stem}",
        )
        for w in words
    ]


def _decide_recall(result, found, words, score):
    """The trace line every recall draft carries: its score, lead and shared words."""
    keys = ", ".join(w.stem for w in words)
    lead = "alone" if found.lead == math.inf else f"{found.lead:.2f}x the runner-up"
    result.decide("recall", f"score {score:.2f}", f"BM25 {found.score:.1f}, {lead}; {keys}")


def _heaviest_window(words, recall):
    """The words within window characters of each other that weigh the most."""
    best, weight = [], 0.0
    for i, first in enumerate(words):
        within = [w for w in words[i:] if w.end - first.start <= recall.window]
        total = sum(w.weight for w in within)
        if total > weight:
            best, weight = within, total
    return best


# What cap:generic-only says of a draft low only for want of the article's own words.
_WANTING = (
    "no context of the article's own",
    "its exceptions carry another message in plain English",
)


def lifts(same, found, draft, tuning):
    """Whether the Recall (found, its capped draft) lifts a quoted-evidence draft of the
    same article (same) to medium: same is low only for want of the article's own
    context, and the paste clearly leads on the article's words with no cap of its own.
    Words of its diagnosis and steps count here ("netstat shows TIME_WAIT"): the quoted
    error already is the problem.

    So does an exception of the article whose message, in plain English, the article
    does not quote (cap:generic-only took it for another error's): when the words of
    that message are the article's own, with a clear lead, it is the article's error in
    words the article tells rather than quotes ("The maximum message size quota ... has
    been exceeded" beside an article that lists only QuotaExceededException)."""
    capped = [d for d in same.decisions if d.rule.startswith("cap:")]
    wanting = (
        same.confidence == "low"
        and same.basis is not None
        and bool(capped)
        and all(d.rule == "cap:generic-only" for d in capped)
        and all(d.detail in _WANTING for d in capped)
    )
    if not wanting or found.lead < tuning.recall.lead or draft.caps:
        return False
    # The words of the quoted message itself are the generic evidence, not its context.
    quoted = [(e.start, e.end) for e in same.evidence if e.weight > 0]
    beside = [w for w in found.words if not overlap(w.start, w.end, quoted)]
    return _count(beside, tuning.recall) >= tuning.recall.words
