"""The fast paths of a triage give the answers of their plain definitions.

Normalising, finding words and re-reading text around corrections each have a
quick way for the common case; these properties hold them to the slow, obvious
way on any text.
"""

import re
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from triage import variables
from triage.engine import ArticleSpec, SignatureSpec
from triage.engine.build import compile_index
from triage.engine.loose import _WORD_RE, _in_order, _key
from triage.engine.loose import _first_places as _loose_first_places
from triage.engine.paraphrase import Place
from triage.engine.recall import _first_places, _first_words, _stems, _without_names
from triage.engine.spans import Spans, without_overlaps
from triage.engine.tuning import DEFAULT
from triage.engine.vocabulary import STOPWORDS, TOKEN_RE, is_framework
from triage.matcher import PhraseMatcher
from triage.text import (
    _REWRITE_RE,
    _extend_layout,
    _flatten,
    _rewrite,
    _rewrite_layout,
    long_words,
    word_spans,
)

layout_text = st.lists(
    st.sampled_from(
        list("ab1 >-*+.)\n\t_")
        + ["  ", "\n\n", "\n> ", "\n  - ", "12) ", "3. ", "\u2022 ", "word", "\u2026", "\u200b"]
    ),
    max_size=40,
).map("".join)
word_text = st.lists(
    st.sampled_from(list("abc XY09_.-:\n'") + ["served", "server", "\u00e9", "\u00b2", "\u0130"]),
    max_size=40,
).map("".join)
_LONG_WORD = re.compile(r"(?<!\w)[^\W\d_]{5,}(?!\w)")


@given(layout_text)
def test_layout_pass_gives_the_text_and_spans_of_the_general_rewrite(text):
    expected_text, expected_map = _rewrite(text, _REWRITE_RE, _rewrite_layout, _extend_layout)
    flat, span_map = _flatten(text)
    assert flat == expected_text
    assert (span_map is None) == (expected_map is None)
    if span_map is not None:
        for i in range(len(flat) + 1):
            for j in range(i, len(flat) + 1):
                assert span_map.span(i, j) == expected_map.span(i, j)


@given(word_text)
def test_long_words_and_their_places_are_what_the_regular_expression_finds(text):
    matches = list(_LONG_WORD.finditer(text))
    assert long_words(text, 5) == {m.group() for m in matches}
    for word in long_words(text, 5):
        assert word_spans(text, word) == [m.span() for m in matches if m.group() == word]


@given(
    st.lists(st.sampled_from(["ab", "ba", "a b", "ab:", "b-a"]), min_size=1, max_size=4),
    st.text(alphabet="ab :-sing_", max_size=300),
    st.lists(st.integers(0, 300), max_size=6),
)
def test_reading_around_spans_finds_the_hits_of_a_full_pass_that_overlap_them(keys, text, cuts):
    matcher = PhraseMatcher()
    for n, key in enumerate(keys):
        matcher.add(key, n)
    matcher.build()
    cuts = sorted({min(c, len(text)) for c in cuts})
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    expected = [
        (s, e, p) for s, e, p in matcher.find(text) if any(a < e and s < b for a, b in spans)
    ]
    assert list(matcher.find_overlapping(text, spans)) == expected


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 8)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=15,
)


@given(spans, st.integers(-2, 50), st.integers(0, 10))
def test_span_questions_give_the_answers_of_a_scan_of_every_span(fixed, start, length):
    end = start + length
    asked = Spans(fixed)
    assert asked.contains(start, end) == any(s <= start and end <= e for s, e in fixed)
    assert asked.overlaps(start, end) == any(s < end and start < e for s, e in fixed)


places = st.lists(
    st.tuples(
        st.integers(0, 40), st.integers(1, 8), st.sampled_from("abc"), st.sampled_from([0.5, 1, 2])
    ).map(lambda t: Place(t[0], t[0] + t[1], t[2], t[3], "word")),
    max_size=15,
)


@given(places)
def test_overlaps_are_removed_as_by_comparing_every_pair(hits):
    kept = []
    for hit in sorted(hits, key=lambda h: (-h.weight, h.start - h.end)):
        if not any(k.start < hit.end and hit.start < k.end for k in kept):
            kept.append(hit)
    assert without_overlaps(hits) == sorted(kept)


_LOOSE_WORDS = ["sspi", "context", "generate", "principal", "target", "failed", "error", "the"]
_LOOSE_WORDS += ["server", "served", "servers", "pipe", "busy", "kerberos", "login", "to"]
loose_phrases = st.lists(
    st.lists(st.sampled_from(_LOOSE_WORDS), min_size=3, max_size=6).map(" ".join),
    min_size=1,
    max_size=8,
)
# Words inside other words and beside "_", "'" and "-", which a word may hold.
_LOOSE_GLUED = ["xpipe", "pipe_", "_pipe", "'sspi", "sspi'", "-context", "servers-", "\u00e9server"]
loose_text = st.lists(
    st.sampled_from(
        [*_LOOSE_WORDS, " ", ". ", "\n", "x" * 30, "Sspi", "CONTEXT", *_LOOSE_GLUED, "2target"]
    ),
    max_size=60,
).map(" ".join)


