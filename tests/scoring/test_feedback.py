"""Feedback reports (反馈报告): numbers against maximum and cycle average, bands, texts, access.

The hand-made cycle: three applications reached review (ours, 乙, 丙) and a fourth (丁) only has
a draft scorecard, so it is left out of the averages although the snapshot lists it. Per category
(points of ours / 乙 / 丙 → average over the three):

    4.1 (110): 60.5 / 80 / 71        → 70.5
    4.2  (90): 45 / 60 / 51          → 52
    4.3  (90): 50 / 55 / 41          → 48.666… (48.67)
    4.4 (130): 70 / 90 / 80          → 80
    4.5 (100): 55 / 70 / 61          → 62
    4.6  (80): 40 / 50 / 42          → 44
    4.7 (400): 250 / 300 / 200.25    → 250.0833… (250.08)
    total:     570.50 / 705 / 546.25 → 607.25
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from awards.pdf.inspect import pdf_fonts, pdf_text
from scoring.certificates.services.feedback import (
    Availability,
    FeedbackUnavailable,
    ItemFeedback,
    Quartiles,
    build_feedback_report,
    feedback_availability,
    feedback_context,
)
from scoring.charts import BarRow, category_bars_svg
from scoring.enums import ConsensusStatus, StageKind
from scoring.publication.models import PublicNotice
from scoring.results.models import ResultEntry, ResultsSettings
from scoring.review.models import Panel
from tests.factories import ApplicantFactory, OfficialFactory, ReviewerFactory
from tests.scoring.certificate_world import (
    announced,
    application_of,
    consensus,
    document_stage,
    luyu_cycle,
    reviewed,
)
from tests.scoring.factories import (
    AnnouncedNoticeFactory,
    ApprovedSnapshotFactory,
    AssignmentFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

CODES = ("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7")
OURS = dict(zip(CODES, (60.5, 45, 50, 70, 55, 40, 250), strict=True))
SECOND = dict(zip(CODES, (80, 60, 55, 90, 70, 50, 300), strict=True))
THIRD = dict(zip(CODES, ("71", "51", "41", "80", "61", "42", "200.25"), strict=True))
UNREVIEWED = dict.fromkeys(CODES, 1)
REVIEWER_NAMES = ("欧阳评审甲", "司马专家乙")
REVIEWER_USERNAMES = ("ouyang-pingshen-7", "sima-zhuanjia-8")
SCRIPT = "<script>alert('x')</script>战略清晰"


@pytest.fixture
def world(db):
    cycle = luyu_cycle()
    # Three applications completed the document stage: averages shown from 3 on in this cycle.
    ResultsSettings.objects.create(cycle=cycle, feedback_min_group=3)
    authority = cycle.programme.authority
    reviewers = [
        ReviewerFactory(authority=authority, username=username, full_name=name)
        for username, name in zip(REVIEWER_USERNAMES, REVIEWER_NAMES, strict=True)
    ]
    ours = application_of(cycle, name="天门纺织机械有限公司")
    second = application_of(cycle, name="乙公司")
    third = application_of(cycle, name="丙公司")
    unreviewed = application_of(cycle, name="丁公司")
    document = document_stage(cycle)
    defence = ReviewStageFactory(cycle=cycle, kind=StageKind.DEFENCE, order=2)
    onsite = ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=3)
    consensus(
        reviewed(ours, reviewers, document),
        {
            "4.1.1": (55, "资料评审阶段的优势", "资料评审阶段的改进机会"),
            "4.2.1": (40, SCRIPT + "\n第二行", "改进 & 提升"),
        },
    )
    consensus(
        reviewed(ours, reviewers, defence),
        {"4.7.1": (90, "草稿中的优势", "草稿中的改进机会")},
        status=ConsensusStatus.DRAFT,
    )
    consensus(
        reviewed(ours, reviewers, onsite),
        {"4.1.1": (65, "高层领导亲自推动质量变革", "领导绩效评价尚未覆盖子公司")},
    )
    reviewed(second, reviewers)
    reviewed(third, reviewers)
    panel = Panel.objects.create(stage=document, application=unreviewed)
    submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewers[0]), 50, submit=False)
    snapshot = announced(
        cycle,
        [
            (second, "705.00", "质量奖", SECOND),
            (ours, "570.50", "", OURS),
            (third, "546.25", "", THIRD),
            (unreviewed, "7.00", "", UNREVIEWED),
        ],
    )
    people = {
        "anonymous": None,
        "applicant": ApplicantFactory(organization=ours.organization),
        "other_applicant": ApplicantFactory(organization=second.organization),
        "reviewer": reviewers[0],
        "official": OfficialFactory(authority=authority),
        "other_official": OfficialFactory(),
    }
    return {
        "cycle": cycle,
        "applications": (second, ours, third),
        "ours": ours,
        "unreviewed": unreviewed,
        "snapshot": snapshot,
        "people": people,
    }


def test_scores_per_category_against_maximum_and_the_reviewed_average(world):
    report = build_feedback_report(application=world["ours"])
    assert [(c.code, c.max_points, c.score, c.average) for c in report.categories] == [
        ("4.1", 110, Decimal("60.5"), Decimal("70.5")),
        ("4.2", 90, Decimal("45"), Decimal("52")),
        ("4.3", 90, Decimal("50"), Decimal("146") / 3),
        ("4.4", 130, Decimal("70"), Decimal("80")),
        ("4.5", 100, Decimal("55"), Decimal("62")),
        ("4.6", 80, Decimal("40"), Decimal("44")),
        ("4.7", 400, Decimal("250"), Decimal("750.25") / 3),
    ]
    assert (report.total, report.total_max, report.average_total, report.compared_count) == (
        Decimal("570.50"),
        1000,
        Decimal("607.25"),
        3,
    )
    assert (report.stage, report.stage_label, report.withheld) == ("document", "资料评审", False)
    # 60.5, 71, 80 → 65.75, 71, 75.5; totals 546.25, 570.5, 705 → 558.375, 570.5, 637.75.
    assert report.categories[0].quartiles == Quartiles(
        Decimal("65.75"), Decimal("71"), Decimal("75.5")
    )
    assert report.total_quartiles == Quartiles(
        Decimal("558.375"), Decimal("570.5"), Decimal("637.75")
    )
    context = feedback_context(report)
    assert [
        (
            row["category"].code,
            row["score"],
            row["score_percent"],
            row["average"],
            row["average_percent"],
        )
        for row in context["rows"]
    ] == [
        ("4.1", "60.5", "55.0%", "70.5", "64.1%"),
        ("4.2", "45", "50.0%", "52", "57.8%"),
        ("4.3", "50", "55.6%", "48.67", "54.1%"),
        ("4.4", "70", "53.8%", "80", "61.5%"),
        ("4.5", "55", "55.0%", "62", "62.0%"),
        ("4.6", "40", "50.0%", "44", "55.0%"),
        ("4.7", "250", "62.5%", "250.08", "62.5%"),
    ]
    assert (context["total"], context["average_total"]) == ("570.5", "607.25")
    assert context["total_quartiles"] == ["558.38", "570.5", "637.75"]
    assert context["rows"][0]["quartiles"] == ["65.75", "71", "75.5"]


def test_each_item_shows_the_band_of_the_latest_final_consensus_and_its_texts(world):
    report = build_feedback_report(application=world["ours"])
    items = {item.code: item for category in report.categories for item in category.items}
    assert len(items) == 23
    assert items["4.1.1"] == ItemFeedback(
        code="4.1.1",
        name="高层领导的作用",
        points=50,
        kind="process",
        band="50–65%",
        band_text=(
            "有应对总体要求的有效、系统的方法；方法展开良好；基于事实进行改进，并有一定的组织学习；"
            "方法与组织的需要协调一致。"
        ),
        strengths="高层领导亲自推动质量变革",
        improvements="领导绩效评价尚未覆盖子公司",
    )
    assert (items["4.2.1"].band, items["4.2.1"].strengths, items["4.2.1"].improvements) == (
        "30–45%",
        SCRIPT + "\n第二行",
        "改进 & 提升",
    )
    assert (items["4.7.1"].band, items["4.7.1"].strengths, items["4.7.1"].improvements) == (
        "",
        "",
        "",
    )


def test_the_chart_draws_each_share_and_the_average_tick(world):
    chart = feedback_context(build_feedback_report(application=world["ours"]))["chart_svg"]
    assert chart.count('data-share="') == 7
    assert 'data-share="0.5500"' in chart  # 60.5 / 110
    assert 'data-average="0.6409"' in chart  # 70.5 / 110
    assert 'data-share="0.6250"' in chart  # 250 / 400
    assert '<text x="182" y="51" text-anchor="end">4.1 领导</text>' in chart


def test_chart_labels_are_escaped_and_missing_values_draw_no_bar():
    chart = category_bars_svg(
        [BarRow(label="<script>x</script> & 领导", value=None, maximum=110, average=None)],
        title="<t>",
    )
    assert "&lt;script&gt;x&lt;/script&gt; &amp; 领导" in chart
    assert "<script>" not in chart
    assert "<title>&lt;t&gt;</title>" in chart
    assert ("data-share" in chart, "data-average" in chart) == (False, False)
    assert "— / 110" in chart


def test_the_page_prints_numbers_and_typed_text_as_text_without_reviewers(client, world):
    client.force_login(world["people"]["applicant"])
    response = client.get(f"/portal/applications/{world['ours'].pk}/feedback/")
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<tr data-category="4.1">\n          <td>4.1 领导</td>\n          <td class="num">110</td>\n'
        '          <td class="num" data-score>60.5</td>\n          <td class="num">55.0%</td>\n'
        '          <td class="num" data-average>70.5</td>\n          <td class="num">64.1%</td>'
    ) in page
    assert (
        "<p data-strengths>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;战略清晰<br>第二行</p>"
        in page
    )
    assert "<script>alert" not in page
    assert "改进 &amp; 提升" in page
    for secret in (*REVIEWER_NAMES, *REVIEWER_USERNAMES, "理由 4.1.1", "草稿中的优势"):
        assert secret not in page
    assert f'href="/portal/applications/{world["ours"].pk}/feedback/pdf/"' in page


def test_the_pdf_is_chinese_and_names_no_reviewer(client, world):
    client.force_login(world["people"]["applicant"])
    response = client.get(f"/portal/applications/{world['ours'].pk}/feedback/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    fonts = pdf_fonts(pdf)
    text = pdf_text(pdf)
    assert any("Noto-Serif-CJK-SC" in font for font in fonts)
    assert any("Noto-Sans-CJK-SC" in font for font in fonts)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "反馈报告" in lines
    assert "申报单位：天门纺织机械有限公司" in lines
    assert SCRIPT in lines
    assert "第二行" in lines
    assert "评分区间：50–65%" in lines
    assert "高层领导亲自推动质量变革" in lines
    for secret in (*REVIEWER_NAMES, *REVIEWER_USERNAMES, "理由 4.1.1", "草稿中的优势"):
        assert secret not in text


def test_nothing_is_shown_before_the_announcement(client, world):
    PublicNotice.objects.filter(snapshot=world["snapshot"]).update(announced_at=None)
    with pytest.raises(FeedbackUnavailable) as unavailable:
        build_feedback_report(application=world["ours"])
    assert unavailable.value.availability == Availability.NOT_ANNOUNCED
    for role in ("applicant", "official"):
        client.force_login(world["people"][role])
        page = client.get(f"/portal/applications/{world['ours'].pk}/feedback/").content.decode()
        assert 'data-feedback-unavailable="not_announced"' in page
        assert "反馈报告将在本届表彰决定正式发布后提供，请届时再来查看。" in page
        for leaked in ("60.5", "高层领导亲自推动质量变革", "战略清晰"):
            assert leaked not in page
        pdf = client.get(f"/portal/applications/{world['ours'].pk}/feedback/pdf/")
        assert pdf.status_code == 404


def test_an_application_that_never_reached_review_has_no_report(client, world):
    unreviewed = world["unreviewed"]
    assert feedback_availability(application=unreviewed) == Availability.NOT_REVIEWED
    client.force_login(ApplicantFactory(organization=unreviewed.organization))
    page = client.get(f"/portal/applications/{unreviewed.pk}/feedback/").content.decode()
    assert 'data-feedback-unavailable="not_reviewed"' in page
    assert client.get(f"/portal/applications/{unreviewed.pk}/feedback/pdf/").status_code == 404


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_only_the_applicant_and_the_authority_reach_the_report(client, world, suffix):
    url = f"/portal/applications/{world['ours'].pk}/feedback/{suffix}"
    observed = {}
    for role, user in world["people"].items():
        client.logout()
        if user is not None:
            client.force_login(user)
        observed[role] = client.get(url).status_code
    assert observed == {
        "anonymous": 302,
        "applicant": 200,
        "other_applicant": 404,
        "reviewer": 404,
        "official": 200,
        "other_official": 404,
    }


def test_a_snapshot_without_stage_scores_compares_with_no_one(client, world):
    """Entries stored before the stage reached was recorded (their totals may be weighted over
    stages an application did not reach): the report shows the application's own numbers and
    no comparison, rather than an average that may mix stages."""
    snapshot = ApprovedSnapshotFactory(cycle=world["cycle"], version=world["snapshot"].version + 1)
    for rank, (application, total, categories) in enumerate(
        zip(
            world["applications"],
            ("705.00", "570.50", "546.25"),
            (SECOND, OURS, THIRD),
            strict=True,
        ),
        start=1,
    ):
        ResultEntry.objects.create(
            snapshot=snapshot,
            application=application,
            rank=rank,
            total=total,
            categories=dict(categories),
        )
    AnnouncedNoticeFactory(snapshot=snapshot)
    report = build_feedback_report(application=world["ours"])
    assert (report.stage, report.total, report.withheld, report.average_total) == (
        "",
        Decimal("570.50"),
        True,
        None,
    )
    assert [(row.score, row.average) for row in report.categories][:2] == [
        (Decimal("60.5"), None),
        (Decimal("45"), None),
    ]
    client.force_login(world["people"]["applicant"])
    page = client.get(f"/portal/applications/{world['ours'].pk}/feedback/").content.decode()
    assert "本版评审结果未记录各评审阶段的得分，本报告不提供与其他申报单位的比较。" in page
    assert "data-average>70.5<" not in page
    assert page.count('<td class="num" data-average>—</td>') == 8


def test_the_page_in_english_names_the_edition_and_the_chart_legend_in_english(client, world):
    client.force_login(world["people"]["applicant"])
    client.cookies["django_language"] = "en"
    response = client.get(f"/portal/applications/{world['ours'].pk}/feedback/")
    page = response.content.decode()

    cycle = world["ours"].cycle
    assert f"<p>Edition {cycle.edition} {cycle.programme.name} ({cycle.year})</p>" in page
    assert ">Your score</text>" in page
    assert ">Average of the applicants</text>" in page
    assert "本单位得分率" not in page
