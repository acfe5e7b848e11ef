"""The dashboard: counts, weekly outcomes and feedback, and its chart."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factory import make_article, make_user
from triage import dashboard
from triage.admin import CHART_HEIGHT, SERIES_TRIAGES, stacked_bars
from triage.models import Feedback, TriageEvent, UnansweredGroup

pytestmark = pytest.mark.django_db

URL = reverse("admin:triage_dashboard")
# A Wednesday noon: its week began on Monday the 3rd.
NOW = timezone.make_aware(datetime.datetime(2025, 3, 5, 12, 0))
THIS_WEEK = datetime.date(2025, 3, 3)


def _at(days_ago, hours=0):
    return NOW - datetime.timedelta(days=days_ago, hours=hours)


@pytest.fixture
def records():
    """Triages and answers in this week, last week and three weeks ago."""
    article = make_article(resolutions=["Restart the service"])
    resolution = article.resolutions.get()
    for days_ago, outcome in [
        (0, "high"),
        (1, "high"),  # Tuesday
        (2, "unanswered"),  # Monday 12:00, still this week
        (3, "medium"),  # Sunday: last week
        (8, "low"),
        (21, "high"),
        (21, "unanswered"),
        (200, "high"),  # long ago: in the totals, not in the weeks
    ]:
        TriageEvent.objects.create(created_at=_at(days_ago), outcome=outcome)
    for days_ago, helped in [(0, True), (1, False), (21, True), (21, True)]:
        Feedback.objects.create(resolution=resolution, helped=helped, created_at=_at(days_ago))
    UnansweredGroup.objects.create(fingerprint="a", label="open one")
    UnansweredGroup.objects.create(fingerprint="b", label="open two")
    UnansweredGroup.objects.create(fingerprint="c", label="done", handled=True)


def test_the_week_starts_on_monday_at_midnight():
    assert dashboard.week_start(NOW) == timezone.make_aware(datetime.datetime(2025, 3, 3))
    assert dashboard.week_start(_at(2, hours=12)).date() == THIS_WEEK
    assert dashboard.week_start(_at(2, hours=13)).date() == datetime.date(2025, 2, 24)


def test_summary_counts(records):
    summary = dashboard.summary(now=NOW)
    assert summary["triages_this_week"] == 3
    assert summary["triages_total"] == 8
    assert summary["by_outcome"] == {"high": 4, "medium": 1, "low": 1, "unanswered": 2}
    assert summary["open_unanswered"] == 2
    assert (summary["feedback_yes"], summary["feedback_no"]) == (3, 1)


def test_weekly_rows_cover_twelve_weeks_oldest_first(records):
    rows = dashboard.weekly(now=NOW)
    assert len(rows) == 12
    assert rows[-1]["week"] == THIS_WEEK
    assert rows[0]["week"] == THIS_WEEK - datetime.timedelta(weeks=11)
    by_week = {row["week"]: row for row in rows}
    this, last, three_ago = (
        by_week[THIS_WEEK],
        by_week[THIS_WEEK - datetime.timedelta(weeks=1)],
        by_week[THIS_WEEK - datetime.timedelta(weeks=3)],
    )
    assert (this["high"], this["medium"], this["low"], this["unanswered"]) == (2, 0, 0, 1)
    assert (this["yes"], this["no"]) == (1, 1)
    assert (last["medium"], last["low"]) == (1, 1)
    assert (three_ago["high"], three_ago["unanswered"], three_ago["yes"]) == (1, 1, 2)
    assert sum(row["high"] for row in rows) == 3  # the one 200 days ago is outside


def test_the_page_shows_the_numbers_and_an_accessible_chart(client, records):
    client.force_login(make_user(is_staff=True))
    # The page counts weeks back from now, so move the records into this week's frame.
    shift = dashboard.week_start() - dashboard.week_start(NOW)
    for model in (TriageEvent, Feedback):
        for row in model.objects.all():
            row.created_at += shift
            row.save()
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"Triages this week.*?</th><td>3</td>", page)
    assert re.search(r"Triages in total</th><td>8</td>", page)
    assert re.search(r"Open unanswered groups</a></th><td>2</td>", page)
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
    assert '<title id="chart-triages-title">Triages per week by outcome</title>' in page
    assert 'class="triage-bar-high"' in page and 'class="triage-bar-no"' in page
    assert "<script" not in page.split('id="content-main"')[1].split("</main>")[0]
    # The table holds the same numbers as the bars.
    this_week = dashboard.week_start().date().isoformat()
    row = re.search(rf"<th scope=\"row\">{this_week}</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "0", "0", "1", "1", "1"]


def test_bar_heights_follow_the_counts():
    rows = [
        {"week": THIS_WEEK, "high": 4, "medium": 0, "low": 0, "unanswered": 0},
        {"week": THIS_WEEK, "high": 1, "medium": 1, "low": 0, "unanswered": 0},
    ]
    chart = stacked_bars(rows, SERIES_TRIAGES, "t")
    [tall] = chart["bars"][0]["segments"]
    assert tall["h"] == CHART_HEIGHT
    assert [s["h"] for s in chart["bars"][1]["segments"]] == [CHART_HEIGHT / 4] * 2


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_people_who_are_not_staff_cannot_see_it(client):
    client.force_login(make_user())
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_admin_index_links_to_it(client):
    client.force_login(make_user(is_staff=True))
    assert URL in client.get(reverse("admin:index")).content.decode()
