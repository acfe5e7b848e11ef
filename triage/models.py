import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.db import connection, models
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime


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
        return cls.revision().key

    @classmethod
    def revision(cls):
        """The revision with the time it last moved, as kb's page cache reads it."""
        from kb.revision import Revision

        # Every page and triage reads this first: plain SQL skips compiling a
        # queryset, most of the cost of a primary-key lookup.
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT counter, changed_at FROM {table} WHERE id = %s", [cls.ROW])
            row = cursor.fetchone()
        if row is None:
            return Revision(key="0", changed_at=None)
        counter, changed_at = row
        if isinstance(changed_at, str):  # SQLite hands back the stored text
            changed_at = parse_datetime(changed_at)
        if changed_at is not None and timezone.is_naive(changed_at):
            changed_at = timezone.make_aware(changed_at, UTC)
        return Revision(key=f"{counter}@{changed_at.isoformat()}", changed_at=changed_at)

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


def _paste_key():
    # 144 random bits: a link is the only way to a paste, so it must not be guessable.
    return secrets.token_urlsafe(18)


class PasteQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(expires_at__lte=timezone.now())


class Paste(models.Model):
    """A pasted error, kept for the wizard under an unguessable key until it expires.

    The wizard's links carry the key and the answers, never the text: a password or
    host name in a paste must not reach access logs, browser history or wherever a
    link is pasted. `manage.py purgepastes` deletes the expired ones; the triage's
    outcome (its TriageEvent) stays for the dashboard.
    """

    key = models.CharField(max_length=32, unique=True, default=_paste_key, editable=False)
    text = models.TextField()
    triage = models.OneToOneField(TriageEvent, on_delete=models.CASCADE, related_name="paste")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    objects = PasteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.key

    @classmethod
    def keep(cls, text, triage):
        """Store a paste for PASTE_RETENTION_DAYS from now."""
        now = timezone.now()
        expires_at = now + timedelta(days=settings.PASTE_RETENTION_DAYS)
        return cls.objects.create(text=text, triage=triage, created_at=now, expires_at=expires_at)

    @property
    def expired(self):
        return self.expires_at <= timezone.now()


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
