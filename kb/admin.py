"""The editing side: articles and their parts in the Django admin.

Who may do what is decided in kb/workflow.py and checked here on every view
and action; the templates only hide buttons a user could not use anyway.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from kb import history, markup, workflow
from kb.forms import ArticleAdminForm, CausePartForm, MarkdownTextarea, TextField
from kb.models import (
    AppliesTo,
    Article,
    Cause,
    Product,
    Reference,
    Resolution,
    Sample,
    Signature,
    Symptom,
)
from kb.signals import article_saved

# Longer than any real field; stops the preview endpoint being used to render
# arbitrarily large documents.
PREVIEW_MAX_CHARS = 100_000


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", "Review due"),
            ("scheduled", "Review scheduled"),
            ("none", "No review date"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.filter(review_by__lt=today)
        if self.value() == "scheduled":
            return queryset.filter(review_by__gte=today)
        if self.value() == "none":
            return queryset.filter(review_by__isnull=True)
        return queryset


class TextFieldsMixin:
    """Multi-line text with LF line ends; the named Markdown fields get a preview."""

    markdown_fields = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField):
            kwargs["form_class"] = TextField
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownTextarea
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PartInline(TextFieldsMixin, admin.StackedInline):
    """Parts follow their article: editable exactly when the article is."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_edit(request.user, obj)


class AppliesToInline(PartInline):
    model = AppliesTo
    template = "admin/edit_inline/tabular.html"
    fields = ["product", "versions", "order"]


