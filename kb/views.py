import re

from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, F, Prefetch, Q, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kb import search as kb_search
from kb.models import AppliesTo, Article, Product, Resolution, Signature
from kb.pagecache import cached_page

PER_PAGE = 20
RELATED_LIMIT = 5

# A spelling of a code that is a word of its own in an error text: 231, 0xE7,
# WIN32:231, ERROR_PIPE_BUSY.
_CODE_TOKEN_RE = re.compile(r"^[0-9a-z_:]+$", re.IGNORECASE)


def _published_count():
    return Count("articles", filter=Q(articles__status=Article.Status.PUBLISHED), distinct=True)


def _filter_by_code(articles, code):
    """Articles whose verbatim error texts or code signatures carry the code, in any spelling.

    A code must stand on its own in the error text, so 231 does not match a
    timestamp such as 12:31 or an ID such as 12310; its standard message
    ("All pipe instances are busy") may appear anywhere.
    """
    spellings = kb_search.code_spellings(kb_search.Term(code)) or [code]
    condition = Q()
    for spelling in spellings:
        if _CODE_TOKEN_RE.match(spelling):
            # POSIX-style boundaries: the same pattern works in SQLite and PostgreSQL.
            pattern = rf"(^|[^0-9a-z_]){re.escape(spelling)}([^0-9a-z_]|$)"
            condition |= Q(symptoms__error_text__iregex=pattern)
        else:
            condition |= Q(symptoms__error_text__icontains=spelling)
        condition |= Q(signatures__kind=Signature.Kind.CODE, signatures__value__iexact=spelling)
    return articles.filter(condition).distinct()


def _paginate(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


@require_GET
@cached_page()
def home(request):
    products = (
        Product.objects.annotate(article_count=_published_count())
        .filter(article_count__gt=0)
        .order_by("name")
    )
    recent = Article.objects.published().order_by(
        F("updated_on").desc(nulls_last=True), "-modified_at"
    )[:6]
    return render(request, "kb/home.html", {"products": products, "recent": recent})


@require_GET
@cached_page("product", "keyword", "code", "page")
def article_list(request):
    articles = Article.objects.visible_to(request.user)
    product = None
    product_slug = request.GET.get("product", "").strip()
    keyword = request.GET.get("keyword", "").strip()
    code = request.GET.get("code", "").strip()
    if product_slug:
        product = Product.objects.filter(slug=product_slug).first()
        # An unknown product matches nothing rather than silently everything.
        articles = articles.filter(products=product) if product else articles.none()
    if keyword:
        articles = articles.filter(Q(keywords__icontains=keyword) | Q(title__icontains=keyword))
    if code:
        articles = _filter_by_code(articles, code)
    articles = articles.distinct().order_by("title")
    context = {
        "page_obj": _paginate(request, articles),
        "products": Product.objects.order_by("name"),
        "product": product,
        "product_slug": product_slug,
        "keyword": keyword,
        "code": code,
        "filtered": bool(product_slug or keyword or code),
    }
    return render(request, "kb/article_list.html", context)


@require_GET
@cached_page("q", "page")
def search(request):
    query = request.GET.get("q", "").strip()
    page_obj = suggestion = None
    if query:
        published = Article.objects.published()
        page_obj = _paginate(request, published.search(query))
        suggestion = kb_search.did_you_mean(published, query)
        prefetch_related_objects(page_obj.object_list, "symptoms", "causes", "resolutions")
        for article in page_obj.object_list:
            # excerpt() escapes the article text itself and adds only <mark>.
            article.excerpt = mark_safe(kb_search.excerpt(article, suggestion or query))
    context = {
        "q": query,
        "page_obj": page_obj,
        "suggestion": suggestion,
        "looks_like_paste": kb_search.looks_like_paste(query),
    }
    response = render(request, "kb/search.html", context)
    if context["looks_like_paste"]:
        # A pasted error can hold host names and passwords: kept by no cache, as the
        # wizard keeps its pastes (see kb/pagecache.py).
        response["Cache-Control"] = "no-store"
    return response


def _get_related(article):
    """Other published articles that share a product or an error code."""
    product_ids = [applies.product_id for applies in article.applies_to.all()]
    codes = [s.value for s in article.signatures.all() if s.kind == Signature.Kind.CODE]
    if not product_ids and not codes:
        return []
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(
            Q(products__in=product_ids)
            | Q(signatures__kind=Signature.Kind.CODE, signatures__value__in=codes)
        )
        .distinct()
        .order_by("title")[:RELATED_LIMIT]
    )


@require_GET
@cached_page()
def article_detail(request, slug):
    articles = Article.objects.visible_to(request.user).prefetch_related(
        "symptoms",
        "causes",
        Prefetch("resolutions", queryset=Resolution.objects.select_related("cause")),
        Prefetch("applies_to", queryset=AppliesTo.objects.select_related("product")),
        "references",
        "signatures",
    )
    article = get_object_or_404(articles, slug=slug)
    context = {"article": article, "related": _get_related(article)}
    return render(request, "kb/article_detail.html", context)


@require_GET
@cached_page()
def product_list(request):
    products = Product.objects.annotate(article_count=_published_count()).order_by("name")
    return render(request, "kb/product_list.html", {"products": products})


@require_GET
@cached_page("page")
def product_detail(request, slug):
    product = get_object_or_404(Product, slug=slug)
    articles = product.articles.visible_to(request.user).order_by("title")
    return render(
        request,
        "kb/product_detail.html",
        {"product": product, "page_obj": _paginate(request, articles)},
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /triage/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def favicon(request):
    # Browsers that ignore <link rel="icon"> still ask for /favicon.ico.
    return redirect(static("favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a trivial query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
