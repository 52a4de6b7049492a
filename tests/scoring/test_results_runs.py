"""Computing a cycle's results in the background (scoring.services.results_runs)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import pre_save
from django.tasks import TaskResultStatus
from django.utils import timezone

from awards.models import AuditEntry
from scoring.results.models import ComputationStatus, ResultComputation, ResultEntry, ResultSnapshot
from scoring.results.services.computation import MissingScorecardsError
from scoring.results.services.running import progress_writer, run_computation
from scoring.results.services.runs import request_computation
from scoring.results.services.tasks import compute_results_task
from scoring.review.models import ReviewStage
from tests.scoring.results_world import add_application, build_world

pytestmark = pytest.mark.django_db


def state(computation) -> tuple:
    computation.refresh_from_db()
    return (
        computation.status,
        computation.step,
        computation.progress,
        computation.snapshot_id,
        computation.errors,
    )


def audited(computation) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            target_type="scoring.resultcomputation", target_id=str(computation.pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


def ranking(snapshot) -> list[tuple]:
    return list(
        ResultEntry.objects.filter(snapshot=snapshot)
        .order_by("rank")
        .values_list("application__organization__name", "rank", "total", "level")
    )


def test_a_requested_computation_is_queued_then_run_once_the_request_commits(
    django_capture_on_commit_callbacks,
):
    world = build_world()
    with django_capture_on_commit_callbacks() as callbacks:
        computation = request_computation(
            cycle=world.cycle, by=world.official, accept_partial=False
        )
    assert state(computation) == ("queued", "queued", 0, None, [])
    assert (computation.requested_by, computation.accept_partial) == (world.official, False)
    assert (computation.started_at, computation.finished_at) == (None, None)
    assert ResultSnapshot.objects.count() == 0
    assert len(callbacks) == 1

    callbacks[0]()  # enqueues the task; the immediate backend runs it

    snapshot = ResultSnapshot.objects.get()
    assert state(computation) == ("done", "finished", 100, snapshot.pk, [])
    assert computation.finished is True
    assert computation.started_at <= computation.finished_at
    assert (snapshot.version, snapshot.partial, snapshot.created_by) == (1, False, world.official)
    assert ranking(snapshot) == [
        ("甲公司", 1, Decimal("700.00"), "质量奖"),
        ("乙公司", 2, Decimal("635.00"), "提名奖"),
        ("丙公司", 3, Decimal("481.67"), ""),
    ]
    assert audited(computation) == ["request_results_computation"]
    assert AuditEntry.objects.filter(action="compute_results", target_id=str(snapshot.pk)).exists()


def test_a_second_computation_makes_version_2(django_capture_on_commit_callbacks):
    world = build_world()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            computation = request_computation(
                cycle=world.cycle, by=world.official, accept_partial=False
            )
    computation.refresh_from_db()
    assert (computation.status, computation.snapshot.version) == ("done", 2)
    assert ResultComputation.objects.filter(status="done").count() == 2


def test_missing_scorecards_are_refused_at_once_and_nothing_is_created(
    django_capture_on_commit_callbacks,
):
    world = build_world(names=("甲公司", "乙公司"))
    add_application(world, "丙公司", ((40, 40, None), (50, 50, 55)))
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(MissingScorecardsError) as refused,
    ):
        request_computation(cycle=world.cycle, by=world.official, accept_partial=False)
    assert refused.value.messages == [
        "还有 1 份评分表未提交，请等待评分完成，或确认接受不完整的数据后再计算。"
    ]
    assert [(row.organization, row.stage, row.reviewer) for row in refused.value.missing] == [
        ("丙公司", "document", "专家丙")
    ]
    assert (callbacks, ResultComputation.objects.count(), ResultSnapshot.objects.count()) == (
        [],
        0,
        0,
    )
    assert not AuditEntry.objects.filter(action="request_results_computation").exists()

    with django_capture_on_commit_callbacks(execute=True):
        computation = request_computation(cycle=world.cycle, by=world.official, accept_partial=True)
    computation.refresh_from_db()
    assert (computation.status, computation.accept_partial) == ("done", True)
    assert computation.snapshot.partial is True


def test_an_unusable_configuration_is_refused_at_once_and_nothing_is_created(
    django_capture_on_commit_callbacks,
):
    world = build_world(names=("甲公司",))
    ReviewStage.objects.filter(pk=world.onsite.pk).update(weight=Decimal("-0.5"))
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        request_computation(cycle=world.cycle, by=world.official, accept_partial=True)
    assert refused.value.messages == ["阶段“onsite”的权重 -0.5 为负数"]
    assert (callbacks, ResultComputation.objects.count(), ResultSnapshot.objects.count()) == (
        [],
        0,
        0,
    )


def test_a_refusal_found_by_the_task_fails_the_computation_with_its_messages(
    django_capture_on_commit_callbacks,
):
    world = build_world(names=())  # nothing scored: only the computation itself finds out
    with django_capture_on_commit_callbacks(execute=True):
        computation = request_computation(
            cycle=world.cycle, by=world.official, accept_partial=False
        )
    assert state(computation) == (
        "failed",
        "loading",
        5,
        None,
        ["本届还没有已提交的评分，无法计算结果。"],
    )
    assert computation.finished_at is not None
    assert ResultSnapshot.objects.count() == 0
    assert audited(computation) == ["request_results_computation", "fail_results_computation"]


def test_a_computation_under_way_refuses_another(django_capture_on_commit_callbacks):
    world = build_world()
    running = ResultComputation.objects.create(
        cycle=world.cycle, requested_by=world.official, status=ComputationStatus.RUNNING
    )
    started = timezone.now() - timedelta(minutes=14)
    ResultComputation.objects.filter(pk=running.pk).update(created_at=started)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        request_computation(cycle=world.cycle, by=world.official, accept_partial=False)
    at = timezone.localtime(started).strftime("%Y-%m-%d %H:%M")
    assert refused.value.messages == [
        f"本届已有一次结果计算正在进行（王处长 于 {at} 发起），请等待其完成后再计算。"
    ]
    assert callbacks == []
    assert list(ResultComputation.objects.values_list("pk", "status")) == [(running.pk, "running")]


def test_a_computation_of_another_cycle_does_not_block(django_capture_on_commit_callbacks):
    world = build_world()
    other = build_world(names=())
    ResultComputation.objects.create(cycle=other.cycle, requested_by=other.official)
    with django_capture_on_commit_callbacks(execute=True):
        computation = request_computation(
            cycle=world.cycle, by=world.official, accept_partial=False
        )
    assert state(computation)[0] == "done"


def test_a_stale_computation_is_marked_failed_and_replaced(django_capture_on_commit_callbacks):
    world = build_world()
    stale = ResultComputation.objects.create(cycle=world.cycle, requested_by=world.official)
    ResultComputation.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = request_computation(cycle=world.cycle, by=world.official, accept_partial=False)
    assert state(stale) == ("failed", "queued", 0, None, ["计算超过 15 分钟仍未完成，已视为中断。"])
    assert stale.finished_at is not None
    assert state(fresh) == ("done", "finished", 100, ResultSnapshot.objects.get().pk, [])
    assert audited(stale) == ["abandon_results_computation"]

    # Should the stale computation's task start after all, it does nothing.
    assert run_computation(computation=stale).status == "failed"
    assert ResultSnapshot.objects.count() == 1


class RowWrites:
    """(status, step, progress) of a computation after every UPDATE of its table, in order.

    A Django database execute wrapper: it observes the queries the service sends, without
    replacing any of our code.
    """

    def __init__(self, computation):
        self.computation, self.states, self.reading = computation, [], False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.reading and sql.startswith('UPDATE "scoring_resultcomputation"'):
            self.reading = True
            try:
                self.states.append(
                    ResultComputation.objects.filter(pk=self.computation.pk)
                    .values_list("status", "step", "progress")
                    .get()
                )
            finally:
                self.reading = False
        return result


def test_progress_is_written_to_the_row_step_by_step_in_order():
    world = build_world()
    computation = ResultComputation.objects.create(cycle=world.cycle, requested_by=world.official)
    writes = RowWrites(computation)
    with connection.execute_wrapper(writes):
        run_computation(computation=computation)
    # (the first write is the start, the last the end; the service reports the steps between)
    assert writes.states == [
        ("running", "loading", 0),
        ("running", "loading", 5),
        ("running", "computing", 40),
        ("running", "robustness", 60),
        ("running", "storing", 85),
        ("done", "finished", 100),
    ]


def test_the_progress_callback_keeps_values_in_range_and_skips_repeats():
    world = build_world(names=())
    computation = ResultComputation.objects.create(
        cycle=world.cycle, requested_by=world.official, status=ComputationStatus.RUNNING
    )
    progress = progress_writer(computation)
    seen = []
    for step, percent in (
        ("loading", 5),
        ("computing", 40),
        ("not-a-step", 150),
        ("robustness", -3),
        ("storing", 90),
    ):
        progress(step, percent)
        seen.append(state(computation)[1:3])
    assert seen == [
        ("loading", 5),
        ("computing", 40),
        ("computing", 100),
        ("robustness", 0),
        ("storing", 90),
    ]


def test_an_unexpected_error_fails_the_computation_and_is_raised_again():
    world = build_world()
    computation = ResultComputation.objects.create(cycle=world.cycle, requested_by=world.official)

    def broken_disk(sender, **kwargs):
        raise OSError("disk full")

    pre_save.connect(broken_disk, sender=ResultSnapshot)
    try:
        with pytest.raises(OSError, match="disk full"):
            run_computation(computation=computation)
    finally:
        pre_save.disconnect(broken_disk, sender=ResultSnapshot)
    status, _step, _progress, snapshot, errors = state(computation)
    assert (status, snapshot, errors) == (
        "failed",
        None,
        ["计算意外中断（OSError），请稍后重试；如仍失败，请联系系统管理员。"],
    )
    assert computation.finished_at is not None
    assert (ResultSnapshot.objects.count(), ResultEntry.objects.count()) == (0, 0)
    assert audited(computation) == ["fail_results_computation"]


def test_the_task_runs_the_computation_and_reports_an_unexpected_error_as_failed():
    world = build_world()
    done = ResultComputation.objects.create(cycle=world.cycle, requested_by=world.official)
    result = compute_results_task.enqueue(done.pk)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, "done")

    broken = ResultComputation.objects.create(cycle=world.cycle, requested_by=world.official)

    def broken_disk(sender, **kwargs):
        raise OSError("disk full")

    pre_save.connect(broken_disk, sender=ResultSnapshot)
    try:
        result = compute_results_task.enqueue(broken.pk)
    finally:
        pre_save.disconnect(broken_disk, sender=ResultSnapshot)
    assert result.status == TaskResultStatus.FAILED
    assert [error.exception_class_path for error in result.errors] == ["builtins.OSError"]
    assert state(broken)[0] == "failed"
    assert ResultSnapshot.objects.count() == 1
