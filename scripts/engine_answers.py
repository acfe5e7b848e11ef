"""Record the triage engine's answers to every labelled paste, and compare later runs.

A change to the engine that should not change any answer (a restructure, a speed-up)
is checked by recording before and comparing after:

    .venv/bin/python scripts/engine_answers.py record var/answers.json
    ... change the engine ...
    .venv/bin/python scripts/engine_answers.py compare var/answers.json

The pastes: tests/triage/cases.jsonl, the bundled articles' samples and error texts,
the corpus cases (tests/corpus), any extra JSONL files given with --cases, and the
benchmark's synthetic pastes. An answer is every candidate with its score, confidence,
evidence spans and weights, cause scores and proven cause, plus the error codes found.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "answers")


def _jsonl(path):
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _answer(result):
    return {
        "abstained": result.abstained,
        "codes": [
            [h.start, h.end, h.code.key, h.wrapper.key if h.wrapper else None, h.how]
            for h in result.codes
        ],
        "candidates": [
            {
                "article": c.article,
                "score": c.score,
                "confidence": c.confidence,
                "evidence": [
                    [e.kind, e.start, e.end, e.weight, e.signature, e.cause] for e in c.evidence
                ],
                "cause_scores": c.cause_scores,
                "proven_cause": c.proven_cause,
            }
            for c in result.candidates
        ],
    }


def _pastes(extra):
    from tests.factory import article_specs_from_yaml

    articles, signatures, samples = article_specs_from_yaml()
    pastes = {}
    for case in _jsonl(ROOT / "tests/triage/cases.jsonl"):
        pastes[f"case:{case['id']}"] = case["text"]
    for path in extra:
        for case in _jsonl(path):
            pastes[f"{Path(path).stem}:{case['id']}"] = case["text"]
    for n, (slug, _, text) in enumerate(samples):
        pastes[f"sample:{slug}:{n}"] = text
    for article in articles:
        for n, text in enumerate(article.error_texts):
            pastes[f"error-text:{article.slug}:{n}"] = text
            pastes[f"error-text-head:{article.slug}:{n}"] = text[: len(text) // 2]
    pastes.update(_mixtures(list(pastes.values())))
    return articles, signatures, pastes


def _mixtures(texts, n=400, seed=7):
    """Pastes made of pieces of the others, so that more of the engine's paths are taken:
    two pastes run together, one with its lines shuffled, one upper-cased or cut short."""
    import random

    rng = random.Random(seed)
    out = {}
    for i in range(n):
        a, b = rng.choice(texts), rng.choice(texts)
        roll = rng.random()
        if roll < 0.3:
            text = a + "\n" + b
        elif roll < 0.5:
            lines = a.splitlines()
            rng.shuffle(lines)
            text = "\n".join(lines)
        elif roll < 0.6:
            text = a.upper()
        elif roll < 0.8:
            cut = rng.randint(0, len(a))
            text = a[cut:] + " " + b[: rng.randint(0, len(b))]
        else:
            words = a.split()
            text = " ".join(w for w in words if rng.random() > 0.2)
        out[f"mixture:{i}"] = text
    return out


def _corpus():
    directory = ROOT / "tests/corpus/articles"
    if not directory.exists() or not any(directory.glob("*.yaml")):
        return None
    from tests.factory import article_specs_from_yaml

    bundled, bundled_sigs, _ = article_specs_from_yaml()
    corpus, corpus_sigs, _ = article_specs_from_yaml(directory)
    cases = {f"corpus:{c['id']}": c["text"] for c in _jsonl(ROOT / "tests/corpus/cases.jsonl")}
    return bundled + corpus, bundled_sigs + corpus_sigs, cases


def record(extra):
    import django

    django.setup()
    from triage import bench
    from triage.engine import Index

    answers = {}
    articles, signatures, pastes = _pastes(extra)
    index = Index.build(articles, signatures)
    for key, text in pastes.items():
        answers[key] = _answer(index.triage(text))
    corpus = _corpus()
    if corpus:
        index = Index.build(corpus[0], corpus[1])
        for key, text in corpus[2].items():
            answers[key] = _answer(index.triage(text))
    for n in (1_000, 10_000):
        kb_articles, kb_signatures = bench.synthetic_kb(n)
        index = Index.build(kb_articles, kb_signatures)
        for size in (1024, 10 * 1024, 64 * 1024):
            text = bench.synthetic_paste(size, kb_signatures)
            answers[f"bench:{n}:{size}"] = _answer(index.triage(text))
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("record", "compare"))
    parser.add_argument("file")
    parser.add_argument("--cases", action="append", default=[], help="more JSONL case files")
    args = parser.parse_args()
    answers = record(args.cases)
    if args.action == "record":
        Path(args.file).parent.mkdir(parents=True, exist_ok=True)
        Path(args.file).write_text(json.dumps(answers, sort_keys=True), encoding="utf-8")
        print(f"recorded {len(answers)} answers in {args.file}")
        return 0
    before = json.loads(Path(args.file).read_text(encoding="utf-8"))
    changed = sorted(k for k in before.keys() | answers.keys() if before.get(k) != answers.get(k))
    for key in changed:
        print(f"changed: {key}")
        old, new = before.get(key), answers.get(key)
        if old and new:
            top_old = [(c["article"], c["confidence"], c["score"]) for c in old["candidates"][:3]]
            top_new = [(c["article"], c["confidence"], c["score"]) for c in new["candidates"][:3]]
            print(f"   before {top_old}\n   after  {top_new}")
    print(f"{len(answers)} answers, {len(changed)} changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
