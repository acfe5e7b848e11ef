import pytest

from triage.matcher import PatternSet, PhraseMatcher, validate_pattern
from triage.text import normalise


def matcher(*phrases):
    m = PhraseMatcher()
    for phrase in phrases:
        m.add(phrase, phrase)
    return m.build()


def found(m, text):
    t = normalise(text).text
    return sorted((t[s:e], p) for s, e, payloads in m.find(t) for p in payloads)


def test_phrase_does_not_match_inside_a_longer_word():
    m = matcher("pipe")
    assert found(m, "the pipeline and the subpipe failed") == []
    assert found(m, "the pipe failed") == [("pipe", "pipe")]


def test_inflected_last_word_still_matches():
    m = matcher("recycle", "impersonat")
    assert [p for _, p in found(m, "the pool recycled; impersonation is on")] == [
        "impersonat",
        "recycle",
    ]


def test_phrases_with_punctuation_at_their_edges_need_no_boundary_there():
    m = matcher("NPServer::create", "node:", "--->")
    hits = {p for _, p in found(m, "from NPServer::create at node:net:1817 x--->y")}
    assert hits == {"--->", "NPServer::create", "node:"}
    assert found(m, "from NPServer::createx") == []


def test_phrase_matches_across_a_line_wrap_and_different_case():
    m = matcher("All pipe instances are busy")
    assert found(m, "{WIN32:231(ALL PIPE\n   instances are  busy.)}") == [
        ("all pipe instances are busy", "All pipe instances are busy")
    ]


def test_overlapping_phrases_are_all_found():
    m = matcher("socket address", "each socket address is", "address")
    assert [p for _, p in found(m, "each socket address is used")] == [
        "address",
        "each socket address is",
        "socket address",
    ]


def test_empty_automaton_finds_nothing():
    assert list(PhraseMatcher().build().find("anything")) == []


@pytest.mark.parametrize(
    "pattern",
    [r"(a)\1", r"foo(?=bar)", r"(?!x)y", r"(?<=a)b", r"(?<!a)b", r"(?P<n>a)(?P=n)", "[", "a*", ""],
)
def test_validate_pattern_rejects_backtracking_invalid_and_empty_patterns(pattern):
    assert validate_pattern(pattern)


@pytest.mark.parametrize("pattern", [r"win32:231\(", r"event id\s*8\b", r"[\[]1\]"])
def test_validate_pattern_accepts_re2_patterns(pattern):
    assert validate_pattern(pattern) is None


def test_pattern_set_reports_spans_of_each_matching_pattern():
    patterns = PatternSet([(r"win32:\d+\(", "code"), (r"npserver::\w+", "call"), ("(", "bad")])
    assert len(patterns) == 2
    text = normalise("Error {WIN32:231(All pipe instances are busy.)} from NPServer::create").text
    assert sorted((text[s:e], p) for s, e, p in patterns.find(text)) == [
        ("npserver::create", "call"),
        ("win32:231(", "code"),
    ]
