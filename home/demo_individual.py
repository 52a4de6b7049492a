"""Demo of the individual award (个人奖): 井冈质量奖's open cycle gets an individual track
(its own criteria framework, levels and quotas) and two candidates filed by their employers.

Everything goes through the services, as an employer's applicant account would do it in the
wizard: candidate details (identity number encrypted), the employer's declarations, one text
per item of the individual framework, the signed consent and the other required files.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.criteria_data import INDIVIDUAL_QUALITY_2023
from awards.demo import demo_pdf
from awards.enums import CycleStatus, Declaration, Gender, ItemKind, Track
from awards.id_numbers import check_character
from awards.models import Application, CriteriaFramework, Cycle, IndividualCandidate
from awards.services.application_attachments import add_attachments
from awards.services.application_drafts import save_self_assessment, save_step_draft
from awards.services.applications import submit_application
from awards.services.individuals import save_candidate, start_individual_application
from awards.services.programmes import set_individual_track

SLUG = "jinggang"
#: 井冈: at most 3 individual awards and 5 nominations, on the individual framework's 100 points.
INDIVIDUAL_LEVELS = (("井冈质量奖（个人）", 60, 3), ("井冈质量奖提名奖（个人）", 55, 5))

CANDIDATES = (
    (
        "jx_aviation",
        {
            "name": "刘志强",
            "gender": Gender.MALE,
            "birth_date": dt.date(1975, 4, 12),
            "position": "首席质量官",
            "years_in_quality_work": 22,
            "education": "硕士研究生",
            "achievements": "主持建立航空装备全过程质量追溯体系，关键工序一次合格率由 97.1% "
            "提高到 99.6%；主导制定行业标准 2 项。",
            "honours": "全国质量工作先进个人（2019）；江西省五一劳动奖章（2021）",
        },
        "360102197504120",
    ),
    (
        "jx_rareearth",
        {
            "name": "陈慧敏",
            "gender": Gender.FEMALE,
            "birth_date": dt.date(1980, 9, 3),
            "position": "总工程师",
            "years_in_quality_work": 15,
            "education": "博士研究生",
            "achievements": "带领团队攻克稀土分离产品一致性难题，产品批次合格率连续 5 年 100%；"
            "推广六西格玛方法，完成改进项目 40 余项。",
            "honours": "江西省质量管理先进工作者（2022）",
        },
        "360702198009030",
    ),
)


def demo_id_number(first17: str) -> str:
    """A well-formed (check digit correct) but invented identity number for demo people."""
    base = first17.ljust(17, "1")[:17]
    return base + check_character(base)


def individual_framework() -> CriteriaFramework:
    spec = INDIVIDUAL_QUALITY_2023
    return CriteriaFramework.objects.get(code=spec.code, version=spec.version, authority=None)


def file_individual_application(
    cycle: Cycle, username: str, candidate: dict, id_number: str, *, submit: bool = True
) -> Application:
    """The employer's individual application for ``candidate``, filled (and submitted)."""
    user = get_user_model().objects.get(username=username)
    application = start_individual_application(cycle=cycle, organization=user.organization, by=user)
    save_candidate(
        application=application,
        values=candidate,
        id_number=id_number,
        expected_version=application.version,
        next_step="eligibility",
        by=user,
    )
    save_step_draft(
        application=application,
        step="eligibility",
        values={
            code: Declaration.NONE
            for code in ("major_accident", "failed_inspection", "serious_complaint")
        }
        | {"tax_social_violation": Declaration.NONE},
        expected_version=application.version,
        next_step="evidence",
        by=user,
    )
    items = list(cycle.individual_framework.items.all())
    save_self_assessment(
        application=application,
        texts={i.pk: f"{i.name}：{candidate['name']}的主要做法和成效。" for i in items},
        percents={i.pk: 70 if i.kind == ItemKind.PROCESS else 65 for i in items},
        expected_version=application.version,
        next_step="evidence",
        by=user,
    )
    uploads = [
        (r.code, SimpleUploadedFile(f"{r.name}.pdf", demo_pdf(r.code)))
        for r in cycle.attachment_requirements.filter(track=Track.INDIVIDUAL, required=True)
    ]
    add_attachments(
        application=application,
        uploads=uploads,
        expected_version=application.version,
        next_step="review",
        by=user,
    )
    if submit:
        application = submit_application(application=application, by=user)
    return application


def build_demo_individual() -> Cycle | None:
    """Give the open 井冈 cycle its individual track and two candidates; repeatable."""
    cycle = (
        Cycle.objects.filter(programme__slug=SLUG, status=CycleStatus.OPEN)
        .select_related("programme__authority")
        .order_by("-edition")
        .first()
    )
    if cycle is None or not cycle.programme.has_individual_track:
        return None
    if not cycle.individual_framework_id:
        cycle = set_individual_track(
            cycle=cycle,
            framework=individual_framework(),
            levels=INDIVIDUAL_LEVELS,
            by=None,
            min_years_quality_work=10,
        )
    for username, candidate, first17 in CANDIDATES:
        if IndividualCandidate.objects.filter(
            application__cycle=cycle, name=candidate["name"]
        ).exists():
            continue
        file_individual_application(cycle, username, candidate, demo_id_number(first17))
    return cycle
