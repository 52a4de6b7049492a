"""Computing, approving and comparing results through the database (scoring.services.results)."""

import gc
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import AuditEntry
from scoring.aggregation.trace_store import trace_from_bytes
from scoring.enums import ScorecardStatus
from scoring.results.models import ResultEntry, ResultSnapshot, ResultsSettings, ResultTrace
from scoring.results.queries.snapshots import explanation
from scoring.results.services.computation import (
    EntryChange,
    MissingScorecard,
    MissingScorecardsError,
    approve_snapshot,
    compute_cycle_results,
    current_snapshot,
    missing_scorecards,
    snapshot_changes,
)
from scoring.results.services.inputs import load_consensus, load_score_columns
from scoring.results.services.settings import cycle_setup, save_results_settings
from scoring.review.models import ItemScore, ReviewStage
from tests.scoring.committee_helpers import (
    approve_with_committee,
    record_unanimous_decision,
    second_official,
)
from tests.scoring.factories import ApprovedSnapshotFactory, AwardFactory
from tests.scoring.results_world import add_application, build_world

pytestmark = pytest.mark.django_db


def entries(snapshot):
    return [
        (entry.application.organization.name, entry.rank, entry.total, entry.level, entry.advanced)
        for entry in ResultEntry.objects.filter(snapshot=snapshot).select_related(
            "application__organization"
        )
    ]


def test_a_hand_computed_cycle_ranks_exactly():
    world = build_world()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)

    assert (snapshot.version, snapshot.method, snapshot.partial, snapshot.missing) == (
        1,
        "trimmed_mean",
        False,
        [],
    )
    assert snapshot.approved_at is None
    assert entries(snapshot) == [
        ("甲公司", 1, Decimal("700.00"), "质量奖", True),
        ("乙公司", 2, Decimal("635.00"), "提名奖", True),
        ("丙公司", 3, Decimal("481.67"), "", True),
    ]
    assert snapshot.config == {
        "method": "trimmed_mean",
        "stages": {"document": 0.3, "onsite": 0.7},
        "mode": "weighted",
        "stage_order": ["document", "onsite"],
        "levels": [
            {"name": "质量奖", "min_total": 600.0, "quota": 1},
            {"name": "提名奖", "min_total": 500.0, "quota": 2},
        ],
        "tie_break": ["total", "category:4.7", "category:4.1", "stage:onsite"],
        "fallback_method": "mean",
    }
    first = ResultEntry.objects.get(snapshot=snapshot, rank=1)
    assert {code: round(value, 6) for code, value in first.categories.items()} == {
        "4.1": 77.0,
        "4.2": 63.0,
        "4.3": 63.0,
        "4.4": 91.0,
        "4.5": 70.0,
        "4.6": 56.0,
        "4.7": 280.0,
    }
    audit = AuditEntry.objects.get(action="compute_results")
    assert (audit.actor, audit.target_id, audit.details["version"]) == (
        world.official,
        str(snapshot.pk),
        1,
    )


def test_the_outputs_explain_every_number():
    world = build_world()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    outputs = ResultSnapshot.objects.get(pk=snapshot.pk).outputs  # as stored
    b = world.app_id("乙公司")
    explained = outputs["applications"][outputs["index"][b]]

    assert (explained["rank"], explained["total_rounded"], explained["separated_by"]) == (
        2,
        "635.00",
        "total",
    )
    assert explained["tie_break_values"] == ["635.00", "254.00", "69.85", "650.00"]
    assert (explained["advanced"], explained["reached_stage"]) == (True, "onsite")
    assert set(explained) == {
        "application",
        "rank",
        "level",
        "advanced",
        "reached_stage",
        "total",
        "total_rounded",
        "missing_stages",
        "tie_break_values",
        "separated_by",
    }  # stages and items are read from the snapshot's trace:
    traced = explanation(snapshot, int(b))
    document, onsite = traced["stages"]
    assert (document["stage"], document["weight"], round(document["total"], 9)) == (
        "document",
        0.3,
        600.0,
    )
    assert (document["missing_items"], len(onsite["items"])) == ([], 23)
    first_item = onsite["items"][0]
    reviewers = [str(reviewer.pk) for reviewer in world.reviewers]
    assert first_item == {
        "item": "4.1.1",
        "percent": 65.0,
        "points": 32.5,
        "source": "trimmed_mean",
        "scores": [
            [reviewers[0], 60.0, True, None],
            [reviewers[1], 65.0, True, None],
            [reviewers[2], 70.0, True, None],
        ],
    }
    assert explanation(snapshot, 999_999) is None
    summary = outputs["summary"]
    assert summary["ties"] == [] and summary["quota_conflicts"] == []
    assert summary["levels"] == [
        {
            "level": "质量奖",
            "min_total": 600.0,
            "quota": 1,
            "awarded": [world.app_id("甲公司")],
            "places_left": 0,
        },
        {"level": "提名奖", "min_total": 500.0, "quota": 2, "awarded": [b], "places_left": 1},
    ]
    assert summary["robustness_methods"] == ["trimmed_mean", "mean", "median", "normalized"]
    assert summary["robustness"][b]["outcomes"]["median"] == [2, "提名奖"]


