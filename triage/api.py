"""The JSON API: triage a paste, read the articles.

django-ninja: the schemas below are type hints that also produce the OpenAPI
document at /api/openapi.json, with less code than Django REST framework
needs for the same two endpoints and no serializer layer to keep in step.
"""

import json
import re

import pydantic
from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch
from django.views.decorators.http import require_safe
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import HttpError

from kb.models import AppliesTo, Article, Resolution, Signature
from triage import ratelimit, service

api = NinjaAPI(
    title="Troubleshooting knowledge base",
    version="1",
    description="Triage a pasted error to the article and workaround that fit; "
    "read the knowledge base's articles.",
    urls_namespace="api",
    # The interactive docs page loads its scripts from a CDN; the site loads
    # nothing from elsewhere, so only the OpenAPI document is served.
    docs_url=None,
    # The document is read, never written: other methods get the API's JSON 405.
    docs_decorator=require_safe,
)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


class Message(Schema):
    message: str


class TriageIn(Schema):
    # The limits the wizard applies too (service.clean_paste), so the document
    # tells integrations what the server refuses.
    text: str = Field(min_length=1, max_length=service.MAX_PASTE)
    answers: dict[str, str] = {}


class ArticleRef(Schema):
    slug: str
    title: str
    url: str


class EvidenceOut(Schema):
    kind: str
    match: str
    start: int
    end: int


class DecisionOut(Schema):
    rule: str
    effect: str
    detail: str


class ResolutionRef(Schema):
    id: int
    title: str
    kind: str
    # The steps as written (Markdown) and as the site shows them (sanitised HTML),
    # so an integration can show the fix without a second request.
    steps: str
    steps_html: str


class CandidateOut(Schema):
    article: ArticleRef
    score: float
    confidence: str
    evidence: list[EvidenceOut]
    # The rules that made the confidence, in the order they ran: "anchor",
    # "cap:foreign-marker", "close-leaders", ...
    decisions: list[DecisionOut]
    resolutions: list[ResolutionRef]


class CodeOut(Schema):
    system: str
    value: str
    name: str
    message: str


class OptionOut(Schema):
    id: str
    label: str


class QuestionOut(Schema):
    id: str
    text: str
    options: list[OptionOut]
    # A question that confirms an article's setting lists it: where the error is
    # logged, its known causes.
    details: list[str] = []


class TriageOut(Schema):
    candidates: list[CandidateOut]
    codes: list[CodeOut]
    question: QuestionOut | None
    # Set once the answers (or the paste alone) settle on one article, and
    # on one of its causes where it has several.
    article: str | None = None
    cause: str | None = None


def _absolute(request, base_url, path):
    if request is not None:
        return request.build_absolute_uri(path)
    return base_url.rstrip("/") + path if base_url else path


def report_dict(request, report, base_url=""):
    """The API's view of a triage report (also used by the `triage` command).

    Links are absolute for a request, under base_url without one, else paths.
    """
    candidates = []
    outcome = report.outcome
    for cand in report.candidates:
        article = report.article(cand.article)
        if article is None:
            continue
        settled = cand.article == outcome.article
        cause = outcome.cause if settled else None
        ruled_out = outcome.ruled_out if settled else ()
        url = article.get_absolute_url()
        candidates.append(
            {
                "article": {
                    "slug": article.slug,
                    "title": article.title,
                    "url": _absolute(request, base_url, url),
                },
                "score": round(cand.score, 4),
                "confidence": cand.confidence,
                "evidence": [
                    {"kind": e.kind, "match": e.match, "start": e.start, "end": e.end}
                    for e in cand.evidence
                    if e.end > e.start
                ],
                "decisions": [
                    {"rule": d.rule, "effect": d.effect, "detail": d.detail} for d in cand.decisions
                ],
                "resolutions": [
                    {
                        "id": r.pk,
                        "title": r.title,
                        "kind": r.kind,
                        "steps": r.steps,
                        "steps_html": r.steps_html,
                    }
                    for r in report.resolutions_for(article.slug, cause, ruled_out)
                ],
            }
        )
    question = outcome.question
    return {
        "candidates": candidates,
        "codes": [service.code_dict(c) for c in report.codes()],
        "question": {
            "id": question.id,
            "text": question.text,
            "options": [{"id": o.id, "label": o.label} for o in question.options],
            "details": list(question.details),
        }
        if question
        else None,
        "article": outcome.article,
        "cause": outcome.cause,
    }


def _read_triage_request(request):
    """The TriageIn of a request, or (status, message) when it cannot be read.

    Read by hand rather than by django-ninja's body parsing, which answers
    every unreadable body with the same 400: clients need 415 for a wrong
    content type and 413 for a paste over the limit.
    """
    if request.content_type != "application/json":
        return None, (415, "Send the paste as JSON, with Content-Type: application/json.")
    try:
        body = request.body
    except RequestDataTooBig:
        return None, (413, _TOO_LONG)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return None, (400, f"The body is not valid JSON: {exc}")
    except RecursionError:
        return None, (400, _TOO_DEEP)
    if not isinstance(data, dict):
        return None, (400, 'The body must be a JSON object such as {"text": "..."}.')
    if isinstance(data.get("text"), str):
        # JSON may escape half of a UTF-16 pair; the schema's length check refuses
        # such a string, so it is read as a replacement character instead.
        data["text"] = _LONE_SURROGATE.sub("\ufffd", data["text"])
    try:
        return TriageIn.model_validate(data), None
    except RecursionError:
        return None, (400, _TOO_DEEP)
    except pydantic.ValidationError as exc:
        return None, _validation_problem(exc.errors(include_input=False))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_TOO_DEEP = "The body is nested too deeply to read; send a flat JSON object."
