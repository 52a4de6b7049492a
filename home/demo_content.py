"""Chinese demo content for the public pages, as raw StreamField data.

The facts come from the programmes' published award measures (summarised in the team's domain
notes, which are not part of this repository). Where a value could not be confirmed the text says
so ("以当届通知为准"), because the pages are editorial and officials will replace them with their
own measures; the cycle dates themselves are always read from the ``Cycle`` rows, never typed
here.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.html import escape, format_html

from awards.criteria_data import GB_T_19580_2012
from awards.models import AwardProgramme, Cycle

SHANGHAI = ZoneInfo("Asia/Shanghai")

COMMON_DISQUALIFYING = (
    "发生重大质量、安全、环境事故",
    "在各级政府组织的产品质量监督抽查中不合格",
    "发生严重的顾客投诉或造成恶劣社会影响",
    "存在偷税漏税、欠缴社会保险费等违法违规行为",
    "在以往质量奖评选中有弄虚作假行为",
)


@dataclass(frozen=True)
class ProgrammeFacts:
    """What differs between awards; everything else is the common procedure."""

    intro: str
    cycle: str
    quota: str
    prize: str
    eligibility: tuple[str, ...]
    disqualifying: tuple[str, ...] = COMMON_DISQUALIFYING
    lookback: str = "申报前3年内"
    has_defence: bool = False
    extra_sections: tuple[tuple[str, str], ...] = field(default_factory=tuple)


PROGRAMME_FACTS = {
    "luyu": ProgrammeFacts(
        intro="陆羽质量奖是天门市人民政府设立的最高质量荣誉，由市质量强市工作领导小组办公室（市质强办）"
        "负责组织实施，表彰在实施卓越绩效管理、提升质量水平方面成绩突出的组织。",
        cycle="原则上每两年评选一次，每届具体安排以当届通知为准；第四届评选覆盖2017—2018年度。",
        quota="每届获奖组织原则上不超过2个，达不到评审标准的名额空缺。",
        prize="对获奖组织给予10万元奖励，颁发证书和奖牌。",
        eligibility=(
            "在天门市行政区域内依法注册登记，具有独立法人资格，正常经营（运行）满3年",
            "导入并有效实施卓越绩效管理模式，成效明显",
            "通过ISO 9001质量管理体系认证（或行业管理体系认证）满3年",
            "诚信守法，信用记录良好",
        ),
    ),
    "sanxia": ProgrammeFacts(
        intro="三峡质量奖是宜昌市人民政府于2010年设立的政府质量奖，表彰实施卓越绩效管理、"
        "质量效益突出、对全市经济社会发展贡献显著的组织。",
        cycle="每两年评选一次。",
        quota="设三峡质量奖和三峡质量奖提名奖，名额以当届通知为准，达不到评审标准的名额空缺。",
        prize="对获得三峡质量奖的组织奖励50万元，对获得提名奖的组织奖励10万元。",
        eligibility=(
            "在宜昌市行政区域内依法注册登记，具有独立法人资格，正常经营满5年",
            "导入并有效实施卓越绩效管理模式",
            "通过质量管理体系等管理体系认证满3年",
            "近5年主要经济技术指标处于本行业领先水平",
            "生产型企业的主导产品拥有注册商标",
            "经市直有关部门或县（市、区）人民政府推荐",
        ),
    ),
    "jinggang": ProgrammeFacts(
        intro="井冈质量奖是江西省人民政府设立的最高质量荣誉，分设组织奖和个人奖，"
        "表彰在质量管理、质量创新和质量提升方面取得突出成绩的组织和个人。",
        cycle="每两年评选一次；第四届井冈质量奖于2023年颁奖。",
        quota="每届组织奖不超过3个、个人奖不超过3名；提名奖组织不超过5个、个人不超过5名。",
        prize="对获奖组织给予约100万元奖励（以当届文件为准），颁发证书和奖牌。",
        eligibility=(
            "在江西省行政区域内依法注册登记，具有独立法人资格，正常经营满5年",
            "导入并有效实施卓越绩效管理模式，质量管理水平在省内同行业领先",
            "近3年未发生下列不得申报的情形",
            "申报个人奖的，应从事质量工作满10年，业绩突出",
        ),
        disqualifying=(
            *COMMON_DISQUALIFYING,
            "发生重大公共卫生事件或食品安全事故",
            "存在劳动保障失信记录",
        ),
        has_defence=True,
    ),
}


def generic_facts(programme: AwardProgramme) -> ProgrammeFacts:
    """For programmes without hand-written content: built from the model's own fields."""
    authority = programme.authority.name
    return ProgrammeFacts(
        intro=f"{programme.name}由{authority}设立。{programme.summary}".strip(),
        cycle="评选周期以当届通知为准。",
        quota="获奖名额以当届通知为准，达不到评审标准的名额空缺。",
        prize=f"奖励：{programme.prize}。" if programme.prize else "奖励标准以当届通知为准。",
        eligibility=(
            f"在{programme.authority.region_name}行政区域内依法注册登记，具有独立法人资格",
            "导入并有效实施卓越绩效管理模式",
            "通过质量管理体系认证",
            "诚信守法，信用记录良好",
        ),
    )


