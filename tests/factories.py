"""factory_boy factories for the domain models, shared by every test module."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from awards.criteria_data import GB_T_19580_2012
from awards.enums import CycleStatus, Industry, OrganizationSize, Role
from awards.models import (
    AwardingAuthority,
    AwardLevel,
    AwardProgramme,
    CriteriaFramework,
    Cycle,
    Organization,
    User,
)
from awards.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

SHANGHAI = ZoneInfo("Asia/Shanghai")


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
    class Meta:
        model = Cycle

    programme = factory.SubFactory(ProgrammeFactory)
    edition = factory.Sequence(lambda n: n + 1)
    year = 2026
    framework = factory.LazyFunction(national_framework)
    status = CycleStatus.OPEN
    applications_open = dt.date(2026, 9, 1)
    application_deadline = dt.datetime(2026, 12, 31, 17, 0, tzinfo=SHANGHAI)
    screening_deadline = dt.date(2027, 1, 20)
    document_review_deadline = dt.date(2027, 3, 1)
    onsite_review_deadline = dt.date(2027, 4, 15)
    notice_start = dt.date(2027, 5, 10)
    announcement_date = dt.date(2027, 6, 1)


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


class OfficialFactory(UserFactory):
    """An official as ``create_staff_account`` makes one: in the authority's Wagtail group."""

    role = Role.OFFICIAL
    authority = factory.SubFactory(AuthorityFactory)

    @factory.post_generation
    def join_authority_group(obj, create, extracted, **kwargs):
        if create:
            from awards.services.people import authority_group

            obj.groups.add(authority_group(obj.authority))
