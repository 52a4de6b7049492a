"""Demo data of recommendation (推荐), built through the services and safe to run again.

三峡质量奖 (宜昌市) is recommended by its districts: 西陵区 recommends one enterprise and returns
another for correction, 伍家岗区 has one waiting. 井冈质量奖 (江西省) is recommended by its cities:
南昌市 and 九江市 each recommend one enterprise of the open cycle, and 南昌市 has an official who
follows, read-only, its enterprises' applications to the province. Runs after the rest of the
demo (the finished 4th 井冈 cycle was run before the programme asked for recommendation).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from awards.demo import DEMO_PASSWORD, submit_demo_application
from awards.enums import AuthorityKind, CycleStatus, RecommenderScope, Role
from awards.models import AwardingAuthority, AwardProgramme, Cycle
from awards.services.people import create_staff_account
from awards.services.programmes import create_authority
from awards.services.recommendations import recommend, return_for_correction

#: (name, office, region code, region name, prefix, parent's name, kind)
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
    ("jx_nanchang_recommender", "万俊", Role.RECOMMENDER, "南昌市人民政府"),
    ("jx_jiujiang_recommender", "熊燕", Role.RECOMMENDER, "九江市人民政府"),
    ("jx_nanchang_official", "涂海波", Role.OFFICIAL, "南昌市人民政府"),
)


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


def _account(username, full_name, role, authority_name):
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        return user
    return create_staff_account(
        role=role,
        authority=AwardingAuthority.objects.get(name=authority_name),
        username=username,
        full_name=full_name,
        email=f"{username}@example.com",
        password=DEMO_PASSWORD,
        by=None,
    )


def _open_cycle(slug: str) -> Cycle | None:
    return (
        Cycle.objects.filter(programme__slug=slug, status=CycleStatus.OPEN)
        .order_by("-edition")
        .first()
    )


def build_demo_recommendations() -> None:
    bodies = {row[0]: _body(*row) for row in BODIES}
    users = {row[0]: _account(*row) for row in ACCOUNTS}
    AwardProgramme.objects.filter(slug="jinggang").update(
        requires_recommendation=True, recommender_scope=RecommenderScope.SUBORDINATE
    )
    AwardProgramme.objects.filter(slug="sanxia").update(recommendation_quota=3)

    sanxia = _open_cycle("sanxia")
    if sanxia is not None:
        xiling = bodies["宜昌市西陵区人民政府"]
        submit_demo_application(
            sanxia, "yc_power", recommending_body=bodies["宜昌市伍家岗区人民政府"]
        )
        chem = submit_demo_application(sanxia, "yc_chem", recommending_body=xiling)
        if chem is not None:
            recommend(
                recommendation=chem.recommendation,
                opinion="该企业连续五年主要质量指标居全市同行业前列，质量管理体系健全，"
                "无质量安全事故，同意推荐。",
                by=users["yc_xiling_recommender"],
            )
        tourism = submit_demo_application(sanxia, "yc_tourism", recommending_body=xiling)
        if tourism is not None:
            return_for_correction(
                recommendation=tourism.recommendation,
                reason="请补充近三年游客满意度测评报告，并说明 2 起投诉的处理结果。",
                by=users["yc_xiling_recommender"],
            )

    jinggang = _open_cycle("jinggang")
    if jinggang is not None:
        for username, body, recommender, opinion in (
            (
                "jx_aviation",
                "南昌市人民政府",
                "jx_nanchang_recommender",
                "该企业是我市航空装备制造龙头企业，质量管理成效显著，同意推荐。",
            ),
            (
                "jx_port",
                "九江市人民政府",
                "jx_jiujiang_recommender",
                "该企业港口物流服务质量领先，近三年无安全事故，同意推荐。",
            ),
        ):
            application = submit_demo_application(
                jinggang, username, recommending_body=bodies[body]
            )
            if application is not None:
                recommend(
                    recommendation=application.recommendation,
                    opinion=opinion,
                    by=users[recommender],
                )
