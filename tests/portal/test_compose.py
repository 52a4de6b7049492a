"""compose.yaml and the Dockerfile: valid, and running exactly the commands that
tests/portal/test_deployment.py runs (two web processes, the worker, the migration)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.portal.test_deployment import MIGRATE_COMMAND, WEB_COMMAND, WORKER_COMMAND

ROOT = Path(__file__).resolve().parents[2]
#: The services built from the portal's image, and what each runs.
PORTAL_COMMANDS = {"migrate": MIGRATE_COMMAND, "web": WEB_COMMAND, "worker": WORKER_COMMAND}
REQUIRED = {
    "DJANGO_SECRET_KEY": "s" * 50,
    "CERTIFICATE_SIGNING_KEY": "c" * 50,
    "PORTAL_HOST": "awards.example.gov.cn",
    "POSTGRES_PASSWORD": "db-secret",
    "MINIO_ROOT_PASSWORD": "store-secret",
}


def portal_services(config: dict) -> dict[str, dict]:
    return {
        name: service
        for name, service in config["services"].items()
        if service.get("image") == "award-portal:latest"
    }


def check(config: dict) -> None:
    assert set(config["services"]) == {"db", "minio", "buckets", "migrate", "web", "worker"}
    services = portal_services(config)
    assert {name: service["command"] for name, service in services.items()} == PORTAL_COMMANDS
    for service in services.values():
        environment = service["environment"]
        assert environment["DJANGO_DEBUG"] == "false"
        assert environment["DJANGO_TASKS_BACKEND"] == "database"
        assert environment["PORTAL_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert (environment["PORTAL_S3_BUCKET"], environment["PORTAL_S3_PRIVATE_BUCKET"]) == (
            "portal-media",
            "portal-private",
        )
        assert "build" in service
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "buckets": {"condition": "service_completed_successfully"},
    }
    assert services["worker"]["depends_on"] == services["web"]["depends_on"]


def test_the_compose_file_runs_the_tested_commands():
    check(yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8")))


def test_the_image_starts_the_web_service_and_runs_as_a_user():
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    (cmd,) = [line for line in lines if line.startswith("CMD ")]
    assert json.loads(cmd.removeprefix("CMD ")) == WEB_COMMAND
    (user,) = [line for line in lines if line.startswith("USER ")]
    assert user == "USER portal"
    text = "\n".join(lines)
    assert "uv sync --frozen --no-dev" in text
    assert "fonts-noto-cjk libharfbuzz-subset0" in text
    assert "python manage.py collectstatic --noinput" in text


def compose_cli() -> list[str] | None:
    """``docker compose`` (v2 plugin) when it answers, else ``docker-compose`` (v1), else None."""
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_accepts_the_file():
    cli = compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in REQUIRED
        and not key.startswith(("DJANGO_", "PORTAL_", "MINIO_", "CERTIFICATE_"))
    }

    result = subprocess.run(
        [*cli, "-f", "compose.yaml", "config"],
        cwd=ROOT,
        env={**environment, **REQUIRED},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    check(resolved)
    web = resolved["services"]["web"]["environment"]
    assert web["DATABASE_URL"] == "postgres://portal:db-secret@db:5432/portal"
    assert web["ALLOWED_HOSTS"] == "awards.example.gov.cn,localhost"
    assert str(web["GUNICORN_WORKERS"]) == "3"


def test_docker_compose_refuses_a_missing_secret():
    cli = compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    environment = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    partial = {key: value for key, value in REQUIRED.items() if key != "DJANGO_SECRET_KEY"}

    result = subprocess.run(
        [*cli, "-f", "compose.yaml", "config"],
        cwd=ROOT,
        env={**environment, **partial},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "set DJANGO_SECRET_KEY" in result.stderr
