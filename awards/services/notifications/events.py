"""The portal's events. Default words are Chinese source strings (English in the catalogue);
the variables each template may use are the keys of its ``sample``."""

from django.utils.translation import gettext_lazy as _

from awards.services.notifications.event import Event

_LINK = "https://award.example.gov.cn/portal/"
_ORG = {"organization": "示例科技股份有限公司", "cycle": "第5届示例质量奖（2026）", "link": _LINK}
#: Messages about one application also name it (``display_name``) and its candidate ("" for an
#: organization's application): ``audiences.application_context``.
_APP = {**_ORG, "application": "示例科技股份有限公司", "candidate": ""}
_APPLICANTS = _("申报单位的全部用户")
_REVIEWER = _("评审专家本人")
_OFFICIALS = _("授奖机关的工作人员")

EVENTS = [
    Event(
        code="account.registered",
        description=_("申报单位注册成功"),
        audience=_("注册人"),
        subject=_("【政府质量奖门户】注册成功"),
        body=_(
            "{{ name }}，您好：\n\n“{{ organization }}”已在政府质量奖门户注册，您的用户名是 "
            "{{ username }}。请用注册时设置的密码登录：\n{{ link }}\n"
        ),
        sample={"name": "张三", "username": "zhangsan", **_ORG},
    ),
    Event(
        code="account.registration_conflict",
        description=_("有人尝试使用已注册的信息注册"),
        audience=_("用户名、电子邮箱或信用代码的已有使用人"),
        subject=_("【政府质量奖门户】有人尝试使用您的信息注册"),
        body=_(
            "您好：\n\n有人在政府质量奖门户注册新账户时使用了{{ used }}。如果是您本人，您已有账户，"
            "请直接登录；忘记密码时可以重设：\n{{ link }}\n如果不是您本人，无需处理，"
            "没有创建任何账户。需要为同事开通账户时，请联系质量奖办公室。\n"
        ),
        sample={"used": "您的电子邮箱", "link": _LINK},
        portal=False,
    ),
    Event(
        code="account.registration_incomplete",
        description=_("注册未完成"),
        audience=_("注册人"),
        subject=_("【政府质量奖门户】注册未完成"),
        body=_(
            "您好：\n\n您在政府质量奖门户提交的注册未能完成：填写的用户名、电子邮箱或统一社会信用代码"
            "与已有账户重复。如果贵单位已经注册，请联系已注册的同事或质量奖办公室；"
            "否则请换一个用户名重新注册：\n{{ link }}\n"
        ),
        sample={"link": _LINK},
        portal=False,
    ),
    Event(
        code="account.invited",
        description=_("工作人员或评审专家账户开通"),
        audience=_("新开通账户的本人"),
        subject=_("【政府质量奖门户】请设置您的账户密码"),
        body=_(
            "{{ name }}，您好：\n\n质量奖办公室已为您开通账户（用户名：{{ username }}，角色："
            "{{ role }}）。请打开以下链接设置密码：\n{{ link }}\n"
        ),
        sample={"name": "李四", "username": "lisi", "role": "评审专家", "link": _LINK},
        portal=False,
        secret=True,
    ),
    Event(
        code="application.submitted",
        description=_("申报已受理"),
        audience=_APPLICANTS,
        subject=_("【政府质量奖门户】申报已收到：{{ number }}"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "贵单位申报“{{ cycle }}”的材料已于 {{ submitted_at }} 提交成功，"
            "申报编号 {{ number }}。资格审查结果将另行通知。\n详情请登录查看：{{ link }}\n"
        ),
        sample={"number": "SAMPLE-5-00012", "submitted_at": "2026-05-01 10:00", **_APP},
        sms=True,
    ),
    Event(
        code="application.returned",
        description=_("申报被退回修改"),
        audience=_APPLICANTS,
        subject=_("【政府质量奖门户】申报资格审查结果：{{ outcome }}"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "贵单位申报的“{{ cycle }}”资格审查结果为："
            "{{ outcome }}。\n说明：\n{{ reasons }}\n请在申报截止前修改并重新提交。\n详情请登录查看：{{ link }}\n"
        ),
        sample={"outcome": "退回修改", "reasons": "请补充审计报告。", **_APP},
        sms=True,
    ),
    Event(
        code="application.screened",
        description=_("资格审查结果"),
        audience=_APPLICANTS,
        subject=_("【政府质量奖门户】申报资格审查结果：{{ outcome }}"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "贵单位申报的“{{ cycle }}”资格审查结果为："
            "{{ outcome }}。\n{% if reasons %}说明：\n{{ reasons }}\n{% endif %}详情请登录查看：{{ link }}\n"
        ),
        sample={"outcome": "通过", "reasons": "", **_APP},
        sms=True,
    ),
    Event(
        code="application.recommendation",
        description=_("推荐单位的推荐决定"),
        audience=_APPLICANTS,
        subject=_("【政府质量奖门户】推荐情况：{{ status }}"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "贵单位申报的“{{ cycle }}”推荐情况：{{ status }}。\n{{ note }}\n"
            "{% if returned %}请在申报截止前修改并重新提交，申报将再次送{{ body }}推荐。\n{% endif %}"
            "详情请登录查看：{{ link }}\n"
        ),
        sample={
            "status": "退回修改",
            "note": "某区市场监管局退回修改：请补充近三年财务报表。",
            "returned": "1",
            "body": "某区市场监管局",
            **_APP,
        },
        sms=True,
    ),
    Event(
        code="application.deadline_reminder",
        description=_("申报截止提醒"),
        audience=_("尚未提交申报的申报单位用户"),
        subject=_("【政府质量奖门户】申报将于 {{ deadline }} 截止"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "贵单位申报的“{{ cycle }}”尚未提交，申报截止时间为 {{ deadline }}"
            "（北京时间）。请及时完成并提交：{{ link }}\n"
        ),
        sample={"deadline": "2026-06-30 17:00", **_APP},
        sms=True,
    ),
    Event(
        code="review.assigned",
        description=_("评审任务分配"),
        audience=_REVIEWER,
        subject=_("【政府质量奖门户】评审任务：{{ application }}"),
        body=_(
            "{{ name }}，您好：\n\n您被安排评审“{{ cycle }} · {{ stage }}”中“{{ application }}”"
            "的申报。评分时间：{{ opens }} 至 {{ closes }}（北京时间）。\n请登录门户查看：{{ link }}\n"
        ),
        sample={
            "name": "王五",
            "stage": "资料评审",
            "opens": "2026-07-01 09:00",
            "closes": "2026-07-15 17:00",
            **_APP,
        },
        sms=True,
    ),
    Event(
        code="review.window_opened",
        description=_("评分开始"),
        audience=_("该阶段有评审任务的评审专家"),
        subject=_("【政府质量奖门户】{{ stage }}评分已开始"),
        body=_(
            "{{ name }}，您好：\n\n“{{ cycle }} · {{ stage }}”的评分已开始，您有 {{ count }} 份申报"
            "待评分，截止时间 {{ closes }}（北京时间）。\n请登录门户评分：{{ link }}\n"
        ),
        sample={
            "name": "王五",
            "stage": "资料评审",
            "count": 3,
            "closes": "2026-07-15 17:00",
            **_ORG,
        },
    ),
    Event(
        code="review.window_closing",
        description=_("评分即将截止"),
        audience=_("尚有评分表未提交的评审专家"),
        subject=_("【政府质量奖门户】{{ stage }}评分将于 {{ closes }} 截止"),
        body=_(
            "{{ name }}，您好：\n\n“{{ cycle }} · {{ stage }}”的评分将于 {{ closes }}（北京时间）截止，"
            "您还有 {{ count }} 份评分表尚未提交。\n请登录门户完成评分：{{ link }}\n"
        ),
        sample={
            "name": "王五",
            "stage": "资料评审",
            "count": 2,
            "closes": "2026-07-15 17:00",
            **_ORG,
        },
        sms=True,
    ),
    Event(
        code="review.reminder",
        description=_("评审提醒（工作人员发出）"),
        audience=_("尚有评分表未提交的评审专家"),
        subject=_("【政府质量奖门户】评审提醒：{{ count }} 份评分表待提交"),
        body=_(
            "{{ name }}，您好：\n\n您在“{{ cycle }} · {{ stage }}”中还有 {{ count }} 份评分表尚未提交：\n"
            "{{ lines }}\n\n评分截止时间：{{ closes }}。请登录门户完成评分：{{ link }}\n"
        ),
        sample={
            "name": "王五",
            "stage": "资料评审",
            "count": 2,
            "lines": "  · 示例科技股份有限公司",
            "closes": "2026-07-15 17:00",
            **_ORG,
        },
    ),
    Event(
        code="review.consensus_needed",
        description=_("评审组需形成共识"),
        audience=_("评审组组长"),
        subject=_("【政府质量奖门户】请确认评审组共识：{{ application }}"),
        body=_(
            "{{ name }}，您好：\n\n“{{ cycle }} · {{ stage }}”中“{{ application }}”评审组的评分表"
            "已全部提交。请组织评审组形成并确认共识：{{ link }}\n"
        ),
        sample={"name": "王五", "stage": "资料评审", **_APP},
    ),
    Event(
        code="review.consensus_stale",
        description=_("评审组共识需重新确认"),
        audience=_("评审组组长和授奖机关的工作人员"),
        subject=_("【政府质量奖门户】评审组共识需重新确认：{{ application }}"),
        body=_(
            "您好：\n\n“{{ cycle }} · {{ stage }}”中“{{ application }}”评审组的一份评分表已被退回"
            "（理由：{{ reason }}）。该评审组已确定的共识因此失效，须在评分表重新提交后由组长"
            "重新确认；重新确认前不能计算本届评审结果。\n\n共识页面：{{ link }}\n"
        ),
        sample={"stage": "资料评审", "reason": "漏评一项", **_APP},
    ),
    Event(
        code="defence.questions_sent",
        description=_("问询答辩问题已发出"),
        audience=_APPLICANTS,
        subject=_("【政府质量奖门户】问询答辩：评审组提出了问题"),
        body=_(
            "{{ organization }}：\n\n"
            "{% if candidate %}个人奖候选人：{{ candidate }}\n{% endif %}"
            "“{{ cycle }}”问询答辩评审组向贵单位提出了 {{ count }} 个问题"
            "（第 {{ round }} 轮）。{{ how }}\n详情：{{ link }}\n"
        ),
        sample={
            "count": 2,
            "round": 1,
            "how": "请在 2026-08-01 17:00 前登录门户书面答复。",
            **_APP,
        },
        sms=True,
    ),
    Event(
        code="defence.answered",
        description=_("申报单位已答复问询"),
        audience=_("问询答辩评审组的专家"),
        subject=_("【政府质量奖门户】问询答辩：申报单位已答复"),
        body=_(
            "评审组各位专家：\n\n{{ application }} 已答复问询答辩第 {{ round }} 轮的问题：\n"
            "{{ question }}\n\n请登录门户阅读答复后评分：{{ link }}\n"
        ),
        sample={"round": 1, "question": "请说明质量追溯体系。", **_APP},
    ),
]
