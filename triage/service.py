"""Run a triage against the live knowledge base: the Django side of the engine.

The API, the wizard and the `triage` command all go through `triage()`, so the
three always agree.
"""

from dataclasses import dataclass, field, replace

from django.db.models import Prefetch

from kb.models import Article, Resolution
from triage import questions
from triage.engine import MAX_PASTE
from triage.index import get_index
from triage.models import TriageEvent


class PasteError(ValueError):
    """The paste cannot be triaged; the message is meant for the person."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def clean_paste(text):
    """Return the paste ready for the engine, or raise PasteError."""
    # NUL characters go first, so a paste of nothing else is empty too.
    text = "" if text is None else str(text).replace("\x00", "")
    if not text.strip():
        raise PasteError("Paste the error text first: the box was empty.")
    # A browser sends every line end of a textarea as CRLF: count (and keep) what the
    # person typed, one character per line end.
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_PASTE:
        raise PasteError(
            f"That paste is {len(text):,} characters long; the limit is {MAX_PASTE:,}. "
            "Keep the error message and the lines around it, and try again.",
            status=413,
        )
    return text


@dataclass(frozen=True)
class Answer:
    """A question the wizard asked and the option the person chose."""

    question: questions.Question
    option: questions.Option


@dataclass
class Report:
    text: str
    result: object  # engine Result
    outcome: questions.Outcome
    articles: dict = field(default_factory=dict)  # slug -> Article with resolutions
    event: object = None  # the TriageEvent recorded for it, if any
    answers: dict = field(default_factory=dict)  # question id -> option id, as given
    index: object = None  # the compiled index it was triaged with

    def answered(self):
        """The questions the answers settled, in the order the wizard asked them.

        Replays the wizard one answer at a time, so answers to questions that never
        arose (a changed earlier answer makes them moot) are left out.
        """
        given, path = {}, []
        for _ in range(len(self.answers)):
            question = questions.decide(
                self.result, self.index.articles, given, self.index.tuning
            ).question
            if question is None or question.id not in self.answers:
                break
            option = next((o for o in question.options if o.id == self.answers[question.id]), None)
            if option is None:
                break
            given[question.id] = option.id
            path.append(Answer(question, option))
        return path

    @property
    def candidates(self):
        return self.outcome.candidates

    @property
    def question(self):
        return self.outcome.question

    @property
    def matched(self):
        """True when the paste leads somewhere in the knowledge base."""
        return bool(self.outcome.article or self.outcome.question)

    def article(self, slug):
        return self.articles.get(slug)

    def resolutions_for(self, slug, cause_key=None, ruled_out=()):
        """The resolutions to offer, the one to apply first.

        Those of causes ruled out are never offered. With a known cause: its own
        resolutions lead, then the article-wide ones; without: all of them, the
        article-wide ones before those of causes not (yet) known to apply. Within
        each group something to do comes before a diagnostic, since the wizard ends
        at the thing to do now; the editors' order decides the rest.
        """
        article = self.articles.get(slug)
        if article is None:
            return []
        resolutions = [
            r for r in article.resolutions.all() if r.cause is None or r.cause.key not in ruled_out
        ]
        if cause_key:
            resolutions = [
                r for r in resolutions if r.cause is None or r.cause.key == cause_key
            ] or resolutions

        def rank(r):
            if r.cause is None:
                group = 1
            else:
                group = 0 if r.cause.key == cause_key else 2
            diagnostic = r.kind == Resolution.Kind.DIAGNOSTIC
            return (group, diagnostic) if cause_key else (diagnostic, group), r.order, r.pk

        return sorted(resolutions, key=rank)

    def offered(self):
        """The resolutions this triage offers, the one to apply first: those of the
        article and cause it settled on; none while a question is open."""
        outcome = self.outcome
        if not outcome.article or outcome.question:
            return []
        return self.resolutions_for(outcome.article, outcome.cause, outcome.ruled_out)

    def codes(self):
        """Decoded error codes, each once, as written and as what they wrap."""
        seen, out = set(), []
        for hit in self.result.codes:
            for code in (hit.wrapper, hit.code):
                if code is None or (code.system, code.value) in seen:
                    continue
                seen.add((code.system, code.value))
                out.append(code)
        return out


def _articles(slugs):
    resolutions = Resolution.objects.select_related("cause")
    qs = Article.objects.published().filter(slug__in=slugs)
    qs = qs.prefetch_related(Prefetch("resolutions", queryset=resolutions), "causes")
    return {a.slug: a for a in qs}


def triage(text, answers=None, channel="web", record=True):
    """Triage a (cleaned) paste, narrowed by the answers given so far."""
    index = get_index()
    result = index.triage(text)
    articles = _articles({c.article for c in result.candidates})
    # The index may be one revision behind while the next is built: an article
    # unpublished since is never offered.
    if any(c.article not in articles for c in result.candidates):
        result = replace(result, candidates=[c for c in result.candidates if c.article in articles])
    outcome = questions.decide(result, index.articles, answers, index.tuning)
    report = Report(
        text=text,
        result=result,
        outcome=outcome,
        articles=articles,
        answers=dict(answers or {}),
        index=index,
    )
    if record and not answers:
        top = result.candidates[0] if result.candidates else None
        report.event = TriageEvent.objects.create(
            outcome=top.confidence if top else TriageEvent.Outcome.UNANSWERED,
            article_slug=top.article if top else "",
            channel=channel,
        )
    return report


def code_dict(code):
    return {"system": code.system, "value": code.number, "name": code.name, "message": code.message}
