"""The wizard's questions, generated from how the candidates differ.

Plain Python: given the engine's Result, the articles it knows and the answers
given so far, decide which article and which cause remain, or which question
tells them apart next. Question ids are derived from what is being asked, so
an answer given to an earlier, identical question still applies when the same
paste is triaged again, and an answer to a question that no longer arises is
simply ignored.
"""

import hashlib
import re
from dataclasses import dataclass, field

from triage.engine.tuning import DEFAULT

NONE = "none"
YES, NO, UNSURE = "yes", "no", "unsure"

# The rule caps.generic_only records on a candidate whose evidence is all generic.
GENERIC_ONLY = "cap:generic-only"
# Evidence that quotes a message, and the words it takes to be a message, not a code.
MESSAGE_KINDS = frozenset({"phrase", "code"})
MESSAGE_WORDS = 3
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]
    kind: str  # "article", "confirm" or "cause"
    article: str | None = None  # for confirm and cause questions
    cause: str | None = None
    # confirm: the standard message it is about, and the article's setting in lines
    # ("Where it is logged: ...", "Known cause: ...")
    message: str = ""
    details: tuple[str, ...] = ()


@dataclass
class Outcome:
    candidates: list  # engine Candidates, narrowed by the answers
    question: Question | None = None
    article: str | None = None  # the article the wizard settled on
    cause: str | None = None  # the cause settled on, when the article has several
    cause_proven: bool = False  # the paste itself proved the cause
    cause_question: Question | None = None  # the cause question answered "yes"
    rejected: bool = False  # the person said none of the candidates fit
    ruled_out: list = field(default_factory=list)  # cause keys answered "no"
    # Beside a cause concluded from an answer: the causes not answered "no", likeliest
    # first, to turn to when its resolutions do not help.
    open_causes: list = field(default_factory=list)


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


def _joined(names, last=" and "):
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + last + names[-1]


def _plain(text):
    return " ".join(text.casefold().split())


def documented_message(candidate, spec):
    """The message of the paste that the article documents, when the candidate rests on
    that generic message alone: the engine capped it for being generic (and for nothing
    else), nothing in the paste points elsewhere, and the message is in one of the
    article's own error texts. None otherwise."""
    if spec is None or candidate.score <= 0 or not candidate.decided(GENERIC_ONLY):
        return None
    caps = {d.rule for d in candidate.decisions if d.rule.startswith("cap:")}
    if caps != {GENERIC_ONLY} or any(e.weight < 0 for e in candidate.evidence):
        return None
    texts = [_plain(t) for t in spec.error_texts if t]
    messages = [
        e.match
        for e in candidate.evidence
        if e.kind in MESSAGE_KINDS
        and len(WORD.findall(e.match)) >= MESSAGE_WORDS
        and any(_plain(e.match) in t for t in texts)
    ]
    return max(messages, key=len, default=None)


def confirm_question_id(article):
    return f"confirm-{_digest(article)}"


def _confirm_question(spec, message):
    """Ask whether the paste comes from the article's own setting: its products in the
    question, where it is logged and what its causes say beside it."""
    products = _joined(spec.products)
    if products:
        text = f"Did this happen with {products}?"
    else:
        text = f"Does this describe your situation: {spec.title}?"
    details = []
    logged = _joined(spec.logged_in, last=", ")
    if logged:
        details.append(f"Where it is logged: {logged}")
    details += [f"Known cause: {cause.title}" for cause in spec.causes]
    options = (Option(YES, "Yes"), Option(NO, "No / something else"))
    return Question(
        confirm_question_id(spec.slug),
        text,
        options,
        kind="confirm",
        article=spec.slug,
        message=message,
        details=tuple(details),
    )


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
    outcome = Outcome(candidates=list(result.candidates))
    if not outcome.candidates:
        return outcome
    chosen = _choose_article(outcome, result, articles, answers, tuning)
    if chosen is None:
        return outcome
    outcome.candidates = [chosen]
    outcome.article = chosen.article
    _choose_cause(outcome, chosen, articles.get(chosen.article), answers)
    return outcome


def _choose_article(outcome, result, articles, answers, tuning):
    """The candidate the wizard settles on, or None with the question to ask (or none)."""
    candidates = outcome.candidates
    offered = _offered_candidates(result, tuning.asking)
    if offered:
        question = _article_question(offered, articles)
        answer = answers.get(question.id)
        if answer == NONE:
            outcome.rejected = True
            outcome.candidates = [c for c in candidates if c not in offered]
            return None
        # A picked candidate is the answer from here on, though the engine's own
        # confidence in it stays what it was.
        picked = next((c for c in offered if c.article == answer), None)
        if picked is None:
            outcome.question = question
        return picked
    if not result.abstained:
        return candidates[0]
    # Nothing is likely, but the paste may be exactly the standard message an article
    # documents: too common to answer by itself, worth asking about.
    lead = candidates[0]
    spec = articles.get(lead.article)
    message = documented_message(lead, spec)
    if message is None:
        return None
    question = _confirm_question(spec, message)
    answer = answers.get(question.id)
    if answer == YES:
        return lead
    if answer == NO:
        outcome.rejected = True
        outcome.candidates = candidates[1:]
    else:
        outcome.question = question
        outcome.candidates = [lead]
    return None


def _choose_cause(outcome, chosen, spec, answers):
    """Settle on the cause the paste proves or an answer gives, or ask the next one."""
    causes = list(spec.causes) if spec else []
    if len(causes) <= 1:
        outcome.cause = causes[0].key if causes else None
        return
    if chosen.proven_cause:
        outcome.cause, outcome.cause_proven = chosen.proven_cause, True
        return

    # Ask the likeliest cause first; the article's own order breaks ties.
    scores = chosen.cause_scores or {}
    order = {c.key: i for i, c in enumerate(causes)}
    causes.sort(key=lambda c: (-scores.get(c.key, 0.0), order[c.key]))
    given = {c.key: answers.get(cause_question_id(spec.slug, c.key)) for c in causes}
    outcome.ruled_out = [c.key for c in causes if given[c.key] == NO]
    remaining = [c for c in causes if given[c.key] != NO]
    concluded = next((c for c in remaining if given[c.key] == YES), None)
    if concluded is not None:
        outcome.cause = concluded.key
        outcome.cause_question = _cause_question(spec, concluded)
        outcome.open_causes = [c.key for c in remaining if c is not concluded]
        return
    # The last cause is asked too rather than concluded by elimination: an
    # article's list of causes is what is known, not necessarily all there is.
    unasked = next((c for c in remaining if given[c.key] is None), None)
    if unasked is not None:
        outcome.question = _cause_question(spec, unasked)
    # Otherwise every cause was answered "no" or "not sure": the resolutions of those
    # not ruled out are all offered.
