"""The editors' side of the triage in the Django admin.

- a signature tester: paste an error, see the evidence, its spans and the
  ranking the public triage would give;
- the sample check run when an article is saved (see triage/checks.py);
- feedback per resolution, read-only;
- the queue of unanswered pastes, grouped by fingerprint, with a button that
  starts a draft article from a group;
- a dashboard of triage outcomes and feedback per week.

The tester and the dashboard hang off the TriageEvent admin's URLs, so they
live under /admin/triage/ with the admin's login and CSRF handling.
"""

import logging
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify

from kb.models import Article, Signature, Symptom
from triage import checks, dashboard, questions
from triage.engine import MAX_PASTE
from triage.index import get_index
from triage.models import Feedback, TriageEvent, UnansweredGroup, UnansweredPaste
from triage.service import code_dict
from triage.views import highlight

# The admin index and the article pages link to the tester and the dashboard.
# Templates are set only where nobody has set their own, so kb keeps working
# (without the links) should it ever take over these templates.
if admin.site.index_template is None:
    admin.site.index_template = "admin/triage/index.html"


def _link_article_admin():
    article_admin = admin.site.get_model_admin(Article)
    if article_admin.change_list_template is None:
        article_admin.change_list_template = "admin/triage/article_change_list.html"
    if article_admin.change_form_template is None:
        article_admin.change_form_template = "admin/triage/article_change_form.html"


if admin.site.is_registered(Article):
    _link_article_admin()


def can_test_signatures(user):
    return user.has_perm("kb.change_article") or user.has_perm("kb.view_article")