class SymptomInline(PartInline):
    model = Symptom
    fields = ["order", "error_text", "logged_in", "description"]
    markdown_fields = ["description"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The verbatim error is not Markdown: a plain monospace box.
        if db_field.name == "error_text":
            kwargs["widget"] = admin.widgets.AdminTextareaWidget(
                attrs={"rows": 3, "class": "vLargeTextField kb-verbatim"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CauseInline(PartInline):
    model = Cause
    fields = ["order", "key", "title", "how_to_tell", "explanation"]
    markdown_fields = ["explanation"]


class ResolutionInline(PartInline):
    model = Resolution
    # Only the article's own causes, those added on the same page included.
    form = CausePartForm
    fields = ["order", "title", "kind", "cause_key", "steps", "caveats"]
    markdown_fields = ["steps", "caveats"]


class ReferenceInline(PartInline):
    model = Reference
    template = "admin/edit_inline/tabular.html"
    fields = ["order", "title", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class SignatureInline(PartInline):
    model = Signature
    template = "admin/edit_inline/tabular.html"
    form = CausePartForm
    fields = ["kind", "value", "cause_key", "weight", "excluded"]


class SampleInline(PartInline):
    model = Sample
    template = "admin/edit_inline/tabular.html"
    fields = ["text", "should_match", "note"]
    formfield_overrides = {
        models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 3})}
    }


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "slug"]
    search_fields = ["name", "vendor"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(TextFieldsMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [
        AppliesToInline,
        SymptomInline,
        CauseInline,
        ResolutionInline,
        ReferenceInline,
        SignatureInline,
        SampleInline,
    ]
    list_display = [
        "title",
        "status",
        "article_type",
        "product_names",
        "modified_at",
        "review_by",
        "modified_by",
    ]
    list_filter = ["status", "products", "article_type", ReviewDueFilter]
    list_select_related = ["modified_by"]
    search_fields = ["title", "slug", "summary", "keywords", "source_ref", "symptoms__error_text"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "version", "created_at", "modified_at", "modified_by"]
    markdown_fields = ["more_info"]
    actions = ["submit_for_review", "publish", "retire", "restore_as_draft"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "article_type", "status", "summary"]}),
        ("Source and dates", {"fields": ["source_ref", "published_on", "updated_on", "review_by"]}),
        ("Search", {"fields": ["keywords"]}),
        ("More information", {"fields": ["more_info"]}),
        (
            "Record",
            {
                "fields": ["version", "created_at", "modified_at", "modified_by"],
                "classes": ["collapse"],
            },
        ),
    ]

    # Permissions

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_delete(
            request.user, obj
        )

    def has_submit_permission(self, request):
        return workflow.TRANSITIONS["submit"].permitted(request.user)

    def has_publish_permission(self, request):
        return workflow.TRANSITIONS["publish"].permitted(request.user)

    def has_retire_permission(self, request):
        return workflow.TRANSITIONS["retire"].permitted(request.user)

    def get_actions(self, request):
        # Bulk delete would skip the "retired first" rule; delete one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # Lists and forms

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("products")

    @admin.display(description="products")
    def product_names(self, obj):
        return ", ".join(p.name for p in obj.products.all())

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.has_change_permission(request, obj):
            first = dict(fieldsets[0][1])
            first["fields"] = [*first["fields"], "loaded_version"]
            fieldsets = [(fieldsets[0][0], first), *fieldsets[1:]]
        return fieldsets

    def save_model(self, request, obj, form, change):
        obj.modified_by = request.user
        if change and form.locked_version is not None:
            obj.version = form.locked_version + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The search document covers the parts, so it is rebuilt after them.
        form.instance.refresh_search()
        article_saved.send(
            sender=Article, request=request, article=form.instance, created=not change
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transitions"] = [
                (t, reverse("admin:kb_article_transition", args=[obj.pk, t.name]))
                for t in workflow.available(request.user, obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Workflow

    def _bulk_transition(self, request, queryset, name):
        label = workflow.TRANSITIONS[name].label
        moved, refused = 0, []
        for article in queryset:
            try:
                workflow.apply(article, name, request.user)
                moved += 1
            except workflow.TransitionRefused as exc:
                refused.append(str(exc))
        if moved:
            self.message_user(request, f"{label}: {moved} article(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Submit selected articles for review", permissions=["submit"])
    def submit_for_review(self, request, queryset):
        self._bulk_transition(request, queryset, "submit")

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk_transition(request, queryset, "publish")

    @admin.action(description="Retire selected articles", permissions=["retire"])
    def retire(self, request, queryset):
        self._bulk_transition(request, queryset, "retire")

    @admin.action(description="Restore selected retired articles as drafts", permissions=["retire"])
    def restore_as_draft(self, request, queryset):
        self._bulk_transition(request, queryset, "restore_draft")

    # Extra views

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("preview/", wrap(self.preview_view), name="kb_article_preview"),
            path(
                "<path:object_id>/transition/<str:name>/",
                wrap(self.transition_view),
                name="kb_article_transition",
            ),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="kb_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                wrap(self.restore_view),
                name="kb_article_restore",
            ),
            *super().get_urls(),
        ]

    def _get_article(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _change_url(self, article):
        return reverse("admin:kb_article_change", args=[article.pk])

    def preview_view(self, request):
        """Markdown in, the sanitised HTML the public page would show out."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        text = request.POST.get("text", "")[:PREVIEW_MAX_CHARS]
        return JsonResponse({"html": markup.to_html(text)})

    def transition_view(self, request, object_id, name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_article(request, object_id)
        try:
            article = workflow.apply(article, name, request.user)
        except workflow.TransitionRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                f"“{article}” is now {article.get_status_display().lower()}.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(article))

    def history_view(self, request, object_id, extra_context=None):
        """Every version of the article with its parts, newest first."""
        article = self._get_article(request, object_id)
        timeline = history.Timeline(article)
        rows = []
        for version in reversed(timeline.versions):
            previous = timeline.previous(version)
            if previous is None:
                changes = [history.describe(version.snapshot)]
            else:
                changes = history.diff(previous.snapshot, version.snapshot).summary()
            rows.append({"version": version, "changes": changes})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"History: {article}",
            "subtitle": None,
            "rows": rows,
            "latest": timeline.latest,
            "can_restore": self.has_change_permission(request, article),
            "compare_url": reverse("admin:kb_article_compare", args=[article.pk]),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/kb/article/history.html", context)

    def compare_view(self, request, object_id):
        article = self._get_article(request, object_id)
        timeline = history.Timeline(article)
        try:
            old = timeline.get(int(request.GET.get("old", "")))
            new = timeline.get(int(request.GET.get("new", "")))
        except ValueError:
            old = new = None
        if old is None or new is None:
            raise Http404("Choose two versions of this article.")
        if old.number > new.number:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Changes from version {old.number} to version {new.number}",
            "subtitle": None,
            "old": old,
            "new": new,
            "diff": history.diff(old.snapshot, new.snapshot),
            "can_restore": self.has_change_permission(request, article),
            "history_url": reverse("admin:kb_article_history", args=[article.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/kb/article/compare.html", context)

    def restore_view(self, request, object_id, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            version, notes = history.restore(article, history_id, request.user)
        except history.RestoreFailed as exc:
            raise Http404(str(exc)) from exc
        self.message_user(
            request,
            f"Restored version {version.number} of “{article}”, saved as a new version.",
            messages.SUCCESS,
        )
        for note in notes:
            self.message_user(request, note, messages.WARNING)
        return HttpResponseRedirect(self._change_url(article))
