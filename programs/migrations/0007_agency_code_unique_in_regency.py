"""The constraints of agencies of a regency, after 0006 gave the agencies their regency (a separate
transaction: PostgreSQL refuses to alter a table with pending trigger events from the same one)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0006_agency_of_a_regency"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agency",
            name="code",
            field=models.SlugField(max_length=30, verbose_name="code"),
        ),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.UniqueConstraint(fields=("region", "code"), name="agency_code_unique_in_regency"),
        ),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.UniqueConstraint(
                condition=models.Q(("region__isnull", True)), fields=("code",), name="shared_agency_code_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_secretariat", True)), fields=("region",), name="one_secretariat_per_regency"
            ),
        ),
    ]
