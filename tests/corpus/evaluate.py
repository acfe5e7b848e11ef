"""Score the triage engine on the corpus, beside a plain BM25 ranking: `make eval`.

The index is built from the corpus articles with the bundled ones beside them, without a
server or a database, and every case is triaged. For each split (dev, held-out) and for
the bundled articles' own cases it prints:

- positives first at high or medium, and top-1 (the expected article first at all);
- near-misses that come back high;
- unrelated pastes that come back above low;
- ambiguous cases whose articles both lead, with no high.

Beside them, in the same run, BM25 (rank-bm25) over the same articles' whole text: its
top-1, and its best single threshold on the top score, tuned on the same cases (which
is generous to it): a case counts as answered when the top score reaches it.

    .venv/bin/python -m tests.corpus.evaluate             # the tables
    .venv/bin/python -m tests.corpus.evaluate --failures  # and the dev split's failures
    .venv/bin/python -m tests.corpus.evaluate --dev-only  # no held-out numbers, for tuning

Failures are shown for the development split and the bundled cases only: the held-out
split is read as totals.
"""

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUNDLED = ROOT / "content" / "articles"
BUNDLED_CASES = ROOT / "tests" / "triage" / "cases.jsonl"
KINDS = ("positive", "near-miss", "unrelated", "ambiguous")


def _setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "evaluation")
    import django

    django.setup()


def load_cases(path):
    path = Path(path)
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def judge(case, slugs, confidences, asked=False):
    """Whether the answer passes by the evaluation's rules."""
    kind, expected = case["kind"], case["expected"]
    if kind == "positive":
        return bool(slugs) and slugs[0] == expected and confidences[0] in ("high", "medium")
    if kind == "ambiguous":
        both = set(expected) <= set(slugs[: len(expected)])
        return both and (asked or "high" not in confidences)
    if kind == "near-miss":
        return "high" not in confidences
    if kind == "unrelated":
        return not ({"high", "medium"} & set(confidences))
    raise ValueError(f"unknown kind {kind!r}")


@dataclass
class Tally:
    cases: dict = field(default_factory=lambda: defaultdict(int))  # kind -> count
    passed: dict = field(default_factory=lambda: defaultdict(int))
    top1: int = 0
    failures: list = field(default_factory=list)

    def add(self, case, ok, first):
        self.cases[case["kind"]] += 1
        self.passed[case["kind"]] += ok
        if case["kind"] == "positive" and first == case["expected"]:
            self.top1 += 1
        if not ok:
            self.failures.append(case)


def _share(n, total):
    return f"{n}/{total} ({100 * n / total:.0f}%)" if total else "-"


def _text_of(data):
    """All of an article's text, as BM25 reads it."""
    keywords = " ".join(str(k) for k in data.get("keywords") or [])
    parts = [data.get("title", ""), keywords, data.get("summary", "")]
    for symptom in data.get("symptoms") or []:
        parts += [symptom.get(k) or "" for k in ("description", "error_text", "logged_in")]
    for cause in data.get("causes") or []:
        parts += [cause.get(k) or "" for k in ("title", "explanation", "how_to_tell")]
    for resolution in data.get("resolutions") or []:
        parts += [resolution.get(k) or "" for k in ("title", "steps", "caveats")]
    parts.append(data.get("more_info", ""))
    return "\n".join(p for p in parts if p)


_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text):
    return _TOKEN.findall(text.lower())


class Baseline:
    """BM25 (Okapi, rank-bm25's defaults) over the articles' whole text."""

    def __init__(self, directories):
        import yaml
        from rank_bm25 import BM25Okapi

        self.slugs, corpus = [], []
        for directory in directories:
            for path in sorted(Path(directory).glob("*.yaml")):
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                self.slugs.append(data["slug"])
                corpus.append(tokens(_text_of(data)))
        self._bm25 = BM25Okapi(corpus)

    def rank(self, text):
        """(slug, score) of the best article."""
        scores = self._bm25.get_scores(tokens(text))
        best = max(range(len(scores)), key=lambda i: scores[i])
        return self.slugs[best], float(scores[best])


