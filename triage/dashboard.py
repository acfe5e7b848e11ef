"""The numbers on the editors' dashboard and the feedback summary.

Plain aggregations over TriageEvent, Feedback and UnansweredGroup; weeks
start on Monday in the site's time zone (TruncWeek), the same on SQLite and
PostgreSQL.
"""

import datetime

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from triage.models import Feedback, TriageEvent, UnansweredGroup

OUTCOMES = [value for value, _ in TriageEvent.Outcome.choices]
WEEKS = 12


def week_start(moment=None):
    """Midnight on the Monday of the week holding moment (now by default)."""
    local = timezone.localtime(moment or timezone.now())
    monday = local.date() - datetime.timedelta(days=local.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


def outcome_counts(events=None):
    """{outcome: count} for every outcome, zeros included."""
    events = TriageEvent.objects.all() if events is None else events
    counts = dict(events.order_by().values_list("outcome").annotate(n=Count("id")))
    return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}


def feedback_counts(feedback=None):
    """(yes, no) answers to "Did this fix it?"."""
    feedback = Feedback.objects.all() if feedback is None else feedback
    totals = feedback.aggregate(
        yes=Count("id", filter=Q(helped=True)), no=Count("id", filter=Q(helped=False))
    )
    return totals["yes"], totals["no"]


def summary(now=None):
    """The headline numbers of the dashboard."""
    this_week = week_start(now)
    by_outcome = outcome_counts()
    yes, no = feedback_counts()
    return {
        "week_start": this_week,
        "triages_this_week": TriageEvent.objects.filter(created_at__gte=this_week).count(),
        "triages_total": sum(by_outcome.values()),
        "by_outcome": by_outcome,
        "open_unanswered": UnansweredGroup.objects.open().count(),
        "feedback_yes": yes,
        "feedback_no": no,
    }


def _mondays(weeks, now):
    """The Mondays of the last `weeks` weeks, this one last."""
    current = week_start(now)
    return [(current - datetime.timedelta(weeks=n)).date() for n in range(weeks - 1, -1, -1)]


def _weekly(queryset, column, since):
    """{(week date, column value): count} for rows created since."""
    rows = (
        queryset.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .order_by()
        .values_list("week", column)
        .annotate(n=Count("id"))
    )
    return {(timezone.localtime(week).date(), value): n for week, value, n in rows}


def weekly(weeks=WEEKS, now=None):
    """One row per week, oldest first, for the last `weeks` weeks including this one.

    Each row: {"week": date of its Monday, "high", "medium", "low",
    "unanswered": triages by outcome, "yes", "no": feedback answers}.
    """
    mondays = _mondays(weeks, now)
    since = week_start(now) - datetime.timedelta(weeks=weeks - 1)
    triages = _weekly(TriageEvent.objects.all(), "outcome", since)
    answers = _weekly(Feedback.objects.all(), "helped", since)
    rows = []
    for monday in mondays:
        row = {"week": monday}
        for outcome in OUTCOMES:
            row[outcome] = triages.get((monday, outcome), 0)
        row["yes"] = answers.get((monday, True), 0)
        row["no"] = answers.get((monday, False), 0)
        rows.append(row)
    return rows


def feedback_by_resolution(feedback=None):
    """Per resolution: yes, no, total, rate (share of yes, or None) and last answer.

    Most answered first. Each row holds resolution_id, resolution title,
    article title and slug, as values() gives them.
    """
    feedback = Feedback.objects.all() if feedback is None else feedback
    rows = (
        feedback.order_by()
        .values(
            "resolution_id",
            "resolution__title",
            "resolution__article__title",
            "resolution__article_id",
        )
        .annotate(
            yes=Count("id", filter=Q(helped=True)),
            no=Count("id", filter=Q(helped=False)),
            total=Count("id"),
            last=Max("created_at"),
        )
        .order_by("-total", "resolution__article__title", "resolution__title")
    )
    out = []
    for row in rows:
        row["rate"] = row["yes"] / row["total"] if row["total"] else None
        out.append(row)
    return out


def feedback_by_week(feedback=None, weeks=WEEKS, now=None):
    """[(week date, yes, no)] for the last weeks, oldest first."""
    feedback = Feedback.objects.all() if feedback is None else feedback
    since = week_start(now) - datetime.timedelta(weeks=weeks - 1)
    counts = _weekly(feedback, "helped", since)
    return [(m, counts.get((m, True), 0), counts.get((m, False), 0)) for m in _mondays(weeks, now)]
