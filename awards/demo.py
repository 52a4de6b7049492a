"""Demo data for the three awards, built through the services and safe to run again.

Each record is looked up by its natural key first, so a second run creates nothing and changes
nothing. Dates are relative to today so the demo cycles are always open for applications.
"""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from awards.criteria_data import GB_T_19580_2012
from awards.demo_recommenders import ensure_recommending_bodies
from awards.enums import CycleStatus, Industry, ItemKind, OrganizationSize, Role, Track
from awards.models import (
    Application,
    AwardingAuthority,
    AwardProgramme,
    CriteriaFramework,
    Cycle,
    Organization,
)
from awards.services.application_attachments import (
    add_attachments,
    ensure_attachment_requirements,
)
from awards.services.application_drafts import save_self_assessment, save_step_draft
from awards.services.applications import start_application, submit_application
from awards.services.cycles import change_cycle_status
from awards.services.people import create_staff_account, register_applicant
from awards.services.programmes import create_authority, create_cycle, create_programme
from awards.services.recommendations import allowed_recommending_bodies
from awards.validators import credit_code_check_character

DEMO_PASSWORD = "Award-Demo-2026"
ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class DemoAward:
    authority: dict
    programme: dict
    edition: int
    rules: dict
    levels: tuple[tuple[str, int, int], ...]
    official: tuple[str, str]
    reviewers: tuple[tuple[str, str], ...]
    organizations: tuple[tuple[str, str, str, str, str, str], ...]


AWARDS = (
    DemoAward(
        authority={
            "name": "天门市人民政府",
            "office_name": "天门市质量强市工作领导小组办公室",
            "region_code": "429006",
            "region_name": "湖北省天门市",
            "region_prefix": "429006",
        },
        programme={
            "name": "陆羽质量奖",
            "slug": "luyu",
            "summary": "天门市人民政府设立的政府质量奖，表彰实施卓越绩效管理并取得显著成效的组织。",
            "prize": "每家获奖组织奖励 10 万元",
            "requires_recommendation": False,
        },
        edition=5,
        rules={"min_years_operating": 3, "min_years_certified": 3, "min_years_excellence_model": 2},
        levels=(("陆羽质量奖", 600, 2),),
        official=("tianmen_official", "刘建华"),
        reviewers=(
            ("tm_reviewer1", "陈志远"),
            ("tm_reviewer2", "王丽"),
            ("tm_reviewer3", "张敏"),
            ("tm_reviewer4", "李国强"),
        ),
        organizations=(
            ("天门纺织机械股份有限公司", "429006", "湖北省天门市", "C", "large", "tm_textile"),
            ("湖北天门茶圣食品有限公司", "429006", "湖北省天门市", "C", "medium", "tm_tea"),
            ("天门市陆羽医药化工有限公司", "429006", "湖北省天门市", "C", "medium", "tm_pharma"),
            ("天门市竟陵建筑工程有限公司", "429006", "湖北省天门市", "E", "medium", "tm_build"),
            ("天门市智慧物流有限公司", "429006", "湖北省天门市", "G", "small", "tm_logistics"),
        ),
    ),
    DemoAward(
        authority={
            "name": "宜昌市人民政府",
            "office_name": "宜昌市质量强市工作领导小组办公室",
            "region_code": "420500",
            "region_name": "湖北省宜昌市",
            "region_prefix": "4205",
        },
        programme={
            "name": "三峡质量奖",
            "slug": "sanxia",
            "summary": "宜昌市人民政府于 2010 年设立的政府质量奖，每两年评选一次，设质量奖和提名奖。",
            "prize": "质量奖每家 50 万元，提名奖每家 10 万元",
            "requires_recommendation": True,
        },
        edition=9,
        rules={"min_years_operating": 5, "min_years_certified": 3, "min_years_excellence_model": 3},
        levels=(("三峡质量奖", 600, 3), ("三峡质量奖提名奖", 550, 5)),
        official=("yichang_official", "周文斌"),
        reviewers=(
            ("yc_reviewer1", "赵宏伟"),
            ("yc_reviewer2", "孙晓燕"),
            ("yc_reviewer3", "黄志明"),
            ("yc_reviewer4", "吴静"),
        ),
        organizations=(
            (
                "宜昌三峡精细化工股份有限公司",
                "420502",
                "湖北省宜昌市西陵区",
                "C",
                "large",
                "yc_chem",
            ),
            (
                "宜昌长江电力设备有限公司",
                "420503",
                "湖北省宜昌市伍家岗区",
                "C",
                "large",
                "yc_power",
            ),
            (
                "宜昌夷陵柑橘产业集团有限公司",
                "420506",
                "湖北省宜昌市夷陵区",
                "A",
                "medium",
                "yc_citrus",
            ),
            (
                "宜昌猇亭新材料科技有限公司",
                "420505",
                "湖北省宜昌市猇亭区",
                "C",
                "medium",
                "yc_material",
            ),
            (
                "宜昌三峡旅游服务有限公司",
                "420502",
                "湖北省宜昌市西陵区",
                "R",
                "small",
                "yc_tourism",
            ),
        ),
    ),
    DemoAward(
        authority={
            "name": "江西省人民政府",
            "office_name": "江西省质量强省工作领导小组办公室",
            "region_code": "360000",
            "region_name": "江西省",
            "region_prefix": "36",
        },
        programme={
            "name": "井冈质量奖",
            "slug": "jinggang",
            "summary": "江西省人民政府设立的最高质量荣誉，每两年评选一次，设组织奖和个人奖。",
            "prize": "每个获奖组织奖励约 100 万元",
            "requires_recommendation": False,
            "has_individual_track": True,
        },
        edition=5,
        rules={"min_years_operating": 5, "min_years_certified": 3, "min_years_excellence_model": 3},
        levels=(("井冈质量奖", 600, 3), ("井冈质量奖提名奖", 550, 5)),
        official=("jiangxi_official", "邓立新"),
        reviewers=(
            ("jx_reviewer1", "罗建平"),
            ("jx_reviewer2", "胡晓红"),
            ("jx_reviewer3", "曾凡荣"),
            ("jx_reviewer4", "彭丽华"),
        ),
        organizations=(
            ("江西洪都航空装备有限公司", "360100", "江西省南昌市", "C", "large", "jx_aviation"),
            (
                "江西赣州稀土新材料股份有限公司",
                "360700",
                "江西省赣州市",
                "C",
                "large",
                "jx_rareearth",
            ),
            (
                "景德镇陶瓷文化产业有限公司",
                "360200",
                "江西省景德镇市",
                "C",
                "medium",
                "jx_ceramics",
            ),
            ("江西九江港口物流有限公司", "360400", "江西省九江市", "G", "medium", "jx_port"),
            (
                "江西井冈山红色旅游发展有限公司",
                "360800",
                "江西省吉安市",
                "R",
                "small",
                "jx_tourism",
            ),
        ),
    ),
)


