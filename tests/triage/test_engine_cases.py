"""Labelled pastes against the shipped articles, judged by the evaluation's rules.

cases.jsonl holds the development cases and our own: other wordings, partial
and localized pastes, forum posts, and near-misses from other products. The
articles' own samples (match / no_match) are judged the same way.
"""

import json
from pathlib import Path

import pytest

from tests.factory import article_specs_from_yaml
from triage.engine import Index

CASES_FILE = Path(__file__).resolve().parent / "cases.jsonl"
ARTICLES, SIGNATURES, SAMPLES = article_specs_from_yaml()


def _cases():
    cases = [
        json.loads(line)
        for line in CASES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for n, (slug, should_match, text) in enumerate(SAMPLES):
        kind, expected = ("positive", slug) if should_match else ("near-miss", "none")
        cases.append({"id": f"sample-{slug}-{n}", "kind": kind, "expected": expected, "text": text})
    return cases


@pytest.fixture(scope="module")
def index():
    return Index.build(ARTICLES, SIGNATURES)


def judge(case, result):
    """(passed, why) by the rules of the evaluation script."""
    slugs = [c.article for c in result.candidates]
    confs = [c.confidence for c in result.candidates]
    shown = ", ".join(f"{s}({c})" for s, c in zip(slugs[:3], confs[:3], strict=False)) or "nothing"
    kind, expected = case["kind"], case["expected"]
    if kind == "positive":
        return bool(slugs) and slugs[0] == expected and confs[0] in ("high", "medium"), shown
    if kind == "ambiguous":
        return set(expected) <= set(slugs[: len(expected)]) and "high" not in confs, shown
    if kind == "near-miss":
        return "high" not in confs, shown
    if kind == "unrelated":
        return not ({"high", "medium"} & set(confs)), shown
    raise AssertionError(f"unknown kind {kind!r}")


def test_the_articles_are_there():
    assert len(ARTICLES) >= 4
    assert {"positive", "ambiguous", "near-miss", "unrelated"} <= {c["kind"] for c in _cases()}


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_case(index, case):
    result = index.triage(case["text"])
    for candidate in result.candidates:
        for e in candidate.evidence:
            assert 0 <= e.start < e.end <= len(case["text"])
            assert e.match == case["text"][e.start : e.end]
    passed, shown = judge(case, result)
    assert passed, f"{case['kind']} {case['expected']}: got {shown} ({case.get('notes', '')})"
