"""A post that describes the error without quoting it.

"An SMSvcHost error saying a duplicated socket could not be dispatched and the handle is
leaked": words of an article's error texts and signatures that are rare in English
(wordfreq) and not error vocabulary, found in no other article, count by their stems
("dispatched" for "dispatching"). So does context of the article's own setting (its
product, its process, a cause's telltale such as "Task Manager"; not the words that only
name the technology, nor those that are themselves the trouble, "crashed") when the
paste tells of trouble (trouble) in a sentence that names the article's own product or
process, and the words are near that name: "Lsmain.exe died and Task Manager still lists
the LinkAge processes" describes the article without a line of its error.

In (build): the Compiled index. In (triage): the Findings and the articles already
answered or turned down. Out: Descriptions, the best window of at least `words`
distinct words of one article within `window` characters, and their Drafts: never
high; medium only when nothing else answered; low beside signs of another program.
"""

import math
from bisect import bisect_left
from collections import defaultdict
from itertools import islice
from typing import NamedTuple

from triage.engine.derive import fragments
from triage.engine.spans import without_overlaps
from triage.engine.trouble import Sentences
from triage.engine.tuning import MAX_PASTE
from triage.engine.types import Draft, Evidence
from triage.engine.vocabulary import LETTERS_RE, TOKEN_RE, is_framework, zipf
from triage.engine.words import token_information, word_stem
from triage.text import word_spans


class Place(NamedTuple):
    """A word or piece of context of one article in the normalised paste."""

    start: int
    end: int
    key: str
    weight: float
    kind: str  # "word", or the kind of a context signature
    cause: str | None = None


class Description(NamedTuple):
    article: str
    total: float  # the weights of its places
    places: list[Place]  # sorted


def distinctive_words(compiled):
    """stem -> {article: weight}: word stems of the articles' error texts and signatures
    that are rare in the world (not everyday error vocabulary, nor framework names) and
    tell one article from the others, weighted information times idf."""
    tuning = compiled.tuning
    signature_values = defaultdict(list)  # grouped once: per article it would be quadratic
    for sig in compiled.signatures:
        if sig.kind in ("phrase", "exception", "event", "process"):
            signature_values[sig.article].append(sig.value)
    words = {}
    for slug, article in compiled.articles.items():
        values = [f for t in article.error_texts if t for f in fragments(t[:MAX_PASTE], tuning)]
        words[slug] = _informative_stems(values + signature_values[slug], tuning)
    n = max(len(compiled.articles), 1)
    df = defaultdict(int)
    for found in words.values():
        for stem in found:
            df[stem] += 1
    distinctive = defaultdict(dict)
    for slug, found in words.items():
        for stem, information in found.items():
            idf = math.log(1 + n / df[stem]) / math.log(1 + n) if n > 1 else 1.0
            if information * idf >= tuning.paraphrase.min_weight:
                distinctive[stem][slug] = information * idf
    return dict(distinctive)


def _informative_stems(values, tuning):
    """stem -> information of the words of values worth reading a description by."""
    paraphrase, identifier = tuning.paraphrase, tuning.information.identifier
    found = {}
    for value in values:
        for token in TOKEN_RE.findall(value):
            if "." in token.strip(".") and is_framework(token.strip(".:")):
                continue  # System.Runtime.Remoting names the framework
            for part in LETTERS_RE.findall(token):
                stem = word_stem(part.lower(), paraphrase.min_length)
                if len(part) < paraphrase.min_length:
                    continue
                information = token_information(part, tuning.information)
                if information < identifier and zipf(part.lower()) > paraphrase.max_zipf:
                    continue
                if information > found.get(stem, 0.0):
                    found[stem] = information
    return found


def describe(index, findings, known):
    """The Descriptions of articles not in known that the paste describes."""
    places = _word_places(index, findings.norm.text, findings.words, known)
    named, setting = _setting(index, findings, known)
    for slug, starts in named.items():
        places[slug].extend(setting[slug])
        starts.sort()
    found = []
    for slug, hits in places.items():
        best = _best_window(hits, named.get(slug, ()), index.tuning.paraphrase)
        if best is not None:
            found.append(Description(slug, *best))
    return found


