from django.db import models
from django.db.models import F
from django.utils import timezone


class IndexRevision(models.Model):
    """One row whose counter moves whenever the knowledge base changes.

    Every web worker (and every server) compares this counter with the one its
    compiled index was built from, so an edit made anywhere is seen everywhere
    on the next request, at the cost of one primary-key lookup.
    """

    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    ROW = 1

    @classmethod
    def current(cls):
        """The revision as a string; it changes with every edit.

        The time of the last change goes with the counter, so a database that
        was restored or rebuilt (its counter starting again from 1) is never
        mistaken for the one an index was built from.
        """
        row = cls.objects.filter(pk=cls.ROW).values_list("counter", "changed_at").first()
        return f"{row[0]}@{row[1].isoformat()}" if row else "0"

    @classmethod
    def bump(cls):
        updated = cls.objects.filter(pk=cls.ROW).update(
            counter=F("counter") + 1, changed_at=timezone.now()
        )
        if not updated:
            cls.objects.get_or_create(pk=cls.ROW, defaults={"counter": 1})


class TriageEvent(models.Model):
    """The outcome of one triage, without the paste: what the dashboard counts."""

    class Outcome(models.TextChoices):
        HIGH = "high", "Matched (high)"
        MEDIUM = "medium", "Matched (medium)"
        LOW = "low", "Related at best (low)"
        UNANSWERED = "unanswered", "Nothing matched"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    article_slug = models.SlugField(max_length=200, blank=True)
    channel = models.CharField(max_length=10, default="web")  # web, api

    class Meta:
        ordering = ["-created_at"]


class FeedbackQuerySet(models.QuerySet):
    def did_not_help(self, triage):
        """The answers "No" given in one triage (a TriageEvent id)."""
        return self.filter(triage_id=triage, helped=False)


class Feedback(models.Model):
    """An answer to "Did this fix it?" for one resolution, one per triage."""

    resolution = models.ForeignKey(
        "kb.Resolution", on_delete=models.CASCADE, related_name="feedback"
    )
    # The triage it was given in: a wizard state replayed, or answered again, is one
    # vote. Empty for answers given before votes were kept per triage.
    triage = models.ForeignKey(
        TriageEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    helped = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        constraints = [
            models.UniqueConstraint(
                fields=["triage", "resolution"], name="one_vote_per_triage_and_resolution"
            )
        ]

    def __str__(self):
        return f"{self.resolution}: {'yes' if self.helped else 'no'}"


class UnansweredGroupQuerySet(models.QuerySet):
    def open(self):
        return self.filter(handled=False)

    def most_frequent(self):
        return self.order_by("-count", "-last_seen")


class UnansweredGroup(models.Model):
    """Unanswered pastes of the same error, so editors see what comes up most."""

    fingerprint = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=500)
    codes = models.JSONField(default=list, blank=True)
    exceptions = models.JSONField(default=list, blank=True)
    count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    handled = models.BooleanField(default=False)

    objects = UnansweredGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-count", "-last_seen"]

    def __str__(self):
        return self.label


class UnansweredPaste(models.Model):
    """A paste the knowledge base had no answer for, redacted before it was stored."""

    group = models.ForeignKey(UnansweredGroup, on_delete=models.CASCADE, related_name="pastes")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:80]
