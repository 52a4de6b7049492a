"""The officials' results pages: compute, ranking, explanation, versions, approval, exports."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AuditEntry
from scoring.enums import ScorecardStatus
from scoring.results.models import ResultSnapshot, ResultsSettings
from scoring.results.services.computation import compute_cycle_results
from scoring.review.models import ItemScore
from tests.factories import AuthorityFactory, OfficialFactory
from tests.scoring.committee_helpers import (
    approve_with_committee,
    record_unanimous_decision,
    second_official,
)
from tests.scoring.results_world import add_application, build_world

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """Cell texts of each row of the table carrying the data attribute ``marker``."""

    def __init__(self, marker: str):
        super().__init__()
        self.marker, self.depth, self.rows, self.cell = marker, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and any(name == self.marker for name, _ in attrs):
            self.depth = 1
        elif tag == "table" and self.depth:
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(response, marker: str) -> list[list[str]]:
    parser = _Tables(marker)
    parser.feed(response.content.decode())
    return parser.rows


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def world():
    return build_world()


def test_the_cycle_page_lists_missing_scorecards_and_computing_needs_consent(
    client, django_capture_on_commit_callbacks
):
    world = build_world(names=("甲公司", "乙公司"))
    add_application(world, "丙公司", ((40, 40, None), (50, 50, 55)))
    client.force_login(world.official)
    url = reverse("cycle_results:cycle", args=[world.cycle.pk])

    page = client.get(url)
    assert table(page, "data-missing") == [
        ["申报单位", "评审阶段", "评审专家", "状态"],
        ["丙公司", "资料评审", "专家丙", "未开始"],
    ]
    refused = client.post(url, {})
    assert refused.status_code == 200
    assert messages_of(refused) == [
        "还有 1 份评分表未提交，请等待评分完成，或确认接受不完整的数据后再计算。"
    ]
    assert ResultSnapshot.objects.count() == 0

    # The computation runs once the request commits: after the response in this test's
    # transaction, so the page shows its progress (tests/scoring/test_results_runs_views.py
    # checks the redirect to the ranking when the task has already run).
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(url, {"accept_partial": "on"})
    assert (accepted.status_code, accepted["Location"]) == (302, url)
    snapshot = ResultSnapshot.objects.get()
    assert snapshot.partial is True
    ranking = client.get(reverse("cycle_results:ranking", args=[snapshot.pk]))
    assert "丙公司 · 资料评审 · 专家丙" in ranking.content.decode()


def test_the_ranking_table_shows_ranks_totals_levels_and_categories(client, world):
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    client.force_login(world.official)
    page = client.get(reverse("cycle_results:ranking", args=[snapshot.pk]))
    assert table(page, "data-ranking") == [
        [
            "名次",
            "申报单位",
            "总分",
            "进入的评审阶段",
            "奖项等级",
            "4.1 领导/110",
            "4.2 战略/90",
            "4.3 顾客与市场/90",
            "4.4 资源/130",
            "4.5 过程管理/100",
            "4.6 测量、分析与改进/80",
            "4.7 结果/400",
            "提示",
        ],
        [
            "1",
            "甲公司",
            "700.00",
            "现场评审",
            "质量奖",
            "77.00",
            "63.00",
            "63.00",
            "91.00",
            "70.00",
            "56.00",
            "280.00",
            "",
        ],
        [
            "2",
            "乙公司",
            "635.00",
            "现场评审",
            "提名奖",
            "69.85",
            "57.15",
            "57.15",
            "82.55",
            "63.50",
            "50.80",
            "254.00",
            "",
        ],
        [
            "3",
            "丙公司",
            "481.67",
            "现场评审",
            "—",
            "52.98",
            "43.35",
            "43.35",
            "62.62",
            "48.17",
            "38.53",
            "192.67",
            "",
        ],
    ]
    assert "批准" in page.content.decode()
    a = world.applications["甲公司"].pk
    explained = client.get(reverse("cycle_results:explanation", args=[snapshot.pk, a]))
    assert table(explained, "data-stage-items")[1] == [
        "4.1.1 高层领导的作用",
        "50",
        "70.00%",
        "35.00",
        "去掉一个最高分和一个最低分后平均（评分不足 5 个，取算术平均）",
        "专家甲 60%；专家乙 70%；专家丙 80%",
    ]


def test_flags_show_ties_quota_conflicts_and_method_dependence(client):
    # 甲 and 戊 are identical (700.00 everywhere): an unbroken tie at rank 1 that does not fit
    # the one 质量奖 place; both go on to 提名奖. 丁 depends on the method (see the service test).
    world = build_world(names=("甲公司",))
    add_application(world, "戊公司", ((60, 70, 80), (70, 70, 70)))
    add_application(world, "丁公司", ((50, 50, 80), (50, 50, 80)))
    world.cycle.levels.filter(name="提名奖").update(quota=3, min_total=590)
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    client.force_login(world.official)
    page = client.get(reverse("cycle_results:ranking", args=[snapshot.pk]))
    rows = table(page, "data-ranking")
    assert [row[:3] + row[4:5] + row[-1:] for row in rows[1:]] == [
        [
            "1",
            "甲公司",
            "700.00",
            "提名奖",
            "与戊公司并列第 1 名，并列处理规则无法区分，请审定"
            "并列单位超出“质量奖”剩余名额（1 个），均未授予该等级，请审定",
        ],
        [
            "1",
            "戊公司",
            "700.00",
            "提名奖",
            "与甲公司并列第 1 名，并列处理规则无法区分，请审定"
            "并列单位超出“质量奖”剩余名额（1 个），均未授予该等级，请审定",
        ],
        # Places are never handed past the tied pair, so 丁 gets 提名奖 (≥ 590); under the
        # median (50 everywhere → 500.00) it would get nothing. Normalized gives ≈ 602.90.
        ["3", "丁公司", "600.00", "提名奖", "换用其他合成方法时等级会变化（中位数：无等级）"],
    ]
    html = page.content.decode()
    assert "第 1 名并列，并列处理规则无法区分" in html
    assert "第 1 名的并列单位超出“质量奖”剩余名额 1 个，均未授予该等级" in html


def test_the_explanation_page_shows_scores_used_and_the_tie_break_step(client, world):
    settings = ResultsSettings.objects.create(cycle=world.cycle, method="median")
    assert settings.pk
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    client.force_login(world.official)
    b = world.applications["乙公司"].pk
    page = client.get(reverse("cycle_results:explanation", args=[snapshot.pk, b]))
    html = page.content.decode()
    assert table(page, "data-tie-break") == [
        ["依据（依次比较，保留两位小数）", "数值"],
        ["总分", "635.00"],
        ["类目 4.7 得分", "254.00"],
        ["类目 4.1 得分", "69.85"],
        ["现场评审阶段总分", "650.00"],
    ]
    assert "与前一名区分的依据：总分" in html
    assert table(page, "data-robustness") == [
        ["合成方法", "名次", "奖项等级"],
        ["中位数", "2", "提名奖"],
        ["算术平均", "2", "提名奖"],
        ["去掉一个最高分和一个最低分后平均", "2", "提名奖"],
        ["按专家标准化后平均", "2", "提名奖"],
    ]
    items = table(page, "data-stage-items")
    assert items[0] == [
        "条款",
        "分值",
        "合成得分率",
        "得分",
        "方法",
        "专家评分（删除线：未采用；括号内：标准化后）",
    ]
    # Document stage, median of 50, 60, 70: the middle score is used, the others are not.
    assert items[1] == [
        "4.1.1 高层领导的作用",
        "50",
        "60.00%",
        "30.00",
        "中位数",
        "专家甲 50%；专家乙 60%；专家丙 70%",
    ]
    assert '<del title="未采用">专家甲 50%</del>' in html
    assert "<span>专家乙 60%</span>" in html


def test_approving_from_the_ranking_freezes_it(client, world):
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    record_unanimous_decision(snapshot)
    approver = second_official(snapshot)
    client.force_login(approver)
    url = reverse("cycle_results:approve", args=[snapshot.pk])
    confirm = client.get(url)
    assert "批准后，第 1 版评审结果" in confirm.content.decode()
    done = client.post(url)
    assert done["Location"] == reverse("cycle_results:ranking", args=[snapshot.pk])
    snapshot.refresh_from_db()
    assert snapshot.approved_by == approver
    again = client.post(url, follow=True)
    assert messages_of(again) == ["第 1 版评审结果已批准并冻结。", "第 1 版评审结果已经批准。"]


def test_the_versions_list_and_what_changed(client, world):
    first = compute_cycle_results(cycle=world.cycle, by=world.official)
    approve_with_committee(first)
    for position in range(3):
        card = world.assignments[("丙公司", "onsite", position)].scorecard
        ItemScore.objects.filter(scorecard=card).update(percent=90)
    second = compute_cycle_results(cycle=world.cycle, by=world.official)
    client.force_login(world.official)

    cycle_page = client.get(reverse("cycle_results:cycle", args=[world.cycle.pk]))
    assert "总分 → 类目 4.7 得分 → 类目 4.1 得分 → 现场评审阶段总分" in cycle_page.content.decode()
    versions = table(cycle_page, "data-versions")
    assert [row[:2] for row in versions] == [
        ["版本", "合成方法"],
        ["第 2 版", "去掉一个最高分和一个最低分后平均"],
        ["第 1 版", "去掉一个最高分和一个最低分后平均"],
    ]
    assert versions[1][4] == "未批准"
    assert versions[2][4].startswith("已批准（李科长，") and versions[2][4].endswith("当前结果")

    changes = client.get(reverse("cycle_results:changes", args=[second.pk]))
    assert table(changes, "data-changes") == [
        ["申报单位", "变化", "名次", "总分", "奖项等级"],
        ["丙公司", "有变化", "3 → 1", "481.67 → 750.00", "无 → 质量奖"],
        ["甲公司", "有变化", "1 → 2", "700.00 → 700.00", "质量奖 → 提名奖"],
        ["乙公司", "有变化", "2 → 3", "635.00 → 635.00", "提名奖 → 提名奖"],
    ]
    assert "评分数据有变化" in changes.content.decode()


def test_settings_are_refused_with_messages_or_saved(client, world):
    client.force_login(world.official)
    url = reverse("cycle_results:settings", args=[world.cycle.pk])
    form = {
        "method": "mean",
        "fallback_method": "mean",
        "mode": "weighted",
        "tie_break": "total\ncategory:4.7",
        "weight_document": "0.5",
        "weight_onsite": "0.7",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "各阶段权重之和为 1.2，应为 1" in refused.content.decode()
    assert ResultsSettings.objects.count() == 0

    saved = client.post(url, {**form, "weight_document": "0.3"})
    assert saved["Location"] == reverse("cycle_results:cycle", args=[world.cycle.pk])
    settings = ResultsSettings.objects.get(cycle=world.cycle)
    assert (settings.method, settings.tie_break) == ("mean", ["total", "category:4.7"])


def test_the_exports_have_chinese_headers_and_the_exact_ranking(client, world):
    from openpyxl import load_workbook

    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    client.force_login(world.official)
    csv_response = client.get(reverse("cycle_results:csv", args=[snapshot.pk]))
    assert csv_response["Content-Disposition"] == (
        f'attachment; filename="results-cycle{world.cycle.pk}-v1.csv"'
    )
    assert csv_response.content.decode("utf-8") == (
        "\ufeff名次,申报单位,总分,进入的评审阶段,奖项等级,4.1 领导（110分）,4.2 战略（90分）,4.3 顾客与市场（90分）,"
        "4.4 资源（130分）,4.5 过程管理（100分）,4.6 测量、分析与改进（80分）,4.7 结果（400分）,"
        "完成全部计分阶段,提示\r\n"
        "1,甲公司,700.00,现场评审,质量奖,77.00,63.00,63.00,91.00,70.00,56.00,280.00,是,\r\n"
        "2,乙公司,635.00,现场评审,提名奖,69.85,57.15,57.15,82.55,63.50,50.80,254.00,是,\r\n"
        "3,丙公司,481.67,现场评审,,52.98,43.35,43.35,62.62,48.17,38.53,192.67,是,\r\n"
    )
    xlsx_response = client.get(reverse("cycle_results:xlsx", args=[snapshot.pk]))
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "排名"
    assert rows[0][:5] == ["名次", "申报单位", "总分", "进入的评审阶段", "奖项等级"]
    assert rows[1:] == [
        [1, "甲公司", 700, "现场评审", "质量奖", 77, 63, 63, 91, 70, 56, 280, "是", None],
        [
            2,
            "乙公司",
            635,
            "现场评审",
            "提名奖",
            69.85,
            57.15,
            57.15,
            82.55,
            63.5,
            50.8,
            254,
            "是",
            None,
        ],
        [
            3,
            "丙公司",
            481.67,
            "现场评审",
            None,
            52.98,
            43.35,
            43.35,
            62.62,
            48.17,
            38.53,
            192.67,
            "是",
            None,
        ],
    ]
    exports = AuditEntry.objects.filter(action="export_data").order_by("pk")
    assert [(e.actor_id, e.target_type, e.target_id, e.details) for e in exports] == [
        (world.official.pk, "scoring.resultsnapshot", str(snapshot.pk), details)
        for details in (
            {"kind": "ranking", "format": "csv", "rows": 3},
            {"kind": "ranking", "format": "xlsx", "rows": 3},
        )
    ]


def test_another_authoritys_official_gets_404_everywhere(client, world):
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    stranger = OfficialFactory(authority=AuthorityFactory(name="江西省人民政府"))
    client.force_login(stranger)
    app = world.applications["甲公司"].pk
    urls = [
        reverse("cycle_results:cycle", args=[world.cycle.pk]),
        reverse("cycle_results:settings", args=[world.cycle.pk]),
        reverse("cycle_results:ranking", args=[snapshot.pk]),
        reverse("cycle_results:explanation", args=[snapshot.pk, app]),
        reverse("cycle_results:changes", args=[snapshot.pk]),
        reverse("cycle_results:approve", args=[snapshot.pk]),
        reverse("cycle_results:csv", args=[snapshot.pk]),
        reverse("cycle_results:xlsx", args=[snapshot.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 8
    assert [client.post(url).status_code for url in urls] == [404] * 8
    index = client.get(reverse("cycle_results:index"))
    assert table(index, "data-results-cycles") == [
        ["届次", "状态", "计算版本数", "当前批准版本"],
        ["还没有届次。"],
    ]
    assert ResultSnapshot.objects.get().approved_at is None


@pytest.mark.parametrize("size", [1, 5])
def test_the_ranking_and_cycle_pages_take_a_constant_number_of_queries(client, size):
    world = build_world(names=())
    for number in range(size):
        add_application(world, f"企业{number}", ((60, 70, 80), (70, 70, 70)))
    draft = world.assignments[("企业0", "onsite", 0)].scorecard
    draft.status = ScorecardStatus.DRAFT
    draft.save()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official, accept_partial=True)
    client.force_login(world.official)
    counts = []
    for url in (
        reverse("cycle_results:ranking", args=[snapshot.pk]),
        reverse("cycle_results:cycle", args=[world.cycle.pk]),
        reverse("cycle_results:csv", args=[snapshot.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == EXPECTED_PAGE_QUERIES


#: ranking, cycle page (with its latest computation), CSV export; the same for 1 and 5
#: applications. The export is audited: 3 of its queries write the entry and move its
#: authority's hash chain (locking and moving the chain head).
EXPECTED_PAGE_QUERIES = [13, 17, 12]
