import pytest

from awards.validators import validate_credit_code
from tests.factories import CycleFactory, OfficialFactory, make_credit_code


def test_generated_credit_codes_are_valid_and_distinct():
    codes = {make_credit_code(n) for n in range(200)}
    assert len(codes) == 200
    for code in codes:
        validate_credit_code(code)


@pytest.mark.django_db
def test_cycle_factory_uses_the_national_framework():
    cycle = CycleFactory()
    assert cycle.framework.items.count() == 23
    official = OfficialFactory()
    assert official.is_official is True