class ReadOnlyMixin:
    """Records the site writes; people only read them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


# ---------------------------------------------------------------- sample check


logger = logging.getLogger(__name__)


def warn_about_broken_samples(sender, request, article, **kwargs):
    """After an article is saved in the admin: say which of its samples broke, and which
    of its error texts can only give low on their own and what would lift them."""
    try:
        # A savepoint: a database error in the check must not spoil the save's transaction.
        with transaction.atomic():
            broken = checks.check_article(article)
            weak = checks.weak_texts(article)
    except Exception:
        # The check is advice; the editor's save must stand whatever goes wrong in it.
        logger.exception("Checking the samples of %s failed", article.slug)
        messages.warning(request, "The samples of this article could not be checked just now.")
        return
    for sample in broken:
        messages.warning(
            request,
            f"Sample that {sample.expectation} broke: “{sample.excerpt}” {sample.problem}.",
        )
    if not broken and article.samples.exists():
        messages.info(request, "Every sample of this article still triages as it should.")
    for text in weak:
        messages.warning(request, checks.describe_weak_text(text))


# ---------------------------------------------------------------- tester


class TesterForm(forms.Form):
    text = forms.CharField(
        label="Paste",
        strip=False,
        max_length=MAX_PASTE,
        widget=forms.Textarea(attrs={"rows": 10, "class": "vLargeTextField kb-verbatim"}),
    )
    article = forms.ModelChoiceField(
        Article.objects.order_by("title"),
        required=False,
        label="Article being edited",
        help_text="Shows where this article ranks; with drafts included it is tested "
        "even when it is not published.",
    )
    drafts = forms.BooleanField(
        required=False,
        label="Include drafts",
        help_text="Test against the published articles plus drafts, articles in review "
        "and the article above. Without it, the public index readers get.",
    )


def _tester_index(article, drafts):
    if not drafts:
        return get_index()
    scope = Q(status__in=[Article.Status.PUBLISHED, Article.Status.DRAFT, Article.Status.REVIEW])
    if article is not None:
        scope |= Q(pk=article.pk)
    return checks.build_index_of(Article.objects.filter(scope))


def _describe_outcome(outcome, titles):
    if outcome.question:
        return "ask", outcome.question
    if outcome.article:
        return "show", titles.get(outcome.article, outcome.article)
    return "nothing", None


def run_tester(text, article=None, drafts=False):
    """Everything the tester page shows for one paste; nothing is recorded."""
    index = _tester_index(article, drafts)
    result = index.triage(text)
    outcome = questions.decide(result, index.articles, tuning=index.tuning)
    slugs = {c.article for c in result.candidates}
    by_slug = {a.slug: a for a in Article.objects.filter(slug__in=slugs)}
    candidates = [
        {
            "rank": n,
            "candidate": c,
            "article": by_slug.get(c.article),
            "evidence": sorted(c.evidence, key=lambda e: (-e.weight, e.start)),
        }
        for n, c in enumerate(result.candidates, 1)
    ]
    evidence = [e for c in result.candidates for e in c.evidence if e.weight > 0]
    action, detail = _describe_outcome(outcome, {s: a.title for s, a in by_slug.items()})
    own = None
    if article is not None:
        own = next((row for row in candidates if row["candidate"].article == article.slug), None)
    return {
        "candidates": candidates,
        "pieces": highlight(text, evidence),
        "outcome": outcome,
        "action": action,
        "detail": detail,
        "codes": list(
            {(h.code.system, h.code.value): code_dict(h.code) for h in result.codes}.values()
        ),
        "own": own,
        "in_index": article is None or article.slug in index.articles,
    }


# ---------------------------------------------------------------- dashboard

SERIES_TRIAGES = [
    ("high", "Matched (high)"),
    ("medium", "Matched (medium)"),
    ("low", "Low"),
    ("unanswered", "Unanswered"),
]
SERIES_FEEDBACK = [("yes", "Fixed: yes"), ("no", "Fixed: no")]
CHART_HEIGHT = 120
BAR_WIDTH = 26
BAR_GAP = 12
CHART_LEFT = 36
CHART_TOP = 12
CHART_BOTTOM = 24


def stacked_bars(rows, series, title):
    """Geometry of a stacked bar chart: one bar per row, one segment per series."""
    top = max([sum(row[key] for key, _ in series) for row in rows] + [1])
    scale = CHART_HEIGHT / top
    bars = []
    for n, row in enumerate(rows):
        x = CHART_LEFT + n * (BAR_WIDTH + BAR_GAP)
        y = CHART_TOP + CHART_HEIGHT
        segments = []
        for key, label in series:
            h = row[key] * scale
            if row[key]:
                y -= h
                segments.append(
                    {
                        "key": key,
                        "label": label,
                        "count": row[key],
                        "y": round(y, 1),
                        "h": round(h, 1),
                    }
                )
        bars.append(
            {
                "x": x,
                "mid": x + BAR_WIDTH / 2,
                "week": row["week"],
                "total": sum(row[key] for key, _ in series),
                "segments": segments,
            }
        )
    return {
        "title": title,
        "series": series,
        "bars": bars,
        "max": top,
        "width": CHART_LEFT + len(rows) * (BAR_WIDTH + BAR_GAP),
        "height": CHART_TOP + CHART_HEIGHT + CHART_BOTTOM,
        "top": CHART_TOP,
        "baseline": CHART_TOP + CHART_HEIGHT,
        "label_y": CHART_TOP + CHART_HEIGHT + 16,
        "bar_width": BAR_WIDTH,
    }


@admin.register(TriageEvent)
class TriageEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "outcome", "article_slug", "channel"]
    list_filter = ["outcome", "channel"]
    date_hierarchy = "created_at"
    search_fields = ["article_slug"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="triage_dashboard"),
            path("tester/", wrap(self.tester_view), name="triage_tester"),
            *super().get_urls(),
        ]

    def _context(self, request, title):
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": None,
        }

    def dashboard_view(self, request):
        """Staff only (the admin site checks that): counts and weekly outcomes."""
        weeks = dashboard.weekly()
        summary = dashboard.summary()
        context = {
            **self._context(request, "Triage dashboard"),
            "summary": summary,
            "outcomes": [
                (label, summary["by_outcome"][value])
                for value, label in TriageEvent.Outcome.choices
            ],
            "weeks": weeks,
            "triage_chart": stacked_bars(weeks, SERIES_TRIAGES, "Triages per week by outcome"),
            "feedback_chart": stacked_bars(
                weeks, SERIES_FEEDBACK, "Answers to “Did this fix it?” per week"
            ),
        }
        return TemplateResponse(request, "admin/triage/dashboard.html", context)

    def tester_view(self, request):
        if not can_test_signatures(request.user):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = TesterForm(request.POST)
            if form.is_valid():
                report = run_tester(
                    form.cleaned_data["text"],
                    form.cleaned_data["article"],
                    form.cleaned_data["drafts"],
                )
        else:
            form = TesterForm(
                initial={
                    "article": request.GET.get("article"),
                    "drafts": bool(request.GET.get("drafts")),
                }
            )
        context = {
            **self._context(request, "Signature tester"),
            "form": form,
            "report": report,
            "article": form.cleaned_data.get("article") if report else None,
        }
        return TemplateResponse(request, "admin/triage/tester.html", context)


# ---------------------------------------------------------------- feedback


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """Every answer, with the answers per resolution and per week above the list.

    The summary follows the list's filters, so choosing a month in the date
    hierarchy or one article shows its numbers.
    """

    list_display = ["created_at", "helped", "resolution", "article"]
    list_filter = ["helped", ("resolution__article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["resolution__article"]
    date_hierarchy = "created_at"
    search_fields = ["resolution__title", "resolution__article__title"]

    @admin.display(description="article", ordering="resolution__article__title")
    def article(self, obj):
        return obj.resolution.article

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            answers = changelist.queryset
            response.context_data["per_resolution"] = dashboard.feedback_by_resolution(answers)
            response.context_data["per_week"] = dashboard.feedback_by_week(answers)
        return response


# ---------------------------------------------------------------- unanswered

ERROR_LINE = re.compile(
    r"(?i)\w*(?:error|exception)\b|\b(?:failed|failure|denied|cannot|could not|unable"
    r"|invalid|refused|busy|timed out|not found|fatal|unhandled)\b"
)
MAX_ERROR_LINES = 5


def error_lines(text):
    """The lines of a paste that carry the error, or its first line when none says so."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    chosen = [line for line in lines if ERROR_LINE.search(line)][:MAX_ERROR_LINES]
    return "\n".join(chosen or lines[:1])


