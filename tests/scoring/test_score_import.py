"""CSV import of paper scores: everything or nothing, with a Chinese error per bad line."""

import pytest

from awards.models import AuditEntry
from scoring.enums import ScorecardStatus, StageKind
from scoring.review.models import ItemScore, Scorecard
from scoring.review.services.score_import import import_scores, template_rows
from tests.factories import OfficialFactory, ReviewerFactory
from tests.scoring.factories import (
    AssignmentFactory,
    PanelFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db

HEADER = "申报编号,专家用户名,评审阶段,条款编号,百分比,评语"


@pytest.fixture
def onsite():
    stage = ReviewStageFactory(kind=StageKind.ONSITE, order=2)
    cycle = stage.cycle
    authority = cycle.programme.authority
    zhang = ReviewerFactory(username="zhang", authority=authority)
    li = ReviewerFactory(username="li", authority=authority)
    outsider = ReviewerFactory(username="wang", authority=authority)
    p1, p2 = PanelFactory(stage=stage), PanelFactory(stage=stage)
    for panel in (p1, p2):
        AssignmentFactory(panel=panel, reviewer=zhang)
        AssignmentFactory(panel=panel, reviewer=li)
    items = list(
        cycle.framework.items.order_by("sort_order", "code").values_list("code", flat=True)
    )
    return {
        "stage": stage,
        "cycle": cycle,
        "apps": (p1.application_id, p2.application_id),
        "items": items,
        "outsider": outsider,
        "official": OfficialFactory(authority=authority),
    }


def full_file(onsite, *, percent=75, stage="现场评审", header=HEADER) -> list[str]:
    lines = [header]
    for app_id in onsite["apps"]:
        for username in ("zhang", "li"):
            for code in onsite["items"]:
                lines.append(f"{app_id},{username},{stage},{code},{percent},现场核实，过程完整")
    return lines


def run(onsite, lines, encoding="utf-8"):
    data = ("\n".join(lines) + "\n").encode(encoding)
    return import_scores(cycle=onsite["cycle"], data=data, by=onsite["official"])


def test_valid_file_imports_every_scorecard_submitted(onsite):
    result = run(onsite, full_file(onsite))
    n_items = len(onsite["items"])
    assert (result.ok, result.errors, result.scorecards, result.scores) == (
        True,
        [],
        4,
        4 * n_items,
    )
    assert list(Scorecard.objects.values_list("status", flat=True).distinct()) == [
        ScorecardStatus.SUBMITTED
    ]
    assert ItemScore.objects.count() == 4 * n_items
    assert set(ItemScore.objects.values_list("percent", "strengths", "improvements")) == {
        (75, "现场核实，过程完整", "")
    }
    entry = AuditEntry.objects.get(action="import_scores")
    assert (entry.actor, entry.details["scores"], len(entry.details["scorecards"])) == (
        onsite["official"],
        4 * n_items,
        4,
    )


def test_english_header_gbk_encoding_and_optional_improvements_column(onsite):
    header = "application,reviewer,stage,item,percent,comment,improvements"
    lines = [header] + [line + ",加强对标" for line in full_file(onsite, stage="onsite")[1:]]
    result = run(onsite, lines, encoding="gb18030")
    assert result.ok is True
    assert set(ItemScore.objects.values_list("improvements", flat=True)) == {"加强对标"}


def test_a_partly_invalid_file_imports_nothing_and_lists_each_bad_line(onsite):
    lines = full_file(onsite)
    a1, a2 = onsite["apps"]
    first_item = onsite["items"][0]
    lines[7 - 1] = f"{a1},zhang,现场评审,{onsite['items'][5]},33,评语"  # line 7
    lines[9 - 1] = f"{a1},zhang,现场评审,{onsite['items'][7]},105,评语"  # line 9
    lines[10 - 1] = f"{a1},nobody,现场评审,{onsite['items'][8]},50,评语"  # line 10
    lines[11 - 1] = f"{a1},zhang,现场评审,9.9.9,50,评语"  # line 11
    lines[12 - 1] = f"{a1},zhang,资格审查,{onsite['items'][10]},50,评语"  # line 12
    lines[13 - 1] = f"{a1},zhang,现场评审,{onsite['items'][11]},abc,"  # line 13
    lines[14 - 1] = f"{a1},zhang,现场评审,{onsite['items'][12]}"  # line 14
    lines.append(f"{a2},zhang,现场评审,{first_item},60,评语")  # duplicate of an earlier row
    lines.append(f"{a2},wang,现场评审,{first_item},60,评语")  # not on the panel
    lines.append(f"999999,zhang,现场评审,{first_item},60,评语")  # unknown application
    duplicate_line = len(onsite["items"]) * 2 + 2
    n = len(lines)
    result = run(onsite, lines)
    assert result.ok is False
    assert result.errors == [
        "第 7 行：百分比 33 不在 5% 的刻度上。",
        "第 9 行：百分比 105 超出 0–100 的范围。",
        "第 10 行：专家用户名“nobody”不存在。",
        "第 11 行：条款编号“9.9.9”不在本届次的评价准则中。",
        "第 12 行：评审阶段“资格审查”不是本届次的评审阶段。",
        "第 13 行：百分比“abc”不是 0–100 的整数。",
        "第 13 行：评语不能为空。",
        "第 14 行：应有 6 列，实际 4 列。",
        f"第 {n - 2} 行：与第 {duplicate_line} 行重复（同一申报、专家、阶段和条款）。",
        f"第 {n - 1} 行：专家“wang”不是申报 {a2} 在“现场评审”的评审组成员。",
        f"第 {n} 行：申报编号“999999”不属于本届次。",
    ]
    assert (Scorecard.objects.count(), ItemScore.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(action="import_scores").count() == 0


def test_incomplete_scorecard_is_rejected(onsite):
    lines = full_file(onsite)
    missing = onsite["items"][3]
    a1 = onsite["apps"][0]
    lines = [line for line in lines if line != f"{a1},li,现场评审,{missing},75,现场核实，过程完整"]
    result = run(onsite, lines)
    first_li_line = len(onsite["items"]) + 2
    assert result.errors == [
        f"第 {first_li_line} 行：专家“li”对申报 {a1} 的评分不完整，缺少条款 {missing}。"
    ]
    assert Scorecard.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (b"", ["第 1 行：文件是空的。"]),
        ((HEADER + "\n").encode(), ["第 2 行：文件中没有评分数据。"]),
        (
            "编号,用户,阶段\n1,2,3\n".encode(),
            [
                "第 1 行：表头应为“申报编号,专家用户名,评审阶段,条款编号,百分比,评语”"
                "（可加第七列“改进机会”）。"
            ],
        ),
        (
            b"\xff\xfe\x00\x00\x81",
            ["第 1 行：文件无法按 UTF-8 或 GB18030 编码读取，请另存为 CSV（UTF-8）。"],
        ),
        (
            (HEADER + '\n1,zhang,现场评审,4.1.1,50,"未结束的引号\n').encode(),
            ["第 2 行：CSV 格式错误（unexpected end of data）。"],
        ),
    ],
    ids=["empty", "header-only", "bad-header", "undecodable", "broken-quote"],
)
def test_malformed_files_import_nothing(onsite, content, errors):
    result = import_scores(cycle=onsite["cycle"], data=content, by=onsite["official"])
    assert result.errors == errors
    assert Scorecard.objects.count() == 0