def facts_for(programme: AwardProgramme) -> ProgrammeFacts:
    return PROGRAMME_FACTS.get(programme.slug) or generic_facts(programme)


# Raw StreamField data builders --------------------------------------------------------------


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": format_html("<p>{}</p>", text)}


def bullet_list(items: tuple[str, ...] | list[str], ordered: bool = False) -> dict:
    tag = "ol" if ordered else "ul"
    inner = "".join(f"<li>{escape(item)}</li>" for item in items)
    return {"type": "paragraph", "value": f"<{tag}>{inner}</{tag}>"}


def callout(title: str, items: tuple[str, ...] | list[str], tone: str = "info") -> dict:
    inner = "".join(f"<li>{escape(item)}</li>" for item in items)
    return {
        "type": "callout",
        "value": {"tone": tone, "title": title, "text": f"<ul>{inner}</ul>"},
    }


def table(header: list[str], rows: list[list[str]], caption: str = "") -> dict:
    return {
        "type": "table",
        "value": {
            "data": [header, *rows],
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": caption,
            "cell": [],
            "mergeCells": [],
        },
    }


# Page bodies --------------------------------------------------------------------------------


def procedure_rows(*, has_defence: bool, requires_recommendation: bool) -> list[list[str]]:
    materials = "申报表、组织概述、自评报告（对照评价准则）、自评分表、证明材料和承诺书"
    if requires_recommendation:
        materials += "，并附推荐单位的推荐意见"
    steps = [
        ("发布通知", "公布评选办法、申报条件、时间安排和申报材料清单"),
        ("组织申报", f"申报单位在线填写并提交{materials}"),
        ("资格审查", "质量奖办公室审查申报资格：通过；不通过并说明理由；或在截止日前退回补正"),
        ("资料评审", "评审组成员独立评分，再经评审组讨论形成一致意见"),
    ]
    if has_defence:
        steps.append(("问询答辩", "对资料评审结果靠前的申报单位进行问询答辩"))
    steps += [
        ("现场评审", "对排名靠前的申报单位进行现场评审，现场评审组再次评分"),
        ("综合评价", "综合资料评审和现场评审结果，按评分和名额提出建议名单"),
        ("审定", "评审委员会审议，必要时投票表决"),
        ("公示", "在门户网站公示拟表彰名单；公示期内可书面实名提出异议并附证据"),
        ("批准发布", "授奖机关批准并公布获奖名单，颁发证书和奖牌"),
    ]
    return [[str(number), name, content] for number, (name, content) in enumerate(steps, 1)]


def criteria_rows() -> list[list[str]]:
    rows = [
        [
            f"{category.code} {category.name}",
            str(category.points),
            "；".join(f"{item.code} {item.name}（{item.points}）" for item in category.items),
        ]
        for category in GB_T_19580_2012.categories
    ]
    rows.append(["合计", str(GB_T_19580_2012.total_points), "过程类目600分，结果类目400分"])
    return rows


