"""Choice sets shared by models, services and forms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位用户")
    REVIEWER = "reviewer", _("评审专家")
    OFFICIAL = "official", _("质量奖办公室工作人员")
    #: Staff of a recommending body (a city or county government or one of its departments).
    RECOMMENDER = "recommend", _("推荐单位工作人员")


class AuthorityKind(models.TextChoices):
    """What an authority of the tree is: a people's government (it may confer awards) or one of
    its departments (such as 市场监督管理局), which may only recommend."""

    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")


class RecommenderScope(models.TextChoices):
    """Which authorities may recommend applications to a programme."""

    SUBORDINATE = "subordinate", _("辖区内下级人民政府及其部门")
    NAMED = "named", _("指定的推荐单位")


class RecommendationStatus(models.TextChoices):
    """Where an application stands with its recommending body (推荐单位)."""

    PENDING = "pending", _("待推荐")
    RETURNED = "returned", _("退回修改")
    RECOMMENDED = "recommended", _("已推荐")
    DECLINED = "declined", _("不予推荐")


class ItemKind(models.TextChoices):
    PROCESS = "process", _("过程")
    RESULTS = "results", _("结果")


class Track(models.TextChoices):
    """The two tracks of a cycle: organizations and individuals are never ranked together."""

    ORGANIZATION = "organization", _("组织奖")
    INDIVIDUAL = "individual", _("个人奖")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("申报中")
    SCREENING = "screening", _("资格审查")
    REVIEW = "review", _("评审中")
    NOTICE = "notice", _("公示中")
    ANNOUNCED = "announced", _("已表彰")
    CLOSED = "closed", _("已结束")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    ELIGIBLE = "eligible", _("资格审查通过")
    INELIGIBLE = "ineligible", _("资格审查未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    DECLINED = "declined", _("未获推荐")


class OrganizationSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Industry(models.TextChoices):
    """Sections of GB/T 4754-2017 国民经济行业分类."""

    AGRICULTURE = "A", _("农、林、牧、渔业")
    MINING = "B", _("采矿业")
    MANUFACTURING = "C", _("制造业")
    UTILITIES = "D", _("电力、热力、燃气及水生产和供应业")
    CONSTRUCTION = "E", _("建筑业")
    TRADE = "F", _("批发和零售业")
    TRANSPORT = "G", _("交通运输、仓储和邮政业")
    HOSPITALITY = "H", _("住宿和餐饮业")
    INFORMATION = "I", _("信息传输、软件和信息技术服务业")
    FINANCE = "J", _("金融业")
    REAL_ESTATE = "K", _("房地产业")
    BUSINESS_SERVICES = "L", _("租赁和商务服务业")
    RESEARCH = "M", _("科学研究和技术服务业")
    ENVIRONMENT = "N", _("水利、环境和公共设施管理业")
    RESIDENT_SERVICES = "O", _("居民服务、修理和其他服务业")
    EDUCATION = "P", _("教育")
    HEALTH = "Q", _("卫生和社会工作")
    CULTURE = "R", _("文化、体育和娱乐业")
    PUBLIC_ADMINISTRATION = "S", _("公共管理、社会保障和社会组织")
    INTERNATIONAL = "T", _("国际组织")


#: Statuses in which the applicant may still change the application (before the deadline).
EDITABLE_APPLICATION_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class ScreeningDecision(models.TextChoices):
    """What an official decides in eligibility screening (资格审查)."""

    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")
    RETURN = "return", _("退回修改")


class Declaration(models.TextChoices):
    """An applicant's answer to one look-back declaration: nothing happened, or it did."""

    NONE = "none", _("未发生")
    OCCURRED = "occurred", _("发生过")