def test_submitted_scorecards_are_not_overwritten_and_drafts_are(onsite):
    a1 = onsite["apps"][0]
    zhang_a1 = (
        onsite["stage"].panels.get(application_id=a1).assignments.get(reviewer__username="zhang")
    )
    li_a1 = onsite["stage"].panels.get(application_id=a1).assignments.get(reviewer__username="li")
    submitted_scorecard(zhang_a1, 40)
    draft = submitted_scorecard(li_a1, 40, submit=False)
    result = run(onsite, full_file(onsite))
    assert result.errors == [
        f"第 2 行：专家“zhang”对申报 {a1} 的评分表已提交，不能再导入（如需修改请先退回）。"
    ]
    lines = [line for line in full_file(onsite) if not line.startswith(f"{a1},zhang,")]
    assert run(onsite, lines).ok is True
    draft.refresh_from_db()
    assert (draft.status, set(draft.item_scores.values_list("percent", flat=True))) == (
        ScorecardStatus.SUBMITTED,
        {75},
    )
    assert set(zhang_a1.scorecard.item_scores.values_list("percent", flat=True)) == {40}


def test_template_lists_every_member_and_item(onsite):
    rows = template_rows(stage=onsite["stage"])
    a1, a2 = onsite["apps"]
    n = len(onsite["items"])
    assert rows[0] == HEADER.split(",") + ["改进机会"]
    assert len(rows) == 1 + 4 * n
    assert rows[1] == [str(a1), "li", "现场评审", onsite["items"][0], "", "", ""]
    assert rows[-1] == [str(a2), "zhang", "现场评审", onsite["items"][-1], "", "", ""]