def programme_body(programme: AwardProgramme) -> list[dict]:
    facts = facts_for(programme)
    return [
        paragraph(facts.intro),
        heading("一、奖项设置"),
        bullet_list(
            [f"授奖机关：{programme.authority.name}", facts.cycle, facts.quota, facts.prize]
        ),
        heading("二、申报条件"),
        paragraph("申报组织应同时具备下列条件："),
        bullet_list(facts.eligibility, ordered=True),
        callout(f"{facts.lookback}有下列情形之一的，不得申报", facts.disqualifying, tone="warning"),
        heading("三、评审程序"),
        table(
            ["步骤", "环节", "主要内容"],
            procedure_rows(
                has_defence=facts.has_defence,
                requires_recommendation=programme.requires_recommendation,
            ),
            caption="评审程序",
        ),
        paragraph(
            "评审组一般不少于5名专家，设组长1名。与申报单位存在任职、咨询、竞争、购销或亲属等"
            "利害关系的专家应当回避；评审人员对申报材料负有保密义务。"
        ),
        heading("四、评价准则"),
        paragraph(
            "评审依据 GB/T 19580-2012《卓越绩效评价准则》，总分1000分。"
            "组织概述不计分，由评审专家首先阅读。"
        ),
        table(
            ["类目", "分值", "评分条款（分值）"],
            criteria_rows(),
            caption="GB/T 19580-2012 类目与分值",
        ),
        paragraph(
            "过程类条款从方法、展开、学习、整合四个方面评价，结果类条款从水平、趋势、对比、整合"
            "四个方面评价；评审专家按5%的步长给出得分百分比。"
        ),
        heading("五、时间安排"),
        paragraph(
            "每届的申报截止时间、评审和公示安排见本页“届次与时间安排”及通知公告，时间均为北京时间。"
        ),
        heading("六、公示与监督"),
        bullet_list(
            [
                "拟表彰名单公示期一般为5个工作日，以当届通知为准。",
                "异议须在公示期内以书面形式实名提出，并提供必要的证据，逾期或匿名的异议不予受理。",
                "获奖组织弄虚作假或获奖后发生重大质量、安全事故的，撤销其奖项，收回证书、奖牌和奖金，"
                "并在以后若干届内不得申报。",
            ]
        ),
    ]


def _deadline_text(cycle: Cycle) -> str:
    deadline = cycle.effective_deadline.astimezone(SHANGHAI)
    return f"{deadline.year}年{deadline.month}月{deadline.day}日{deadline:%H:%M}"


def _date_text(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def timetable_rows(cycle: Cycle) -> list[list[str]]:
    return [
        ["开始申报", _date_text(cycle.applications_open)],
        ["申报截止", f"{_deadline_text(cycle)}（北京时间）"],
        ["资格审查完成", _date_text(cycle.screening_deadline)],
        ["资料评审完成", _date_text(cycle.document_review_deadline)],
        ["现场评审完成", _date_text(cycle.onsite_review_deadline)],
        ["公示开始", _date_text(cycle.notice_start)],
        ["表彰", _date_text(cycle.announcement_date)],
    ]


def application_notice_body(programme: AwardProgramme, cycle: Cycle | None) -> list[dict]:
    materials = ["申报表", "组织概述（不超过3000字）", "自评报告（不超过30000字）", "自评分表"]
    materials += ["证明材料（管理体系认证证书、近三年经审计的财务报表等）", "诚信承诺书"]
    if programme.requires_recommendation:
        materials.append("推荐单位的推荐意见")
    body = [
        paragraph(
            f"根据《{programme.name}管理办法》，经研究，决定开展{programme.name}评选申报工作。"
            "现将有关事项通知如下。"
        ),
        heading("一、申报条件"),
        paragraph("申报条件和不得申报的情形见本奖项评选办法。"),
        heading("二、申报材料"),
        bullet_list(materials, ordered=True),
    ]
    if cycle is not None:
        body += [
            heading("三、时间安排"),
            table(["环节", "时间"], timetable_rows(cycle)),
            callout(
                "请注意",
                [f"申报截止时间为{_deadline_text(cycle)}（北京时间），逾期系统不再受理。"],
                tone="warning",
            ),
        ]
    body += [
        heading("四、联系方式"),
        paragraph(f"{programme.authority.office_name}负责解释。"),
    ]
    return body


def review_notice_body(programme: AwardProgramme, cycle: Cycle | None) -> list[dict]:
    body = [
        paragraph(
            f"{programme.name}评审工作按资格审查、资料评审、现场评审、综合评价和公示的顺序进行。"
        ),
    ]
    if cycle is not None:
        body.append(table(["环节", "时间"], timetable_rows(cycle)[2:]))
    body += [
        heading("评审纪律"),
        bullet_list(
            [
                "评审专家须事先申报利益冲突，存在利害关系的应当回避。",
                "评审专家独立评分，评审组讨论形成一致意见，并为每个申报单位撰写优势和改进机会。",
                "评审材料和评审结果在公布前严格保密。",
            ]
        ),
    ]
    return body
