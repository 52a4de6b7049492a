"""Model choice fields answer an id beyond the database's range as an invalid choice."""

import pytest
from django.core.exceptions import ValidationError

from awards.forms.choices import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from awards.models import User
from tests.factories import OfficialFactory

HUGE = "9" * 30


@pytest.mark.django_db
def test_a_huge_id_is_an_invalid_choice_not_a_crash():
    official = OfficialFactory()
    single = BoundedModelChoiceField(queryset=User.objects.all())
    multiple = BoundedModelMultipleChoiceField(queryset=User.objects.all())
    with pytest.raises(ValidationError) as single_error:
        single.clean(HUGE)
    with pytest.raises(ValidationError) as multiple_error:
        multiple.clean([str(official.pk), HUGE])
    assert (single_error.value.code, multiple_error.value.code) == (
        "invalid_choice",
        "invalid_choice",
    )
    assert single.clean(str(official.pk)) == official
    assert list(multiple.clean([str(official.pk)])) == [official]
