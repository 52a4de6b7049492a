"""The portal on several machines: two web processes, one worker, one database, one object store.

Runs what ``compose.yaml`` runs, with the same commands and the production settings
(``DJANGO_DEBUG=false``, ``DJANGO_TASKS_BACKEND=database``, objects in S3): an S3-compatible
server (moto's ``moto_server``) on a free loopback port, two gunicorn processes on two more
ports, both on this test's PostgreSQL database, and ``manage.py db_worker``. An applicant signs in
and uploads evidence through web process A and downloads the same bytes through B; a certificate
batch queued by an official is printed by the worker into the object store and served by both;
when the store stops, ``/healthz`` of both answers 503 naming the stores.

PostgreSQL only (SQLite's file cannot be shared like this). The figures (ports, bytes, seconds)
are printed; see them with ``-s``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import override_settings

from awards.models import Attachment
from scoring.certificates.models import Certificate
from scoring.certificates.services.issuing import issue_certificates
from tests.factories import OfficialFactory, pdf_bytes, started_application, step_url
from tests.scoring.certificate_world import announced, application_of, award_for, luyu_cycle

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

#: The commands of compose.yaml's services built from the portal's image, exactly
#: (tests/portal/test_compose.py checks the file against these).
MIGRATE_COMMAND = ["python", "manage.py", "migrate", "--noinput"]
WEB_COMMAND = ["gunicorn", "portal.wsgi", "--config", "deploy/gunicorn.conf.py"]
WORKER_COMMAND = ["python", "manage.py", "db_worker"]

MEDIA_BUCKET, PRIVATE_BUCKET = "portal-media", "portal-private"
PASSWORD = "Deploy-Test-2026"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

pytestmark = [
    pytest.mark.deployment,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def local(command: list[str]) -> list[str]:
    """A compose command as run here: ``python`` and console scripts from this environment."""
    program, *arguments = command
    return [sys.executable if program == "python" else str(BIN / program), *arguments]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, *, seconds: float, what: str, processes=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process, log in processes:
            if process.poll() is not None:
                raise AssertionError(f"{what}: process exited\n{Path(log).read_text()[-3000:]}")
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    logs = "\n".join(Path(log).read_text()[-3000:] for _process, log in processes)
    raise AssertionError(f"{what}: not within {seconds} s\n{logs}")


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_environment(endpoint: str, static_root: Path) -> dict[str, str]:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "DATABASE_URL", "ALLOWED_HOSTS", "PORTAL_", "AWS_", "CERTIFICATE_")
        )
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "CERTIFICATE_SIGNING_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # no TLS proxy in front here
        "DATABASE_URL": database_url(),
        "DJANGO_TASKS_BACKEND": "database",
        "DJANGO_STATIC_ROOT": str(static_root),
        "PORTAL_BASE_URL": "https://portal.example.org",
        "PORTAL_S3_ENDPOINT_URL": endpoint,
        "PORTAL_S3_BUCKET": MEDIA_BUCKET,
        "PORTAL_S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "PORTAL_S3_ACCESS_KEY_ID": "portal-test",
        "PORTAL_S3_SECRET_ACCESS_KEY": "portal-test-secret",
        "GUNICORN_BIND": "127.0.0.1:0",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }


class Browser:
    """Just enough of a browser for one signed-in person: cookies by hand (the production
    cookies are ``Secure``, and these requests are plain HTTP on loopback) and CSRF."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        response = requests.request(
            method, url, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return response

    def sign_in(self, base: str, username: str) -> None:
        assert self.request("GET", f"{base}/accounts/login/").status_code == 200
        response = self.request(
            "POST",
            f"{base}/accounts/login/",
            data={"username": username, "password": PASSWORD},
        )
        assert response.status_code == 302, response.text[:2000]
        assert "sessionid" in self.cookies