def baseline_rows(baseline, cases):
    """BM25's top-1 on the positives, and at its best threshold the pass shares."""
    ranked = [(case, *baseline.rank(case["text"])) for case in cases]
    positives = [r for r in ranked if r[0]["kind"] == "positive"]
    top1 = sum(1 for case, slug, _ in positives if slug == case["expected"])

    def passes(threshold):
        counts = defaultdict(int)
        for case, slug, score in ranked:
            confident = score >= threshold
            if case["kind"] == "positive":
                counts["positive"] += confident and slug == case["expected"]
            elif case["kind"] == "near-miss":
                counts["near-miss"] += confident  # would be "high"
            elif case["kind"] == "unrelated":
                counts["unrelated"] += confident  # would be above low
        return counts

    def correct(threshold):
        counts = passes(threshold)
        judged = sum(1 for r in ranked if r[0]["kind"] in ("near-miss", "unrelated"))
        return counts["positive"] + judged - counts["near-miss"] - counts["unrelated"]

    thresholds = sorted({score for _, _, score in ranked}) + [float("inf")]
    best = max(thresholds, key=correct) if ranked else 0.0
    return top1, len(positives), best, passes(best)


def evaluate(index, cases, keep_failures):
    tally = Tally()
    for case in cases:
        result = index.triage(case["text"])
        slugs = [c.article for c in result.candidates]
        confidences = [c.confidence for c in result.candidates]
        ok = judge(case, slugs, confidences)
        tally.add(case, ok, slugs[0] if slugs else None)
        if not ok and keep_failures:
            case["_got"] = result.candidates[:3]
    return tally


def table(title, tally, cases, baseline, out):
    c, p = tally.cases, tally.passed
    positives = c["positive"]
    out(f"\n### {title}: {sum(c.values())} cases\n")
    out("| measure | engine | BM25 |")
    out("| --- | --- | --- |")
    top1, n_pos, threshold, bm25 = baseline_rows(baseline, cases)
    out(
        f"| positives first at high/medium | {_share(p['positive'], positives)} "
        f"| {_share(bm25['positive'], n_pos)} at its best threshold ({threshold:.1f}) |"
    )
    out(f"| top-1 | {_share(tally.top1, positives)} | {_share(top1, n_pos)} |")
    near = c["near-miss"]
    out(
        f"| near-misses at high | {_share(near - p['near-miss'], near)} "
        f"| {_share(bm25['near-miss'], near)} |"
    )
    unrelated = c["unrelated"]
    out(
        f"| unrelated above low | {_share(unrelated - p['unrelated'], unrelated)} "
        f"| {_share(bm25['unrelated'], unrelated)} |"
    )
    if c["ambiguous"]:
        out(f"| ambiguous: both lead, none high | {_share(p['ambiguous'], c['ambiguous'])} | - |")


def show_failures(title, tally, out):
    if not tally.failures:
        return
    out(f"\n#### Failures: {title}\n")
    for case in tally.failures:
        got = case.get("_got") or []
        shown = ", ".join(f"{c.article}({c.confidence} {c.score:.2f})" for c in got) or "nothing"
        out(f"- {case['id']} {case['kind']} {case['expected']}: got {shown}")
        for candidate in got[:1]:
            for decision in candidate.decisions:
                out(f"    {decision}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list the dev split's failures")
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="leave the held-out split out altogether, as while tuning",
    )
    args = parser.parse_args(argv)
    _setup()
    from tests.corpus.split import DEV, HELD_OUT, case_split
    from tests.factory import article_specs_from_yaml
    from triage.engine import Index

    bundled, bundled_sigs, _ = article_specs_from_yaml(BUNDLED)
    corpus, corpus_sigs, _ = article_specs_from_yaml(HERE / "articles")
    index = Index.build(bundled + corpus, bundled_sigs + corpus_sigs)
    baseline = Baseline([BUNDLED, HERE / "articles"])
    cases = load_cases(HERE / "cases.jsonl")
    splits = {DEV: [], HELD_OUT: []}
    for case in cases:
        splits[case_split(case)].append(case)
    groups = [
        ("development split", splits[DEV], True),
        ("held-out split", splits[HELD_OUT], False),  # totals only
        ("bundled articles' cases", load_cases(BUNDLED_CASES), True),
    ]
    if args.dev_only:
        del groups[1]
    out = print
    out(f"{len(corpus)} corpus articles and {len(bundled)} bundled; {len(cases)} corpus cases")
    tallies = []
    for title, group, detailed in groups:
        tally = evaluate(index, group, keep_failures=detailed and args.failures)
        tallies.append((title, tally, detailed))
        table(title, tally, group, baseline, out)
    if args.failures:
        for title, tally, detailed in tallies:
            if detailed:
                show_failures(title, tally, out)


if __name__ == "__main__":
    main()
