"""Feedback in the admin: answers per resolution and per week, and nobody edits them."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.factory import make_article, make_user
from triage import dashboard
from triage.models import Feedback

pytestmark = pytest.mark.django_db

URL = reverse("admin:triage_feedback_changelist")


@pytest.fixture
def resolutions():
    restart = make_article(title="Pool stops", resolutions=["Restart the pool"])
    other = make_article(title="Port busy", resolutions=["Free the port", "Reboot"])
    return restart.resolutions.get(), *other.resolutions.order_by("order")


@pytest.fixture
def answers(resolutions):
    restart, free, _ = resolutions
    now = timezone.now()
    for helped in (True, True, True, False):
        Feedback.objects.create(resolution=restart, helped=helped, created_at=now)
    Feedback.objects.create(
        resolution=free, helped=False, created_at=now - datetime.timedelta(weeks=2)
    )
    return resolutions


@pytest.fixture
def viewer(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_feedback"))
    client.force_login(user)
    return user


def test_counts_per_resolution(answers):
    restart, free, reboot = answers
    rows = {row["resolution_id"]: row for row in dashboard.feedback_by_resolution()}
    assert (rows[restart.pk]["yes"], rows[restart.pk]["no"]) == (3, 1)
    assert rows[restart.pk]["rate"] == 0.75
    assert (rows[free.pk]["yes"], rows[free.pk]["no"], rows[free.pk]["rate"]) == (0, 1, 0)
    assert reboot.pk not in rows  # never answered
    assert list(rows) == [restart.pk, free.pk]  # most answered first


def test_counts_per_week(answers):
    weeks = dashboard.feedback_by_week()
    assert weeks[-1][1:] == (3, 1)
    assert weeks[-3][1:] == (0, 1)
    assert sum(yes + no for _, yes, no in weeks) == 5


def test_the_list_shows_the_summary_per_resolution(client, viewer, answers):
    page = client.get(URL).content.decode()
    row = re.search(r"<td>Restart the pool</td>(.*?)</tr>", page, re.S).group(1)
    assert "Pool stops" in row
    assert re.findall(r"<td>(\d+%?)</td>", row) == ["3", "1", "75%"]


def test_the_summary_follows_the_filters(client, viewer, answers):
    page = client.get(URL, {"helped__exact": "0"}).content.decode()
    row = re.search(r"<td>Restart the pool</td>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td>(\d+%?)</td>", row) == ["0", "1", "0%"]


def test_feedback_is_read_only(client, viewer, answers):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    answer = Feedback.objects.first()
    assert client.get(reverse("admin:triage_feedback_add")).status_code == 403
    change = client.get(reverse("admin:triage_feedback_change", args=[answer.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.post(reverse("admin:triage_feedback_delete", args=[answer.pk])).status_code == 403
    assert Feedback.objects.count() == 5


def test_staff_without_the_permission_are_refused(client, answers):
    client.force_login(make_user(is_staff=True))
    assert client.get(URL).status_code == 403
