"""Each wizard step is locked on its own: two tabs on different steps both save."""

from __future__ import annotations

import pytest

from awards.models import Application, ItemResponse
from awards.services.application_drafts import StaleDraft, save_self_assessment, save_step_draft
from tests.factories import started_application

pytestmark = pytest.mark.django_db

STALE = "该申报已在其他窗口或设备上修改，请刷新后再编辑；您本次输入的内容未保存。"


def fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def save(application, user, step, values, version):
    return save_step_draft(
        application=fresh(application),
        step=step,
        values=values,
        expected_version=version,
        next_step=step,
        by=user,
    )


def test_two_tabs_on_different_steps_both_save_and_keep_each_others_draft():
    application, user = started_application()
    basic_tab = application.step_version("basic")
    overview_tab = application.step_version("overview")
    assert (basic_tab, overview_tab) == (0, 0)
    save(application, user, "basic", {"contact_person": "王五"}, basic_tab)
    save(application, user, "overview", {"overview": "概述"}, overview_tab)
    saved = fresh(application)
    assert saved.draft == {"basic": {"contact_person": "王五"}, "overview": {"overview": "概述"}}
    assert (saved.version, saved.step_versions) == (3, {"basic": 2, "overview": 3})


def test_the_same_step_in_two_tabs_refuses_the_second_and_keeps_the_first():
    application, user = started_application()
    save(application, user, "overview", {"overview": "甲"}, 0)
    with pytest.raises(StaleDraft) as refused:
        save(application, user, "overview", {"overview": "乙"}, 0)
    assert refused.value.messages == [STALE]
    saved = fresh(application)
    assert (saved.draft["overview"], saved.version, saved.step_versions) == (
        {"overview": "甲"},
        2,
        {"overview": 2},
    )
    save(application, user, "overview", {"overview": "乙"}, 2)
    assert fresh(application).draft["overview"] == {"overview": "乙"}


def test_self_assessment_categories_are_locked_one_by_one():
    application, user = started_application()
    items = list(application.cycle.framework.items.order_by("sort_order", "code"))
    first = [item for item in items if item.code.startswith("4.1.")]
    second = [item for item in items if item.code.startswith("4.2.")]

    def assess(chosen, text, version):
        save_self_assessment(
            application=fresh(application),
            texts={item.pk: text for item in chosen},
            percents={},
            expected_version=version,
            next_step="sa-4-1",
            by=user,
        )

    assess(first, "一", 0)
    assess(second, "二", 0)
    with pytest.raises(StaleDraft):
        assess(first, "旧", 0)
    assert sorted(ItemResponse.objects.values_list("text", flat=True)) == ["一"] * len(first) + [
        "二"
    ] * len(second)
    assert fresh(application).step_versions == {"sa-4-1": 2, "sa-4-2": 3}
