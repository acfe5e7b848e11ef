"""The evaluation corpus is well formed: real articles, labelled cases with their sources."""

import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from kb.content import parse
from kb.models import Article
from tests.corpus.split import DEV, HELD_OUT, article_split, case_articles, case_split

HERE = Path(__file__).resolve().parent
ARTICLES = sorted((HERE / "articles").glob("*.yaml"))
CASES = [
    json.loads(line)
    for line in (HERE / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
BUNDLED = {p.stem for p in (HERE.parents[1] / "content" / "articles").glob("*.yaml")}


def test_there_are_enough_articles_and_cases():
    assert len(ARTICLES) >= 30
    kinds = [c["kind"] for c in CASES]
    assert len(CASES) >= 300
    assert kinds.count("unrelated") >= 40


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_each_article_parses_and_carries_no_hand_written_signatures(path):
    data = parse(path)
    assert data["status"] == "published"
    assert not data["signatures"]
    assert not any(data["samples"].values())
    assert data["references"], "the source page is named"
    assert any(s["error_text"] for s in data["symptoms"])


def test_every_case_is_labelled_with_its_source():
    slugs = {p.stem for p in ARTICLES} | BUNDLED
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert case["kind"] in ("positive", "near-miss", "unrelated", "ambiguous"), case["id"]
        assert case["text"].strip(), case["id"]
        assert case["source"].startswith(("http://", "https://")), case["id"]
        assert case.get("notes"), case["id"]
        assert set(case_articles(case)) <= slugs, case["id"]
        if case["kind"] == "near-miss":
            assert case["expected"] == "none" and case.get("article"), case["id"]
        if case["kind"] == "positive":
            assert isinstance(case["expected"], str) and case["expected"] in slugs, case["id"]


def test_the_split_holds_out_about_a_third_and_every_case_follows_its_article():
    splits = [article_split(p.stem) for p in ARTICLES]
    assert 0.2 <= splits.count(HELD_OUT) / len(splits) <= 0.45
    for case in CASES:
        if any(article_split(s) == HELD_OUT for s in case_articles(case)):
            assert case_split(case) == HELD_OUT
    assert {case_split(c) for c in CASES} == {DEV, HELD_OUT}


@pytest.mark.django_db
def test_the_corpus_loads_beside_the_bundled_articles():
    call_command("loadkb", verbosity=0)
    call_command("loadkb", str(HERE / "articles"), verbosity=0)
    assert Article.objects.published().count() == len(ARTICLES) + len(BUNDLED)
    first = yaml.safe_load(ARTICLES[0].read_text(encoding="utf-8"))
    assert Article.objects.get(slug=first["slug"]).symptoms.exists()
