"""A service's refusal shown on a form or as messages (awards/forms/errors.py)."""

from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from awards.forms.errors import add_validation_error, message_validation_error


class DecisionForm(forms.Form):
    decision = forms.CharField()
    reasons = forms.CharField(required=False)


def valid_form() -> DecisionForm:
    form = DecisionForm({"decision": "fail", "reasons": ""})
    assert form.is_valid()
    return form


def test_a_refusal_keyed_by_field_lands_on_that_field():
    form = valid_form()
    add_validation_error(
        form, ValidationError({"reasons": ["请填写不通过的理由。", "理由不能少于五个字。"]})
    )
    assert form.errors == {"reasons": ["请填写不通过的理由。", "理由不能少于五个字。"]}
    assert form.non_field_errors() == []
    assert "reasons" not in form.cleaned_data


def test_a_plain_refusal_with_a_list_becomes_non_field_errors_in_order():
    form = valid_form()
    add_validation_error(
        form,
        ValidationError(
            [ValidationError("只能审查已提交的申报。"), ValidationError("届次已截止。")]
        ),
    )
    assert form.errors == {"__all__": ["只能审查已提交的申报。", "届次已截止。"]}


def test_a_single_message_keeps_its_parameters():
    form = valid_form()
    add_validation_error(form, ValidationError("第 %(version)s 版已批准。", params={"version": 3}))
    assert form.non_field_errors() == ["第 3 版已批准。"]


def test_a_field_the_form_does_not_have_becomes_a_non_field_error():
    form = valid_form()
    add_validation_error(
        form,
        ValidationError(
            {
                "decision": "请选择结论。",
                "framework": "评价准则已停用。",
                "__all__": "申报已撤回。",
            }
        ),
    )
    assert form.errors == {
        "decision": ["请选择结论。"],
        "__all__": ["评价准则已停用。", "申报已撤回。"],
    }


def test_messages_show_every_message_of_the_refusal_in_order():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    message_validation_error(
        request, ValidationError({"reason": "请填写理由。", "__all__": ["已提交。", "已截止。"]})
    )
    message_validation_error(request, ValidationError("本届已有一次计算正在进行。"))
    assert [(m.level_tag, m.message) for m in request._messages] == [
        ("error", "请填写理由。"),
        ("error", "已提交。"),
        ("error", "已截止。"),
        ("error", "本届已有一次计算正在进行。"),
    ]