def test_the_robustness_check_flags_a_level_that_depends_on_the_method():
    # 丁公司 (50, 50, 80 in both stages): the mean is 600 → 质量奖; the median 50 gives 500 →
    # 提名奖. Normalized: in the document stage (all scores: 60 70 80 / 50 50 80, mean 65,
    # σ ≈ 12.58) 专家甲 and 专家乙 score 丁 one of their σ below their mean → 52.42, 专家丙 has
    # no spread (80, 80) and is shifted by 65 − 80 → 65: 56.61; on site (σ ≈ 11.18) 53.82,
    # 53.82, 76.18 → 61.27; total ≈ 0.3 × 566.1 + 0.7 × 612.7 ≈ 598.7 → 提名奖 as well.
    world = build_world(names=("甲公司",))
    world.cycle.levels.filter(name="质量奖").update(quota=2)
    add_application(world, "丁公司", ((50, 50, 80), (50, 50, 80)))
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)

    d = world.app_id("丁公司")
    assert entries(snapshot)[1] == ("丁公司", 2, Decimal("600.00"), "质量奖", True)
    assert snapshot.outputs["summary"]["robustness"][d] == {
        "outcomes": {
            "trimmed_mean": [2, "质量奖"],
            "mean": [2, "质量奖"],
            "median": [2, "提名奖"],
            "normalized": [2, "提名奖"],
        },
        "level_changed_under": ["median", "normalized"],
    }


def test_missing_scorecards_are_listed_and_refused_unless_accepted():
    world = build_world(names=("甲公司", "乙公司"))
    add_application(world, "丙公司", ((40, 40, None), (50, 50, 55)))
    # 专家乙 has only started 乙公司's on-site scorecard.
    draft = world.assignments[("乙公司", "onsite", 1)].scorecard
    draft.status = ScorecardStatus.DRAFT
    draft.save()
    expected = [
        MissingScorecard(
            world.applications["丙公司"].pk,
            "丙公司",
            "document",
            world.reviewers[2].pk,
            "专家丙",
            "none",
        ),
        MissingScorecard(
            world.applications["乙公司"].pk,
            "乙公司",
            "onsite",
            world.reviewers[1].pk,
            "专家乙",
            "draft",
        ),
    ]
    assert missing_scorecards(cycle=world.cycle) == expected

    with pytest.raises(MissingScorecardsError) as refused:
        compute_cycle_results(cycle=world.cycle, by=world.official)
    assert refused.value.missing == expected
    assert refused.value.messages == [
        "还有 2 份评分表未提交，请等待评分完成，或确认接受不完整的数据后再计算。"
    ]
    assert ResultSnapshot.objects.count() == 0

    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official, accept_partial=True)
    assert snapshot.partial is True
    assert [(row["organization"], row["stage"], row["status"]) for row in snapshot.missing] == [
        ("丙公司", "document", "none"),
        ("乙公司", "onsite", "draft"),
    ]
    # 乙公司 on-site: 60 and 70 → 65 → 650, as before; 丙公司 document: 40, 40 → 400.
    assert entries(snapshot) == [
        ("甲公司", 1, Decimal("700.00"), "质量奖", True),
        ("乙公司", 2, Decimal("635.00"), "提名奖", True),
        ("丙公司", 3, Decimal("481.67"), "", True),
    ]


def test_a_recused_reviewer_neither_counts_nor_is_missing():
    world = build_world()
    assignment = world.assignments[("丙公司", "onsite", 2)]
    assignment.status = "recused"
    assignment.save()
    assert missing_scorecards(cycle=world.cycle) == []
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    # 丙公司 on-site: 50, 50 → 500: 120 + 350 = 470.00.
    assert entries(snapshot)[2] == ("丙公司", 3, Decimal("470.00"), "", True)


