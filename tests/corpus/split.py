"""Which split, development or held-out, an article of the corpus and its cases belong to.

The rule is fixed before any tuning and never changes: an article is held out when the
first byte of the SHA-256 of its slug is divisible by three, which puts about a third of
the articles there whatever their names. A case goes with the article it is about (the
expected article, or for a near-miss the article it nearly matches); an unrelated case,
which is about no article, by the same rule on its id. Tune on the development split
only; read the held-out split as totals.
"""

import hashlib

DEV, HELD_OUT = "dev", "held-out"


def _held_out(name):
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % 3 == 0


def article_split(slug):
    return HELD_OUT if _held_out(slug) else DEV


def case_articles(case):
    """The corpus articles a case is about: its expected ones, or the one it nearly matches."""
    expected = case.get("expected")
    slugs = [expected] if isinstance(expected, str) else list(expected or [])
    slugs = [s for s in slugs if s and s != "none"]
    if case.get("article"):
        slugs.append(case["article"])
    return slugs


def case_split(case):
    """A case is held out when any article it is about is; an unrelated one by its id."""
    slugs = case_articles(case)
    if not slugs:
        return article_split(case["id"])
    return HELD_OUT if any(_held_out(s) for s in slugs) else DEV
