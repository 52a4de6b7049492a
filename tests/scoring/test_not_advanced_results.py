"""Results that are right for every applicant: the 陆羽质量奖 case of an application not advanced.

The cycle weighs the document stage 0.3 and the on-site stage 0.7. Every reviewer (three of
them) gives the same percentage per item, and the panel's final consensus records the same
percentages, so the mean is that percentage and every item's band is the consensus band.

乙公司 stops at the document stage (资料评审) with 447.25 points, all items at 45 % except
4.1.1 55, 4.2.1 40, 4.4.2 40, 4.5.1 35, 4.7.1 60, 4.7.2 30 (bands 30–45 % and 50–65 %):

====  ====================================  ======  ======
4.1   50 × 55 % + 30 × 45 % + 30 × 45 %     54.5    49.5 %
4.2   40 × 40 % + 50 × 45 %                 38.5    42.8 %
4.3   90 × 45 %                             40.5    45.0 %
4.4   60, 20, 15, 10, 10 at 45 % + 15 × 40 % 57.75  44.4 %
4.5   50 × 35 % + 50 × 45 %                 40      40.0 %
4.6   80 × 45 %                             36      45.0 %
4.7   80 × 60 % + 80 × 30 % + 220 × 45 %    180     45.0 %
====  ====================================  ======  ======

Before, it showed 0.3 × 447.25 = 134.18 and 4.1 at 0.3 × 54.5 / 110 = 14.9 %.

甲公司 (advanced): document 60 % everywhere (600), on-site 50 % (500): 180 + 350 = 530.00.
With five applications: 丙公司 (50 % / 55 %: 150 + 385 = 535.00), 丁公司 (40 % / 45 %:
120 + 315 = 435.00), 戊公司 (document only, 35 %: 350.00).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scoring.aggregation import default_items
from scoring.certificates.services.feedback import (
    Quartiles,
    build_feedback_report,
    feedback_context,
)
from scoring.enums import StageKind
from scoring.results.models import ResultEntry, ResultsSettings
from scoring.results.services.computation import compute_cycle_results
from scoring.results.services.settings import save_results_settings
from scoring.review.models import Panel
from tests.factories import ApplicantFactory, AwardLevelFactory, OfficialFactory, ReviewerFactory
from tests.scoring.certificate_world import application_of, consensus, luyu_cycle
from tests.scoring.committee_helpers import approve_with_committee
from tests.scoring.factories import (
    AnnouncedNoticeFactory,
    AssignmentFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db

CODES = [item.code for item in default_items()]  # the 23 items of GB/T 19580-2012
EXCEPTIONS = {"4.1.1": 55, "4.2.1": 40, "4.4.2": 40, "4.5.1": 35, "4.7.1": 60, "4.7.2": 30}
DOCUMENT_447_25 = {code: EXCEPTIONS.get(code, 45) for code in CODES}


def uniform(percent: int) -> dict[str, int]:
    return dict.fromkeys(CODES, percent)


def scored(stage, application, reviewers, percents: dict[str, int]) -> Panel:
    panel = Panel.objects.create(stage=stage, application=application, leader=reviewers[0])
    for reviewer in reviewers:
        submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewer), percents)
    consensus(panel, {code: (percent, f"优势 {code}", "") for code, percent in percents.items()})
    return panel


def build(*, five: bool):
    cycle = luyu_cycle()
    authority = cycle.programme.authority
    AwardLevelFactory(cycle=cycle, name="陆羽质量奖", min_total=400, quota=5)
    document = ReviewStageFactory(
        cycle=cycle, kind=StageKind.DOCUMENT, order=1, weight=Decimal("0.3")
    )
    onsite = ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2, weight=Decimal("0.7"))
    reviewers = [ReviewerFactory(authority=authority) for _ in range(3)]
    plan = [("甲公司", uniform(60), uniform(50)), ("乙公司", DOCUMENT_447_25, None)]
    if five:
        plan += [
            ("丙公司", uniform(50), uniform(55)),
            ("丁公司", uniform(40), uniform(45)),
            ("戊公司", uniform(35), None),
        ]
    applications = {}
    for name, at_document, on_site in plan:
        application = application_of(cycle, name=name)
        applications[name] = application
        scored(document, application, reviewers, at_document)
        if on_site is not None:
            scored(onsite, application, reviewers, on_site)
    official = OfficialFactory(authority=authority)
    snapshot = compute_cycle_results(cycle=cycle, by=official)
    return cycle, official, snapshot, applications


def announce(snapshot, official):
    approve_with_committee(snapshot)
    AnnouncedNoticeFactory(snapshot=snapshot)


def test_the_application_left_at_the_document_stage_shows_447_25_not_134_18(client):
    cycle, official, snapshot, apps = build(five=False)
    entries = {
        entry.application_id: entry
        for entry in ResultEntry.objects.filter(snapshot=snapshot).order_by("rank")
    }
    second = entries[apps["乙公司"].pk]
    assert (second.rank, second.total, second.level, second.advanced, second.reached_stage) == (
        2,
        Decimal("447.25"),
        "",
        False,
        "document",
    )
    assert second.categories == pytest.approx(
        {"4.1": 54.5, "4.2": 38.5, "4.3": 40.5, "4.4": 57.75, "4.5": 40, "4.6": 36, "4.7": 180}
    )
    assert second.stage_categories == {"document": second.categories}
    first = entries[apps["甲公司"].pk]
    assert (first.rank, first.total, first.level, first.reached_stage) == (
        1,
        Decimal("530.00"),
        "陆羽质量奖",
        "onsite",
    )
    assert first.stage_categories["document"]["4.1"] == pytest.approx(66.0)
    assert first.stage_categories["onsite"]["4.1"] == pytest.approx(55.0)

    client.force_login(official)
    page = client.get(reverse("cycle_results:ranking", args=[snapshot.pk])).content.decode()
    row = re.search(rf'<tr data-application="{apps["乙公司"].pk}">(.*?)</tr>', page, re.S)[1]
    cells = [
        re.sub(r"<[^>]+>|\s+", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert cells[:5] == ["2", "乙公司", "447.25", "资料评审", "—"]
    assert cells[-1] == "未进入后续计分阶段：总分为“资料评审”阶段得分（不按权重折算），不授予等级"
    assert "134.18" not in page

    csv_text = client.get(reverse("cycle_results:csv", args=[snapshot.pk])).content.decode()
    assert csv_text.splitlines()[2] == (
        "2,乙公司,447.25,资料评审,,54.50,38.50,40.50,57.75,40.00,36.00,180.00,否,"
        "未进入后续计分阶段：总分为“资料评审”阶段得分（不按权重折算），不授予等级"
    )
    from openpyxl import load_workbook

    xlsx = client.get(reverse("cycle_results:xlsx", args=[snapshot.pk])).content
    rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert rows[2][:6] == (2, "乙公司", 447.25, "资料评审", None, 54.5)

    explanation = client.get(
        reverse("cycle_results:explanation", args=[snapshot.pk, apps["乙公司"].pk])
    ).content.decode()
    assert "第 2 名，总分 447.25" in explanation
    assert (
        "未进入后续计分阶段：总分 447.25 为已完成的“资料评审”阶段得分，不按阶段权重折算，"
        "不授予等级。"
    ) in explanation
    assert "资料评审：阶段总分 447.25" in explanation
    assert "权重 1" not in explanation
    assert "134.18" not in explanation


def test_with_two_applications_the_feedback_withholds_the_comparison(client):
    cycle, official, snapshot, apps = build(five=False)
    announce(snapshot, official)
    report = build_feedback_report(application=apps["乙公司"])
    assert (report.stage, report.total, report.final_total, report.advanced) == (
        "document",
        Decimal("447.25"),
        Decimal("447.25"),
        False,
    )
    assert (report.withheld, report.compared_count, report.average_total) == (True, None, None)
    assert [(row.average, row.quartiles) for row in report.categories] == [(None, None)] * 7
    context = feedback_context(report)
    percents = [row["score_percent"] for row in context["rows"]]
    assert percents == ["49.5%", "42.8%", "45.0%", "44.4%", "40.0%", "45.0%", "45.0%"]
    bands = {item.band for row in report.categories for item in row.items}
    assert bands == {"30–45%", "50–65%"}
    for row in report.categories:
        assert Decimal(30) <= row.score_percent <= Decimal(65)
    assert "data-average" not in context["chart_svg"]

    client.force_login(ApplicantFactory(organization=apps["乙公司"].organization))
    page = client.get(f"/portal/applications/{apps['乙公司'].pk}/feedback/").content.decode()
    assert (
        "完成同一评审阶段的申报单位不足 5 家，为保护其他申报单位的信息，"
        "本报告不提供平均值和四分位数比较。"
    ) in page
    assert (
        "评审总分：447.25（本单位止于“资料评审”阶段，未进入后续评审阶段，总分即该阶段得分）。"
        in page
    )
    # Neither the count nor anything averaged over the two applications is printed.
    for leaked in ("2 家", "2家", "523.62", "523.63", "60.25", "134.18"):
        assert leaked not in page
    assert '<td class="num" data-average>—</td>' in page


def test_with_five_applications_the_same_stage_is_compared(client):
    cycle, official, snapshot, apps = build(five=True)
    ranking = list(
        ResultEntry.objects.filter(snapshot=snapshot)
        .order_by("rank")
        .values_list("application__organization__name", "total", "level", "reached_stage")
    )
    # 乙 (447.25) stays below 丁 (435.00): it did not advance, and gets no level.
    assert ranking == [
        ("丙公司", Decimal("535.00"), "陆羽质量奖", "onsite"),
        ("甲公司", Decimal("530.00"), "陆羽质量奖", "onsite"),
        ("丁公司", Decimal("435.00"), "陆羽质量奖", "onsite"),
        ("乙公司", Decimal("447.25"), "", "document"),
        ("戊公司", Decimal("350.00"), "", "document"),
    ]
    announce(snapshot, official)
    report = build_feedback_report(application=apps["乙公司"])
    # Document-stage points of all five: 甲 600, 乙 447.25, 丙 500, 丁 400, 戊 350.
    assert (report.withheld, report.compared_count, report.average_total) == (
        False,
        5,
        Decimal("459.45"),
    )
    assert report.total_quartiles == Quartiles(Decimal("400"), Decimal("447.25"), Decimal("500"))
    leadership = report.categories[0]
    # 4.1 at the document stage: 66, 54.5, 55, 44, 38.5.
    assert (leadership.score, leadership.average, leadership.quartiles) == (
        Decimal("54.5"),
        Decimal("51.6"),
        Quartiles(Decimal("44"), Decimal("54.5"), Decimal("55")),
    )
    context = feedback_context(report)
    assert context["rows"][0]["average_percent"] == "46.9%"
    assert 'data-average="0.4691"' in context["chart_svg"]

    client.force_login(ApplicantFactory(organization=apps["乙公司"].organization))
    page = client.get(f"/portal/applications/{apps['乙公司'].pk}/feedback/").content.decode()
    assert "平均值和四分位数为完成该阶段的 5 家申报单位（含本单位）在该阶段的得分。" in page
    assert '<td class="num" data-average>459.45</td>' in page

    # 甲 is compared at the on-site stage, which only three applications completed.
    first = build_feedback_report(application=apps["甲公司"])
    assert (first.stage, first.total, first.final_total, first.withheld) == (
        "onsite",
        Decimal("500"),
        Decimal("530.00"),
        True,
    )


def test_the_minimum_group_is_configurable_but_never_below_3(client):
    cycle, official, snapshot, apps = build(five=False)
    arguments = {
        "cycle": cycle,
        "method": "mean",
        "fallback_method": "mean",
        "mode": "weighted",
        "tie_break": ["total"],
        "weights": {"document": Decimal("0.3"), "onsite": Decimal("0.7")},
        "by": official,
    }
    with pytest.raises(ValidationError) as refused:
        save_results_settings(**arguments, feedback_min_group=2)
    assert refused.value.messages == [
        "反馈报告显示平均值所需的最少单位数不能少于 3 家（填写的是 2），"
        "否则申报单位可以推算出其他单位的得分。"
    ]
    assert not ResultsSettings.objects.filter(cycle=cycle).exists()

    client.force_login(official)
    url = reverse("cycle_results:settings", args=[cycle.pk])
    form = {
        "method": "mean",
        "fallback_method": "mean",
        "mode": "weighted",
        "tie_break": "total",
        "weight_document": "0.3",
        "weight_onsite": "0.7",
        "feedback_min_group": "1",
    }
    page = client.post(url, form)
    assert page.status_code == 200
    assert "不能少于 3 家（填写的是 1）" in page.content.decode()
    assert not ResultsSettings.objects.filter(cycle=cycle).exists()

    saved = client.post(url, {**form, "feedback_min_group": "3"})
    assert saved.status_code == 302
    assert ResultsSettings.objects.get(cycle=cycle).feedback_min_group == 3
    # Unchanged when left empty.
    client.post(url, {**form, "feedback_min_group": ""})
    assert ResultsSettings.objects.get(cycle=cycle).feedback_min_group == 3
