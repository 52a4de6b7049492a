"""Read helpers for the officials' results pages: scoping, the ranking table, explanations.

A snapshot's ``outputs`` can be megabytes for a large cycle, so pages never load it whole: the
ranking reads only ``outputs.summary`` and an explanation reads one element of
``outputs.applications`` (found through ``outputs.index``) with JSON key lookups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from awards.enums import Track
from awards.models import CriteriaItem, Cycle, User
from awards.queries import cycles_for
from scoring.aggregation import ADVANCED, REACHED_STAGE, UNBROKEN_TIE, round2
from scoring.aggregation.explain import stage_results
from scoring.aggregation.methods import TRIM_MIN_SCORES
from scoring.aggregation.trace_store import trace_from_bytes
from scoring.enums import StageKind
from scoring.results.models import ResultEntry, ResultSnapshot, ResultTrace
from scoring.results.models.settings import ResultsMethod
from scoring.results.services.outputs import stage_payload
from scoring.results.services.settings import CategoryInfo, cycle_categories


def result_cycles_for(user) -> QuerySet[Cycle]:
    """The user's cycles with their number of versions and latest approved version."""
    return cycles_for(user).annotate(
        snapshot_count=Count("snapshots"),
        approved_version=Max("snapshots__version", filter=Q(snapshots__approved_at__isnull=False)),
    )


def snapshots_for(user) -> QuerySet[ResultSnapshot]:
    """Snapshots of the user's cycles, without the heavy ``outputs``."""
    cycles = cycles_for(user).values("pk")
    return (
        ResultSnapshot.objects.filter(cycle__in=cycles)
        .select_related(
            "cycle__programme__authority", "cycle__framework", "created_by", "approved_by"
        )
        .defer("outputs")
    )


def cycle_snapshots(cycle: Cycle) -> list[ResultSnapshot]:
    """The cycle's versions, newest first, each with a ``method_label``."""
    snapshots = list(
        ResultSnapshot.objects.filter(cycle=cycle)
        .select_related("created_by", "approved_by")
        .defer("outputs")
        .order_by("-version")
    )
    for snapshot in snapshots:
        snapshot.method_label = method_label(snapshot.method)
    return snapshots


def method_label(method: str) -> str:
    return str(ResultsMethod(method).label) if method in ResultsMethod.values else method


def stage_label(kind: str) -> str:
    return str(StageKind(kind).label) if kind in StageKind.values else kind


def snapshot_summary(snapshot: ResultSnapshot) -> dict[str, Any]:
    value = ResultSnapshot.objects.filter(pk=snapshot.pk).values_list("outputs__summary", flat=True)
    return value[0] or {}


@dataclass
class RankingLine:
    entry: ResultEntry
    categories: list[Decimal]
    flags: list[str] = field(default_factory=list)

    @property
    def organization(self) -> str:
        return self.entry.application.display_name

    @property
    def reached_stage(self) -> str:
        """The label of the stage the application reached ("" for an older snapshot)."""
        return stage_label(self.entry.reached_stage) if self.entry.reached_stage else ""


@dataclass
class Ranking:
    snapshot: ResultSnapshot
    categories: tuple[CategoryInfo, ...]
    lines: list[RankingLine]
    summary: dict[str, Any]
    names: dict[str, str]

    def name(self, application: str) -> str:
        return self.names.get(application, application)

    def names_of(self, applications) -> str:
        return "、".join(self.name(application) for application in applications)


def _flags(summary: Mapping[str, Any], entry: ResultEntry, names: Mapping[str, str]) -> list[str]:
    app = str(entry.application_id)
    flags = []
    if not entry.advanced:
        if entry.reached_stage:
            flags.append(
                _("未进入后续计分阶段：总分为“%(stage)s”阶段得分（不按权重折算），不授予等级")
                % {"stage": stage_label(entry.reached_stage)}
            )
        else:
            flags.append(_("未完成全部计分的评审阶段，不授予等级"))
    for tie in summary.get("ties", ()):
        if app in tie["applications"]:
            others = "、".join(names.get(a, a) for a in tie["applications"] if a != app)
            flags.append(
                _("与%(others)s并列第 %(rank)s 名，并列处理规则无法区分，请审定")
                % {"others": others, "rank": tie["rank"]}
            )
    for conflict in summary.get("quota_conflicts", ()):
        if app in conflict["applications"]:
            flags.append(
                _("并列单位超出“%(level)s”剩余名额（%(left)s 个），均未授予该等级，请审定")
                % {"level": conflict["level"], "left": conflict["places_left"]}
            )
    robustness = summary.get("robustness", {}).get(app)
    if robustness and robustness["level_changed_under"]:
        changes = "；".join(
            _("%(method)s：%(level)s")
            % {
                "method": method_label(method),
                "level": robustness["outcomes"][method][1] or _("无等级"),
            }
            for method in robustness["level_changed_under"]
        )
        flags.append(_("换用其他合成方法时等级会变化（%(changes)s）") % {"changes": changes})
    return flags


def ranking(snapshot: ResultSnapshot) -> Ranking:
    """The ranking table of a snapshot in three queries: categories, summary, entries."""
    categories = cycle_categories(cycle=snapshot.cycle, track=snapshot.track)
    summary = snapshot_summary(snapshot)
    entries = list(
        ResultEntry.objects.filter(snapshot=snapshot)
        .select_related("application__organization", "application__candidate")
        .order_by("rank", "application_id")
    )
    names = {str(entry.application_id): entry.application.display_name for entry in entries}
    lines = [
        RankingLine(
            entry=entry,
            categories=[round2(entry.categories.get(c.code, 0.0)) for c in categories],
            flags=_flags(summary, entry, names),
        )
        for entry in entries
    ]
    return Ranking(snapshot, categories, lines, summary, names)


