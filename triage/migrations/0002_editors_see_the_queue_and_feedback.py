"""Editors and publishers work the unanswered queue and read the feedback.

Both groups may view and mark unanswered groups as handled, read the redacted
pastes, the feedback and the triage outcomes. Nobody edits feedback or
outcomes by hand.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "view_unansweredgroup",
    "change_unansweredgroup",
    "view_unansweredpaste",
    "view_feedback",
    "view_triageevent",
]


def _grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run.
    config = apps.get_app_config("triage")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="triage", codename__in=CODENAMES
    )
    assert permissions.count() == len(CODENAMES), "missing triage permissions"
    for name in ("Editors", "Publishers"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def _revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="triage", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_triage_records"),
        ("kb", "0004_editor_and_publisher_groups"),
    ]

    operations = [migrations.RunPython(_grant, _revoke)]
