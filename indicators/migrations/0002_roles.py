"""Create the five roles as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from indicators.roles import ADMINISTRATOR, ROLE_PERMISSIONS

# The administrator manages the plan, targets, agencies, regions and users in the admin.
ADMIN_MODELS = {
    "programs": ["plan", "pillar", "program", "activity", "agency", "region", "staffprofile"],
    "indicators": ["indicator", "target", "progressentry", "evidence", "comment"],
    "auth": ["user"],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = list(Permission.objects.filter(content_type__app_label="indicators", codename__in=codenames))
        if role == ADMINISTRATOR:
            for app_label, models in ADMIN_MODELS.items():
                perms += list(
                    Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
                )
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("programs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
