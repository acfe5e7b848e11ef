from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kb import markup
from kb.signatures import pattern_problems


class Product(models.Model):
    name = models.CharField(max_length=200, unique=True)
    vendor = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kb:product", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user):
        """Published articles for everyone; staff also see drafts and retired ones."""
        if user is not None and user.is_active and user.is_staff:
            return self
        return self.published()

    def search(self, query):
        """Rank articles against a user's query; see kb/search.py."""
        from kb import search

        return search.search(self, query)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    class Type(models.TextChoices):
        PROBLEM = "problem", "Problem"
        INFORMATION = "information", "Information"
        HOWTO = "howto", "How-to"

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(help_text="One paragraph: what goes wrong and what to do.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    article_type = models.CharField(max_length=20, choices=Type.choices, default=Type.PROBLEM)
    source_ref = models.CharField(
        "source reference", max_length=100, blank=True, help_text="For example Q168577."
    )
    published_on = models.DateField(null=True, blank=True)
    updated_on = models.DateField(null=True, blank=True)
    review_by = models.DateField(null=True, blank=True)
    keywords = models.CharField(
        max_length=500, blank=True, help_text="Space-separated words people search for."
    )
    more_info = models.TextField("more information", blank=True, help_text="Markdown.")
    more_info_html = models.TextField(blank=True, editable=False)

    # Denormalised text of the whole record, rebuilt by refresh_search(); the
    # search backends index this rather than joining five tables per query.
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    products = models.ManyToManyField(Product, through="AppliesTo", related_name="articles")
    # Optimistic locking: the admin form carries the version it was loaded at
    # and refuses to save over a newer one (see kb/forms.py).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()
    # Derived fields are rebuilt on save, so history keeps only what people wrote.
    history = HistoricalRecords(
        excluded_fields=["more_info_html", "search_document", "search_vector"]
    )

    class Meta:
        ordering = ["title"]
        permissions = [
            ("publish_article", "Can publish articles and edit published ones"),
            ("retire_article", "Can retire articles and restore retired ones"),
        ]

    def __str__(self):
        return self.title

    # Written by refresh_search() alone, from the article's parts as well as its row.
    SEARCH_FIELDS = ("search_document", "search_vector")

    def save(self, *args, **kwargs):
        self.more_info_html = markup.to_html(self.more_info)
        plain = kwargs.get("update_fields") is None and not kwargs.get("force_insert")
        if not self._state.adding and plain and not args:
            # A save of the row must not write back the search columns as this
            # instance last read them: on PostgreSQL that wiped the vector the
            # index had written since, and the article dropped out of search.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.SEARCH_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("kb:article", args=[self.slug])

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def keyword_list(self):
        return self.keywords.split()

    def build_search_document(self):
        """All searchable text of the article and its parts, in one string."""
        parts = [self.title, self.summary, self.keywords, self.source_ref]
        for symptom in self.symptoms.all():
            parts += [symptom.description, symptom.error_text, symptom.logged_in]
        for cause in self.causes.all():
            parts += [cause.title, cause.explanation, cause.how_to_tell]
        for resolution in self.resolutions.all():
            parts += [resolution.title, resolution.steps, resolution.caveats]
        for applies in self.applies_to.all():
            parts += [applies.product.name, applies.versions]
        parts.append(self.more_info)
        return "\n".join(p for p in parts if p)

    def refresh_search(self):
        """Re-index the article after it or any of its parts changed."""
        from kb import search

        self.search_document = self.build_search_document()
        Article.objects.filter(pk=self.pk).update(search_document=self.search_document)
        search.index_article(self)


class AppliesTo(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="applies_to")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="applies_to")
    versions = models.CharField(
        max_length=300, blank=True, help_text="Comma-separated, for example: 5.0, 5.1, 5.2 Beta 3"
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "applies to"
        verbose_name_plural = "applies to"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "product"], name="unique_product_per_article"
            )
        ]

    def __str__(self):
        return f"{self.product} {self.versions}".strip()

    @property
    def version_list(self):
        return [v.strip() for v in self.versions.split(",") if v.strip()]


