"""The wizard's background save: JSON, the same services and per-step locks as the buttons."""

from __future__ import annotations

import pytest
from django.test import Client

from awards.models import Application, ItemResponse
from tests.factories import started_application, tianmen_applicant

pytestmark = pytest.mark.django_db

STALE = "该申报已在其他窗口或设备上修改，请刷新后再编辑；您本次输入的内容未保存。"
SESSION_ENDED = "登录已失效，本次输入尚未保存；内容已暂存在本浏览器中，请重新登录后保存。"


def autosave(client, application, step, values, version):
    data = {f"{step}-{name}": value for name, value in values.items()}
    data["draft_version"] = str(version)
    return client.post(f"/portal/applications/{application.pk}/step/{step}/autosave/", data)


def fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


@pytest.mark.time_machine("2026-09-28 10:00:05 +08:00", tick=False)
def test_a_background_save_keeps_the_draft_and_answers_the_new_version(client):
    application, user = started_application()
    client.force_login(user)
    response = autosave(client, application, "overview", {"overview": "边写边存"}, 0)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "version": 2, "saved_at": "10:00:05"}
    saved = fresh(application)
    assert (saved.draft, saved.current_step) == ({"overview": {"overview": "边写边存"}}, "overview")


def test_two_tabs_on_different_steps_both_save_and_the_same_step_is_refused(client):
    application, user = started_application()
    client.force_login(user)
    assert autosave(client, application, "overview", {"overview": "甲"}, 0).json()["version"] == 2
    basic = autosave(client, application, "basic", {"contact_person": "乙"}, 0)
    assert basic.json()["version"] == 3
    stale = autosave(client, application, "overview", {"overview": "丙"}, 0)
    assert stale.status_code == 409
    assert stale.json() == {"ok": False, "error": STALE, "stale": True}
    draft = fresh(application).draft
    assert (draft["overview"], draft["basic"]["contact_person"]) == ({"overview": "甲"}, "乙")


def test_a_self_assessment_step_saves_its_items(client):
    application, user = started_application()
    client.force_login(user)
    items = [i for i in application.cycle.framework.items.all() if i.category_code == "4.1"]
    values = {f"text_{item.pk}": f"{item.code} 草稿" for item in items}
    assert autosave(client, application, "sa-4-1", values, 0).status_code == 200
    assert sorted(ItemResponse.objects.values_list("text", flat=True)) == sorted(
        f"{item.code} 草稿" for item in items
    )


def test_after_the_session_ended_the_save_says_so_and_changes_nothing():
    application, _user = started_application()
    response = autosave(Client(), application, "overview", {"overview": "没保存"}, 0)
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error": SESSION_ENDED, "session_ended": True}
    assert fresh(application).draft == {}


def test_only_the_applicant_saves_and_only_steps_that_autosave(client):
    application, user = started_application()
    client.force_login(tianmen_applicant())
    assert autosave(client, application, "overview", {"overview": "入侵"}, 0).status_code == 404
    client.force_login(user)
    assert autosave(client, application, "evidence", {}, 0).status_code == 404
    assert autosave(client, application, "review", {}, 0).status_code == 404
    url = f"/portal/applications/{application.pk}/step/overview/autosave/"
    assert client.get(url).status_code == 405
    assert fresh(application).draft == {}