def _word_places(index, t, words, known):
    """article -> Places of its distinctive words in normalised text t."""
    paraphrase, identifier = index.tuning.paraphrase, index.tuning.information.identifier
    places = defaultdict(list)
    for word in words.at_least(paraphrase.min_length) if index.distinctive else ():
        stem = word_stem(word, paraphrase.min_length)
        for slug, weight in index.distinctive.get(stem, {}).items():
            if slug in known or (weight < identifier and zipf(word) > paraphrase.max_zipf):
                continue  # "listen" is everyday English where "listener" was not
            # Repeats add nothing, and a paste of one word repeated must stay cheap.
            for start, end in islice(word_spans(t, word), paraphrase.repeats):
                places[slug].append(Place(start, end, stem, weight, "word"))
    return places


def _setting(index, findings, known):
    """Where a sentence telling of trouble names each article's own product or process
    (article -> starts), and the Places of each article's context.

    Context of an article's own setting reads like one of its words when the paste tells
    of trouble where it names the article: in the sentence of its own product or process
    (no other article's), "Lsmain.exe died"; not "the application pool recycled and all
    is fine", nor "Outlook crashed ... We run Exchange Server", nor "we want an alert
    when it dies". Pieces weaker than context_lift or naming the technology do not
    count, nor do pieces that are themselves the trouble ("crashed"): they tell that
    something failed, not where."""
    tuning = index.tuning
    paraphrase = tuning.paraphrase
    setting, named = defaultdict(list), defaultdict(list)
    sentences = Sentences(findings.norm, tuning.trouble) if findings.context else None
    repeats, checked = defaultdict(int), defaultdict(int)
    for sig, start, end in findings.context:
        slug = sig.article
        if slug in known or sig.technology or sig.strength < tuning.confidence.context_lift:
            continue
        # Whether this mention of the article's name is where trouble is told: asked of
        # the first name_checks mentions of each name, which bounds a long log's cost.
        name = False
        if index.own_name(sig):
            checked[sig.id] += 1
            name = checked[sig.id] <= paraphrase.name_checks and sentences.tell_of_trouble(
                start, end
            )
        if name:
            named[slug].append(start)
        # Repeats add nothing; the name where the trouble is told is counted apart from
        # calm mentions, so a report after many of them still has it.
        repeats[sig.id, name] += 1
        if repeats[sig.id, name] > paraphrase.repeats or sig.trouble:
            continue
        weight = paraphrase.context_word_weight * sig.strength
        setting[slug].append(Place(start, end, sig.key, weight, sig.kind, sig.cause))
    return named, setting


def _best_window(hits, near, paraphrase):
    """(total, places) of the heaviest window of distinct keys, or None. Context counts
    only in a window where the trouble is told of the article by name (near: where);
    elsewhere the window's words count alone."""
    hits = without_overlaps(hits)
    if len({h.key for h in hits}) < paraphrase.words:
        return None
    hits.sort()
    best = None
    for i, first in enumerate(hits):
        window = {}
        for hit in hits[i:]:
            if hit.end - first.start > paraphrase.window:
                break
            window.setdefault(hit.key, hit)
        # The name may have given way to a distinctive word on the same span.
        if any(h.kind != "word" for h in window.values()):
            i_name = bisect_left(near, first.start)
            if i_name == len(near) or near[i_name] > first.start + paraphrase.window:
                window = {k: h for k, h in window.items() if h.kind == "word"}
        if len(window) >= paraphrase.words:
            total = sum(h.weight for h in window.values())
            if best is None or total > best[0]:
                best = (total, sorted(window.values()))
    return best


def draft(description, findings, facts, index, quiet):
    """The Draft of a description: never high; medium only when nothing else answered
    (quiet). The caps then lower it like any candidate, and further (caps.weak_description):
    beside any sign of another program or another error code, a description is low."""
    tuning = index.tuning
    text, norm = findings.text, findings.norm
    evidence = []
    for place in description.places:
        o_start, o_end = norm.orig_span(place.start, place.end)
        evidence.append(
            Evidence(
                kind=place.kind,
                match=text[o_start:o_end],
                start=o_start,
                end=o_end,
                weight=round(place.weight, 3),
                signature=f"{place.kind}:{place.key}",
                cause=place.cause,
            )
        )
    confidence = tuning.confidence
    rate = tuning.paraphrase.rate
    score = min(confidence.high - confidence.below, 1 - math.exp(-rate * description.total))
    tier = "medium" if quiet and score >= confidence.medium else "low"
    if tier == "low":
        score = min(score, confidence.medium - confidence.below)
    result = Draft(description.article, score, tier, evidence, {}, places=description.places)
    keys = ", ".join(dict.fromkeys(p.key for p in description.places))
    result.decide("description", f"score {score:.2f}", keys)
    if not quiet:
        result.decide("description-tier", "at most low", "another candidate answered")
    return result
