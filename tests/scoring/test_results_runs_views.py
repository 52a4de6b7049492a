"""The cycle page's background computation: the POST, the progress block and its JSON."""

import re

import pytest
from django.tasks import task_backends
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from scoring.results.models import ResultComputation, ResultSnapshot
from scoring.results.services.tasks import compute_results_task
from tests.factories import ApplicantFactory, AuthorityFactory, OfficialFactory, ReviewerFactory
from tests.scoring.results_world import build_world

pytestmark = pytest.mark.django_db

QUEUEING_BACKEND = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def block_text(response) -> str:
    """The progress block's text, tags dropped and white space collapsed ("" without one)."""
    found = re.search(
        r"<section[^>]*data-computation[^>]*>(.*?)</section>", response.content.decode(), re.S
    )
    if found is None:
        return ""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def requested_at(computation) -> str:
    return timezone.localtime(computation.created_at).strftime("%Y-%m-%d %H:%M")


def urls(world) -> tuple[str, str]:
    return (
        reverse("cycle_results:cycle", args=[world.cycle.pk]),
        reverse("cycle_results:progress", args=[world.cycle.pk]),
    )


# pytest-django wraps ordinary tests in a transaction, so on-commit callbacks would wait until
# after the response; only a transactional test sees the immediate backend run during the POST.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_immediate_backend_the_post_lands_on_the_new_ranking(client):
    world = build_world()
    client.force_login(world.official)
    cycle_url, progress_url = urls(world)

    response = client.post(cycle_url, {}, follow=True)

    snapshot = ResultSnapshot.objects.get()
    computation = ResultComputation.objects.get()
    assert response.redirect_chain == [(reverse("cycle_results:ranking", args=[snapshot.pk]), 302)]
    assert messages_of(response) == ["已计算第 1 版评审结果，请核对后批准。"]
    assert (computation.status, computation.snapshot_id) == ("done", snapshot.pk)
    page = client.get(cycle_url)
    assert block_text(page) == (
        f"最近一次计算 {requested_at(computation)} 由 王处长 发起。 "
        "状态： 已完成 ； 当前步骤： 结束 ； 进度： 100% 查看第 1 版排名"
    )
    assert (
        f'<a class="button button-secondary" href="/admin/cycle-results/snapshots/{snapshot.pk}/"'
        " data-computation-result>"
    ) in page.content.decode()
    assert client.get(progress_url).json() == {
        "started": True,
        "status": "done",
        "status_label": "已完成",
        "step": "finished",
        "step_label": "结束",
        "percent": 100,
        "finished": True,
        "failed": False,
        "errors": [],
        "version": 1,
        "ranking_url": f"/admin/cycle-results/snapshots/{snapshot.pk}/",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_immediate_backend_a_failed_computation_shows_why(client):
    world = build_world(names=())  # nothing scored yet
    client.force_login(world.official)
    cycle_url, progress_url = urls(world)

    response = client.post(cycle_url, {}, follow=True)

    computation = ResultComputation.objects.get()
    assert response.redirect_chain == [(cycle_url, 302)]
    assert messages_of(response) == ["评审结果计算失败，原因见下方。"]
    assert block_text(response) == (
        f"最近一次计算 {requested_at(computation)} 由 王处长 发起。 "
        f"状态： 失败 ； 当前步骤： {FAILED_AT[1]} ； 进度： {FAILED_AT[2]}% "
        "计算失败： 本届还没有已提交的评分，无法计算结果。"
    )
    assert client.get(progress_url).json() == {
        "started": True,
        "status": "failed",
        "status_label": "失败",
        "step": FAILED_AT[0],
        "step_label": FAILED_AT[1],
        "percent": FAILED_AT[2],
        "finished": True,
        "failed": True,
        "errors": ["本届还没有已提交的评分，无法计算结果。"],
        "version": None,
        "ranking_url": None,
    }
    assert ResultSnapshot.objects.count() == 0


#: Where a computation without any score stops: (step, its label, percent).
FAILED_AT = ("loading", "读取评分", 5)


@override_settings(TASKS=QUEUEING_BACKEND)
def test_with_a_queueing_backend_the_page_shows_the_computation_waiting(
    client, django_capture_on_commit_callbacks
):
    world = build_world()
    client.force_login(world.official)
    cycle_url, progress_url = urls(world)
    assert client.get(progress_url).json() == {
        "started": False,
        "status": "",
        "status_label": "",
        "step": "",
        "step_label": "",
        "percent": 0,
        "finished": True,
        "failed": False,
        "errors": [],
        "version": None,
        "ranking_url": None,
    }
    assert block_text(client.get(cycle_url)) == ""

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cycle_url, {})

    computation = ResultComputation.objects.get()
    assert (response.status_code, response["Location"]) == (302, cycle_url)
    queued = task_backends["default"].results  # Wagtail queues its own tasks there too
    assert [
        (r.task.name, list(r.args)) for r in queued if r.task.module_path.startswith("scoring.")
    ] == [("compute_results_task", [computation.pk])]
    page = client.get(cycle_url)
    html = page.content.decode()
    assert messages_of(page) == ["已开始计算评审结果，进度见下方。"]
    assert block_text(page) == (
        f"最近一次计算 {requested_at(computation)} 由 王处长 发起。 "
        "状态： 排队中 ； 当前步骤： 等待开始 ； 进度： 0% 刷新"
    )
    assert f'data-progress-url="{progress_url}"' in html
    assert 'data-finished="false"' in html
    assert f'<a href="{cycle_url}" data-refresh>刷新</a>' in html
    assert '<button type="submit" class="button" disabled>计算评审结果</button>' in html
    assert '<script src="/static/js/progress.js" defer></script>' in html
    assert client.get(progress_url).json() == {
        "started": True,
        "status": "queued",
        "status_label": "排队中",
        "step": "queued",
        "step_label": "等待开始",
        "percent": 0,
        "finished": False,
        "failed": False,
        "errors": [],
        "version": None,
        "ranking_url": None,
    }
    assert client.get(progress_url)["Cache-Control"] == (
        "no-store, max-age=0, no-cache, must-revalidate, private"
    )

    refused = client.post(cycle_url, {})
    assert refused.status_code == 200
    assert messages_of(refused) == [
        f"本届已有一次结果计算正在进行（王处长 于 {requested_at(computation)} 发起），"
        "请等待其完成后再计算。"
    ]
    assert ResultComputation.objects.count() == 1

    assert compute_results_task.call(computation.pk) == "done"  # what a worker would do
    snapshot = ResultSnapshot.objects.get()
    assert client.get(progress_url).json() == {
        "started": True,
        "status": "done",
        "status_label": "已完成",
        "step": "finished",
        "step_label": "结束",
        "percent": 100,
        "finished": True,
        "failed": False,
        "errors": [],
        "version": 1,
        "ranking_url": f"/admin/cycle-results/snapshots/{snapshot.pk}/",
    }
    page = client.get(cycle_url)
    assert block_text(page).endswith(
        "状态： 已完成 ； 当前步骤： 结束 ； 进度： 100% 查看第 1 版排名"
    )
    assert 'data-finished="true"' in page.content.decode()
    assert '<button type="submit" class="button">计算评审结果</button>' in page.content.decode()


def test_only_officials_of_the_cycles_authority_reach_the_computation(client):
    world = build_world()
    computation = ResultComputation.objects.create(cycle=world.cycle, requested_by=world.official)
    cycle_url, progress_url = urls(world)
    authority = world.cycle.programme.authority
    people = {
        "anonymous": None,
        "applicant": ApplicantFactory(),
        "reviewer": ReviewerFactory(authority=authority),
        "other_official": OfficialFactory(authority=AuthorityFactory(name="江西省人民政府")),
        "official": world.official,
    }
    observed = {}
    for role, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        observed[role] = (
            client.get(progress_url).status_code,
            client.get(cycle_url).status_code,
            client.post(cycle_url, {"accept_partial": "on"}).status_code,
            client.post(progress_url).status_code,
        )
    assert observed == {
        "anonymous": (302, 302, 302, 302),
        "applicant": (302, 302, 302, 302),
        "reviewer": (302, 302, 302, 302),
        "other_official": (404, 404, 404, 404),
        "official": (200, 200, 200, 405),
    }
    assert list(ResultComputation.objects.values_list("pk", "status")) == [
        (computation.pk, "queued")
    ]
