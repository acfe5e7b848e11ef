"""The two editing roles, as groups an administrator puts staff users into.

Editors write and revise drafts and send them for review. Publishers do that
and also publish, retire, restore, edit published articles and delete retired
ones. Readers need no account at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PARTS = ["appliesto", "symptom", "cause", "resolution", "reference", "signature", "sample"]

EDITORS = (
    ["add_article", "change_article", "view_article"]
    + ["add_product", "change_product", "view_product"]
    + [f"{action}_{part}" for part in PARTS for action in ("add", "change", "delete", "view")]
)
PUBLISHERS = EDITORS + ["delete_article", "publish_article", "retire_article", "delete_product"]


def _create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create
    # the kb ones now so the groups can be given them on a fresh database.
    kb_config = apps.get_app_config("kb")
    kb_config.models_module = True
    create_permissions(kb_config, apps=apps, verbosity=0)
    kb_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Publishers", PUBLISHERS)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="kb", codename__in=codenames
        )
        assert permissions.count() == len(codenames), f"missing permissions for {name}"
        group.permissions.add(*permissions)


def _delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0003_article_history_and_version"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(_create_groups, _delete_groups)]
