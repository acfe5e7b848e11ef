"""The wizard's questions, generated from how the candidates differ.

Plain Python: given the engine's Result, the articles it knows and the answers
given so far, decide which article and which cause remain, or which question
tells them apart next. Question ids are derived from what is being asked, so
an answer given to an earlier, identical question still applies when the same
paste is triaged again, and an answer to a question that no longer arises is
simply ignored.
"""

import hashlib
from dataclasses import dataclass, field

from triage.engine.tuning import DEFAULT

NONE = "none"
YES, NO, UNSURE = "yes", "no", "unsure"


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]
    kind: str  # "article" or "cause"
    article: str | None = None  # for cause questions
    cause: str | None = None


@dataclass
class Outcome:
    candidates: list  # engine Candidates, narrowed by the answers
    question: Question | None = None
    article: str | None = None  # the article the wizard settled on
    cause: str | None = None  # the cause settled on, when the article has several
    cause_proven: bool = False  # the paste itself proved the cause
    rejected: bool = False  # the person said none of the candidates fit
    ruled_out: list = field(default_factory=list)  # cause keys answered "no"


def _digest(*parts):
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:8]


def _points_elsewhere(candidate):
    """A low candidate whose paste names another product is not worth a question."""
    return candidate.confidence == "low" and any(e.weight < 0 for e in candidate.evidence)


def _offered_candidates(result, asking):
    """The candidates to offer in "which of these?": none when one is high or only one
    scores near the leader (asking.offered_share of its score)."""
    ranked = [c for c in result.candidates if c.score > 0 and not _points_elsewhere(c)]
    if len(ranked) < 2:
        return []
    top = ranked[0]
    if top.confidence == "high":
        return []
    offered = [c for c in ranked if c.score >= top.score * asking.offered_share]
    offered = offered[: asking.max_offered]
    return offered if len(offered) >= 2 else []


def _article_question(offered, articles):
    """Ask what tells the offered candidates apart: product, then log, then title."""
    specs = [articles[c.article] for c in offered]

    def distinct(values_of):
        labels = []
        for spec in specs:
            own = [v for v in values_of(spec) if v]
            others = {v for s in specs if s is not spec for v in values_of(s)}
            unique = [v for v in own if v not in others]
            if not unique:
                return None
            labels.append(" / ".join(dict.fromkeys(unique)))
        return labels

    text, labels = "Which product logged this error?", distinct(lambda s: s.products)
    if labels is None:
        text, labels = "Where do you see this error?", distinct(lambda s: s.logged_in)
    if labels is None:
        text, labels = "Which of these describes your situation?", [s.title for s in specs]
    options = tuple(Option(spec.slug, label) for spec, label in zip(specs, labels, strict=True))
    options += (Option(NONE, "None of these"),)
    qid = "article-" + _digest(*(spec.slug for spec in specs))
    return Question(qid, text, options, kind="article")


def cause_question_id(article, cause_key):
    return f"cause-{_digest(article, cause_key)}"


def _cause_question(spec, cause):
    text = cause.how_to_tell or f"Does this describe your situation: {cause.title}?"
    options = (Option(YES, "Yes"), Option(NO, "No"), Option(UNSURE, "Not sure"))
    return Question(
        cause_question_id(spec.slug, cause.key),
        text,
        options,
        kind="cause",
        article=spec.slug,
        cause=cause.key,
    )


def decide(result, articles, answers=None, tuning=DEFAULT):
    """Narrow the engine's result with the answers; return an Outcome.

    articles maps slug -> ArticleSpec; answers maps question id -> option id; tuning is
    the index's (its `asking` numbers).
    """
    answers = dict(answers or {})
    candidates = list(result.candidates)
    outcome = Outcome(candidates=candidates)
    if not candidates:
        return outcome

    chosen = None
    offered = _offered_candidates(result, tuning.asking)
    if offered:
        question = _article_question(offered, articles)
        answer = answers.get(question.id)
        if answer == NONE:
            outcome.rejected = True
            outcome.candidates = [c for c in candidates if c not in offered]
            return outcome
        picked = next((c for c in offered if c.article == answer), None)
        if picked is None:
            outcome.question = question
            return outcome
        # The person picked it: it is the answer from here on, though the
        # engine's own confidence in it stays what it was.
        chosen = picked
    elif result.abstained:
        return outcome
    else:
        chosen = candidates[0]

    outcome.candidates = [chosen]
    outcome.article = chosen.article
    spec = articles.get(chosen.article)
    causes = list(spec.causes) if spec else []
    if len(causes) <= 1:
        outcome.cause = causes[0].key if causes else None
        return outcome
    if chosen.proven_cause:
        outcome.cause, outcome.cause_proven = chosen.proven_cause, True
        return outcome

    # Ask the likeliest cause first; the article's own order breaks ties.
    scores = chosen.cause_scores or {}
    order = {c.key: i for i, c in enumerate(causes)}
    remaining = sorted(causes, key=lambda c: (-scores.get(c.key, 0.0), order[c.key]))
    for cause in list(remaining):
        answer = answers.get(cause_question_id(spec.slug, cause.key))
        if answer == YES:
            outcome.cause = cause.key
            return outcome
        if answer == NO:
            outcome.ruled_out.append(cause.key)
            remaining.remove(cause)
    # The last cause is asked too rather than concluded by elimination: an
    # article's list of causes is what is known, not necessarily all there is.
    for cause in remaining:
        if cause_question_id(spec.slug, cause.key) not in answers:
            outcome.question = _cause_question(spec, cause)
            return outcome
    # Every cause answered "no" or "not sure": show all the resolutions.
    return outcome