def test_an_inconsistent_configuration_is_refused_and_nothing_is_saved():
    world = build_world(names=("甲公司",))
    with pytest.raises(ValidationError) as refused:
        save_results_settings(
            cycle=world.cycle,
            method="mean",
            fallback_method="mean",
            mode="weighted",
            tie_break=["category:4.7", "stage:defence"],
            weights={"document": Decimal("0.3"), "onsite": Decimal("0.6")},
            by=world.official,
        )
    assert refused.value.messages == [
        "各阶段权重之和为 0.9，应为 1",
        "并列处理规则须以总分（total）开始，而不是“category:4.7”",
        "未知的并列处理依据“stage:defence”（可用：total、category:<类目>、stage:<阶段>）",
    ]
    assert ResultsSettings.objects.count() == 0
    assert list(ReviewStage.objects.order_by("order").values_list("weight", flat=True)) == [
        Decimal("0.300"),
        Decimal("0.700"),
    ]
    assert not AuditEntry.objects.filter(action="change_results_settings").exists()


def test_weights_changed_elsewhere_stop_the_computation_with_the_reason():
    world = build_world(names=("甲公司",))
    ReviewStage.objects.filter(pk=world.onsite.pk).update(weight=Decimal("-0.5"))
    with pytest.raises(ValidationError) as refused:
        compute_cycle_results(cycle=world.cycle, by=world.official)
    assert refused.value.messages == ["阶段“onsite”的权重 -0.5 为负数"]
    assert ResultSnapshot.objects.count() == 0


def test_valid_settings_are_saved_with_the_stage_weights_and_audited():
    world = build_world()
    settings = save_results_settings(
        cycle=world.cycle,
        method="median",
        fallback_method="mean",
        mode="weighted",
        tie_break=["total", "category:4.1"],
        weights={"document": Decimal("0.4"), "onsite": Decimal("0.6")},
        by=world.official,
    )
    assert (settings.method, settings.tie_break, settings.updated_by) == (
        "median",
        ["total", "category:4.1"],
        world.official,
    )
    assert list(ReviewStage.objects.order_by("order").values_list("weight", flat=True)) == [
        Decimal("0.400"),
        Decimal("0.600"),
    ]
    audit = AuditEntry.objects.get(action="change_results_settings")
    assert audit.details["changed_weights"] == {"document": "0.4", "onsite": "0.6"}
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    # Medians: 甲 700/700 → 700; 乙 600/650 → 630; 丙 400/500 → 460.
    assert [(row[0], row[2]) for row in entries(snapshot)] == [
        ("甲公司", Decimal("700.00")),
        ("乙公司", Decimal("630.00")),
        ("丙公司", Decimal("460.00")),
    ]


def test_approval_freezes_the_snapshot():
    world = build_world()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    approved = approve_with_committee(snapshot)
    assert approved.approved_by == second_official(snapshot)
    assert current_snapshot(cycle=world.cycle) == snapshot

    frozen = "已批准的评审结果已冻结，不能修改或删除；请重新计算生成新版本。"
    approved.method = "mean"
    with pytest.raises(ValidationError) as edit:
        approved.save()
    with pytest.raises(ValidationError) as delete:
        approved.delete()
    with pytest.raises(ValidationError) as bulk_update:
        ResultSnapshot.objects.filter(pk=snapshot.pk).update(method="mean")
    entry = ResultEntry.objects.filter(snapshot=snapshot).first()
    entry.rank = 9
    with pytest.raises(ValidationError) as entry_edit:
        entry.save()
    with pytest.raises(ValidationError) as entry_delete:
        entry.delete()
    with pytest.raises(ValidationError) as entries_update:
        ResultEntry.objects.filter(snapshot=snapshot).update(level="质量奖")
    for refused in (edit, delete, bulk_update, entry_edit, entry_delete, entries_update):
        assert refused.value.messages == [frozen]
    with pytest.raises(ValidationError) as again:
        approve_snapshot(snapshot=snapshot, by=world.official)
    assert again.value.messages == ["第 1 版评审结果已经批准。"]
    assert ResultSnapshot.objects.get(pk=snapshot.pk).method == "trimmed_mean"
    assert list(ResultEntry.objects.filter(snapshot=snapshot).values_list("rank", flat=True)) == [
        1,
        2,
        3,
    ]
    assert AuditEntry.objects.filter(action="approve_results").count() == 1