_TOO_LONG = f"The paste is over the limit of {service.MAX_PASTE:,} characters."


def _validation_problem(errors):
    """(status, message) for what the schema refused: 413 for a paste over the limit."""
    for error in errors:
        if error["loc"] == ("text",) and error["type"] == "string_too_long":
            return 413, _TOO_LONG
        if error["loc"] == ("text",) and error["type"] == "string_too_short":
            return 400, "Paste the error text first: text was empty."
    problems = [f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in errors]
    return 400, "; ".join(problems)


@api.post(
    "/triage",
    response={200: TriageOut, 400: Message, 413: Message, 415: Message, 429: Message},
    summary="Triage a pasted error",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": TriageIn.model_json_schema()}},
        }
    },
)
def triage_paste(request):
    """Find the articles that fit a pasted error, best first.

    Send the answers to earlier questions (question id -> option id) with the
    same text to narrow the result; the answer then asks the next question, or
    none when one article (and, where it has several, one cause) remains.
    """
    verdict = ratelimit.check(request, "triage")
    if not verdict.allowed:
        response = api.create_response(request, {"message": ratelimit.message(verdict)}, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    payload, problem = _read_triage_request(request)
    if problem:
        status, message = problem
        return Status(status, {"message": message})
    try:
        text = service.clean_paste(payload.text)
    except service.PasteError as exc:
        return Status(exc.status, {"message": str(exc)})
    report = service.triage(text, payload.answers, channel="api")
    return Status(200, report_dict(request, report))


class ProductOut(Schema):
    name: str
    vendor: str
    slug: str
    versions: list[str]


class SymptomOut(Schema):
    description: str
    error_text: str
    logged_in: str


class CauseOut(Schema):
    key: str
    title: str
    explanation: str
    how_to_tell: str


class ResolutionOut(Schema):
    id: int
    title: str
    kind: str
    cause: str | None
    steps: str
    caveats: str


class ReferenceOut(Schema):
    title: str
    url: str


class ArticleSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    article_type: str
    url: str
    updated_on: str | None
    products: list[ProductOut]


class ArticleOut(ArticleSummaryOut):
    source_ref: str
    published_on: str | None
    keywords: list[str]
    symptoms: list[SymptomOut]
    causes: list[CauseOut]
    resolutions: list[ResolutionOut]
    more_info: str
    references: list[ReferenceOut]
    signatures: list[dict]


def _products(article):
    return [
        {
            "name": a.product.name,
            "vendor": a.product.vendor,
            "slug": a.product.slug,
            "versions": a.version_list,
        }
        for a in article.applies_to.all()
    ]


def _summary(request, article):
    return {
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "article_type": article.article_type,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "updated_on": article.updated_on.isoformat() if article.updated_on else None,
        "products": _products(article),
    }


_applies = Prefetch("applies_to", queryset=AppliesTo.objects.select_related("product"))


@api.api_operation(
    ["GET", "HEAD"],
    "/articles",
    response=list[ArticleSummaryOut],
    summary="List published articles",
)
def list_articles(request):
    articles = Article.objects.published().prefetch_related(_applies)
    return [_summary(request, a) for a in articles]


@api.api_operation(
    ["GET", "HEAD"],
    "/articles/{slug}",
    response={200: ArticleOut, 404: Message},
    summary="One published article, whole",
)
def get_article(request, slug: str):
    article = (
        Article.objects.published()
        .prefetch_related(
            _applies,
            "symptoms",
            "causes",
            Prefetch("resolutions", queryset=Resolution.objects.select_related("cause")),
            "references",
            Prefetch("signatures", queryset=Signature.objects.select_related("cause")),
        )
        .filter(slug=slug)
        .first()
    )
    if article is None:
        return Status(404, {"message": f"No published article has the slug {slug!r}."})
    data = _summary(request, article)
    data.update(
        source_ref=article.source_ref,
        published_on=article.published_on.isoformat() if article.published_on else None,
        keywords=article.keyword_list,
        symptoms=[
            {"description": s.description, "error_text": s.error_text, "logged_in": s.logged_in}
            for s in article.symptoms.all()
        ],
        causes=[
            {
                "key": c.key,
                "title": c.title,
                "explanation": c.explanation,
                "how_to_tell": c.how_to_tell,
            }
            for c in article.causes.all()
        ],
        resolutions=[
            {
                "id": r.pk,
                "title": r.title,
                "kind": r.kind,
                "cause": r.cause.key if r.cause else None,
                "steps": r.steps,
                "caveats": r.caveats,
            }
            for r in article.resolutions.all()
        ],
        more_info=article.more_info,
        references=[{"title": r.title, "url": r.url} for r in article.references.all()],
        signatures=[
            {
                "kind": s.kind,
                "value": s.value,
                "weight": s.weight,
                "cause": s.cause.key if s.cause else None,
            }
            for s in article.signatures.all()
            if not s.excluded
        ],
    )
    return Status(200, data)
