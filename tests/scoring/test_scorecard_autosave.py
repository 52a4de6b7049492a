"""A scorecard item's background save: JSON, the item page's service, locked item by item."""

import datetime as dt

import pytest
from django.test import Client

from awards.services.security import LAST_ACTIVITY_SESSION_KEY
from scoring.enums import ScorecardStatus
from scoring.review.models import ItemScore, Scorecard
from tests import clock
from tests.factories import ApplicantFactory
from tests.scoring.factories import cleared_reviewer, submitted_scorecard
from tests.scoring.reviewer_pages import review_world, url  # noqa: F401

pytestmark = pytest.mark.django_db

STALE_411 = (
    "条款 4.1.1 已在其他窗口保存过，本次修改未保存，已保存的内容没有被覆盖。请核对后重新保存。"
)
SESSION_ENDED = "登录已失效，本次输入尚未保存；内容已暂存在本浏览器中，请重新登录后保存。"
LOCKED = "评分表已提交并锁定；如需修改，请联系质量奖办公室退回。"


def autosave(client, world, code, version, percent="", strengths="", improvements=""):
    return client.post(
        f"/review/assignments/{world['leader'].pk}/items/{code}/autosave/",
        {
            "version": str(version),
            f"{code}-percent": percent,
            f"{code}-strengths": strengths,
            f"{code}-improvements": improvements,
        },
    )


def saved(world) -> dict[str, tuple]:
    return {
        score.item.code: (score.percent, score.strengths, score.improvements)
        for score in ItemScore.objects.filter(scorecard__assignment=world["leader"]).select_related(
            "item"
        )
    }


@pytest.fixture
def reviewer_client(client, world):
    client.force_login(world["leader"].reviewer)
    return client


def test_a_background_save_stores_the_item_and_answers_its_version(
    time_machine, reviewer_client, world
):
    # A minute after signing in (not a fixed hour, which could lie past the idle timeout).
    moment = (clock.now() + dt.timedelta(minutes=1)).replace(microsecond=0)
    time_machine.move_to(moment, tick=False)
    response = autosave(reviewer_client, world, "4.1.1", 0, "65", "领导作用突出")
    assert (response.status_code, response.json()) == (
        200,
        {
            "ok": True,
            "version": 1,
            "saved_at": moment.astimezone(clock.SHANGHAI).strftime("%H:%M:%S"),
            "item": {"code": "4.1.1", "percent": 65, "done": True},
        },
    )
    assert saved(world) == {"4.1.1": (65, "领导作用突出", "")}


def test_two_tabs_on_different_items_both_save(reviewer_client, world):
    first = autosave(reviewer_client, world, "4.1.1", 0, "60", "甲")
    second = autosave(reviewer_client, world, "4.7.1", 0, "", "乙")
    third = autosave(reviewer_client, world, "4.1.1", first.json()["version"], "70", "甲二")
    assert [r.json()["version"] for r in (first, second, third)] == [1, 2, 3]
    assert second.json()["item"] == {"code": "4.7.1", "percent": None, "done": False}
    assert saved(world) == {"4.1.1": (70, "甲二", ""), "4.7.1": (None, "乙", "")}
    card = Scorecard.objects.get(assignment=world["leader"])
    assert (card.version, card.item_versions) == (3, {"4.1.1": 3, "4.7.1": 2})


def test_the_same_item_in_two_tabs_is_refused_and_nothing_is_overwritten(reviewer_client, world):
    assert autosave(reviewer_client, world, "4.1.1", 0, "60", "第一个标签页").status_code == 200
    stale = autosave(reviewer_client, world, "4.1.1", 0, "20", "第二个标签页")
    assert (stale.status_code, stale.json()) == (
        409,
        {"ok": False, "error": STALE_411, "stale": True},
    )
    assert saved(world) == {"4.1.1": (60, "第一个标签页", "")}
    assert Scorecard.objects.get(assignment=world["leader"]).version == 1