def demo_credit_code(division: str, serial: int) -> str:
    body = f"91{division}MA{serial:07d}"
    return body + credit_code_check_character(body)


def _timetable(today: dt.date) -> dict:
    local = timezone.get_current_timezone()
    return {
        "applications_open": today - dt.timedelta(days=30),
        "application_deadline": dt.datetime.combine(
            today + dt.timedelta(days=60), dt.time(17, 0), tzinfo=local
        ),
        "screening_deadline": today + dt.timedelta(days=80),
        "document_review_deadline": today + dt.timedelta(days=120),
        "onsite_review_deadline": today + dt.timedelta(days=160),
        "notice_start": today + dt.timedelta(days=180),
        "announcement_date": today + dt.timedelta(days=200),
    }


@contextmanager
def demo_password_hashed_once():
    """Hash the demo password once for every account created in the block.

    All demo accounts share the published password, and hashing it (PBKDF2, over a second on a
    small machine) for each of the ~35 accounts was most of ``seed_demo``'s time. Inside the
    block Django's ``make_password``, as the user model calls it, returns that one hash for the
    demo password; every other password is hashed as usual. The accounts then share a salt,
    which hides nothing for credentials printed in the README.
    """
    from django.contrib.auth import base_user

    original = base_user.make_password
    hashed = original(DEMO_PASSWORD)

    def make_password(password, *args, **kwargs):
        if password == DEMO_PASSWORD and not args and not kwargs:
            return hashed
        return original(password, *args, **kwargs)

    base_user.make_password = make_password
    try:
        yield
    finally:
        base_user.make_password = original


def _ensure_admin() -> None:
    user_model = get_user_model()
    if not user_model.objects.filter(username=ADMIN_USERNAME).exists():
        user_model.objects.create_superuser(
            ADMIN_USERNAME, "admin@example.com", DEMO_PASSWORD, full_name="平台管理员"
        )


def _ensure_award(award: DemoAward, framework: CriteriaFramework, serial_start: int) -> None:
    user_model = get_user_model()
    authority = AwardingAuthority.objects.filter(name=award.authority["name"]).first()
    if authority is None:
        authority = create_authority(**award.authority, by=None)
    programme = AwardProgramme.objects.filter(slug=award.programme["slug"]).first()
    if programme is None:
        programme = create_programme(authority=authority, by=None, **award.programme)
    if not Cycle.objects.filter(programme=programme, edition=award.edition).exists():
        today = timezone.localdate()
        cycle = create_cycle(
            programme=programme,
            edition=award.edition,
            year=today.year,
            framework=framework,
            timetable=_timetable(today),
            levels=award.levels,
            by=None,
            **award.rules,
        )
        change_cycle_status(cycle=cycle, to=CycleStatus.OPEN, by=None)
    for cycle in Cycle.objects.filter(programme=programme):
        ensure_attachment_requirements(cycle=cycle, by=None)
    staff = [(award.official, Role.OFFICIAL)] + [(r, Role.REVIEWER) for r in award.reviewers]
    for (username, full_name), role in staff:
        if not user_model.objects.filter(username=username).exists():
            create_staff_account(
                role=role,
                authority=authority,
                username=username,
                full_name=full_name,
                email=f"{username}@example.com",
                password=DEMO_PASSWORD,
                by=None,
            )
    for offset, (name, division, region, industry, size, username) in enumerate(
        award.organizations
    ):
        if user_model.objects.filter(username=username).exists():
            continue
        organization = Organization(
            name=name,
            credit_code=demo_credit_code(division, serial_start + offset),
            region_code=division,
            region_name=region,
            industry=Industry(industry),
            size=OrganizationSize(size),
            registration_date=dt.date(2005 + offset, 3, 1),
            legal_representative="法定代表人",
        )
        register_applicant(
            organization=organization,
            username=username,
            full_name=f"{name[:4]}联系人",
            email=f"{username}@example.com",
            password=DEMO_PASSWORD,
        )


