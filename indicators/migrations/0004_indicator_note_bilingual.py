# The reading note becomes bilingual: the English text stays (renamed note_en),
# the Indonesian one is filled by `manage.py load_plan`.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_entry_rollup_covering_index"),
    ]

    operations = [
        migrations.RenameField(
            model_name="indicator",
            old_name="note",
            new_name="note_en",
        ),
        migrations.AlterField(
            model_name="indicator",
            name="note_en",
            field=models.TextField(
                blank=True, help_text="How an ambiguous target was read.", verbose_name="reading note (English)"
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="note_id",
            field=models.TextField(
                blank=True, help_text="How an ambiguous target was read.", verbose_name="reading note (Indonesian)"
            ),
        ),
    ]
