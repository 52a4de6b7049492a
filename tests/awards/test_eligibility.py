"""Eligibility: the pure evaluation over plain data, and the loader from an application."""

import datetime as dt
from dataclasses import replace

import pytest

from awards.services.application_drafts import save_step_draft
from awards.services.eligibility import (
    EligibilityFacts,
    EligibilityRules,
    eligibility_for,
    evaluate_eligibility,
    full_years_between,
)
from tests.factories import COMPLETE_BASIC, COMPLETE_ELIGIBILITY, open_cycle, started_application

DEADLINE = dt.date(2026, 12, 31)
RULES = EligibilityRules(
    reference_date=DEADLINE,
    min_years_operating=5,
    min_years_certified=3,
    min_years_excellence_model=2,
    lookback_years=3,
    jurisdiction_prefix="4205",
    jurisdiction_name="湖北省宜昌市",
)
GOOD_FACTS = EligibilityFacts(
    registration_date=dt.date(2010, 5, 1),
    region_code="420502",
    quality_certified_on=dt.date(2015, 3, 1),
    excellence_model_year=2020,
    declarations={
        "major_accident": "none",
        "failed_inspection": "none",
        "serious_complaint": "none",
        "tax_social_violation": "none",
    },
)


def as_lines(results) -> list[str]:
    return [f"{'✓' if r.passed else '✗'} {r}" for r in results]


def test_every_condition_passes_with_figures_in_the_reasons():
    assert as_lines(evaluate_eligibility(RULES, GOOD_FACTS)) == [
        "✓ 注册经营满 5 年：贵单位注册于 2010-05-01，截至申报截止日已满 16 年",
        "✓ 通过质量管理体系认证满 3 年：贵单位于 2015-03-01 首次获得质量管理体系认证，截至申报截止日已满 11 年",
        "✓ 导入卓越绩效模式满 2 年：贵单位于 2020 年导入卓越绩效模式，截至申报截止日已满 6 年",
        "✓ 在湖北省宜昌市辖区内注册：贵单位所在地行政区划代码为 420502，属于辖区",
        "✓ 近 3 年内未发生重大质量、安全或环境事故：贵单位已声明未发生",
        "✓ 近 3 年内未发生产品质量监督抽查不合格：贵单位已声明未发生",
        "✓ 近 3 年内未发生严重的质量投诉：贵单位已声明未发生",
        "✓ 近 3 年内未发生税收或社会保险违法行为：贵单位已声明未发生",
    ]


def test_each_failing_condition_says_why_with_the_figures():
    facts = EligibilityFacts(
        registration_date=dt.date(2023, 5, 1),
        region_code="429006",
        quality_certified_on=dt.date(2024, 6, 1),
        excellence_model_year=2026,
        declarations={"major_accident": "occurred", "failed_inspection": "none"},
    )
    failed = [str(r) for r in evaluate_eligibility(RULES, facts) if not r.passed]
    assert failed == [
        "注册经营满 5 年：贵单位注册于 2023-05-01，截至申报截止日仅 3 年",
        "通过质量管理体系认证满 3 年：贵单位于 2024-06-01 首次获得质量管理体系认证，截至申报截止日仅 2 年",
        "导入卓越绩效模式满 2 年：贵单位于 2026 年导入卓越绩效模式，截至申报截止日仅 0 年",
        "在湖北省宜昌市辖区内注册：贵单位所在地行政区划代码为 429006，不在辖区内（辖区代码以 4205 开头）",
        "近 3 年内未发生重大质量、安全或环境事故：贵单位声明发生过",
        "近 3 年内未发生严重的质量投诉：尚未声明",
        "近 3 年内未发生税收或社会保险违法行为：尚未声明",
    ]


def test_missing_facts_fail_and_are_marked_missing():
    facts = EligibilityFacts(
        registration_date=dt.date(2010, 5, 1),
        region_code="420502",
        quality_certified_on=None,
        excellence_model_year=None,
    )
    results = {r.code: r for r in evaluate_eligibility(RULES, facts)}
    assert (results["years_certified"].passed, results["years_certified"].missing) == (False, True)
    assert results["years_certified"].reason == "尚未填写质量管理体系认证的首次获证日期"
    assert results["years_excellence_model"].reason == "尚未填写导入卓越绩效模式的年份"
    assert results["years_operating"].missing is False


def test_a_condition_is_met_exactly_on_the_anniversary():
    on_day = replace(GOOD_FACTS, registration_date=dt.date(2021, 12, 31))
    day_after = replace(GOOD_FACTS, registration_date=dt.date(2022, 1, 1))
    assert evaluate_eligibility(RULES, on_day)[0].passed is True
    assert str(evaluate_eligibility(RULES, day_after)[0]) == (
        "注册经营满 5 年：贵单位注册于 2022-01-01，截至申报截止日仅 4 年"
    )


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (dt.date(2020, 3, 1), dt.date(2026, 2, 28), 5),
        (dt.date(2020, 3, 1), dt.date(2026, 3, 1), 6),
        (dt.date(2020, 2, 29), dt.date(2026, 2, 28), 5),
        (dt.date(2027, 1, 1), dt.date(2026, 1, 1), 0),
    ],
)
def test_full_years_between(start, end, years):
    assert full_years_between(start, end) == years


@pytest.mark.django_db
def test_loader_reads_the_draft_and_judges_on_the_deadline_date_in_beijing():
    cycle = open_cycle(min_years_certified=3)
    application, user = started_application(cycle=cycle)
    basic = {
        **COMPLETE_BASIC,
        "iso9001_date": "2016-01-01",
        "other_qms_name": "IATF 16949",
        "other_qms_date": "2011-07-01",
    }
    save_step_draft(
        application=application,
        step="basic",
        values=basic,
        expected_version=application.version,
        next_step="basic",
        by=user,
    )
    save_step_draft(
        application=application,
        step="eligibility",
        values=COMPLETE_ELIGIBILITY,
        expected_version=application.version,
        next_step="eligibility",
        by=user,
    )
    results = {r.code: r for r in eligibility_for(application)}
    deadline_year = cycle.application_deadline.year
    # The earlier of the two quality-system certificates counts.
    assert results["years_certified"].reason.startswith(
        "贵单位于 2011-07-01 首次获得质量管理体系认证"
    )
    assert results["jurisdiction"].passed is True
    assert all(r.passed for r in results.values())
    assert results["years_excellence_model"].reason.endswith(f"已满 {deadline_year - 2018} 年")
