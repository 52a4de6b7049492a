"""The deployment block of the settings, as the environment drives it (fresh interpreters)."""

import json

import pytest

from tests.portal.test_settings import run_manage

#: Fresh interpreters with a given environment; no clock is read.
pytestmark = [pytest.mark.clock_free, pytest.mark.database_free]

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portal.example.org",
    "PORTAL_BASE_URL": "https://portal.example.org",
    "DATABASE_URL": "postgres://portal@db.invalid:5432/portal",  # never connected to here
    "DJANGO_TASKS_BACKEND": "database",
    "CERTIFICATE_SIGNING_KEY": "c" * 50,
}
S3 = {
    "PORTAL_S3_ENDPOINT_URL": "http://minio:9000",
    "PORTAL_S3_BUCKET": "portal-media",
    "PORTAL_S3_PRIVATE_BUCKET": "portal-private",
    "PORTAL_S3_ACCESS_KEY_ID": "portal",
    "PORTAL_S3_SECRET_ACCESS_KEY": "portal-secret",
}


def test_production_logs_are_json_lines_on_stdout():
    code = "import logging; logging.getLogger('awards.x').warning('证书已生成 %s', 3)"

    result = run_manage("shell", "--no-imports", "-c", code, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    entry = json.loads(line)
    assert {key: entry[key] for key in ("level", "logger", "message", "request_id")} == {
        "level": "WARNING",
        "logger": "awards.x",
        "message": "证书已生成 3",
        "request_id": None,  # outside a request
    }
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}


def test_development_logs_stay_plain_text():
    code = "import logging; logging.getLogger('awards.x').warning('plain')"

    result = run_manage("shell", "--no-imports", "-c", code)

    assert result.returncode == 0
    assert result.stderr.strip() == "plain"
    assert result.stdout == ""


def storages_as_seen(**env: str) -> dict:
    code = (
        "import json; from django.conf import settings as s; from django.core.files.storage import "
        "storages; p = storages['private']; d = storages['default']; "
        "print(json.dumps({'backends': {k: v['BACKEND'] for k, v in s.STORAGES.items()}, "
        "'buckets': [getattr(d, 'bucket_name', None), getattr(p, 'bucket_name', None)], "
        "'endpoint': getattr(p, 'endpoint_url', None), "
        "'middleware': [m for m in s.MIDDLEWARE if m.startswith(('whitenoise', 'portal.logs'))]}))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_object_storage_is_chosen_by_the_environment():
    seen = storages_as_seen(**PRODUCTION, **S3, DJANGO_STATIC_MANIFEST="true")

    assert seen == {
        "backends": {
            "default": "storages.backends.s3.S3Storage",
            "private": "portal.storage.PrivateS3Storage",
            "staticfiles": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        },
        "buckets": ["portal-media", "portal-private"],
        "endpoint": "http://minio:9000",
        "middleware": [
            "portal.logs.RequestIdMiddleware",
            "whitenoise.middleware.WhiteNoiseMiddleware",
        ],
    }


def test_local_disk_is_the_default():
    seen = storages_as_seen()

    assert seen == {
        "backends": {
            "default": "django.core.files.storage.FileSystemStorage",
            "private": "django.core.files.storage.FileSystemStorage",
            "staticfiles": "django.contrib.staticfiles.storage.StaticFilesStorage",
        },
        "buckets": [None, None],
        "endpoint": None,
        "middleware": [],
    }


def test_the_private_bucket_has_no_url():
    code = (
        "from django.core.files.storage import storages\n"
        "try:\n    storages['private'].url('applications/1/pdf/a.pdf')\n"
        "except NotImplementedError as error:\n    print('refused:', error)\n"
        "print(storages['default'].url('images/a.png').split('?')[0])"
    )

    result = run_manage(
        "shell", "--no-imports", "-c", code, **S3, PORTAL_S3_MEDIA_URL="https://media.example.org/m"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "refused: Private files have no URL: serve them through awards/views/downloads.py.",
        "https://media.example.org/m/images/a.png",
    ]