def explanation(snapshot: ResultSnapshot, application_id: int) -> dict[str, Any] | None:
    """One application's explanation, or None if it is not in the snapshot: its place from
    ``outputs``, its stages, items and reviewers' scores from the snapshot's trace (snapshots
    of the first format kept them in ``outputs``)."""
    rows = ResultSnapshot.objects.filter(pk=snapshot.pk)
    index = rows.values_list("outputs__index", flat=True)[0] or {}
    position = index.get(str(application_id))
    if position is None:
        return None
    explained = rows.values_list(f"outputs__applications__{int(position)}", flat=True)[0]
    if "stages" not in explained:
        explained["stages"] = traced_stages(snapshot, explained["application"])
    return explained


def traced_stages(snapshot: ResultSnapshot, application: str) -> list[dict[str, Any]]:
    """The application's stages as recorded in the snapshot's trace (none without a trace)."""
    data = ResultTrace.objects.filter(snapshot=snapshot).values_list("data", flat=True).first()
    if data is None:
        return []
    trace = trace_from_bytes(data)
    position = trace.application_index(application)
    if position is None:
        return []
    return [stage_payload(stage) for stage in stage_results(trace, position).values()]


def reviewer_names(ids) -> dict[str, str]:
    users = User.objects.filter(pk__in=[int(i) for i in ids]).values_list(
        "pk", "full_name", "username"
    )
    return {str(pk): full_name or username for pk, full_name, username in users}


def item_names(cycle: Cycle, track: str = Track.ORGANIZATION) -> dict[str, tuple[str, int]]:
    """Item code → (name, maximum points) of the track's framework."""
    rows = CriteriaItem.objects.filter(framework_id=cycle.framework_id_for(track)).values_list(
        "code", "name", "points"
    )
    return {code: (name, points) for code, name, points in rows}


def criterion_label(criterion: str | None) -> str:
    if criterion is None:
        return _("（排名第一）")
    if criterion == "total":
        return _("总分")
    if criterion == ADVANCED:
        return _("完成全部计分的评审阶段")
    if criterion == REACHED_STAGE:
        return _("进入的评审阶段")
    if criterion == UNBROKEN_TIE:
        return _("并列无法区分")
    kind, _sep, name = criterion.partition(":")
    if kind == "category":
        return _("类目 %(code)s 得分") % {"code": name}
    return _("%(stage)s阶段总分") % {"stage": stage_label(name)}


@dataclass(frozen=True)
class ScoreLine:
    reviewer: str
    percent: float
    used: bool
    normalized: Decimal | None


@dataclass(frozen=True)
class ItemLine:
    code: str
    name: str
    max_points: int
    percent: Decimal
    points: Decimal
    source: str
    scores: list[ScoreLine]


@dataclass(frozen=True)
class StageBlock:
    label: str
    weight: float
    total: Decimal
    categories: list[tuple[str, Decimal]]
    items: list[ItemLine]
    missing_items: list[str]


@dataclass(frozen=True)
class ExplanationDetails:
    stages: list[StageBlock]
    tie_break: list[tuple[str, str | None]]
    separated_by: str
    robustness: list[tuple[str, int, str | None]]
    missing_stages: list[str]
    advanced: bool = True
    reached_stage: str = ""


def _source_label(item: Mapping[str, Any]) -> str:
    label = method_label(item["source"])
    if item["source"] == ResultsMethod.TRIMMED_MEAN and len(item["scores"]) < TRIM_MIN_SCORES:
        label += _("（评分不足 %(count)s 个，取算术平均）") % {"count": TRIM_MIN_SCORES}
    return label


def explanation_details(
    explained: Mapping[str, Any],
    *,
    summary: Mapping[str, Any],
    reviewers: Mapping[str, str],
    items: Mapping[str, tuple[str, int]],
) -> ExplanationDetails:
    """The stored explanation of one application with names, labels and 2-decimal values."""
    stages = [
        StageBlock(
            label=stage_label(stage["stage"]),
            weight=stage["weight"],
            total=round2(stage["total"]),
            categories=[(code, round2(value)) for code, value in stage["categories"].items()],
            items=[
                ItemLine(
                    code=item["item"],
                    name=items.get(item["item"], ("", 0))[0],
                    max_points=items.get(item["item"], ("", 0))[1],
                    percent=round2(item["percent"]),
                    points=round2(item["points"]),
                    source=_source_label(item),
                    scores=[
                        ScoreLine(
                            reviewers.get(reviewer, reviewer),
                            percent,
                            used,
                            None if normalized is None else round2(normalized),
                        )
                        for reviewer, percent, used, normalized in item["scores"]
                    ],
                )
                for item in stage["items"]
            ],
            missing_items=stage["missing_items"],
        )
        for stage in explained["stages"]
    ]
    robustness = summary.get("robustness", {}).get(explained["application"], {})
    return ExplanationDetails(
        stages=stages,
        tie_break=[
            (criterion_label(criterion), value)
            for criterion, value in zip(
                summary.get("tie_break", []), explained["tie_break_values"], strict=False
            )
        ],
        separated_by=criterion_label(explained["separated_by"]),
        # In method order as computed: PostgreSQL's jsonb does not keep the keys' order.
        robustness=[
            (method_label(method), *robustness["outcomes"][method])
            for method in summary.get("robustness_methods", ())
            if method in robustness.get("outcomes", {})
        ],
        missing_stages=[stage_label(stage) for stage in explained["missing_stages"]],
        advanced=explained.get("advanced", True),
        reached_stage=stage_label(explained["reached_stage"])
        if explained.get("reached_stage")
        else "",
    )
