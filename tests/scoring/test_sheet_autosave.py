"""The whole sheet saves in the background and by its button, each row it changed locked on its
own item: tabs on different items both save, the same item keeps the first save."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from awards.models import AuditEntry
from awards.services.security import LAST_ACTIVITY_SESSION_KEY
from scoring.enums import ScorecardStatus
from scoring.review.models import ItemScore, Scorecard
from scoring.review.services.scorecards import ItemEntry, SheetRow
from tests import clock
from tests.factories import ApplicantFactory
from tests.scoring.factories import cleared_reviewer, submitted_scorecard
from tests.scoring.reviewer_pages import (  # noqa: F401
    page_messages,
    review_world,
    sheet_form,
    url,
)

pytestmark = pytest.mark.django_db

SESSION_ENDED = "登录已失效，本次输入尚未保存；内容已暂存在本浏览器中，请重新登录后保存。"
LOCKED = "评分表已提交并锁定；如需修改，请联系质量奖办公室退回。"
INCOMPLETE = "页面信息不完整，请刷新后重试。"


def stale(*codes: str) -> str:
    return (
        f"条款 {'、'.join(codes)} 已在其他窗口保存过，本次修改未保存，已保存的内容没有被覆盖。"
        "请核对后重新保存。"
    )


def fingerprint(percent=None, strengths="", improvements="") -> str:
    return ItemEntry(percent, strengths, improvements).fingerprint()


def autosave_url(world) -> str:
    return f"/review/assignments/{world['leader'].pk}/sheet/autosave/"


def item_autosave(client, world, code, version, percent="", strengths=""):
    return client.post(
        f"/review/assignments/{world['leader'].pk}/items/{code}/autosave/",
        {"version": str(version), f"{code}-percent": percent, f"{code}-strengths": strengths},
    )


def saved(world) -> dict[str, tuple]:
    return {
        score.item.code: (score.percent, score.strengths, score.improvements)
        for score in ItemScore.objects.filter(scorecard__assignment=world["leader"]).select_related(
            "item"
        )
    }


def card(world) -> Scorecard:
    return Scorecard.objects.get(assignment=world["leader"])


@pytest.fixture
def reviewer_client(client, world):
    client.force_login(world["leader"].reviewer)
    return client


# The fingerprint -------------------------------------------------------------------------


def test_the_fingerprint_tells_changed_content_from_the_browsers_line_ends():
    saved_text = ItemEntry(60, "第一行\n第二行", "改进")
    assert ItemEntry(60, "第一行\r\n第二行  ", " 改进").fingerprint() == saved_text.fingerprint()
    assert [
        ItemEntry(*changed).fingerprint() == saved_text.fingerprint()
        for changed in (
            (65, "第一行\n第二行", "改进"),
            (60, "第一行 第二行", "改进"),
            (60, "第一行\n第二行", "改进。"),
            (60, "改进", "第一行\n第二行"),
        )
    ] == [False, False, False, False]
    assert SheetRow(saved_text, version=3, seen=saved_text.fingerprint()).changed is False
    assert SheetRow(saved_text, version=3, seen="").changed is True


# Background save ---------------------------------------------------------------------------


def test_a_background_save_stores_the_changed_rows_and_answers_their_new_hidden_values(
    time_machine, reviewer_client, world
):
    # A minute after signing in (not a fixed hour, which could lie past the idle timeout).
    moment = (clock.now() + dt.timedelta(minutes=1)).replace(microsecond=0)
    time_machine.move_to(moment, tick=False)
    data = sheet_form(
        reviewer_client, world, **{"4.1.1-percent": "65", "4.1.1-strengths": "领导作用突出"}
    )
    assert (data["4.1.1-version"], data["4.1.1-seen"]) == ("0", fingerprint())
    response = reviewer_client.post(autosave_url(world), data)
    assert (response.status_code, response.json()) == (
        200,
        {
            "ok": True,
            "saved_at": moment.astimezone(clock.SHANGHAI).strftime("%H:%M:%S"),
            "saved": ["4.1.1"],
            "fields": {"4.1.1-version": "1", "4.1.1-seen": fingerprint(65, "领导作用突出")},
        },
    )
    assert saved(world) == {"4.1.1": (65, "领导作用突出", "")}
    assert (card(world).version, card(world).item_versions) == (1, {"4.1.1": 1})
    # The page goes on with the answered values: its next change saves, the row saved before
    # is not written again.
    data.update(response.json()["fields"])
    data["4.2.1-improvements"] = "战略缺少量化目标"
    again = reviewer_client.post(autosave_url(world), data)
    assert (again.status_code, again.json()["saved"]) == (200, ["4.2.1"])
    assert (card(world).version, card(world).item_versions) == (2, {"4.1.1": 1, "4.2.1": 2})


def test_the_sheet_and_an_item_page_on_different_items_both_save(reviewer_client, world):
    sheet_tab = sheet_form(reviewer_client, world)
    assert item_autosave(reviewer_client, world, "4.2.1", 0, "40", "条款页").status_code == 200
    sheet_tab.update({"4.1.1-percent": "60", "4.1.1-strengths": "总览页"})
    response = reviewer_client.post(autosave_url(world), sheet_tab)
    assert (response.status_code, response.json()["saved"]) == (200, ["4.1.1"])
    # The sheet still shows 4.2.1 empty, as loaded: unchanged there, so not written over.
    assert saved(world) == {"4.1.1": (60, "总览页", ""), "4.2.1": (40, "条款页", "")}
    assert card(world).item_versions == {"4.2.1": 1, "4.1.1": 2}


def test_two_sheets_changing_the_same_item_keep_the_first_save(reviewer_client, world):
    first_tab = sheet_form(reviewer_client, world)
    second_tab = sheet_form(reviewer_client, world)
    first_tab["4.1.1-strengths"] = "第一个标签页"
    assert reviewer_client.post(autosave_url(world), first_tab).status_code == 200
    audits = AuditEntry.objects.filter(action="save_scorecard").count()

    second_tab["4.1.1-strengths"] = "第二个标签页"
    refused = reviewer_client.post(autosave_url(world), second_tab)
    assert (refused.status_code, refused.json()) == (
        409,
        {"ok": False, "error": stale("4.1.1"), "stale": True, "saved": [], "fields": {}},
    )
    assert saved(world) == {"4.1.1": (None, "第一个标签页", "")}
    assert (card(world).version, AuditEntry.objects.filter(action="save_scorecard").count()) == (
        1,
        audits,
    )

    # Changing another item as well: that one is saved, the same item is still refused.
    second_tab["4.2.1-strengths"] = "另一条款"
    partly = reviewer_client.post(autosave_url(world), second_tab)
    assert (partly.status_code, partly.json()) == (
        409,
        {
            "ok": False,
            "error": stale("4.1.1"),
            "stale": True,
            "saved": ["4.2.1"],
            "fields": {"4.2.1-version": "2", "4.2.1-seen": fingerprint(None, "另一条款")},
        },
    )
    assert saved(world) == {
        "4.1.1": (None, "第一个标签页", ""),
        "4.2.1": (None, "另一条款", ""),
    }


def test_the_refusal_speaks_the_reviewers_language(reviewer_client, world):
    first_tab = sheet_form(reviewer_client, world, **{"4.1.1-percent": "60"})
    second_tab = sheet_form(reviewer_client, world, **{"4.1.1-percent": "20"})
    reviewer_client.post(autosave_url(world), first_tab)
    reviewer_client.cookies["django_language"] = "en"
    assert reviewer_client.post(autosave_url(world), second_tab).json()["error"] == (
        "Item 4.1.1 was saved in another window. This change was not saved and nothing saved "
        "was overwritten. Please check and save again."
    )


def test_after_the_session_ended_the_save_says_so_and_changes_nothing(reviewer_client, world):
    data = sheet_form(reviewer_client, world, **{"4.1.1-strengths": "没保存"})
    anonymous = Client().post(autosave_url(world), data)
    assert (anonymous.status_code, anonymous.json()) == (
        401,
        {"ok": False, "error": SESSION_ENDED, "session_ended": True},
    )
    session = reviewer_client.session
    session[LAST_ACTIVITY_SESSION_KEY] = (clock.now() - dt.timedelta(hours=2)).timestamp()
    session.save()
    idle = reviewer_client.post(autosave_url(world), data)
    assert (idle.status_code, idle.json()["error"]) == (401, SESSION_ENDED)
    assert Scorecard.objects.exists() is False


def test_only_the_assigned_reviewer_saves(client, world):
    client.force_login(world["leader"].reviewer)
    data = sheet_form(client, world, **{"4.1.1-percent": "60"})
    for person in (cleared_reviewer(world["cycle"]), world["member"].reviewer, ApplicantFactory()):
        client.force_login(person)
        assert client.post(autosave_url(world), data).status_code == 404
    client.force_login(world["leader"].reviewer)
    assert client.get(autosave_url(world)).status_code == 405
    assert Scorecard.objects.exists() is False


def test_a_submitted_scorecard_refuses_the_background_save_and_the_button(reviewer_client, world):
    data = sheet_form(reviewer_client, world, **{"4.1.1-percent": "5"})
    submitted_scorecard(world["leader"], 60)
    response = reviewer_client.post(autosave_url(world), data)
    assert (response.status_code, response.json()) == (
        409,
        {"ok": False, "error": LOCKED, "stale": False},
    )
    # Even a post that changes nothing is told so.
    unchanged = sheet_form(reviewer_client, world)
    assert reviewer_client.post(autosave_url(world), unchanged).json()["error"] == LOCKED
    button = reviewer_client.post(url("sheet", world), data)
    assert page_messages(button) == [("error", LOCKED)]
    assert saved(world)["4.1.1"] == (60, "优势", "改进机会")
    assert card(world).status == ScorecardStatus.SUBMITTED


def test_outside_the_window_the_background_save_is_refused(reviewer_client, world):
    data = sheet_form(reviewer_client, world, **{"4.1.1-percent": "60"})
    stage = world["stage"]
    stage.opens_at = timezone.now() - dt.timedelta(days=10)
    stage.closes_at = timezone.now() - dt.timedelta(minutes=1)
    stage.save()
    window = (
        f"{timezone.localtime(stage.opens_at):%Y-%m-%d %H:%M} 至 "
        f"{timezone.localtime(stage.closes_at):%Y-%m-%d %H:%M}"
    )
    response = reviewer_client.post(autosave_url(world), data)
    assert (response.status_code, response.json()) == (
        409,
        {
            "ok": False,
            "error": f"本阶段评分时间为 {window}（北京时间），当前不在评分时间内。",
            "stale": False,
        },
    )
    assert Scorecard.objects.exists() is False


def test_bad_input_is_refused_naming_the_item(reviewer_client, world):
    data = sheet_form(reviewer_client, world, **{"4.2.1-percent": "37", "4.1.1-percent": "60"})
    response = reviewer_client.post(autosave_url(world), data)
    assert (response.status_code, response.json()) == (
        400,
        {
            "ok": False,
            "error": "条款 4.2.1：得分百分比须为 5 的倍数（0%、5%、10% …… 100%），当前为 37%。",
        },
    )
    del data["4.2.1-percent"], data["4.3.1-version"]
    response = reviewer_client.post(autosave_url(world), data)
    assert (response.status_code, response.json()) == (400, {"ok": False, "error": INCOMPLETE})
    assert Scorecard.objects.exists() is False


def test_the_sheet_autosaves_unless_it_is_read_only(reviewer_client, world):
    leader = world["leader"]
    html = reviewer_client.get(url("sheet", world)).content.decode()
    assert (
        f'<form method="post" action="/review/assignments/{leader.pk}/sheet/" novalidate '
        f'data-sheet-form data-autosave-url="/review/assignments/{leader.pk}/sheet/autosave/" '
        f'data-autosave-key="scorecard:{leader.pk}:sheet">'
    ) in html
    assert (
        '<input type="hidden" name="4.1.1-version" value="0" id="id_4.1.1-version">'
        f'<input type="hidden" name="4.1.1-seen" value="{fingerprint()}" id="id_4.1.1-seen">'
    ) in html
    assert ('id="autosave-messages"' in html, "data-autosave-status" in html) == (True, True)
    submitted_scorecard(leader, 60)
    html = reviewer_client.get(url("sheet", world)).content.decode()
    assert ("data-autosave-url" in html, "autosave.js" in html) == (False, False)


# The button, without JavaScript -----------------------------------------------------------


def test_the_button_saves_the_changed_rows_beside_another_tabs_items(reviewer_client, world):
    sheet_tab = sheet_form(reviewer_client, world)
    assert item_autosave(reviewer_client, world, "4.2.1", 0, "40", "条款页").status_code == 200
    sheet_tab.update({"4.1.1-percent": "60", "4.1.1-strengths": "总览页按钮"})
    response = reviewer_client.post(url("sheet", world), sheet_tab, follow=True)
    assert page_messages(response) == [("success", "已保存全部条款。")]
    assert saved(world) == {"4.1.1": (60, "总览页按钮", ""), "4.2.1": (40, "条款页", "")}


def test_the_button_with_one_stale_item_refuses_only_that_item(reviewer_client, world):
    sheet_tab = sheet_form(reviewer_client, world)
    item_autosave(reviewer_client, world, "4.1.1", 0, "70", "另一标签页")
    item_autosave(reviewer_client, world, "4.2.1", 0, "40", "另一条款")
    sheet_tab.update(
        {"4.1.1-percent": "30", "4.1.1-strengths": "总览页的优势", "4.3.1-percent": "50"}
    )
    response = reviewer_client.post(url("sheet", world), sheet_tab)
    assert (response.status_code, page_messages(response)) == (
        200,
        [("success", "已保存条款 4.3.1。"), ("error", stale("4.1.1"))],
    )
    assert saved(world) == {
        "4.1.1": (70, "另一标签页", ""),
        "4.2.1": (40, "另一条款", ""),
        "4.3.1": (50, "", ""),
    }
    html = response.content.decode()
    box = re.search(
        r'<tr class="saved-elsewhere-row" data-saved-elsewhere-row="4.1.1"><td colspan="6">'
        r"<div class=\"saved-elsewhere\" data-saved-elsewhere>(.*?)</div>\s*</td></tr>",
        html,
        re.S,
    )
    assert " ".join(box.group(1).split()) == (
        "<strong>其他窗口已保存的内容</strong>： 70% <br>优势：另一标签页 <br>"
        '<span class="muted">下方仍是您刚才填写的内容。核对后再次保存，将以您填写的内容为准。</span>'
    )
    assert html.count("data-saved-elsewhere-row") == 1
    assert "总览页的优势</textarea>" in html
    # The redrawn rows: the refused one and the saved one carry what is saved now.
    redrawn = {
        name: value
        for name, value in re.findall(
            r'<input type="hidden" name="([\d.]+-\w+)" value="(\w*)"', html
        )
        if name.startswith(("4.1.1-", "4.2.1-", "4.3.1-"))
    }
    assert redrawn == {
        "4.1.1-version": "1",
        "4.1.1-seen": fingerprint(70, "另一标签页"),
        "4.2.1-version": "0",
        "4.2.1-seen": fingerprint(),
        "4.3.1-version": "3",
        "4.3.1-seen": fingerprint(50),
    }
    # Saved again after checking, the typed text wins; 4.2.1, still shown empty, is untouched.
    again = reviewer_client.post(url("sheet", world), {**sheet_tab, **redrawn}, follow=True)
    assert page_messages(again) == [("success", "已保存全部条款。")]
    assert saved(world) == {
        "4.1.1": (30, "总览页的优势", ""),
        "4.2.1": (40, "另一条款", ""),
        "4.3.1": (50, "", ""),
    }


def test_a_page_without_the_rows_versions_is_refused_and_drawn_again_to_save(
    reviewer_client, world
):
    old_page = {
        name: value
        for name, value in sheet_form(reviewer_client, world, **{"4.1.1-percent": "60"}).items()
        if not name.endswith(("-version", "-seen"))
    }
    response = reviewer_client.post(url("sheet", world), old_page)
    assert page_messages(response) == [("error", INCOMPLETE)]
    assert Scorecard.objects.exists() is False
    html = response.content.decode()
    assert '<input type="hidden" name="4.1.1-version" value="0" id="id_4.1.1-version">' in html
    assert '<option value="60" selected>60%</option>' in html
