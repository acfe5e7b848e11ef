"""Editors and publishers can work the unanswered queue and read the feedback."""

import pytest
from django.urls import reverse

from tests.factory import make_user
from triage.models import UnansweredGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["Editors", "Publishers"])
def test_roles_see_the_queue_and_the_feedback(client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("admin:triage_unansweredgroup_changelist")).status_code == 200
    assert client.get(reverse("admin:triage_feedback_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["Editors", "Publishers"])
def test_roles_mark_a_group_handled(client, role):
    group = UnansweredGroup.objects.create(fingerprint="abc", label="win32:5 · access denied")
    client.force_login(make_user(role))
    response = client.post(
        reverse("admin:triage_unansweredgroup_changelist"),
        {"action": "mark_handled", "_selected_action": [group.pk]},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.handled


def test_staff_without_a_role_see_neither(client):
    client.force_login(make_user(is_staff=True))
    assert client.get(reverse("admin:triage_unansweredgroup_changelist")).status_code == 403
    assert client.get(reverse("admin:triage_feedback_changelist")).status_code == 403


def test_nobody_edits_feedback_by_hand(client):
    client.force_login(make_user("Publishers"))
    assert client.get(reverse("admin:triage_feedback_add")).status_code == 403
