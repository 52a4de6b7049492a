"""The demo's recommending bodies (推荐单位) and their staff, built before any demo application.

三峡质量奖 (宜昌市) is recommended by the district governments where its enterprises are
registered (西陵区, 伍家岗区, 猇亭区, 夷陵区), at most 3 per district and cycle; 井冈质量奖
(江西省) by its cities (南昌市, 九江市), once the programme asks for recommendation
(``home.demo_recommendation``). Each body has a recommender; 南昌市 also has an official who
follows, read-only, its enterprises' applications to the province.

The bodies exist before ``build_demo_data`` submits the first application, so every demo
application to a programme that requires recommendation is submitted to its district's body
and, before screening, recommended by that body's recommender (:func:`recommend_demo_applications`),
as the real procedure has it. Safe to run again: every row is looked up first.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from awards.enums import AuthorityKind, RecommendationStatus, Role
from awards.models import Application, AwardingAuthority, AwardProgramme
from awards.services.people import create_staff_account
from awards.services.programmes import create_authority
from awards.services.recommendations import recommend

#: (name, office, region code, region name, prefix, parent's name)
BODIES = (
    (
        "宜昌市西陵区人民政府",
        "西陵区市场监督管理局",
        "420502",
        "湖北省宜昌市西陵区",
        "420502",
        "宜昌市人民政府",
    ),
    (
        "宜昌市伍家岗区人民政府",
        "伍家岗区市场监督管理局",
        "420503",
        "湖北省宜昌市伍家岗区",
        "420503",
        "宜昌市人民政府",
    ),
    (
        "宜昌市猇亭区人民政府",
        "猇亭区市场监督管理局",
        "420505",
        "湖北省宜昌市猇亭区",
        "420505",
        "宜昌市人民政府",
    ),
    (
        "宜昌市夷陵区人民政府",
        "夷陵区市场监督管理局",
        "420506",
        "湖北省宜昌市夷陵区",
        "420506",
        "宜昌市人民政府",
    ),
    (
        "南昌市人民政府",
        "南昌市质量强市工作领导小组办公室",
        "360100",
        "江西省南昌市",
        "3601",
        "江西省人民政府",
    ),
    (
        "九江市人民政府",
        "九江市质量强市工作领导小组办公室",
        "360400",
        "江西省九江市",
        "3604",
        "江西省人民政府",
    ),
)

#: (username, full name, role, authority)
ACCOUNTS = (
    ("yc_xiling_recommender", "秦雪梅", Role.RECOMMENDER, "宜昌市西陵区人民政府"),
    ("yc_wujiagang_recommender", "郑国华", Role.RECOMMENDER, "宜昌市伍家岗区人民政府"),
    ("yc_xiaoting_recommender", "田志刚", Role.RECOMMENDER, "宜昌市猇亭区人民政府"),
    ("yc_yiling_recommender", "向春兰", Role.RECOMMENDER, "宜昌市夷陵区人民政府"),
    ("jx_nanchang_recommender", "万俊", Role.RECOMMENDER, "南昌市人民政府"),
    ("jx_jiujiang_recommender", "熊燕", Role.RECOMMENDER, "九江市人民政府"),
    ("jx_nanchang_official", "涂海波", Role.OFFICIAL, "南昌市人民政府"),
)

#: Programme slug → recommendations per body and cycle.
QUOTAS = {"sanxia": 3}

#: The opinion the demo's bodies write when they recommend an earlier cycle's applicant.
OPINION = "该企业质量管理体系健全，近三年无质量安全事故，主要质量指标居本地区同行业前列，同意推荐。"


def _body(name, office, code, region, prefix, parent_name) -> AwardingAuthority:
    existing = AwardingAuthority.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return create_authority(
        name=name,
        office_name=office,
        region_code=code,
        region_name=region,
        region_prefix=prefix,
        parent=AwardingAuthority.objects.get(name=parent_name),
        kind=AuthorityKind.GOVERNMENT,
        by=None,
    )


def _account(username, full_name, role, authority_name, password: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        return user
    return create_staff_account(
        role=role,
        authority=AwardingAuthority.objects.get(name=authority_name),
        username=username,
        full_name=full_name,
        email=f"{username}@example.com",
        password=password,
        by=None,
    )


def ensure_recommending_bodies(*, password: str) -> tuple[dict, dict]:
    """The bodies by name and their staff by username (the awarding authorities must exist)."""
    bodies = {row[0]: _body(*row) for row in BODIES}
    users = {row[0]: _account(*row, password=password) for row in ACCOUNTS}
    for slug, quota in QUOTAS.items():
        AwardProgramme.objects.filter(slug=slug).update(recommendation_quota=quota)
    return bodies, users


def recommender_of(body: AwardingAuthority):
    return (
        get_user_model()
        .objects.filter(role=Role.RECOMMENDER, authority=body, is_active=True)
        .order_by("pk")
        .first()
    )


def recommend_demo_applications(applications: list[Application], opinion: str = OPINION) -> None:
    """Each application still waiting for its body is recommended by the body's recommender
    (applications to programmes without recommendation have no recommendation and are skipped)."""
    for application in applications:
        recommendation = getattr(application, "recommendation", None)
        if recommendation is None or recommendation.status != RecommendationStatus.PENDING:
            continue
        recommend(
            recommendation=recommendation, opinion=opinion, by=recommender_of(recommendation.body)
        )
