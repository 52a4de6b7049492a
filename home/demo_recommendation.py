"""Demo of recommendation (推荐) in the open cycles, built through the services and safe to run
again.

The recommending bodies and their staff are built before any application
(``awards.demo_recommenders``, called by ``build_demo_data``), so the earlier 三峡 cycles were
recommended district by district, and in the open 三峡 cycle 伍家岗区 already has
宜昌长江电力设备有限公司 waiting. Here 西陵区 recommends one enterprise and returns another for
correction. 井冈质量奖 asks for recommendation from here on: its earlier cycles, and the
application the open cycle received first (江西赣州稀土新材料), were submitted before it did, so
they have no recommendation (``recommended_filter`` lets them be screened); 南昌市 and 九江市
then each recommend one enterprise of the open cycle. Runs after the rest of the demo.
"""

from __future__ import annotations

from awards.demo import DEMO_PASSWORD, submit_demo_application
from awards.demo_recommenders import ensure_recommending_bodies
from awards.enums import CycleStatus, RecommenderScope
from awards.models import AwardProgramme, Cycle
from awards.services.recommendations import recommend, return_for_correction


def _open_cycle(slug: str) -> Cycle | None:
    return (
        Cycle.objects.filter(programme__slug=slug, status=CycleStatus.OPEN)
        .order_by("-edition")
        .first()
    )


def build_demo_recommendations() -> None:
    bodies, users = ensure_recommending_bodies(password=DEMO_PASSWORD)
    AwardProgramme.objects.filter(slug="jinggang").update(
        requires_recommendation=True, recommender_scope=RecommenderScope.SUBORDINATE
    )

    sanxia = _open_cycle("sanxia")
    if sanxia is not None:
        xiling = bodies["宜昌市西陵区人民政府"]
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
