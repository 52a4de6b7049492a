"""The settings module as the environment drives it, checked in fresh interpreters."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

#: Fresh interpreters with a given environment; no clock is read.
pytestmark = [pytest.mark.clock_free, pytest.mark.database_free]

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "ALLOWED_HOSTS"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_as_seen(**env: str) -> dict:
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
        "'name': str(s.DATABASES['default']['NAME']), 'hosts': s.ALLOWED_HOSTS, "
        "'tasks': s.TASKS['default']['BACKEND'], 'mail': s.MAILERS['default']['BACKEND'], "
        "'ssl': getattr(s, 'SECURE_SSL_REDIRECT', False)}))"
    )
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_are_for_development():
    seen = settings_as_seen()
    assert seen == {
        "debug": True,
        "engine": "django.db.backends.sqlite3",
        "name": str(ROOT / "db.sqlite3"),
        "hosts": ["127.0.0.1", "localhost", "testserver"],
        "tasks": "django.tasks.backends.immediate.ImmediateBackend",
        "mail": "django.core.mail.backends.console.EmailBackend",
        "ssl": False,
    }


def test_database_url_selects_postgresql():
    seen = settings_as_seen(DATABASE_URL="postgres://portal@db.internal:5432/awards")
    assert (seen["engine"], seen["name"]) == ("django.db.backends.postgresql", "awards")


def production_environment(**overrides: str) -> dict[str, str]:
    """Every variable a correct production deployment sets (README, "Environment")."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "award.example.gov.cn",
        "PORTAL_BASE_URL": "https://award.example.gov.cn",
        "DATABASE_URL": "postgres://portal@db.internal:5432/awards",
        "DJANGO_TASKS_BACKEND": "database",
        "CERTIFICATE_SIGNING_KEY": secrets.token_urlsafe(50),
        **overrides,
    }


def test_production_profile_passes_check_deploy_without_any_issue():
    result = run_manage("check", "--deploy", **production_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_without_its_variables_fails_the_checks():
    """No base URL, no database URL (SQLite), tasks inside the request, no certificate key."""
    result = run_manage(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="award.example.gov.cn",
    )
    assert result.returncode == 1
    found = sorted(set(re.findall(r"\(awards\.E1\d\d\)", result.stderr)))
    assert found == ["(awards.E101)", "(awards.E102)", "(awards.E103)", "(awards.E104)"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false", ALLOWED_HOSTS="award.example.gov.cn")
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false." in result.stderr


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert "django.contrib.postgres" in settings.INSTALLED_APPS


def test_every_environment_variable_is_in_the_readme_table():
    source = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z0-9_]+)"', source))
    documented = set()
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        names = re.findall(r"`([A-Z0-9_]+)`", line.split("|")[1])
        prefix = names[0].rsplit("_", 1)[0] if names else ""
        documented |= {prefix + name if name.startswith("_") else name for name in names}
    assert len(read) > 20
    assert read - documented == set()
