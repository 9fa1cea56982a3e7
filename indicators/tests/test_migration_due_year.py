"""Migration 0007 on data made before it: a milestone's target row becomes its due year."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("indicators", "0006_cockpit_roles")]
AFTER = [("indicators", "0007_level_kind_milestone_due_year")]


@pytest.mark.django_db(transaction=True)
def test_milestone_targets_become_due_years(plan):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Indicator, Target = apps.get_model("indicators", "Indicator"), apps.get_model("indicators", "Target")
    ids = dict(Indicator.objects.filter(kind="milestone").values_list("code", "id"))
    # as load_plan made them before: each milestone "due" through a target of 1 in the plan's last year;
    # an administrator had moved 4.a.1.1's to 2020
    Target.objects.bulk_create(Target(indicator_id=pk, year=2022, value=Decimal(1)) for pk in ids.values())
    Target.objects.filter(indicator_id=ids["4.a.1.1"]).update(year=2020)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Indicator, Target = apps.get_model("indicators", "Indicator"), apps.get_model("indicators", "Target")
    assert Indicator.objects.get(code="4.a.1.1").due_year == 2020  # the edit is kept
    assert Indicator.objects.get(code="1.b.1.1").due_year is None  # the old default: the plan's last year
    assert not Target.objects.filter(indicator__kind="milestone").exists()
    assert Target.objects.filter(indicator__code="1.a.1.1").count() == 5  # other kinds keep theirs
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
