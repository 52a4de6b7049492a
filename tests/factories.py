"""factory_boy factories for the domain models, shared by every test module."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from awards.criteria_data import GB_T_19580_2012
from awards.enums import CycleStatus, Industry, OrganizationSize, Role
from awards.models import (
    Application,
    AwardingAuthority,
    AwardLevel,
    AwardProgramme,
    CriteriaFramework,
    Cycle,
    Organization,
    User,
)
from awards.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from tests import clock

#: Days from today of a factory cycle's milestones: open for applications since a month ago,
#: the deadline (17:00 Beijing) ahead, the later milestones after it in the timetable's order.
CYCLE_MILESTONE_DAYS = {
    "applications_open": -30,
    "application_deadline": 25,
    "screening_deadline": 45,
    "document_review_deadline": 85,
    "onsite_review_deadline": 130,
    "notice_start": 155,
    "announcement_date": 177,
}


def cycle_timetable() -> dict[str, dt.date | dt.datetime]:
    """A factory cycle's timetable counted from today, as ``create_cycle`` takes it."""
    timetable = {field: clock.days_from_today(days) for field, days in CYCLE_MILESTONE_DAYS.items()}
    timetable["application_deadline"] = clock.at(timetable["application_deadline"], 17)
    return timetable


def make_credit_code(sequence: int, division: str = "429006") -> str:
    """A valid 18-character code (GB 32100-2015) that is unique per sequence number."""
    digits = ""
    n = sequence
    for _ in range(9):
        digits = CREDIT_CODE_ALPHABET[n % 31] + digits
        n //= 31
    first_17 = "91" + division + digits
    return first_17 + credit_code_check_character(first_17)


def national_framework() -> CriteriaFramework:
    return CriteriaFramework.objects.get(
        code=GB_T_19580_2012.code, version=GB_T_19580_2012.version, authority=None
    )


class AuthorityFactory(DjangoModelFactory):
    class Meta:
        model = AwardingAuthority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试市人民政府{n}")
    office_name = factory.LazyAttribute(lambda o: f"{o.name}质量强市工作领导小组办公室")
    region_code = factory.Sequence(lambda n: f"{4201 + n:04d}00")
    region_name = factory.Sequence(lambda n: f"测试市{n}")
    region_prefix = factory.LazyAttribute(lambda o: o.region_code[:4])


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = AwardProgramme

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"测试质量奖{n}")
    slug = factory.Sequence(lambda n: f"test-award-{n}")
    summary = "测试用奖项"


class CycleFactory(DjangoModelFactory):
    """A cycle of this year, open for applications today (see ``CYCLE_MILESTONE_DAYS``)."""

    class Meta:
        model = Cycle

    programme = factory.SubFactory(ProgrammeFactory)
    edition = factory.Sequence(lambda n: n + 1)
    year = factory.LazyFunction(lambda: clock.today().year)
    framework = factory.LazyFunction(national_framework)
    status = CycleStatus.OPEN
    applications_open = factory.LazyAttribute(lambda o: o.timetable["applications_open"])
    application_deadline = factory.LazyAttribute(lambda o: o.timetable["application_deadline"])
    screening_deadline = factory.LazyAttribute(lambda o: o.timetable["screening_deadline"])
    document_review_deadline = factory.LazyAttribute(
        lambda o: o.timetable["document_review_deadline"]
    )
    onsite_review_deadline = factory.LazyAttribute(lambda o: o.timetable["onsite_review_deadline"])
    notice_start = factory.LazyAttribute(lambda o: o.timetable["notice_start"])
    announcement_date = factory.LazyAttribute(lambda o: o.timetable["announcement_date"])

    class Params:
        timetable = factory.LazyFunction(cycle_timetable)