def test_approval_is_refused_when_the_scores_changed_since_computing():
    world = build_world()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    card = world.assignments[("丙公司", "onsite", 0)].scorecard
    ItemScore.objects.filter(scorecard=card, item__code="4.7.1").update(percent=90)
    record_unanimous_decision(snapshot)
    with pytest.raises(ValidationError) as refused:
        approve_snapshot(snapshot=snapshot, by=second_official(snapshot))
    assert refused.value.messages == ["第 1 版计算后评分数据已有变化，请重新计算后再批准。"]
    assert ResultSnapshot.objects.get(pk=snapshot.pk).approved_at is None


def test_an_older_version_cannot_be_approved_after_a_newer_one_nor_after_the_announcement():
    world = build_world()
    first = compute_cycle_results(cycle=world.cycle, by=world.official)
    second = compute_cycle_results(cycle=world.cycle, by=world.official)
    approve_with_committee(second)
    with pytest.raises(ValidationError) as refused:
        approve_snapshot(snapshot=first, by=world.official)
    assert refused.value.messages == ["已批准更新的第 2 版，不能再批准第 1 版。"]

    from tests.scoring.factories import AnnouncedNoticeFactory

    AnnouncedNoticeFactory(snapshot=second)
    third = compute_cycle_results(cycle=world.cycle, by=world.official)
    with pytest.raises(ValidationError) as announced:
        approve_snapshot(snapshot=third, by=world.official)
    assert announced.value.messages == ["本届已发布表彰决定，不能再批准评审结果。"]
    assert current_snapshot(cycle=world.cycle) == second
    assert AwardFactory._meta.model.objects.count() == 0


def test_recomputing_makes_version_2_and_reports_exactly_what_changed():
    world = build_world()
    first = compute_cycle_results(cycle=world.cycle, by=world.official)
    approve_with_committee(first)
    # 丙公司's on-site panel now scores 90, 90, 90: 120 + 630 = 750.00, ahead of 甲公司.
    for position in range(3):
        card = world.assignments[("丙公司", "onsite", position)].scorecard
        ItemScore.objects.filter(scorecard=card).update(percent=90)
    second = compute_cycle_results(cycle=world.cycle, by=world.official)
    assert second.version == 2
    assert current_snapshot(cycle=world.cycle) == first

    changes = snapshot_changes(old=first, new=second)
    a, b, c = (world.applications[name].pk for name in ("甲公司", "乙公司", "丙公司"))
    assert changes.changed == (
        EntryChange(c, "丙公司", 3, 1, Decimal("481.67"), Decimal("750.00"), "", "质量奖"),
        EntryChange(a, "甲公司", 1, 2, Decimal("700.00"), Decimal("700.00"), "质量奖", "提名奖"),
        EntryChange(b, "乙公司", 2, 3, Decimal("635.00"), Decimal("635.00"), "提名奖", "提名奖"),
    )
    assert (changes.added, changes.removed, changes.config_changes) == ((), (), ())
    assert (changes.old_version, changes.new_version, changes.inputs_changed) == (1, 2, True)


def test_changes_list_added_and_removed_applications_and_configuration():
    world = build_world(names=("甲公司", "乙公司"))
    first = compute_cycle_results(cycle=world.cycle, by=world.official)
    world.applications["乙公司"].panels.all().delete()
    add_application(world, "丙公司")
    save_results_settings(
        cycle=world.cycle,
        method="mean",
        fallback_method="mean",
        mode="weighted",
        tie_break=["total", "category:4.7", "category:4.1", "stage:onsite"],
        weights={},
        by=world.official,
    )
    second = compute_cycle_results(cycle=world.cycle, by=world.official)
    changes = snapshot_changes(old=first, new=second)
    b, c = world.applications["乙公司"].pk, world.applications["丙公司"].pk
    assert changes.changed == ()
    assert changes.added == (EntryChange(c, "丙公司", None, 2, None, Decimal("481.67"), None, ""),)
    assert changes.removed == (
        EntryChange(b, "乙公司", 2, None, Decimal("635.00"), None, "提名奖", None),
    )
    assert changes.config_changes == (("method", "trimmed_mean", "mean"),)


