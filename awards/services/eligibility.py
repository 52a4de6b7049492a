"""Eligibility (申报资格): a pure function over plain data, and a loader from an application.

The conditions are the cycle's settings; the facts come from the organization's profile and the
application's draft. Everything is judged on the local (Asia/Shanghai) date of the cycle's
application deadline, so the answer does not change with the day the applicant looks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.application_content import (
    DECLARATIONS,
    STEP_BASIC,
    STEP_CANDIDATE,
    STEP_ELIGIBILITY,
    parse_date,
    parse_int,
)
from awards.enums import Declaration
from awards.models import Application


@dataclass(frozen=True, slots=True)
class EligibilityRules:
    reference_date: dt.date
    min_years_operating: int
    min_years_certified: int
    min_years_excellence_model: int
    lookback_years: int
    jurisdiction_prefix: str
    jurisdiction_name: str


@dataclass(frozen=True, slots=True)
class EligibilityFacts:
    registration_date: dt.date
    region_code: str
    quality_certified_on: dt.date | None
    excellence_model_year: int | None
    #: Declaration code → "none", "occurred", or "" when not answered yet.
    declarations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConditionResult:
    code: str
    label: str
    passed: bool
    reason: str
    #: The wizard step where the applicant can change the facts behind this condition.
    step: str
    #: Failed only because the facts have not been given yet.
    missing: bool = False

    def __str__(self) -> str:
        return f"{self.label}：{self.reason}"


def full_years_between(start: dt.date, end: dt.date) -> int:
    """Completed years from ``start`` to ``end`` (a 29 February start counts from 1 March)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def _years_condition(
    *,
    code: str,
    label: str,
    since: dt.date | None,
    minimum: int,
    rules: EligibilityRules,
    missing_reason: str,
    since_text: str,
    step: str,
) -> ConditionResult:
    if since is None:
        return ConditionResult(code, label, False, missing_reason, step, missing=True)
    years = full_years_between(since, rules.reference_date)
    figures = {"since": since_text, "years": years}
    if years >= minimum:
        reason = _("%(since)s，截至申报截止日已满 %(years)d 年") % figures
        return ConditionResult(code, label, True, reason, step)
    reason = _("%(since)s，截至申报截止日仅 %(years)d 年") % figures
    return ConditionResult(code, label, False, reason, step)


def _jurisdiction_condition(rules: EligibilityRules, region_code: str, *, step: str):
    in_jurisdiction = region_code.startswith(rules.jurisdiction_prefix)
    return ConditionResult(
        "jurisdiction",
        _("在%(region)s辖区内注册") % {"region": rules.jurisdiction_name},
        in_jurisdiction,
        (
            _("贵单位所在地行政区划代码为 %(code)s，属于辖区")
            if in_jurisdiction
            else _("贵单位所在地行政区划代码为 %(code)s，不在辖区内（辖区代码以 %(prefix)s 开头）")
        )
        % {"code": region_code, "prefix": rules.jurisdiction_prefix},
        step,
    )


def _declaration_conditions(
    rules: EligibilityRules, declarations: dict[str, str]
) -> list[ConditionResult]:
    results = []
    for code, what in DECLARATIONS:
        answer = declarations.get(code, "")
        label = _("近 %(years)d 年内未发生%(what)s") % {"years": rules.lookback_years, "what": what}
        if answer == Declaration.NONE:
            result = ConditionResult(code, label, True, _("贵单位已声明未发生"), STEP_ELIGIBILITY)
        elif answer == Declaration.OCCURRED:
            result = ConditionResult(code, label, False, _("贵单位声明发生过"), STEP_ELIGIBILITY)
        else:
            result = ConditionResult(
                code, label, False, _("尚未声明"), STEP_ELIGIBILITY, missing=True
            )
        results.append(result)
    return results


def evaluate_eligibility(rules: EligibilityRules, facts: EligibilityFacts) -> list[ConditionResult]:
    """Every condition with whether it holds and why, in the order the rules list them."""
    results = [
        _years_condition(
            code="years_operating",
            label=_("注册经营满 %(years)d 年") % {"years": rules.min_years_operating},
            since=facts.registration_date,
            minimum=rules.min_years_operating,
            rules=rules,
            missing_reason=_("单位注册日期未知"),
            since_text=_("贵单位注册于 %(date)s") % {"date": facts.registration_date.isoformat()},
            step=STEP_BASIC,
        ),
        _years_condition(
            code="years_certified",
            label=_("通过质量管理体系认证满 %(years)d 年") % {"years": rules.min_years_certified},
            since=facts.quality_certified_on,
            minimum=rules.min_years_certified,
            rules=rules,
            missing_reason=_("尚未填写质量管理体系认证的首次获证日期"),
            since_text=_("贵单位于 %(date)s 首次获得质量管理体系认证")
            % {
                "date": facts.quality_certified_on.isoformat() if facts.quality_certified_on else ""
            },
            step=STEP_BASIC,
        ),
        _years_condition(
            code="years_excellence_model",
            label=_("导入卓越绩效模式满 %(years)d 年")
            % {"years": rules.min_years_excellence_model},
            since=dt.date(facts.excellence_model_year, 1, 1)
            if facts.excellence_model_year
            else None,
            minimum=rules.min_years_excellence_model,
            rules=rules,
            missing_reason=_("尚未填写导入卓越绩效模式的年份"),
            since_text=_("贵单位于 %(year)s 年导入卓越绩效模式")
            % {"year": facts.excellence_model_year},
            step=STEP_BASIC,
        ),
    ]
    results.append(_jurisdiction_condition(rules, facts.region_code, step=STEP_BASIC))
    results += _declaration_conditions(rules, facts.declarations)
    return results