def _loose_plainly(phrases, t, exact_ids):
    """The loose reading as first written: every place of every word, for every phrase."""
    loose = phrases.tuning.loose
    places = defaultdict(list)
    for m in _WORD_RE.finditer(t.lower()):
        word = m.group()
        if len(word) < loose.min_length or word in STOPWORDS:
            continue
        key = _key(word)
        for sig in phrases.by_stem.get(key, ()):
            if sig.id not in exact_ids and len(places[sig.id]) < loose.max_places:
                places[sig.id].append((m.start(), m.end(), key))
    found = []
    for sig_id, spots in places.items():
        stems, telling, length = phrases.words[sig_id]
        need = max(loose.min_words, round(loose.share * len(stems)))
        order = {stem: i for i, stem in enumerate(stems)}
        reach = length * loose.reach + loose.slack
        best = None
        for i, (start, _, _) in enumerate(spots):
            run = []
            for _, end, stem in spots[i:]:
                if end - start > reach:
                    break
                run.append(stem)
                ordered = _in_order(run, order)
                if len(ordered) >= need and len(telling & ordered) >= loose.min_telling:
                    if best is None or end - start < best[1] - best[0]:
                        best = (start, end)
                    break
        if best is not None and not phrases._another_form(sig_id, t, best):
            found.append((sig_id, *best))
    return found


# Each example compiles an index (the standard messages' automaton included): slow on a
# busy machine, so no deadline.
@settings(deadline=None)
@given(loose_phrases, loose_text, st.sets(st.integers(0, 8), max_size=3))
def test_loose_reading_finds_what_every_place_of_every_word_would(values, t, exact_ids):
    specs = [SignatureSpec("a", "phrase", value) for value in values]
    compiled = compile_index([ArticleSpec(slug="a", title="A")], specs, DEFAULT)
    phrases = compiled.loose
    fast = [(sig.id, start, end) for sig, start, end in phrases.find(t, exact_ids)]
    assert fast == _loose_plainly(phrases, t, exact_ids)


# Whole examples of every part, and pieces of them that hold or miss what each needs.
_VARIABLE_PIECES = ["[IP]", "<host name>", "<FQDN>", "ServerName", "http://a.b/c", "net.tcp://x"]
_VARIABLE_PIECES += ["0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f", "C:\\src\\a.cs", "\\\\srv\\share"]
_VARIABLE_PIECES += [
    "/var/log/x",
    "10.0.0.1:80",
    "[::1]:8080",
    "db.corp",
    "w.example.com",
    "a.io",
    "2024-03-07",
]
_VARIABLE_PIECES += ["12:30", "10:00:07.123", "3 PM", "0x1F", "'Sales'", '"Sales"', "\u201cx\u201d"]
_VARIABLE_PIECES += ["\u2018x\u2019", "/abcdef1", "T", "[", "]", "<", ">", "Name", ":", "-", "/"]
_VARIABLE_PIECES += [".", "::", ":\\", "\\", "12", "ab", "_", " ", "\n", "\u0661\u0662"]
variable_text = st.lists(st.sampled_from(_VARIABLE_PIECES), max_size=40).map("".join)


@given(
    variable_text,
    st.sampled_from([(), ("number", "hex-id"), tuple(p.name for p in variables.PARTS[::2])]),
)
def test_a_pattern_of_the_parts_a_text_can_hold_finds_what_the_whole_pattern_does(text, without):
    whole = variables.pattern(without=without)
    pruned = variables.pattern_for(text, without=without)
    found = [] if pruned is None else [m.span() for m in pruned.finditer(text)]
    assert found == [m.span() for m in whole.finditer(text)]


_NAME_PIECES = ["System.Net.Sockets", "SYSTEM.IO", "system.", "Microsoft.", "ms.", "App.Main", ":"]
_NAME_PIECES += ["java.io.IOException", ".", "x", " ", "\u03a3.", "\u0130", "\u212a", "10.0.0.1"]


@given(st.lists(st.sampled_from(_NAME_PIECES + _VARIABLE_PIECES), max_size=30).map("".join))
def test_blanking_names_for_the_word_reading_is_blanking_every_part_and_framework_name(text):
    def framework(m):
        name = m.group().strip(".:")
        return " " * len(m.group()) if "." in name and is_framework(name) else m.group()

    kept = ("hex-number", "hex-id", "number", "quoted", "double-quoted", "object-id")
    plain = variables.pattern(without=kept).sub(lambda m: " " * len(m.group()), text)
    assert _without_names(text) == TOKEN_RE.sub(framework, plain)


_RECALL_WORDS = ["served", "server", "servers", "serve", "pipe", "pipes", "the", "ab", "x_1"]
recall_text = st.lists(
    st.sampled_from([*_RECALL_WORDS, " ", "_", "-", "\n", "9", "\u00e9"]), max_size=40
).map("".join)


@given(recall_text, st.sets(st.sampled_from(["serv", "server", "pipe", "x_1", "the"])))
def test_the_first_place_of_each_stem_is_what_a_walk_over_every_word_finds(text, stems):
    plain = {}
    for stem, start, end in _stems(text, DEFAULT):
        if stem in stems and stem not in plain:
            plain[stem] = (start, end, text[start:end])
    first = _first_words(text, stems, DEFAULT)
    places = _first_places(text, set(first.values()))
    found = {stem: (*places[word], word) for stem, word in first.items()}
    assert list(found.items()) == list(plain.items())


@given(loose_text.map(str.lower), st.sets(st.sampled_from(_LOOSE_WORDS)), st.integers(1, 4))
def test_a_words_first_places_are_those_of_a_walk_over_every_word(text, words, cap):
    keys = {word: _key(word) for word in words}
    walked = defaultdict(list)
    for m in _WORD_RE.finditer(text):
        if m.group() in keys:
            walked[keys[m.group()]].append(m.span())
    found = _loose_first_places(text, keys, cap, budget=len(text) + 1)
    assert found == {key: spans[:cap] for key, spans in walked.items()}
    assert _loose_first_places(text, keys, cap, budget=0) in (None, {})
