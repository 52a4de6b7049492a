"""The feedback report (反馈报告) every reviewed applicant receives after the final announcement.

It shows, per criteria category, the application's points in the last stage it reached against
the maximum and against the average and quartiles of the applications that completed the same
stage (their points in that stage, never a total weighted over stages some did not reach), a bar
chart of the same, and per item the band of the panel's final consensus percentage with the
panel's consolidated strengths and opportunities for improvement.

The average and quartiles are shown only when at least ``ResultsSettings.feedback_min_group``
applications (5 by default, never fewer than 3) completed that stage; otherwise the report says
the comparison is withheld and prints no count, so that no applicant can work out another's
scores (with two applications, the average and "2" give the other's exact total).

Nothing in it can identify a reviewer: the report reads only the announced snapshot's entries
(category points) and the consensus items' percent, strengths and improvements; it never loads
assignments, scorecards, consensus comments or the snapshot's explanation document (which lists
reviewers' scores).

An application "reached review" when at least one of its panels has a submitted scorecard. The
report becomes available when the notice of the cycle's approved snapshot has been announced
(表彰) and that snapshot has an entry for the application.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from django.conf import settings
from django.utils import translation

from awards.enums import Track
from awards.models import Application, CriteriaCategory, CriteriaItem, Cycle
from scoring.bands import band_for, format_points
from scoring.certificates.services.documents import edition_label
from scoring.enums import ConsensusStatus, ScorecardStatus, StageKind
from scoring.results.models import ResultEntry, ResultSnapshot, ResultsSettings
from scoring.results.models.settings import FEEDBACK_MIN_GROUP_DEFAULT, FEEDBACK_MIN_GROUP_FLOOR
from scoring.review.models import ConsensusItem, Panel

FEEDBACK_TEMPLATE = "pdf/feedback.html"


class Availability(StrEnum):
    AVAILABLE = "available"
    NOT_ANNOUNCED = "not_announced"
    NOT_REVIEWED = "not_reviewed"


@dataclass(frozen=True, slots=True)
class ItemFeedback:
    """One criteria item: the band of the final consensus percentage ("50–65%", or "" when the
    panel recorded none), the band's descriptor, and the consolidated texts as typed."""

    code: str
    name: str
    points: int
    kind: str
    band: str
    band_text: str
    strengths: str
    improvements: str


@dataclass(frozen=True, slots=True)
class Quartiles:
    """Lower quartile, median and upper quartile (linear interpolation between ranks)."""

    lower: Decimal
    median: Decimal
    upper: Decimal


@dataclass(frozen=True, slots=True)
class CategoryFeedback:
    """``score`` and ``average`` are points in the compared stage; ``average`` and
    ``quartiles`` are None when the comparison is withheld."""

    code: str
    name: str
    max_points: int
    score: Decimal | None
    average: Decimal | None
    items: tuple[ItemFeedback, ...] = ()
    quartiles: Quartiles | None = None

    @property
    def score_percent(self) -> Decimal | None:
        return _percent(self.score, self.max_points)

    @property
    def average_percent(self) -> Decimal | None:
        return _percent(self.average, self.max_points)


@dataclass(frozen=True, slots=True)
class FeedbackReport:
    """Everything the report prints.

    ``stage`` is the stage compared (the one the application reached; "" for a snapshot that
    did not record it) and ``total`` the application's points in it; ``final_total`` is its
    total in the ranking (weighted over the stages when it ``advanced``). ``compared_count`` is
    how many applications completed that stage, None (never printed) when the comparison is
    withheld because they are fewer than ``min_group``.
    """

    application_id: int
    organization: str
    programme: str
    edition: int
    year: int
    authority: str
    framework: str
    announced_at: datetime
    total: Decimal | None
    total_max: int
    average_total: Decimal | None
    compared_count: int | None
    categories: tuple[CategoryFeedback, ...]
    stage: str = ""
    stage_label: str = ""
    advanced: bool = True
    final_total: Decimal | None = None
    min_group: int = FEEDBACK_MIN_GROUP_DEFAULT
    total_quartiles: Quartiles | None = None
    #: An individual application: ``organization`` is "candidate（employer）".
    individual: bool = False

    @property
    def withheld(self) -> bool:
        return self.compared_count is None


def _percent(value: Decimal | None, maximum: int) -> Decimal | None:
    if value is None or not maximum:
        return None
    return value * 100 / Decimal(maximum)


