"""``/healthz``: 200 with every check named when the database and both stores answer, 503 naming
what failed otherwise, and never a detail an anonymous caller should not read."""

import json
import logging

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db

ALL_OK = {
    "status": "ok",
    "checks": {"database": "ok", "storage:default": "ok", "storage:private": "ok"},
}


def test_everything_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content) == ALL_OK


def test_only_get_is_answered(client):
    assert client.post("/healthz").status_code == 405


def test_an_unusable_private_store_is_named(client, settings, tmp_path, caplog):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "private"},
        },
    }

    with caplog.at_level(logging.ERROR, logger="portal.health"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "failed",
        "checks": {"database": "ok", "storage:default": "ok", "storage:private": "failed"},
        "failed": ["storage:private"],
    }
    # The cause goes to the operators' log, never into the answer.
    assert str(tmp_path) not in response.content.decode()
    (entry,) = [record for record in caplog.records if record.name == "portal.health"]
    assert (entry.message, entry.check) == ("health check failed", "storage:private")
    assert entry.exc_info[0] in (NotADirectoryError, FileExistsError)


def test_a_database_that_does_not_answer_is_named(client, monkeypatch):
    def refuse(self, sql, params=None):
        raise OperationalError("connection to server at 10.0.0.5 failed: secret")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {
        "status": "failed",
        "checks": {"database": "failed", "storage:default": "ok", "storage:private": "ok"},
        "failed": ["database"],
    }
    assert "10.0.0.5" not in response.content.decode()


def test_unapplied_migrations_fail_the_database_check(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [object()])

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["failed"] == ["database"]
