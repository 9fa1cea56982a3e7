"""Bad plan data is refused, by validation with a message naming the field
and by the database itself when validation is skipped."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Indicator, Kind, Target


def copy_of(indicator: Indicator, **changes) -> Indicator:
    values = {f.name: getattr(indicator, f.name) for f in Indicator._meta.fields if f.name != "id"}
    values.update(changes)
    return Indicator(**values)


@pytest.mark.django_db
def test_duplicate_indicator_code_is_refused(plan):
    original = Indicator.objects.get(code="1.a.1.1")
    duplicate = copy_of(original, number=9)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "code" in str(error.value).lower() or "__all__" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert Indicator.objects.filter(code="1.a.1.1").count() == 1


@pytest.mark.django_db
def test_negative_plan_target_is_refused(plan):
    indicator = Indicator.objects.get(code="1.a.1.1")
    indicator.plan_target = Decimal("-1")
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "plan_target" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        indicator.save()


@pytest.mark.django_db
def test_percent_target_over_100_is_refused(plan):
    indicator = Indicator.objects.get(code="2.b.1.3")
    assert indicator.kind == Kind.PERCENT
    indicator.plan_target = Decimal("120")
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "plan_target" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        indicator.save()


@pytest.mark.django_db
def test_negative_annual_target_is_refused(plan):
    target = Target.objects.filter(indicator__code="1.a.1.1").first()
    target.value = Decimal("-5")
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "value" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()


@pytest.mark.django_db
def test_target_year_outside_the_plan_is_refused(plan):
    target = Target(indicator=Indicator.objects.get(code="1.a.1.1"), year=2023, value=10)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "year" in error.value.message_dict
    assert "2018" in error.value.message_dict["year"][0]


@pytest.mark.django_db
def test_percent_annual_target_over_100_is_refused(plan):
    target = Target.objects.filter(indicator__code="2.b.1.3").first()
    target.value = Decimal("101")
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "value" in error.value.message_dict
