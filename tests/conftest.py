import pytest
from django.utils import translation

TEST_PASSWORD = "pass-12345-word"


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Every test starts in the default language: a request handled in English (the language
    switcher) would otherwise leave English active in the thread for the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
