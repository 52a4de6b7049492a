import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from awards.validators import credit_code_check_character, validate_credit_code

VALID = "91350100M000100Y43"  # the worked example of GB 32100-2015


def message_of(code: str, language: str = "zh-hans") -> str:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    return caught.value.messages[0]


def test_the_standard_example_is_valid_and_its_check_character_is_3():
    validate_credit_code(VALID)
    validate_credit_code(VALID.lower())
    assert credit_code_check_character(VALID[:17]) == "3"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y4", "统一社会信用代码应为 18 位，当前为 17 位。"),
        ("91350100M000100Y433", "统一社会信用代码应为 18 位，当前为 19 位。"),
        ("91350100M000100O43", "统一社会信用代码不能包含字母 O（I、O、S、V、Z 不用于代码）。"),
        ("91350100I0001S0Y43", "统一社会信用代码不能包含字母 I、S（I、O、S、V、Z 不用于代码）。"),
        ("91350100M000100Y4#", "统一社会信用代码含有无效字符：#。"),
        ("913501A0M000100Y43", "统一社会信用代码第 3–8 位应为 6 位数字的登记管理机关行政区划码。"),
        ("91350100M000100Y44", "统一社会信用代码校验位错误：第 18 位应为 3，而不是 4。"),
    ],
)
def test_invalid_codes_get_a_precise_chinese_message(code, expected):
    assert message_of(code) == expected


def test_messages_are_also_available_in_english():
    assert message_of("91350100M000100Y44", "en") == (
        "Wrong check character in the unified social credit code: the 18th character should be 3,"
        " not 4."
    )
    assert message_of("12345", "en") == (
        "A unified social credit code has 18 characters; this one has 5."
    )
