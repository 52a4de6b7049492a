"""Each production check fires on its own (``DJANGO_DEBUG=false``) and stays quiet in development;
``tests/portal/test_settings.py`` runs them from the environment in a fresh interpreter."""

import pytest

from awards.checks import check_production_configuration

GOOD = {
    "DEBUG": False,
    "PORTAL_BASE_URL": "https://award.example.gov.cn",
    "ENGINE": "django.db.backends.postgresql",
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    "CERTIFICATE_SIGNING_KEY": "k" * 50,
}


@pytest.fixture
def ids(settings, monkeypatch):
    """The ids of the errors under GOOD settings changed by ``changes`` (``ENGINE``: the default
    database's engine, not overridden in the settings themselves: Django warns about that)."""

    def run(**changes) -> list[str]:
        values = {**GOOD, **changes}
        engine = values.pop("ENGINE")
        monkeypatch.setattr("awards.checks.database_engine", lambda: engine)
        for name, value in values.items():
            setattr(settings, name, value)
        return [error.id for error in check_production_configuration()]

    return run


def test_a_correct_production_configuration_passes(ids):
    assert ids() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"PORTAL_BASE_URL": ""}, ["awards.E101"]),
        ({"PORTAL_BASE_URL": "http://award.example.gov.cn"}, ["awards.E101"]),
        ({"PORTAL_BASE_URL": "award.example.gov.cn"}, ["awards.E101"]),
        ({"ENGINE": "django.db.backends.sqlite3"}, ["awards.E102"]),
        (
            {"TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}},
            ["awards.E103"],
        ),
        ({"CERTIFICATE_SIGNING_KEY": ""}, ["awards.E104"]),
    ],
)
def test_each_check_fires(ids, changes, expected):
    assert ids(**changes) == expected


def test_development_is_not_checked(ids):
    assert ids(DEBUG=True, PORTAL_BASE_URL="", CERTIFICATE_SIGNING_KEY="") == []
