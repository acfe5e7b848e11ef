"""The triage wizard: paste, candidates, cause, workaround. No JavaScript needed.

A paste is kept on the server (a Paste, under an unguessable key, until it
expires) and every page of the wizard is a GET of /triage/<key>/ with the
answers so far in the query string: refresh, back and "Link to this result" all
work, and no link carries the paste itself. Every form posts, changes what it
changes and redirects to the page that follows (redirect-after-post), so a
refresh never asks to send a form again.
"""

import functools
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kb.models import Resolution
from triage import ratelimit, service
from triage.fingerprint import fingerprint
from triage.models import Feedback, Paste, UnansweredGroup, UnansweredPaste
from triage.redact import redact

MAX_ANSWERS = 20
# Question and option ids are short slugs (an article's slug at the longest).
ANSWER_PART = re.compile(r"[A-Za-z0-9_-]{1,200}")
# Resolution ids are database keys: anything longer is not one.
MAX_ID_DIGITS = 18
MAX_PROOFS_SHOWN = 2

CONFIDENCE_WORDS = {
    "high": "This is it",
    "medium": "Probably this: confirm",
    "low": "Related at best",
}


def highlight(text, evidence):
    """Split the paste into (segment, is_evidence) pairs; the template escapes them."""
    spans = sorted((e.start, e.end) for e in evidence if 0 <= e.start < e.end <= len(text))
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, pos = [], 0
    for start, end in merged:
        if start > pos:
            pieces.append((text[pos:start], False))
        pieces.append((text[start:end], True))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces


def _same_text(match):
    # A phrase and the standard message of a code often differ only by the final
    # full stop, and a message may appear twice in one paste: one row for all.
    return " ".join(match.casefold().split()).rstrip(".:;, ")


def _evidence_rows(evidence):
    """One row per text of the paste, naming every kind of evidence found in it."""
    rows = {}
    for e in sorted(evidence, key=lambda e: (e.start, -(e.end - e.start))):
        row = rows.setdefault(_same_text(e.match), {"match": e.match, "kinds": []})
        if e.kind not in row["kinds"]:
            row["kinds"].append(e.kind)
    return list(rows.values())


def _see_other(url):
    """Redirect after a post: the browser follows with a GET (303 See Other)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _answers_of(query):
    """The answers a wizard address carries (question id -> option id), in order.

    Anything that is not a plausible id is dropped; an answer to a question that
    does not arise is ignored by the wizard anyway.
    """
    answers = {}
    for question_id, option_id in query.items():
        if len(answers) >= MAX_ANSWERS:
            break
        if ANSWER_PART.fullmatch(question_id) and ANSWER_PART.fullmatch(option_id):
            answers[question_id] = option_id
    return answers


def _result_url(paste, answers):
    url = reverse("triage:result", args=[paste.key])
    return f"{url}?{urlencode(answers)}" if answers else url


def _paste_page(request, status=200, text="", error=None, gone=None):
    context = {
        "text": text,
        "error": error,
        "gone": gone,
        "retention_days": settings.PASTE_RETENTION_DAYS,
    }
    return render(request, "triage/paste.html", context, status=status)


class NoPaste(Exception):
    """A link's paste is not there: expired (410 Gone) or never kept (404)."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


def _get_paste(key):
    """The live Paste of a key; raises NoPaste when there is none."""
    paste = Paste.objects.filter(key=key).select_related("triage").first()
    if paste is None:
        raise NoPaste(404, "unknown")
    if paste.expired:
        # Its time is up: delete it now rather than wait for purgepastes.
        paste.delete()
        raise NoPaste(410, "expired")
    return paste


def _wizard(view):
    """Views of one paste: no cache keeps them, and a link whose paste is gone or
    never was starts the wizard again, with the paste box and a word on why."""

    @functools.wraps(view)
    def wrapped(request, key, *args, **kwargs):
        try:
            return view(request, key, *args, **kwargs)
        except NoPaste as missing:
            return _paste_page(request, status=missing.status, gone=missing.reason)

    return never_cache(wrapped)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def paste(request):
    """Step 1: the paste box. POST keeps the paste and goes to its first page."""
    if request.method == "POST":
        text = request.POST.get("text", "")
        verdict = ratelimit.check(request, "triage")
        if not verdict.allowed:
            return _too_many(request, verdict, {"text": text}, "triage/paste.html")
        try:
            text = service.clean_paste(text)
        except service.PasteError as exc:
            return _paste_page(request, status=exc.status, text=text, error=str(exc))
        # Not in a transaction: inside one the index would be rebuilt while the
        # person waits (see triage/index.py). A paste lost between the two writes
        # leaves only a triage count behind.
        report = service.triage(text, channel="web", record=True)
        kept = Paste.keep(text, report.event)
        return _see_other(_result_url(kept, {}))
    if "s" in request.GET:
        # Links of an earlier version carried the paste itself; they are not opened.
        return _paste_page(request, status=410, gone="old-link")
    return _paste_page(request)


