"""Administrators read sign-in failures (django-axes) in the admin and delete them to lift a lock-out."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from indicators.models.roles import build_role_groups


def update_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    build_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_view_dashboards_permission"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