class AwardLevelFactory(DjangoModelFactory):
    class Meta:
        model = AwardLevel

    cycle = factory.SubFactory(CycleFactory)
    name = "质量奖"
    min_total = 600
    quota = 2
    sort_order = 0


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1000))
    region_code = "420100"
    region_name = "测试市"
    industry = Industry.MANUFACTURING
    size = OrganizationSize.MEDIUM
    registration_date = dt.date(2010, 5, 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-12345-word")

    @factory.post_generation
    def persist_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ApplicantFactory(UserFactory):
    role = Role.APPLICANT
    organization = factory.SubFactory(OrganizationFactory)


class ReviewerFactory(UserFactory):
    role = Role.REVIEWER
    authority = factory.SubFactory(AuthorityFactory)


class RecommenderFactory(UserFactory):
    """Staff of a recommending body (a city or county government or department)."""

    role = Role.RECOMMENDER
    authority = factory.SubFactory(AuthorityFactory)


class OfficialFactory(UserFactory):
    """An official as ``create_staff_account`` makes one: in the authority's Wagtail group."""

    role = Role.OFFICIAL
    authority = factory.SubFactory(AuthorityFactory)

    @factory.post_generation
    def join_authority_group(obj, create, extracted, **kwargs):
        if create:
            from awards.services.people import authority_group

            obj.groups.add(authority_group(obj.authority))


# Applications (issue 3) ------------------------------------------------------------------------

#: A complete, eligible draft for a cycle of this year with the default rules.
COMPLETE_BASIC = {
    "organization_name": "天门纺织机械股份有限公司",
    "address": "湖北省天门市竟陵街道工业园 8 号",
    "legal_representative": "张三",
    "contact_person": "李四",
    "contact_phone": "0728-5211234",
    "contact_email": "lisi@example.com",
    "employees": "860",
    "revenue_1": "52000.50",
    "revenue_2": "56000",
    "revenue_3": "61000",
    "profit_1": "3100",
    "profit_2": "3500.25",
    "profit_3": "4200",
    "iso9001_date": "2012-06-01",
    "other_qms_name": "",
    "other_qms_date": "",
    "other_certifications": "ISO 14001（2014 年）",
    "excellence_model_year": "2018",
}
COMPLETE_ELIGIBILITY = {
    "major_accident": "none",
    "failed_inspection": "none",
    "serious_complaint": "none",
    "tax_social_violation": "none",
}
COMPLETE_OVERVIEW = {"overview": "本公司成立于 2010 年，主要生产纺织机械。"}


class ApplicationFactory(DjangoModelFactory):
    """A bare draft; use ``tests.factories.start`` for one made the way applicants make them."""

    class Meta:
        model = Application

    cycle = factory.SubFactory(CycleFactory)
    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.SubFactory(
        ApplicantFactory, organization=factory.SelfAttribute("..organization")
    )


def pdf_bytes(text: str = "evidence") -> bytes:
    """A small but complete PDF (header and %%EOF), as the upload checks require."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def fill_application(application, user, *, with_attachments: bool = True):
    """Save a complete, eligible application through the services, as the wizard would."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.services.application_attachments import add_attachments
    from awards.services.application_drafts import save_self_assessment, save_step_draft

    eligibility = dict(COMPLETE_ELIGIBILITY)
    for step, values in (
        ("basic", COMPLETE_BASIC),
        ("eligibility", eligibility),
        ("overview", COMPLETE_OVERVIEW),
    ):
        save_step_draft(
            application=application,
            step=step,
            values=values,
            expected_version=application.version,
            next_step=step,
            by=user,
        )
    items = list(application.cycle.framework.items.all())
    save_self_assessment(
        application=application,
        texts={item.pk: f"{item.code} 的做法与成效。" for item in items},
        percents={item.pk: 60 for item in items},
        expected_version=application.version,
        next_step="evidence",
        by=user,
    )
    if with_attachments:
        uploads = [
            (requirement.code, SimpleUploadedFile(f"{requirement.code}.pdf", pdf_bytes()))
            for requirement in application.cycle.attachment_requirements.all()
            if requirement.required
        ]
        add_attachments(
            application=application,
            uploads=uploads,
            expected_version=application.version,
            next_step="review",
            by=user,
        )
    application.refresh_from_db()
    return application


def tianmen_authority() -> AwardingAuthority:
    return AuthorityFactory(
        name="天门市人民政府",
        region_code="429006",
        region_name="湖北省天门市",
        region_prefix="429006",
    )


def open_cycle(*, days_left: int = 30, **kwargs):
    """An open cycle of 天门市 whose deadline is ``days_left`` days from now (17:00 Beijing)."""
    deadline = clock.at(clock.days_from_today(days_left), 17)
    if "programme" not in kwargs:
        kwargs.setdefault("programme__authority", tianmen_authority())
    kwargs.setdefault("application_deadline", deadline)
    kwargs.setdefault("year", deadline.year)
    return CycleFactory(**kwargs)


def tianmen_applicant(**kwargs) -> User:
    kwargs.setdefault("organization__region_code", "429006")
    kwargs.setdefault("organization__region_name", "湖北省天门市")
    return ApplicantFactory(**kwargs)


def started_application(cycle=None, user=None):
    """(application, user) as an applicant starts it: draft, first event, evidence list."""
    from awards.services.applications import start_application

    cycle = cycle or open_cycle()
    user = user or tianmen_applicant()
    application, _created = start_application(cycle=cycle, organization=user.organization, by=user)
    return application, user


def step_url(application, step: str) -> str:
    return f"/portal/applications/{application.pk}/step/{step}/"


def wizard_post(client, application, step: str, values: dict | None = None, **options):
    """POST one wizard step as the browser does: fields prefixed with the step name.

    ``action`` ("next", "save", "submit"), ``goto`` (a step name, as the progress links and
    “上一步” send) and ``version`` (default: what the step's page sends, the step's saved
    version, or the application's on the review step) as keywords.
    """
    version = options.pop("version", None)
    if version is None:
        saved = type(application).objects.get(pk=application.pk)
        version = saved.version if step == "review" else saved.step_version(step)
    data = {f"{step}-{name}": value for name, value in (values or {}).items()}
    data["draft_version"] = str(version)
    if "goto" in options:
        data["wizard_goto_step"] = options.pop("goto")
    else:
        data["action"] = options.pop("action", "next")
    data.update(options.pop("extra", {}))
    return client.post(step_url(application, step), data, **options)
