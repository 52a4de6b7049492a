from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Concat, Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.enums import EDITABLE_APPLICATION_STATUSES, ApplicationStatus, Track
from awards.models.private_files import application_pdf_upload_to, private_storage
from awards.notes import render_note

#: Self-scores are chosen in 5 % steps (GB/Z 19579-2012), 0–100.
SELF_PERCENT_STEP = 5
SELF_PERCENT_CHOICES = tuple(range(0, 101, SELF_PERCENT_STEP))


class Application(models.Model):
    """An organization's application (申报) to one cycle; one per organization per cycle.

    While a draft, each wizard step's input is kept in ``draft`` exactly as typed (keyed by step),
    the self-assessment in ``ItemResponse`` rows and the evidence in ``Attachment`` rows. Every
    save bumps ``version`` through a conditional UPDATE so that a stale tab cannot overwrite a
    newer save. Submission records the framework and rules page revision in force.
    """

    cycle = models.ForeignKey(
        "awards.Cycle",
        verbose_name=_("届次"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organization = models.ForeignKey(
        "awards.Organization",
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    #: An individual application (个人奖) is filed by the candidate's employer (``organization``);
    #: the person is its ``candidate`` (``awards.models.candidates``).
    track = models.CharField(
        _("类别"), max_length=12, choices=Track.choices, default=Track.ORGANIZATION
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: A recommending body (推荐单位) that filed the application itself for a person of the
    #: employer ``organization`` (``services.individuals``): its staff fill it in and submit it,
    #: and its submission is the body's recommendation; the employer follows it read-only.
    filed_by_body = models.ForeignKey(
        "awards.AwardingAuthority",
        verbose_name=_("代为申报的推荐单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_applications",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    draft = models.JSONField(_("草稿内容"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("版本号"), default=1)
    #: Step name → the ``version`` its last save produced: each step is locked on its own, so
    #: two tabs on different steps both save (``application_drafts.claim_steps``).
    step_versions = models.JSONField(_("各步骤版本号"), default=dict, blank=True)
    current_step = models.CharField(_("当前步骤"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("最后保存时间"), null=True, blank=True)

    framework = models.ForeignKey(
        "awards.CriteriaFramework",
        verbose_name=_("提交时的评价准则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    framework_code = models.CharField(_("评价准则编号"), max_length=40, blank=True)
    framework_version = models.CharField(_("评价准则版本"), max_length=20, blank=True)
    rules_revision_id = models.PositiveBigIntegerField(_("评选办法页面版本"), null=True, blank=True)
    pdf = models.FileField(
        _("申报书 PDF"),
        storage=private_storage,
        upload_to=application_pdf_upload_to,
        max_length=300,
        blank=True,
    )
    pdf_generated_at = models.DateTimeField(_("申报书生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                condition=models.Q(track=Track.ORGANIZATION),
                name="one_application_per_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} · {self.cycle}"

    @property
    def is_individual(self) -> bool:
        return self.track == Track.INDIVIDUAL

    @property
    def display_name(self) -> str:
        """Who the application is for: the organization, or "candidate（employer）".

        The one name every page, export, PDF and message gives an application (never the
        candidate's identity number or date of birth); ``display_name_expression`` is its twin
        for ``values()`` queries. Load ``candidate`` with ``select_related`` in lists."""
        if self.is_individual:
            candidate = getattr(self, "candidate", None)
            if candidate is not None and candidate.name:
                return candidate_label(candidate.name, self.organization.name)
        return self.organization.name

    @property
    def candidate_name(self) -> str:
        """The candidate's name for an individual application, "" for an organization's."""
        if not self.is_individual:
            return ""
        candidate = getattr(self, "candidate", None)
        return candidate.name if candidate is not None else ""

    @property
    def is_editable_status(self) -> bool:
        return self.status in EDITABLE_APPLICATION_STATUSES

    def step_version(self, step: str) -> int:
        """The version a page of ``step`` sends back; 0 while the step was never saved."""
        return int((self.step_versions or {}).get(step, 0))

    def step_draft(self, step: str) -> dict:
        return dict((self.draft or {}).get(step) or {})


#: "name（employer）": how an individual application is named (Python and SQL alike).
CANDIDATE_OPEN, CANDIDATE_CLOSE = "（", "）"


def candidate_label(name: str, employer: str) -> str:
    return f"{name}{CANDIDATE_OPEN}{employer}{CANDIDATE_CLOSE}"


def application_heading(*, individual: bool = False, individuals: bool = False) -> str:
    """The heading of a column of ``display_name`` values in an export: ``individual`` for one
    track's individual applications, ``individuals`` for a list that may hold both tracks.
    Pages say the same through ``includes/application_heading.html``."""
    if individual:
        return str(_("候选人（工作单位）"))
    return str(_("申报单位或候选人（工作单位）") if individuals else _("申报单位"))


def display_name_expression(path: str = "") -> Case:
    """``Application.display_name`` in SQL, for ``values()`` / ``values_list()`` queries and
    ordering; ``path`` leads from the queried model to the application ("panel__application__",
    "" on ``Application`` itself)."""
    named = Q(**{f"{path}track": Track.INDIVIDUAL}) & Q(**{f"{path}candidate__name__gt": ""})
    return Case(
        When(
            named,
            then=Concat(
                F(f"{path}candidate__name"),
                Value(CANDIDATE_OPEN),
                F(f"{path}organization__name"),
                Value(CANDIDATE_CLOSE),
                output_field=CharField(),
            ),
        ),
        default=F(f"{path}organization__name"),
        output_field=CharField(),
    )


class ItemResponse(models.Model):
    """The applicant's self-assessment text for one criteria item, with an optional self-score."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    item = models.ForeignKey(
        "awards.CriteriaItem",
        verbose_name=_("评分条款"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("自评内容"), blank=True)
    self_percent = models.PositiveSmallIntegerField(
        _("自评得分率（%）"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(_("最后保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("自评条款")
        verbose_name_plural = _("自评条款")
        ordering = ["application", "item__sort_order", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="one_response_per_item"),
            models.CheckConstraint(
                condition=models.Q(self_percent__isnull=True)
                | models.Q(Exact(Mod("self_percent", SELF_PERCENT_STEP), 0), self_percent__lte=100),
                name="self_percent_on_5_percent_grid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.item_id}"


class ApplicationEvent(models.Model):
    """One step in an application's history: the status it reached, when, by whom, and why."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    status = models.CharField(_("状态"), max_length=12, choices=ApplicationStatus.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Plain text of rows written before notes had codes; new rows leave it empty.
    note = models.TextField(_("说明"), blank=True)
    note_code = models.CharField(_("说明代码"), max_length=60, blank=True, default="")
    note_params = models.JSONField(_("说明参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("申报记录")
        verbose_name_plural = _("申报记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_status_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def note_text(self) -> str:
        """The note in the viewer's language (``awards.notes``), or an old row's plain text."""
        return render_note(self.note_code, self.note_params, self.note)