def _unique_slug(text):
    base = slugify(text)[:80].strip("-") or "unanswered-error"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def start_draft(group, user):
    """A draft article pre-filled from an unanswered group; the group is then handled."""
    latest = group.pastes.order_by("-created_at", "-id").first()
    title = group.label[:300]
    article = Article.objects.create(
        title=title,
        slug=_unique_slug(title),
        summary="",
        status=Article.Status.DRAFT,
        modified_by=user,
    )
    Symptom.objects.create(
        article=article,
        order=0,
        error_text=error_lines(latest.text) if latest else "",
        description=f"Pasted {group.count} time(s) with no answer from the knowledge base, "
        f"between {group.first_seen:%Y-%m-%d} and {group.last_seen:%Y-%m-%d}.",
    )
    for code in group.codes:
        Signature.objects.create(article=article, kind=Signature.Kind.CODE, value=code)
    for name in group.exceptions:
        Signature.objects.create(article=article, kind=Signature.Kind.EXCEPTION, value=name)
    article.refresh_search()
    group.handled = True
    group.save(update_fields=["handled"])
    return article


class HandledFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("handled", "Handled")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(handled=False)
        if self.value() == "handled":
            return queryset.filter(handled=True)
        return queryset


class UnansweredPasteInline(ReadOnlyMixin, admin.TabularInline):
    model = UnansweredPaste
    fields = ["created_at", "redacted_text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at"]

    @admin.display(description="redacted paste")
    def redacted_text(self, obj):
        return obj.text  # escaped by the template, shown in a <pre> via CSS

    def has_view_permission(self, request, obj=None):
        # The pastes are what the group is; whoever may see the group sees them.
        return request.user.has_perm("triage.view_unansweredgroup") or request.user.has_perm(
            "triage.change_unansweredgroup"
        )


@admin.register(UnansweredGroup)
class UnansweredGroupAdmin(admin.ModelAdmin):
    list_display = ["label", "count", "first_seen", "last_seen", "code_list", "handled"]
    list_filter = [HandledFilter]
    search_fields = ["label", "fingerprint"]
    ordering = ["-count", "-last_seen"]
    fields = ["label", "count", "first_seen", "last_seen", "code_list", "exception_list", "handled"]
    # Only the handled flag is the editors' to change; the rest is what was pasted.
    readonly_fields = ["label", "count", "first_seen", "last_seen", "code_list", "exception_list"]
    inlines = [UnansweredPasteInline]
    actions = ["mark_handled", "reopen", "start_draft_article"]

    def has_add_permission(self, request):
        return False

    def has_start_draft_permission(self, request):
        return request.user.has_perm("kb.add_article")

    @admin.display(description="codes")
    def code_list(self, obj):
        return ", ".join(obj.codes)

    @admin.display(description="exceptions")
    def exception_list(self, obj):
        return ", ".join(obj.exceptions)

    @admin.action(description="Mark selected groups as handled", permissions=["change"])
    def mark_handled(self, request, queryset):
        n = queryset.update(handled=True)
        self.message_user(request, f"{n} group(s) marked as handled.", messages.SUCCESS)

    @admin.action(description="Reopen selected groups", permissions=["change"])
    def reopen(self, request, queryset):
        n = queryset.update(handled=False)
        self.message_user(request, f"{n} group(s) reopened.", messages.SUCCESS)

    @admin.action(
        description="Start a draft article from the selected group", permissions=["start_draft"]
    )
    def start_draft_article(self, request, queryset):
        groups = list(queryset[:2])
        if len(groups) != 1:
            self.message_user(
                request, "Choose exactly one group to start a draft from.", messages.ERROR
            )
            return None
        return self._start_draft(request, groups[0])

    def _start_draft(self, request, group):
        article = start_draft(group, request.user)
        self.message_user(
            request,
            f"Draft “{article}” started from the unanswered pastes; the group is now handled.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:kb_article_change", args=[article.pk]))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/draft/",
                wrap(self.draft_view),
                name="triage_unansweredgroup_draft",
            ),
            *super().get_urls(),
        ]

    def draft_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_start_draft_permission(request):
            raise PermissionDenied
        group = self.get_object(request, object_id)
        if group is None:
            raise Http404("No such group.")
        return self._start_draft(request, group)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_start_draft"] = self.has_start_draft_permission(request)
        return super().render_change_form(request, context, add, change, form_url, obj)