def rules_for(application: Application) -> EligibilityRules:
    cycle = application.cycle
    authority = cycle.programme.authority
    return EligibilityRules(
        reference_date=timezone.localtime(cycle.application_deadline).date(),
        min_years_operating=cycle.min_years_operating,
        min_years_certified=cycle.min_years_certified,
        min_years_excellence_model=cycle.min_years_excellence_model,
        lookback_years=cycle.lookback_years,
        jurisdiction_prefix=authority.region_prefix,
        jurisdiction_name=authority.region_name,
    )


def facts_for(application: Application) -> EligibilityFacts:
    """The facts as the draft states them; unparseable entries count as missing."""
    basic = application.step_draft(STEP_BASIC)
    declared = application.step_draft(STEP_ELIGIBILITY)
    certified = [
        date
        for date in (parse_date(basic.get("iso9001_date")), parse_date(basic.get("other_qms_date")))
        if date is not None
    ]
    organization = application.organization
    return EligibilityFacts(
        registration_date=organization.registration_date,
        region_code=organization.region_code,
        quality_certified_on=min(certified) if certified else None,
        excellence_model_year=parse_int(basic.get("excellence_model_year")),
        declarations={code: str(declared.get(code, "")) for code, _label in DECLARATIONS},
    )


def eligibility_for(application: Application) -> list[ConditionResult]:
    """Load and evaluate; expects ``cycle__programme__authority`` and ``organization`` loaded.

    An individual application is judged by the individual track's conditions."""
    if application.is_individual:
        return evaluate_individual_eligibility(
            individual_rules_for(application), individual_facts_for(application)
        )
    return evaluate_eligibility(rules_for(application), facts_for(application))


@dataclass(frozen=True, slots=True)
class IndividualRules:
    """The individual track's conditions, from the cycle's settings."""

    min_years_quality_work: int
    lookback_years: int
    jurisdiction_prefix: str
    jurisdiction_name: str


@dataclass(frozen=True, slots=True)
class IndividualFacts:
    #: None while the candidate's details are not saved yet.
    years_in_quality_work: int | None
    employer_region_code: str
    #: The employer's look-back declarations (its clean record), as for organizations.
    declarations: dict[str, str] = field(default_factory=dict)


def evaluate_individual_eligibility(
    rules: IndividualRules, facts: IndividualFacts
) -> list[ConditionResult]:
    """The candidate's years in quality work, the employer's jurisdiction and clean record."""
    label = _("从事质量工作满 %(years)d 年") % {"years": rules.min_years_quality_work}
    years = facts.years_in_quality_work
    if years is None:
        results = [
            ConditionResult(
                "years_quality_work",
                label,
                False,
                _("尚未填写候选人从事质量工作的年限"),
                STEP_CANDIDATE,
                missing=True,
            )
        ]
    else:
        figures = {"years": years, "minimum": rules.min_years_quality_work}
        passed = years >= rules.min_years_quality_work
        reason = (
            _("候选人从事质量工作 %(years)d 年，满 %(minimum)d 年")
            if passed
            else _("候选人从事质量工作 %(years)d 年，不足 %(minimum)d 年")
        ) % figures
        results = [ConditionResult("years_quality_work", label, passed, reason, STEP_CANDIDATE)]
    results.append(_jurisdiction_condition(rules, facts.employer_region_code, step=STEP_CANDIDATE))
    results += _declaration_conditions(rules, facts.declarations)
    return results


def individual_rules_for(application: Application) -> IndividualRules:
    cycle = application.cycle
    authority = cycle.programme.authority
    return IndividualRules(
        min_years_quality_work=cycle.min_years_quality_work,
        lookback_years=cycle.lookback_years,
        jurisdiction_prefix=authority.region_prefix,
        jurisdiction_name=authority.region_name,
    )


def individual_facts_for(application: Application) -> IndividualFacts:
    candidate = getattr(application, "candidate", None)
    declared = application.step_draft(STEP_ELIGIBILITY)
    return IndividualFacts(
        years_in_quality_work=candidate.years_in_quality_work if candidate else None,
        employer_region_code=application.organization.region_code,
        declarations={code: str(declared.get(code, "")) for code, _label in DECLARATIONS},
    )
