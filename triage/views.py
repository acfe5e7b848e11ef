"""The triage wizard: paste, candidates, cause, workaround. No JavaScript needed.

The wizard keeps no server-side state: the paste, the answers so far and the
id of the triage (its TriageEvent, which the votes on its resolutions count
against) travel in a signed, compressed form field (or a share link's ?s=
parameter), so refresh, back and a shared link all work, and a tampered or
expired state only restarts the wizard with a message.
"""

from typing import NamedTuple

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from triage import service
from triage.fingerprint import fingerprint
from triage.models import Feedback, TriageEvent, UnansweredGroup, UnansweredPaste
from triage.redact import redact

STATE_SALT = "triage.wizard"
STATE_MAX_AGE = 14 * 24 * 3600
# Share links longer than this would be refused by some proxies and servers.
MAX_LINK = 3000
MAX_ANSWERS = 20
# Resolution ids are database keys: anything longer is not one.
MAX_ID_DIGITS = 18
MAX_PROOFS_SHOWN = 2

CONFIDENCE_WORDS = {
    "high": "This is it",
    "medium": "Probably: confirm below",
    "low": "Related at best",
}


class State(NamedTuple):
    text: str
    answers: dict
    triage: int | None = None  # the TriageEvent id of the paste


def dump_state(text, answers, triage=None):
    data = {"t": text, "a": answers}
    if triage is not None:
        data["e"] = triage
    return signing.dumps(data, salt=STATE_SALT, compress=True)


def load_state(token):
    """The State of a wizard token, or None when it is not to be trusted."""
    try:
        data = signing.loads(token or "", salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    text, answers = data.get("t"), data.get("a")
    if not isinstance(text, str) or not isinstance(answers, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
        return None
    triage = data.get("e")
    if triage is not None and (type(triage) is not int or triage < 1):
        return None
    return State(text, answers, triage)


def _restart(request):
    messages.warning(
        request,
        "That triage link was damaged or has expired, so the wizard started again. "
        "Paste your error once more.",
    )
    return redirect("triage:paste")


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


def _evidence_rows(evidence):
    """One row per span of the paste, naming every kind of evidence found there."""
    rows = {}
    for e in sorted(evidence, key=lambda e: (e.start, e.end)):
        row = rows.setdefault((e.start, e.end), {"match": e.match, "kinds": []})
        if e.kind not in row["kinds"]:
            row["kinds"].append(e.kind)
    return list(rows.values())


def paste(request):
    """Step 1: the paste box. POST triages; GET ?s= opens a shared state."""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            text = service.clean_paste(text)
        except service.PasteError as exc:
            return render(
                request, "triage/paste.html", {"text": text, "error": str(exc)}, status=exc.status
            )
        return _render_report(request, State(text, {}), record=True)
    token = request.GET.get("s")
    if token:
        state = load_state(token)
        if state is None:
            return _restart(request)
        return _render_report(request, state)
    return render(request, "triage/paste.html", {"text": ""})


@require_POST
def step(request):
    """Steps 2 and 3: take one answer and show what follows from it."""
    state = load_state(request.POST.get("state"))
    if state is None:
        return _restart(request)
    answers = state.answers
    answer = request.POST.get("answer", "")
    question_id, _, option_id = answer.partition("=")
    if question_id and option_id and len(answer) <= 200 and len(answers) < MAX_ANSWERS:
        answers = {**answers, question_id: option_id}
    return _render_report(request, state._replace(answers=answers))


def _render_report(request, state, record=False):
    report = service.triage(state.text, state.answers, channel="web", record=record)
    if report.event is not None:
        state = state._replace(triage=report.event.pk)
    return _render(request, report, state)


def _render(request, report, state, status=200, error=None):
    """The page for where the triage stands: a question, the workaround, or no match."""
    outcome = report.outcome
    token = dump_state(*state)
    share = reverse("triage:paste") + "?s=" + token
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
    context = {
        "text": state.text,
        "state": token,
        "share_url": request.build_absolute_uri(share) if len(share) <= MAX_LINK else None,
        "report": report,
        "outcome": outcome,
        "candidates": candidates,
        "pieces": highlight(state.text, evidence),
        "codes": report.codes(),
        "answered": bool(state.answers),
        "error": error,
    }
    article = report.article(outcome.article) if outcome.article else None
    if article is not None and not outcome.question:
        context.update(_workaround(report, article, state.triage))
        template = "triage/workaround.html"
    elif outcome.question:
        if outcome.question.article:
            context["article"] = report.article(outcome.question.article)
        template = "triage/question.html"
    else:
        template = "triage/no_match.html"
    return render(request, template, context, status=status)


def _workaround(report, article, triage):
    """What the workaround page offers: the first resolution not yet answered "No" in
    this triage, the others to try after it, and where to turn when none helps."""
    outcome = report.outcome
    offered = report.offered()
    failed = set()
    if triage is not None:
        failed = set(Feedback.objects.did_not_help(triage).values_list("resolution", flat=True))
    untried = [r for r in offered if r.pk not in failed]
    causes = {c.key: c for c in article.causes.all()}
    return {
        "article": article,
        "cause": causes.get(outcome.cause),
        "concluded_by": _concluded_by(report.candidates[0], outcome),
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


@require_POST
def feedback(request):
    """Step 4's "Did this fix it?": one yes or no per triage and resolution it offered.

    "No" shows the next thing to try; "Yes" thanks. Answering again (or replaying the
    form) changes the one vote rather than adding another.
    """
    state = load_state(request.POST.get("state"))
    if state is None or state.triage is None:
        return _restart(request)
    event = TriageEvent.objects.filter(pk=state.triage).first()
    if event is None:
        return _restart(request)
    report = service.triage(state.text, state.answers, record=False)
    offered = {r.pk: r for r in report.offered()}
    resolution = offered.get(_resolution_id(request.POST.get("resolution")))
    helped = request.POST.get("helped")
    if resolution is None:
        error = "That is not one of the resolutions offered for this error: rate one shown here."
        return _render(request, report, state, status=400, error=error)
    if helped not in ("yes", "no"):
        error = "Answer “Yes, it did” or “No” for the resolution you tried."
        return _render(request, report, state, status=400, error=error)
    Feedback.objects.update_or_create(
        triage=event,
        resolution=resolution,
        defaults={"helped": helped == "yes", "created_at": timezone.now()},
    )
    if helped == "no":
        return _render(request, report, state)
    return render(request, "triage/thanks.html", {"resolution": resolution})


@require_POST
def unanswered(request):
    """Offer the redacted paste to the editors; store it only when confirmed."""
    state = load_state(request.POST.get("state"))
    if state is None:
        return _restart(request)
    text, answers, _ = state
    redacted = redact(text)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "triage/unanswered_preview.html",
            {"redacted": redacted.text, "state": request.POST["state"]},
        )
    report = service.triage(text, answers, record=False)
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
        UnansweredGroup.objects.filter(pk=group.pk).update(
            count=F("count") + 1, last_seen=now, handled=False
        )
        UnansweredPaste.objects.create(group=group, text=redacted.text)
    return render(request, "triage/unanswered_sent.html", {"redacted": redacted.text})