def test_there_is_nothing_to_compute_without_scores():
    world = build_world(names=())
    with pytest.raises(ValidationError) as refused:
        compute_cycle_results(cycle=world.cycle, by=world.official)
    assert refused.value.messages == ["本届还没有已提交的评分，无法计算结果。"]


def test_consensus_percentages_are_loaded_from_final_consensus_only():
    from scoring.enums import ConsensusStatus
    from scoring.review.models import Consensus, ConsensusItem

    world = build_world(names=("甲公司",))
    item = world.cycle.framework.items.get(code="4.1.1")
    for stage, status, percent in (
        (world.document, ConsensusStatus.FINAL, 75),
        (world.onsite, ConsensusStatus.DRAFT, 85),
    ):
        panel = world.applications["甲公司"].panels.get(stage=stage)
        consensus = Consensus.objects.create(panel=panel, status=status)
        ConsensusItem.objects.create(consensus=consensus, item=item, percent=percent)
    assert load_consensus(cycle=world.cycle) == {
        (world.app_id("甲公司"), "document", "4.1.1"): 75.0
    }


@pytest.mark.parametrize("size", [1, 5])
def test_loading_and_computing_take_a_constant_number_of_queries(size):
    world = build_world(names=())
    for number in range(size):
        add_application(world, f"企业{number}", ((60, 70, 80), (70, 70, 70)))
    setup = cycle_setup(cycle=world.cycle)
    with CaptureQueriesContext(connection) as load:
        columns = load_score_columns(cycle=world.cycle, setup=setup)
    assert len(columns) == size * 2 * 3 * 23
    with CaptureQueriesContext(connection) as compute:
        compute_cycle_results(cycle=world.cycle, by=world.official)
    assert (len(load), len(compute)) == (2, EXPECTED_COMPUTE_QUERIES)


#: setup 4, stale consensus 1, missing 1, scorecards 1, scores 1, consensus 1; savepoint, cycle
#: lock, version, snapshot, trace, entries, audit, release (SQLite does not lock rows: the same
#: statement without FOR UPDATE). The same on SQLite and PostgreSQL. The audit entry joins its
#: authority's hash chain: 6 more (finding the authority, creating the chain's head on its first
#: entry, locking and moving it).
EXPECTED_COMPUTE_QUERIES = 23


def test_each_snapshot_stores_its_score_trace_once_and_for_good():
    world = build_world()
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    trace = ResultTrace.objects.get(snapshot=snapshot)
    stored = trace_from_bytes(trace.data)
    assert stored.applications == tuple(sorted(world.app_id(n) for n in world.applications))
    assert len(stored.row_cell) == 3 * 2 * 3 * 23  # every score, used or not
    with pytest.raises(ValidationError):
        trace.save()  # written once with its snapshot
    assert ResultTrace.objects.get(snapshot=snapshot).data == trace.data


def test_the_garbage_collector_runs_again_after_computing_or_refusing():
    world = build_world()
    compute_cycle_results(cycle=world.cycle, by=world.official)
    assert gc.isenabled()
    ItemScore.objects.filter(scorecard__assignment__panel__stage__cycle=world.cycle).delete()
    with pytest.raises(ValidationError):
        compute_cycle_results(cycle=world.cycle, by=world.official)
    assert gc.isenabled()


def test_a_first_format_snapshot_is_explained_from_its_outputs():
    stage = {
        "stage": "onsite",
        "weight": 1.0,
        "total": 32.5,
        "categories": {"4.1": 32.5},
        "missing_items": ["4.1.2"],
        "items": [
            {
                "item": "4.1.1",
                "percent": 65.0,
                "points": 32.5,
                "source": "mean",
                "scores": [["7", 65.0, True, None]],
            }
        ],
    }
    outputs = {
        "format": 1,
        "index": {"41": 0},
        "applications": [{"application": "41", "rank": 1, "stages": [stage]}],
    }
    snapshot = ApprovedSnapshotFactory(outputs=outputs)
    assert explanation(snapshot, 41) == outputs["applications"][0]
    assert explanation(snapshot, 42) is None


def test_a_snapshot_without_trace_explains_no_stages():
    outputs = {"format": 2, "index": {"41": 0}, "applications": [{"application": "41"}]}
    snapshot = ApprovedSnapshotFactory(outputs=outputs)
    assert explanation(snapshot, 41) == {"application": "41", "stages": []}