def _decimal(value: object) -> Decimal | None:
    """A category value from a snapshot entry (float, int or string) as an exact decimal."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def announced_snapshot(cycle: Cycle, track: str = Track.ORGANIZATION) -> ResultSnapshot | None:
    """The track's approved snapshot whose notice was announced (the newest, should there be
    several): an application is compared only with its own track."""
    return (
        ResultSnapshot.objects.filter(
            cycle=cycle, track=track, approved_at__isnull=False, notice__announced_at__isnull=False
        )
        .select_related("notice")
        .order_by("-version")
        .first()
    )


def reviewed_application_ids(cycle: Cycle) -> set[int]:
    """Applications of ``cycle`` with at least one submitted scorecard in any of their panels."""
    return set(
        Panel.objects.filter(
            application__cycle=cycle, assignments__scorecard__status=ScorecardStatus.SUBMITTED
        )
        .values_list("application_id", flat=True)
        .distinct()
    )


def feedback_availability(*, application: Application) -> Availability:
    if not Panel.objects.filter(
        application=application, assignments__scorecard__status=ScorecardStatus.SUBMITTED
    ).exists():
        return Availability.NOT_REVIEWED
    snapshot = announced_snapshot(application.cycle, application.track)
    if snapshot is None or not snapshot.entries.filter(application=application).exists():
        return Availability.NOT_ANNOUNCED
    return Availability.AVAILABLE


class FeedbackUnavailable(Exception):
    """The report of this application cannot be shown (yet); ``availability`` says why."""

    def __init__(self, availability: Availability) -> None:
        super().__init__(availability.value)
        self.availability = availability


def build_feedback_report(*, application: Application) -> FeedbackReport:
    """The report of ``application``; raises ``FeedbackUnavailable`` before it may be shown."""
    availability = feedback_availability(application=application)
    if availability != Availability.AVAILABLE:
        raise FeedbackUnavailable(availability)
    cycle = (
        Cycle.objects.select_related("programme__authority", "framework")
        .filter(pk=application.cycle_id)
        .get()
    )
    snapshot = announced_snapshot(cycle, application.track)
    framework = application.framework or cycle.framework_for(application.track)
    reviewed = reviewed_application_ids(cycle)
    entries = {
        entry.application_id: entry
        for entry in ResultEntry.objects.filter(snapshot=snapshot, application_id__in=reviewed)
    }
    own = entries[application.pk]
    categories = list(CriteriaCategory.objects.filter(framework=framework).order_by("sort_order"))
    codes = [c.code for c in categories]
    items = list(CriteriaItem.objects.filter(framework=framework).order_by("sort_order", "code"))
    consensus = final_consensus_items(application)
    stage = own.reached_stage
    own_points = _stage_points(own, stage)
    # The same stage's points of every application that completed it (this one included).
    group = [
        points
        for points in (_stage_points(entry, stage) for entry in entries.values())
        if stage and points
    ]
    min_group = feedback_min_group(cycle)
    shown = bool(stage) and len(group) >= min_group
    averages = category_averages(group, codes) if shown else {}
    spreads = category_quartiles(group, codes) if shown else {}
    rows = tuple(
        CategoryFeedback(
            code=category.code,
            name=category.name,
            max_points=category.points,
            score=_decimal(own_points.get(category.code)),
            average=averages.get(category.code),
            items=tuple(
                _item_feedback(item, consensus.get(item.pk))
                for item in items
                if item.category_code == category.code
            ),
            quartiles=spreads.get(category.code),
        )
        for category in categories
    )
    totals = [_points_total(points, codes) for points in group]
    return FeedbackReport(
        application_id=application.pk,
        organization=application.display_name,
        programme=cycle.programme.name,
        edition=cycle.edition,
        year=cycle.year,
        authority=cycle.programme.authority.name,
        framework=f"{framework.code}-{framework.version} {framework.name}",
        announced_at=snapshot.notice.announced_at,
        total=_points_total(own_points, codes) if stage else own.total,
        total_max=sum(category.points for category in categories),
        average_total=sum(totals, Decimal(0)) / len(totals) if shown else None,
        compared_count=len(group) if shown else None,
        categories=rows,
        stage=stage,
        stage_label=StageKind(stage).label if stage in StageKind.values else stage,
        advanced=own.advanced,
        final_total=own.total,
        min_group=min_group,
        total_quartiles=quartiles(totals) if shown else None,
        individual=application.is_individual,
    )


def feedback_min_group(cycle: Cycle) -> int:
    """How many applications must have completed a stage before its averages are shown."""
    value = (
        ResultsSettings.objects.filter(cycle=cycle)
        .values_list("feedback_min_group", flat=True)
        .first()
    )
    return max(value or FEEDBACK_MIN_GROUP_DEFAULT, FEEDBACK_MIN_GROUP_FLOOR)


def _stage_points(entry: ResultEntry, stage: str) -> Mapping[str, object]:
    """The entry's category points in ``stage`` ({} when it has none); for an entry of a
    snapshot that recorded no stage, its ranking categories."""
    if not stage:
        return entry.categories or {}
    return (entry.stage_categories or {}).get(stage) or {}


def _points_total(points: Mapping[str, object], codes: Iterable[str]) -> Decimal:
    return sum(
        (value for value in (_decimal(points.get(code)) for code in codes) if value is not None),
        Decimal(0),
    )


def quartiles(values: Sequence[Decimal]) -> Quartiles | None:
    """Quartiles of ``values``, exact: linear interpolation between the sorted values at
    (n − 1) × ¼, ½ and ¾ (the "inclusive" method of spreadsheets and ``statistics``)."""
    ordered = sorted(values)
    if not ordered:
        return None

    def at(quarter: int) -> Decimal:
        whole, part = divmod((len(ordered) - 1) * quarter, 4)
        if not part:
            return ordered[whole]
        return ordered[whole] + (ordered[whole + 1] - ordered[whole]) * part / 4

    return Quartiles(at(1), at(2), at(3))


def category_quartiles(
    categories_per_entry: Iterable[Mapping[str, object]], codes: Iterable[str]
) -> dict[str, Quartiles]:
    """Quartiles of each category's points over the entries that have it."""
    values: dict[str, list[Decimal]] = {}
    wanted = list(codes)
    for categories in categories_per_entry:
        for code in wanted:
            value = _decimal((categories or {}).get(code))
            if value is not None:
                values.setdefault(code, []).append(value)
    return {code: spread for code, found in values.items() if (spread := quartiles(found))}


