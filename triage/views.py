"""The triage wizard: paste, candidates, cause, workaround. No JavaScript needed.

The wizard keeps no server-side state: the paste and the answers so far travel
in a signed, compressed form field (or a share link's ?s= parameter), so
refresh, back and a shared link all work, and a tampered or expired state only
restarts the wizard with a message.
"""

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kb.models import Resolution
from triage import service
from triage.fingerprint import fingerprint
from triage.models import Feedback, UnansweredGroup, UnansweredPaste
from triage.redact import redact

STATE_SALT = "triage.wizard"
STATE_MAX_AGE = 14 * 24 * 3600
# Share links longer than this would be refused by some proxies and servers.
MAX_LINK = 3000
MAX_ANSWERS = 20

CONFIDENCE_WORDS = {
    "high": "This is it",
    "medium": "Probably: confirm below",
    "low": "Related at best",
}


def dump_state(text, answers):
    return signing.dumps({"t": text, "a": answers}, salt=STATE_SALT, compress=True)


def load_state(token):
    """The (text, answers) of a wizard state, or None when it is not to be trusted."""
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
    return text, answers


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
        return _render_report(request, text, {}, record=True)
    token = request.GET.get("s")
    if token:
        state = load_state(token)
        if state is None:
            return _restart(request)
        return _render_report(request, *state)
    return render(request, "triage/paste.html", {"text": ""})


@require_POST
def step(request):
    """Steps 2 and 3: take one answer and show what follows from it."""
    state = load_state(request.POST.get("state"))
    if state is None:
        return _restart(request)
    text, answers = state
    answer = request.POST.get("answer", "")
    question_id, _, option_id = answer.partition("=")
    if question_id and option_id and len(answer) <= 200 and len(answers) < MAX_ANSWERS:
        answers = {**answers, question_id: option_id}
    return _render_report(request, text, answers)


def _render_report(request, text, answers, record=False):
    report = service.triage(text, answers, channel="web", record=record)
    outcome = report.outcome
    state = dump_state(text, answers)
    share = reverse("triage:paste") + "?s=" + state
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
        "text": text,
        "state": state,
        "share_url": request.build_absolute_uri(share) if len(share) <= MAX_LINK else None,
        "report": report,
        "outcome": outcome,
        "candidates": candidates,
        "pieces": highlight(text, evidence),
        "codes": report.codes(),
        "answered": bool(answers),
    }
    article = report.article(outcome.article) if outcome.article else None
    if article is not None and not outcome.question:
        resolutions = report.resolutions_for(outcome.article, outcome.cause)
        cause = next((c for c in article.causes.all() if c.key == outcome.cause), None)
        context.update(
            article=article,
            cause=cause,
            resolution=resolutions[0] if resolutions else None,
            alternatives=resolutions[1:],
        )
        template = "triage/workaround.html"
    elif outcome.question:
        if outcome.question.kind == "cause":
            context["article"] = report.article(outcome.question.article)
        template = "triage/question.html"
    else:
        template = "triage/no_match.html"
    return render(request, template, context)


@require_POST
def feedback(request):
    """Step 4's "Did this fix it?": one yes or no per resolution."""
    state = load_state(request.POST.get("state"))
    if state is None:
        return _restart(request)
    resolution = get_object_or_404(
        Resolution.objects.select_related("article"),
        pk=request.POST.get("resolution") or 0,
        article__status="published",
    )
    helped = request.POST.get("helped")
    if helped not in ("yes", "no"):
        return _render_report(request, *state)
    Feedback.objects.create(resolution=resolution, helped=helped == "yes")
    return render(
        request,
        "triage/thanks.html",
        {"helped": helped == "yes", "resolution": resolution, "state": dump_state(*state)},
    )


@require_POST
def unanswered(request):
    """Offer the redacted paste to the editors; store it only when confirmed."""
    state = load_state(request.POST.get("state"))
    if state is None:
        return _restart(request)
    text, answers = state
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
