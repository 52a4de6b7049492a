"""With ``DJANGO_TASKS_BACKEND=database`` work waits in the database for ``manage.py db_worker``.

The demo and most tests run tasks in-process (the immediate backend); production runs a worker.
These tests use the real database backend and the real worker command, in the same database.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from scoring.results.models import (
    ComputationStatus,
    ComputationStep,
    ResultComputation,
    ResultEntry,
)
from tests.scoring.results_world import build_world

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_results_computation_waits_for_the_worker_then_completes(client):
    world = build_world()
    client.force_login(world.official)
    cycle_url = reverse("cycle_results:cycle", args=[world.cycle.pk])

    response = client.post(cycle_url, {})

    assert response.status_code == 302 and response["Location"] == cycle_url
    computation = ResultComputation.objects.get()
    assert (computation.status, computation.step, computation.progress) == (
        ComputationStatus.QUEUED,
        ComputationStep.QUEUED,
        0,
    )
    # (Wagtail queues its reference index updates here too, when pages are saved.)
    task = DBTaskResult.objects.get(task_path="scoring.results.services.tasks.compute_results_task")
    assert (task.status, task.args_kwargs["args"]) == ("READY", [computation.pk])
    progress = client.get(reverse("cycle_results:progress", args=[world.cycle.pk])).json()
    assert (progress["status"], progress["finished"]) == ("queued", False)

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    computation.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert (computation.status, computation.step, computation.progress) == (
        ComputationStatus.DONE,
        ComputationStep.FINISHED,
        100,
    )
    assert computation.snapshot.version == 1
    assert ResultEntry.objects.filter(snapshot=computation.snapshot).count() == 3
    progress = client.get(reverse("cycle_results:progress", args=[world.cycle.pk])).json()
    assert (progress["status"], progress["finished"], progress["version"]) == ("done", True, 1)


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_backend_is_chosen_by_name(monkeypatch):
    import importlib

    import portal.settings

    monkeypatch.setenv("DJANGO_TASKS_BACKEND", "database")
    assert importlib.reload(portal.settings).TASKS == DATABASE_TASKS
    monkeypatch.setenv("DJANGO_TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")
    assert importlib.reload(portal.settings).TASKS == {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    monkeypatch.delenv("DJANGO_TASKS_BACKEND")
    assert importlib.reload(portal.settings).TASKS == {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