def demo_pdf(title: str) -> bytes:
    """A tiny but complete PDF, enough for the upload checks."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {title}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def submit_demo_application(
    cycle: Cycle, username: str, *, recommending_body: AwardingAuthority | None = None
) -> Application:
    """One organization's application, filled and submitted through the services (to
    ``recommending_body``, or the first body allowed, when the programme requires one)."""
    return _demo_application(cycle, username, submit=True, recommending_body=recommending_body)


def _demo_application(
    cycle: Cycle,
    username: str,
    *,
    submit: bool,
    recommending_body: AwardingAuthority | None = None,
) -> Application | None:
    """One organization's application, filled through the services; submitted or half done.
    When the programme requires recommendation it is submitted to ``recommending_body`` or the
    first body allowed for the organization's region (``awards.demo_recommenders`` builds the
    bodies before any application), where it waits for the body's decision."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = get_user_model().objects.get(username=username)
    if cycle.applications.filter(organization=user.organization, track=Track.ORGANIZATION).exists():
        return None
    if submit and cycle.programme.requires_recommendation and recommending_body is None:
        recommending_body = allowed_recommending_bodies(cycle.programme, user.organization).first()
    application, _created = start_application(cycle=cycle, organization=user.organization, by=user)
    organization = user.organization
    steps = {
        "basic": {
            "organization_name": organization.name,
            "address": f"{organization.region_name}经济开发区 1 号",
            "legal_representative": organization.legal_representative,
            "contact_person": user.full_name,
            "contact_phone": "0728-5211234",
            "contact_email": user.email,
            "employees": "680",
            **{f"revenue_{i}": str(30000 + 4000 * i) for i in (1, 2, 3)},
            **{f"profit_{i}": str(2000 + 300 * i) for i in (1, 2, 3)},
            "iso9001_date": "2012-06-01",
            "excellence_model_year": "2016",
        },
        "eligibility": {
            "major_accident": "none",
            "failed_inspection": "none",
            "serious_complaint": "none",
            "tax_social_violation": "none",
        },
        "overview": {
            "overview": f"{organization.name}成立于 {organization.registration_date.year} 年，"
            "坚持质量第一，推行卓越绩效管理模式，主要产品质量水平居省内前列。"
        },
    }
    for step, values in steps.items():
        save_step_draft(
            application=application,
            step=step,
            values=values,
            expected_version=application.version,
            next_step=step,
            by=user,
        )
    if not submit:
        return application
    items = list(cycle.framework.items.all())
    save_self_assessment(
        application=application,
        texts={i.pk: f"{i.name}：本单位建立了系统的方法，全面展开并持续改进。" for i in items},
        percents={i.pk: 60 if i.kind == ItemKind.PROCESS else 55 for i in items},
        expected_version=application.version,
        next_step="evidence",
        by=user,
    )
    uploads = [
        (r.code, SimpleUploadedFile(f"{r.name}.pdf", demo_pdf(r.code)))
        for r in cycle.attachment_requirements.all()
        if r.required
    ]
    add_attachments(
        application=application,
        uploads=uploads,
        expected_version=application.version,
        next_step="review",
        by=user,
    )
    submit_application(application=application, by=user, recommending_body=recommending_body)
    return application


def build_demo_data() -> None:
    framework = CriteriaFramework.objects.get(
        code=GB_T_19580_2012.code, version=GB_T_19580_2012.version, authority=None
    )
    _ensure_admin()
    for index, award in enumerate(AWARDS):
        _ensure_award(award, framework, serial_start=100 * (index + 1))
    # The recommending bodies and their recommenders exist before any application is submitted.
    ensure_recommending_bodies(password=DEMO_PASSWORD)
    for award in AWARDS:
        cycle = Cycle.objects.get(programme__slug=award.programme["slug"], edition=award.edition)
        if cycle.status == CycleStatus.OPEN:
            _demo_application(cycle, award.organizations[1][5], submit=True)
            _demo_application(cycle, award.organizations[2][5], submit=False)