def with_password(user):
    """Give a test user a password the production hasher (PBKDF2) checks, made cheaply."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "deploysalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("several processes share one database: PostgreSQL only")


def test_two_web_processes_one_worker_one_store(postgres_only, tmp_path):
    import boto3

    started = time.monotonic()
    cpu_before = sum(
        u.ru_utime + u.ru_stime
        for u in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )
    figures: dict[str, object] = {}
    static_root = tmp_path / "static"
    (static_root / "css").mkdir(parents=True)
    shutil.copy(ROOT / "static" / "css" / "pdf" / "base.css", static_root / "css" / "base.css")
    s3_port = free_port()
    endpoint = f"http://127.0.0.1:{s3_port}"
    env = production_environment(endpoint, static_root)

    with ExitStack() as stack:

        def spawn(name: str, command: list[str]) -> tuple[subprocess.Popen, Path]:
            log = tmp_path / f"{name}.log"
            handle = stack.enter_context(open(log, "w"))
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
            )

            def stop():
                if process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()

            stack.callback(stop)
            return process, log

        # Everything starts at once, as compose starts it; the worker waits for work.
        store = spawn("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])
        webs = [spawn(f"web{i}", local(WEB_COMMAND)) for i in (1, 2)]
        migrate = spawn("migrate", local(MIGRATE_COMMAND))
        worker = spawn("worker", local(WORKER_COMMAND))

        # Meanwhile the data, through the ORM (committed: this is a transactional test).
        application, applicant = started_application()
        with_password(applicant)
        cycle = luyu_cycle()
        awarded = application_of(cycle, name="湖北天门纺织机械股份有限公司")
        award = award_for(announced(cycle, [(awarded, "700.00", "质量奖", {})]), awarded)
        official = OfficialFactory(authority=cycle.programme.authority)
        winner = with_password(awarded.organization.members.get())

        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="portal-test",
            aws_secret_access_key="portal-test-secret",
        )

        def store_answers():
            try:
                s3.list_buckets()
            except Exception:  # noqa: BLE001 - not listening yet
                return False
            return True

        wait_for(store_answers, seconds=30, what="moto_server", processes=[store])
        for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
            s3.create_bucket(Bucket=bucket)

        # The one-shot migrate service: nothing left to apply on this database.
        assert migrate[0].wait(timeout=120) == 0, migrate[1].read_text()
        assert "No migrations to apply." in migrate[1].read_text()

        def listening(log: Path):
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
            return int(found.group(1)) if found else None

        ports = [
            wait_for(
                lambda log=log: listening(log), seconds=60, what=log.name, processes=[(web, log)]
            )
            for web, log in webs
        ]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        figures["ports"] = {"s3": s3_port, "web1": ports[0], "web2": ports[1]}
        for base in bases:
            health = requests.get(f"{base}/healthz", timeout=60)
            assert (health.status_code, health.json()["status"]) == (200, "ok")
            assert len(health.headers["X-Request-ID"]) == 32
        figures["web processes ready after s"] = round(time.monotonic() - started, 1)

        # Static files come from the web process itself (WhiteNoise).
        for base in bases:
            css = requests.get(f"{base}/static/css/base.css", timeout=30)
            assert css.status_code == 200
            assert css.content == (static_root / "css" / "base.css").read_bytes()

        # Evidence uploaded through web 1 ...
        browser_a, browser_b = Browser(), Browser()
        browser_a.sign_in(bases[0], applicant.username)
        evidence = pdf_bytes("承诺书 " + secrets.token_hex(2000))
        response = browser_a.request(
            "POST",
            bases[0] + step_url(application, "evidence"),
            data={"draft_version": str(application.version), "action": "save"},
            files={"evidence-file_commitment": ("承诺书.pdf", evidence, "application/pdf")},
        )
        assert response.status_code == 302, response.text[:3000]
        attachment = Attachment.objects.get(application=application)
        stored = s3.get_object(Bucket=PRIVATE_BUCKET, Key=attachment.file.name)["Body"].read()
        assert stored == evidence
        assert not list(tmp_path.glob("**/attachments/*"))

        # ... is downloaded through web 2, in another session, byte for byte.
        browser_b.sign_in(bases[1], applicant.username)
        url = f"/portal/applications/{application.pk}/attachments/{attachment.pk}/"
        download = browser_b.request("GET", bases[1] + url)
        assert download.status_code == 200
        assert download.content == evidence
        assert {"private", "no-store"} <= set(download.headers["Cache-Control"].split(", "))
        figures["evidence bytes"] = len(evidence)
        figures["evidence done after s"] = round(time.monotonic() - started, 1)

        # A certificate batch queued by an official waits for the worker ...
        with override_settings(TASKS=DATABASE_TASKS):
            batch = issue_certificates(cycle=cycle, by=official)
        assert Certificate.objects.get(award=award).pdf.name == ""

        def printed():
            batch.refresh_from_db()
            return batch.finished_at is not None

        wait_for(printed, seconds=90, what="certificate batch", processes=[worker])
        assert (batch.done, batch.total, batch.error) == (1, 1, "")
        certificate = Certificate.objects.get(award=award)
        in_store = s3.get_object(Bucket=PRIVATE_BUCKET, Key=certificate.pdf.name)["Body"].read()
        assert in_store.startswith(b"%PDF-")
        figures["certificate bytes"] = len(in_store)
        figures["certificate printed after s"] = round(time.monotonic() - started, 1)

        # ... and is served by both web processes, the same bytes (one session serves both: the
        # sessions live in the shared database).
        winner_browser = Browser()
        winner_browser.sign_in(bases[0], winner.username)
        for base in bases:
            served = winner_browser.request("GET", f"{base}/portal/awards/{award.pk}/certificate/")
            assert served.status_code == 200
            assert served.content == in_store

        # The store stops: both web processes say so, naming it, and nothing else.
        store[0].terminate()
        store[0].wait(timeout=15)
        down_started = time.monotonic()
        for port, base in zip(ports, bases, strict=True):
            health = requests.get(
                f"{base}/healthz", headers={"X-Request-ID": f"probe-{port}"}, timeout=60
            )
            assert health.status_code == 503
            assert health.json() == {
                "status": "failed",
                "checks": {
                    "database": "ok",
                    "storage:default": "failed",
                    "storage:private": "failed",
                },
                "failed": ["storage:default", "storage:private"],
            }
            assert str(s3_port) not in health.text
        figures["503 answered in s"] = round((time.monotonic() - down_started) / 2, 1)

        # Logs are JSON lines (Django's and gunicorn's).
        log_lines = [line for line in webs[0][1].read_text().splitlines() if line.strip()]
        entries = [json.loads(line) for line in log_lines]
        probe = f"probe-{ports[0]}"
        failures = [entry for entry in entries if entry["logger"] == "portal.health"]
        assert {(entry["check"], entry["request_id"]) for entry in failures} == {
            ("storage:default", probe),
            ("storage:private", probe),
        }
        assert any(
            entry["logger"] == "gunicorn.access" and f"request_id={probe}" in entry["message"]
            for entry in entries
        )

    figures["total s"] = round(time.monotonic() - started, 1)
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    figures["cpu s (test and its processes)"] = round(
        sum(u.ru_utime + u.ru_stime for u in used) - cpu_before, 1
    )
    print("\ndeployment figures:", json.dumps(figures, ensure_ascii=False))