def test_the_refusal_speaks_the_reviewers_language(reviewer_client, world):
    autosave(reviewer_client, world, "4.1.1", 0, "60", "甲")
    reviewer_client.cookies["django_language"] = "en"
    stale = autosave(reviewer_client, world, "4.1.1", 0, "20", "乙")
    assert stale.json()["error"] == (
        "Item 4.1.1 was saved in another window. This change was not saved and nothing saved "
        "was overwritten. Please check and save again."
    )


def test_after_the_session_ended_the_save_says_so_and_changes_nothing(world):
    anonymous = autosave(Client(), world, "4.1.1", 0, "60", "没保存")
    assert (anonymous.status_code, anonymous.json()) == (
        401,
        {"ok": False, "error": SESSION_ENDED, "session_ended": True},
    )
    idle = Client()
    idle.force_login(world["leader"].reviewer)
    session = idle.session
    session[LAST_ACTIVITY_SESSION_KEY] = (clock.now() - dt.timedelta(hours=2)).timestamp()
    session.save()
    response = autosave(idle, world, "4.1.1", 0, "60", "闲置后")
    assert (response.status_code, response.json()["error"]) == (401, SESSION_ENDED)
    assert saved(world) == {}


def test_only_the_assigned_reviewer_saves(client, world):
    autosave_url = f"/review/assignments/{world['leader'].pk}/items/4.1.1/autosave/"
    for person in (cleared_reviewer(world["cycle"]), world["member"].reviewer, ApplicantFactory()):
        client.force_login(person)
        assert autosave(client, world, "4.1.1", 0, "60", "入侵").status_code == 404
    client.force_login(world["leader"].reviewer)
    assert autosave(client, world, "9.9.9", 0, "60", "x").status_code == 404
    assert client.get(autosave_url).status_code == 405
    assert Scorecard.objects.exists() is False


def test_a_submitted_scorecard_refuses_the_background_save(reviewer_client, world):
    card = submitted_scorecard(world["leader"], 60)
    response = autosave(reviewer_client, world, "4.1.1", card.version, "5", "提交后")
    assert (response.status_code, response.json()) == (
        409,
        {"ok": False, "error": LOCKED, "stale": False},
    )
    assert saved(world)["4.1.1"] == (60, "优势", "改进机会")
    assert Scorecard.objects.get(pk=card.pk).status == ScorecardStatus.SUBMITTED


def test_bad_input_is_refused_with_its_message(reviewer_client, world):
    response = autosave(reviewer_client, world, "4.1.1", 0, "37", "x")
    assert (response.status_code, response.json()) == (
        400,
        {"ok": False, "error": "得分百分比须为 5 的倍数（0%、5%、10% …… 100%），当前为 37%。"},
    )
    assert saved(world) == {}


def test_the_item_page_autosaves_unless_it_is_read_only(reviewer_client, world):
    leader = world["leader"]
    html = reviewer_client.get(url("item_411", world)).content.decode()
    assert (
        f'data-autosave-url="/review/assignments/{leader.pk}/items/4.1.1/autosave/" '
        f'data-autosave-key="scorecard:{leader.pk}:4.1.1"'
    ) in html
    assert '<input type="hidden" name="version" value="0" data-autosave-version>' in html
    assert 'id="autosave-messages"' in html
    submitted_scorecard(leader, 60)
    html = reviewer_client.get(url("item_411", world)).content.decode()
    assert ("data-autosave-url" in html, "autosave.js" in html) == (False, False)


def test_the_item_pages_button_is_not_refused_after_a_save_of_another_item(reviewer_client, world):
    assert autosave(reviewer_client, world, "4.7.1", 0, "50", "另一个标签页").status_code == 200
    response = reviewer_client.post(
        url("item_411", world),
        {"version": "0", "4.1.1-percent": "65", "4.1.1-strengths": "按钮保存"},
    )
    assert (response.status_code, response["Location"]) == (302, url("item_411", world))
    assert saved(world) == {"4.1.1": (65, "按钮保存", ""), "4.7.1": (50, "另一个标签页", "")}