def category_averages(
    categories_per_entry: Iterable[Mapping[str, object]], codes: Iterable[str]
) -> dict[str, Decimal]:
    """Mean of each category's points over the entries that have it, exact (no rounding)."""
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    wanted = set(codes)
    for categories in categories_per_entry:
        for code, raw in (categories or {}).items():
            value = _decimal(raw)
            if code not in wanted or value is None:
                continue
            sums[code] = sums.get(code, Decimal(0)) + value
            counts[code] = counts.get(code, 0) + 1
    return {code: sums[code] / counts[code] for code in sums}


def final_consensus_items(application: Application) -> dict[int, ConsensusItem]:
    """Per criteria item id, the final consensus of the latest stage that recorded one.

    Only the percent and the consolidated texts are loaded: no panel member, leader or comment.
    """
    rows = (
        ConsensusItem.objects.filter(
            consensus__panel__application=application, consensus__status=ConsensusStatus.FINAL
        )
        .only("item_id", "percent", "strengths", "improvements")
        .order_by("consensus__panel__stage__order", "pk")
    )
    chosen: dict[int, ConsensusItem] = {}
    for row in rows:
        if row.percent is not None or row.strengths or row.improvements:
            chosen[row.item_id] = row  # a later stage replaces an earlier one
    return chosen


def _item_feedback(item: CriteriaItem, consensus: ConsensusItem | None) -> ItemFeedback:
    band = band_for(consensus.percent) if consensus is not None else None
    return ItemFeedback(
        code=item.code,
        name=item.name,
        points=item.points,
        kind=item.kind,
        band=band.label if band else "",
        band_text=str(band.text_for(item.kind)) if band else "",
        strengths=consensus.strengths.strip() if consensus else "",
        improvements=consensus.improvements.strip() if consensus else "",
    )


def feedback_context(report: FeedbackReport) -> dict:
    """What the HTML page and the PDF template print: numbers already formatted (at most two
    decimals, as the officials saw them) and the chart already drawn."""
    from scoring.charts import BarRow, category_bars_svg

    chart = category_bars_svg(
        [
            BarRow(
                label=f"{row.code} {row.name}",
                value=row.score,
                maximum=row.max_points,
                average=row.average,
            )
            for row in report.categories
        ]
    )
    rows = [
        {
            "category": row,
            "score": format_points(row.score),
            "average": format_points(row.average),
            "score_percent": _format_percent(row.score_percent),
            "average_percent": _format_percent(row.average_percent),
            "quartiles": _format_quartiles(row.quartiles),
        }
        for row in report.categories
    ]
    return {
        "report": report,
        "edition_text": edition_label(report.edition),
        "rows": rows,
        "total": format_points(report.total),
        "final_total": format_points(report.final_total),
        "average_total": format_points(report.average_total),
        "total_quartiles": _format_quartiles(report.total_quartiles),
        "chart_svg": chart,
    }


def _format_quartiles(spread: Quartiles | None) -> list[str]:
    """[lower, median, upper] formatted as points, or three dashes when withheld."""
    if spread is None:
        return ["—"] * 3
    return [format_points(spread.lower), format_points(spread.median), format_points(spread.upper)]


def _format_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def render_feedback_pdf(*, application: Application) -> bytes:
    """The report as a PDF, in Chinese; raises ``FeedbackUnavailable`` like the page."""
    from awards.pdf.render import render_pdf_from_template

    report = build_feedback_report(application=application)
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf_from_template(FEEDBACK_TEMPLATE, feedback_context(report))
