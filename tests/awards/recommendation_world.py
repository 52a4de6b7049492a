"""A province with two cities and a city department, a provincial programme that requires
recommendation, and applicants of both cities: the data recommendation tests build on."""

from __future__ import annotations

from dataclasses import dataclass

from awards.enums import AuthorityKind
from awards.models import Application, AwardingAuthority, Cycle, User
from awards.services.applications import submit_application
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    OfficialFactory,
    RecommenderFactory,
    fill_application,
    open_cycle,
    started_application,
)


@dataclass
class World:
    province: AwardingAuthority
    nanchang: AwardingAuthority
    nanchang_market: AwardingAuthority
    jiujiang: AwardingAuthority
    cycle: Cycle
    official: User
    nanchang_recommender: User
    market_recommender: User
    jiujiang_recommender: User
    nanchang_official: User

    def applicant(self, city: str = "nanchang", **kwargs) -> User:
        region = {"nanchang": ("360100", "江西省南昌市"), "jiujiang": ("360400", "江西省九江市")}
        code, name = region[city]
        return ApplicantFactory(
            organization__region_code=code, organization__region_name=name, **kwargs
        )

    def filled(self, *, city: str = "nanchang", user=None) -> Application:
        """A complete application of an applicant of ``city``, not yet submitted."""
        user = user or self.applicant(city)
        application, _user = started_application(cycle=self.cycle, user=user)
        return fill_application(application, user)

    def submitted(self, *, city: str = "nanchang", body=None, user=None) -> Application:
        """A complete application of an applicant of ``city``, submitted to ``body``."""
        application = self.filled(city=city, user=user)
        body = body or (self.nanchang if city == "nanchang" else self.jiujiang)
        return submit_application(
            application=application, by=application.created_by, recommending_body=body
        )


def build_world(**programme) -> World:
    province = AuthorityFactory(
        name="江西省人民政府", region_code="360000", region_name="江西省", region_prefix="36"
    )
    nanchang = AuthorityFactory(
        name="南昌市人民政府",
        region_code="360100",
        region_name="江西省南昌市",
        region_prefix="3601",
        parent=province,
    )
    nanchang_market = AuthorityFactory(
        name="南昌市市场监督管理局",
        region_code="360100",
        region_name="江西省南昌市",
        region_prefix="3601",
        parent=nanchang,
        kind=AuthorityKind.DEPARTMENT,
    )
    jiujiang = AuthorityFactory(
        name="九江市人民政府",
        region_code="360400",
        region_name="江西省九江市",
        region_prefix="3604",
        parent=province,
    )
    programme.setdefault("requires_recommendation", True)
    cycle = open_cycle(
        programme__authority=province, **{f"programme__{k}": v for k, v in programme.items()}
    )
    return World(
        province=province,
        nanchang=nanchang,
        nanchang_market=nanchang_market,
        jiujiang=jiujiang,
        cycle=cycle,
        official=OfficialFactory(authority=province),
        nanchang_recommender=RecommenderFactory(authority=nanchang),
        market_recommender=RecommenderFactory(authority=nanchang_market),
        jiujiang_recommender=RecommenderFactory(authority=jiujiang),
        nanchang_official=OfficialFactory(authority=nanchang),
    )
