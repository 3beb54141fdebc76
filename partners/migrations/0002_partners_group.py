"""The Partners group: partner accounts are its members. Its permissions bound what their tokens' scopes
may do (decide alignments, import); the Support Unit may issue tokens and build snapshots."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PARTNERS = "Partners"
SUPPORT_UNIT = "Support Unit"
PARTNER_PERMISSIONS = [("commitments", "review_alignment"), ("commitments", "import_ogp_data")]
SUPPORT_UNIT_PERMISSIONS = [
    ("partners", "issue_partnertoken"),
    ("partners", "view_partnertoken"),
    ("partners", "add_partnertoken"),
    ("partners", "view_webhook"),
    ("partners", "add_webhook"),
    ("partners", "view_delivery"),
    ("partners", "build_snapshot"),
    ("partners", "view_snapshot"),
]


def _permissions(apps, names):
    for app_config in apps.get_app_configs():  # permissions are otherwise made only after every migration
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in names]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    partners, _ = Group.objects.get_or_create(name=PARTNERS)
    partners.permissions.add(*_permissions(apps, PARTNER_PERMISSIONS))
    support_unit, _ = Group.objects.get_or_create(name=SUPPORT_UNIT)
    support_unit.permissions.add(*_permissions(apps, SUPPORT_UNIT_PERMISSIONS))


def remove_partners(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PARTNERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("commitments", "0011_commitment_language_and_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_partners)]
