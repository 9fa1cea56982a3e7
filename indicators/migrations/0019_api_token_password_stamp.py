import hashlib

from django.db import migrations, models


def stamp_existing_tokens(apps, schema_editor):
    """Tokens made before the stamp existed are bound to their owner's password as it is now (the rule of
    indicators.models.tokens.password_stamp, copied: a migration does not import the model's module)."""
    ApiToken = apps.get_model("indicators", "ApiToken")
    for token in ApiToken.objects.select_related("user"):
        if token.user.is_active:
            token.password_stamp = hashlib.sha256(f"tppo-api-token:{token.user.password}".encode()).hexdigest()
            token.save(update_fields=["password_stamp"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0018_entry_return_answer"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(stamp_existing_tokens, migrations.RunPython.noop),
    ]
