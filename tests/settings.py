"""Test overrides: fast hashing, local-memory e-mail, throwaway file roots."""

import tempfile
from pathlib import Path

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

_TMP = Path(tempfile.mkdtemp(prefix="award-portal-tests-"))
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
STATIC_ROOT = _TMP / "static"
WAGTAILADMIN_BASE_URL = "http://testserver"
# The suite also runs with the clock in 2029 and 2031, years chinesecalendar does not know:
# notices opened there by unrelated tests count weekends only. The tests of the holiday
# confirmation (tests/home/test_notice_calendar.py) switch this off.
NOTICE_CALENDAR_ASSUME_UNKNOWN_YEARS = True

# django-axes keeps login attempts in the database: each test's rollback (or a live-server test's
# flush) forgets them, so tests that post wrong passwords never lock out another test, and the
# production limits (5 failures, 30 minutes) are what the tests check.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