@_wizard
@require_safe
def result(request, key):
    """Steps 2 to 4: where the triage of a paste stands after the answers in the address."""
    paste = _get_paste(key)
    # Each page of the wizard runs the triage again, so each counts against the limit.
    verdict = ratelimit.check(request, "triage")
    if not verdict.allowed:
        return _too_many(request, verdict)
    report = service.triage(paste.text, _answers_of(request.GET), record=False)
    return _render(request, paste, report)


@_wizard
@require_POST
def step(request, key):
    """Take one answer and go to the page that follows from it."""
    paste = _get_paste(key)
    answers = _answers_of(request.GET)
    question_id, _, option_id = request.POST.get("answer", "").partition("=")
    if ANSWER_PART.fullmatch(question_id) and ANSWER_PART.fullmatch(option_id):
        if question_id in answers or len(answers) < MAX_ANSWERS:
            answers[question_id] = option_id
    return _see_other(_result_url(paste, answers))


def _too_many(request, verdict, context=None, template="429.html"):
    """429 with Retry-After; the page keeps what was sent, so nothing is lost."""
    context = {**(context or {}), "error": ratelimit.message(verdict)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _render(request, paste, report, status=200, error=None):
    """The page for where the triage stands: a question, the workaround, or no match."""
    outcome = report.outcome
    answers = report.answers
    shown = report.candidates if outcome.question or not outcome.article else report.candidates[:1]
    evidence = [e for c in shown for e in c.evidence]
    candidates = [
        {
            "candidate": c,
            "article": report.article(c.article),
            "words": CONFIDENCE_WORDS.get(c.confidence, c.confidence),
            "support": _evidence_rows(e for e in c.evidence if e.weight >= 0),
            "against": _evidence_rows(e for e in c.evidence if e.weight < 0),
        }
        for c in report.candidates
        if report.article(c.article) is not None
    ]
    pieces = highlight(paste.text, evidence)
    path = report.answered()
    answered = [
        {
            "question": a.question.text,
            "answer": a.option.label,
            # Asking again means forgetting this answer and those that followed it.
            "change_url": _result_url(paste, {p.question.id: p.option.id for p in path[:i]}),
        }
        for i, a in enumerate(path)
    ]
    here = _result_url(paste, answers)
    query = urlencode(answers)
    context = {
        "paste": paste,
        "text": paste.text,
        "here": here,
        "query": f"?{query}" if query else "",
        "share_url": request.build_absolute_uri(here),
        "report": report,
        "outcome": outcome,
        "candidates": candidates,
        "pieces": pieces,
        "marked": any(marked for _, marked in pieces),
        "codes": report.codes(),
        "answered": answered,
        "error": error,
    }
    article = report.article(outcome.article) if outcome.article else None
    if article is not None and not outcome.question:
        context.update(_workaround(report, article, paste.triage_id, path))
        template = "triage/workaround.html"
    elif outcome.question:
        if outcome.question.article:
            context["article"] = report.article(outcome.question.article)
        template = "triage/question.html"
    else:
        template = "triage/no_match.html"
    return render(request, template, context, status=status)


def _workaround(report, article, triage, path):
    """What the workaround page offers: the first resolution not yet answered "No" in
    this triage, the others to try after it, and where to turn when none helps."""
    outcome = report.outcome
    offered = report.offered()
    failed = set(Feedback.objects.did_not_help(triage).values_list("resolution", flat=True))
    untried = [r for r in offered if r.pk not in failed]
    causes = {c.key: c for c in article.causes.all()}
    candidate = report.candidates[0]
    # The person's own answer settled the article: the engine's doubt is answered.
    chosen_by = next((a.question.kind for a in path if a.question.kind != "cause"), None)
    return {
        "article": article,
        "found": {
            "confidence": candidate.confidence,
            "words": CONFIDENCE_WORDS.get(candidate.confidence, candidate.confidence),
            "chosen_by": chosen_by,
            "support": _evidence_rows(e for e in candidate.evidence if e.weight >= 0),
            "score": candidate.score,
        },
        "cause": causes.get(outcome.cause),
        "concluded_by": _concluded_by(candidate, outcome),
        "resolution": untried[0] if untried else None,
        "alternatives": untried[1:],
        "tried": [r for r in offered if r.pk in failed],
        "open_causes": [causes[key] for key in outcome.open_causes if key in causes],
    }


def _concluded_by(candidate, outcome):
    """What the cause was concluded from: the answer, the paste's evidence, or that the
    article knows no other; None without a cause."""
    if not outcome.cause:
        return None
    if outcome.cause_question is not None:
        return {"answer": outcome.cause_question.text}
    if outcome.cause_proven:
        own = [e for e in candidate.evidence if e.cause == outcome.cause and e.weight > 0]
        strongest = sorted(own, key=lambda e: -e.weight)
        return {"evidence": list(dict.fromkeys(e.match for e in strongest))[:MAX_PROOFS_SHOWN]}
    return {"only": True}


def _resolution_id(value):
    """The resolution id a form sent, or None when it is not a plain positive number."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_ID_DIGITS:
        return None
    return int(value)


@_wizard
@require_POST
def feedback(request, key):
    """Step 4's "Did this fix it?": one yes or no per triage and resolution it offered.

    "No" goes back to the workaround page, which now shows the next thing to try;
    "Yes" thanks. Answering again (or replaying the form) changes the one vote
    rather than adding another.
    """
    paste = _get_paste(key)
    # Before the triage it runs: a refused vote costs as much as an accepted one.
    verdict = ratelimit.check(request, "feedback")
    if not verdict.allowed:
        return _too_many(request, verdict)
    answers = _answers_of(request.GET)
    report = service.triage(paste.text, answers, record=False)
    offered = {r.pk: r for r in report.offered()}
    resolution = offered.get(_resolution_id(request.POST.get("resolution")))
    helped = request.POST.get("helped")
    if resolution is None:
        error = "That is not one of the resolutions offered for this error: rate one shown here."
        return _render(request, paste, report, status=400, error=error)
    if helped not in ("yes", "no"):
        error = "Answer “Yes, it did” or “No” for the resolution you tried."
        return _render(request, paste, report, status=400, error=error)
    Feedback.objects.update_or_create(
        triage=paste.triage,
        resolution=resolution,
        defaults={"helped": helped == "yes", "created_at": timezone.now()},
    )
    if helped == "no":
        return _see_other(_result_url(paste, answers))
    return _see_other(reverse("triage:thanks", args=[paste.key, resolution.pk]))


@_wizard
@require_safe
def thanks(request, key, resolution):
    """After "Yes, it did": only for a vote this triage gave."""
    paste = _get_paste(key)
    if resolution.bit_length() > 63:  # beyond any database key: no such vote
        raise Http404("no such vote")
    vote = Feedback.objects.filter(triage=paste.triage_id, resolution=resolution, helped=True)
    if not vote.exists():
        raise Http404("no such vote")
    return render(
        request, "triage/thanks.html", {"resolution": get_object_or_404(Resolution, pk=resolution)}
    )


@_wizard
@require_http_methods(["GET", "HEAD", "POST"])
def unanswered(request, key):
    """Offer the redacted paste to the editors (GET); store it when confirmed (POST)."""
    paste = _get_paste(key)
    answers = _answers_of(request.GET)
    redacted = redact(paste.text)
    preview = {
        "redacted": redacted.text,
        "paste": paste,
        "back": _result_url(paste, answers),
        "query": urlencode(answers),
    }
    if request.method != "POST":
        return render(request, "triage/unanswered_preview.html", preview)
    verdict = ratelimit.check(request, "feedback")
    if not verdict.allowed:
        return _too_many(request, verdict, preview, "triage/unanswered_preview.html")
    report = service.triage(paste.text, answers, record=False)
    codes = sorted({hit.code.key for hit in report.result.codes})
    print_ = fingerprint(redacted.text, codes=codes)
    now = timezone.now()
    with transaction.atomic():
        group, created = UnansweredGroup.objects.select_for_update().get_or_create(
            fingerprint=print_.key,
            defaults={
                "label": print_.label[:500],
                "codes": codes,
                "exceptions": list(print_.exceptions),
                "first_seen": now,
            },
        )
        # The same paste sent again (a reload, a second click) is one row and one
        # count: it only says the error was seen again, and reopens the group.
        repeat = group.pastes.filter(text=redacted.text).exists()
        UnansweredGroup.objects.filter(pk=group.pk).update(
            count=F("count") + (0 if repeat else 1), last_seen=now, handled=False
        )
        if not repeat:
            UnansweredPaste.objects.create(group=group, text=redacted.text)
    return _see_other(reverse("triage:unanswered_sent", args=[paste.key]))


@_wizard
@require_safe
def unanswered_sent(request, key):
    _get_paste(key)
    return render(request, "triage/unanswered_sent.html")