class Symptom(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="symptoms")
    order = models.PositiveIntegerField(default=0)
    description = models.TextField(help_text="What the user observes. Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    error_text = models.TextField(
        blank=True, help_text="The error exactly as it is logged, if there is one."
    )
    logged_in = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it is logged, e.g. Windows System event log, a WCF trace, the browser.",
    )

    history = HistoricalRecords(excluded_fields=["description_html"])

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.error_text.splitlines()[0] if self.error_text else self.description[:80]

    def save(self, *args, **kwargs):
        self.description_html = markup.to_html(self.description)
        super().save(*args, **kwargs)


class Cause(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="causes")
    order = models.PositiveIntegerField(default=0)
    key = models.SlugField(
        max_length=100, help_text="Short stable name within the article, e.g. overlapped-recycling."
    )
    title = models.CharField(max_length=300)
    explanation = models.TextField(help_text="Markdown.")
    explanation_html = models.TextField(blank=True, editable=False)
    how_to_tell = models.CharField(
        max_length=500,
        blank=True,
        help_text="A yes/no question that tells whether this cause applies, "
        "e.g. 'Does CPU stay at 100% for more than a minute around the time of the error?'",
    )

    history = HistoricalRecords(excluded_fields=["explanation_html"])

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="unique_cause_key_per_article")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.explanation_html = markup.to_html(self.explanation)
        super().save(*args, **kwargs)


class Resolution(models.Model):
    class Kind(models.TextChoices):
        FIX = "fix", "Fix"
        WORKAROUND = "workaround", "Workaround"
        DIAGNOSTIC = "diagnostic", "Diagnostic"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="resolutions")
    cause = models.ForeignKey(
        Cause,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolutions",
        help_text="Leave empty when the resolution applies to the whole article.",
    )
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORKAROUND)
    steps = models.TextField(help_text="Numbered steps, in Markdown.")
    steps_html = models.TextField(blank=True, editable=False)
    caveats = models.TextField(blank=True, help_text="Markdown.")
    caveats_html = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["steps_html", "caveats_html"])

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.steps_html = markup.to_html(self.steps)
        self.caveats_html = markup.to_html(self.caveats)
        super().save(*args, **kwargs)


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class Signature(models.Model):
    """Evidence the triage engine looks for in a pasted error.

    Signatures for the verbatim error texts are derived automatically when the
    index is built; rows here are the ones editors add, re-weight or exclude.
    """

    class Kind(models.TextChoices):
        PHRASE = "phrase", "Message phrase"
        CODE = "code", "Error code"
        EXCEPTION = "exception", "Exception type"
        EVENT = "event", "Event source and ID"
        PROCESS = "process", "Process or service name"
        PRODUCT = "product", "Product name"
        CONTEXT = "context", "Context word"
        PATTERN = "pattern", "Pattern (RE2 syntax)"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="signatures")
    cause = models.ForeignKey(
        Cause,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signatures",
        help_text="Set when this evidence points at one cause rather than the article.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PHRASE)
    value = models.CharField(max_length=500)
    weight = models.FloatField(
        default=1.0, help_text="How much this evidence counts; 1 is normal, 0 to 3."
    )
    excluded = models.BooleanField(
        default=False,
        help_text="Do not use this evidence, even when it is derived automatically.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "kind", "value"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        """Refuse a pattern that the registered validators say cannot be matched."""
        if self.kind == self.Kind.PATTERN and self.value:
            problems = pattern_problems(self.value)
            if problems:
                raise ValidationError({"value": problems})


class Sample(models.Model):
    """A paste that must lead to this article, or a near-miss that must not."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="samples")
    text = models.TextField()
    should_match = models.BooleanField(
        default=True,
        help_text="Unticked: a near-miss that must not come back with high confidence.",
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "-should_match", "id"]

    def __str__(self):
        return self.text[:80]
