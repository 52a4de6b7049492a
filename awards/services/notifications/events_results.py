"""Events of the results' publication: notice, objections, announcement, certificates,
revocation. Imported by ``events``."""

from django.utils.translation import gettext_lazy as _

from awards.services.notifications.event import Event

#: Every event here is about one application: it is named too, with its candidate ("" for an
#: organization's application), as ``audiences.application_context`` gives them.
_ORG = {
    "organization": "示例科技股份有限公司",
    "application": "示例科技股份有限公司",
    "candidate": "",
    "cycle": "第5届示例质量奖（2026）",
    "link": "https://award.example.gov.cn/portal/",
}
_APPLICANTS = _("申报单位的全部用户")

RESULT_EVENTS = [
    Event(
        code="publication.notice_opened",
        description=_("结果公示开始"),
        audience=_("公示名单上的申报单位用户"),
        subject=_("【政府质量奖门户】“{{ cycle }}”评审结果开始公示"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "“{{ cycle }}”评审结果自 {{ starts }} 起公示，至 {{ ends }} 止"
            "（北京时间）。公示期内任何单位和个人可以提出异议。\n公示页面：{{ link }}\n"
        ),
        sample={"starts": "2026-09-01", "ends": "2026-09-07", **_ORG},
        sms=True,
    ),
    Event(
        code="publication.objection_received",
        description=_("收到异议"),
        audience=_("授奖机关的工作人员"),
        subject=_("【政府质量奖门户】收到对“{{ application }}”的异议"),
        body=_(
            "您好：\n\n“{{ cycle }}”公示期间收到对“{{ application }}”的异议（提交时间 "
            "{{ submitted_at }}）。请在后台处理：{{ link }}\n"
        ),
        sample={"submitted_at": "2026-09-03 10:00", **_ORG},
    ),
    Event(
        code="publication.objection_resolved",
        description=_("异议已处理"),
        audience=_("被提出异议的申报单位用户"),
        subject=_("【政府质量奖门户】异议处理结果：{{ outcome }}"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "“{{ cycle }}”公示期间对"
            "{% if candidate %}候选人{% else %}贵单位{% endif %}提出的一项异议已处理，结论："
            "{{ outcome }}。\n{{ resolution }}\n详情请登录查看：{{ link }}\n"
        ),
        sample={"outcome": "异议不成立", "resolution": "经核实，所述情况不属实。", **_ORG},
    ),
    Event(
        code="publication.results_announced",
        description=_("表彰决定发布"),
        audience=_("本届全部申报单位的用户"),
        subject=_("【政府质量奖门户】“{{ cycle }}”表彰决定已发布"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "“{{ cycle }}”的表彰决定已于 {{ announced }} 发布。"
            "{% if level %}{% if candidate %}候选人{% else %}贵单位{% endif %}获得：{{ level }}。"
            "{% endif %}\n详情请登录查看：{{ link }}\n"
        ),
        sample={"announced": "2026-09-15", "level": "质量奖", **_ORG},
        sms=True,
    ),
    Event(
        code="certificates.ready",
        description=_("获奖证书可以下载"),
        audience=_APPLICANTS,
        subject=_("【政府质量奖门户】获奖证书已生成"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "贵单位“{{ cycle }}”的获奖证书（编号 {{ serial }}）已生成，"
            "请登录门户下载：{{ link }}\n"
        ),
        sample={"serial": "SAMPLE-2026-5-001", **_ORG},
    ),
    Event(
        code="publication.award_revoked",
        description=_("获奖被撤销"),
        audience=_APPLICANTS,
        subject=_("【政府质量奖门户】“{{ cycle }}”获奖已被撤销"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "授奖机关已撤销"
            "{% if candidate %}候选人{% else %}贵单位{% endif %}在“{{ cycle }}”中获得的{{ level }}。"
            "理由：\n{{ reason }}\n详情请登录查看：{{ link }}\n"
        ),
        sample={"level": "质量奖", "reason": "存在虚假申报材料。", **_ORG},
        sms=True,
    ),
]
