"""Oversized requests are refused from their Content-Length, before the body is read."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TOO_LARGE = "一次提交的内容不能超过 22 MB，本次提交未被接收。请压缩或拆分文件后重新上传。"


def test_the_limits():
    assert settings.PORTAL_MAX_REQUEST_BYTES == settings.AWARDS_MAX_ATTACHMENT_BYTES + 2 * 2**20
    assert settings.PORTAL_MAX_REQUEST_BYTES == 22 * 2**20
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


def _declared(client, url, size, **extra):
    """A POST whose header declares ``size`` bytes but whose body is ten: reading the body
    would fail, so a 413 shows that it was refused before anything read it."""
    return client.generic(
        "POST",
        url,
        b"0123456789",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(size),
        **extra,
    )


@pytest.mark.parametrize("url", ["/accounts/login/", "/portal/", "/admin/login/", "/luyu/notice/"])
def test_an_oversized_request_gets_413_with_a_clear_message(client, url):
    response = _declared(client, url, settings.PORTAL_MAX_REQUEST_BYTES + 1)
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()


def test_the_message_is_english_for_english_visitors(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _declared(client, "/portal/", 10**9)
    assert response.status_code == 413
    assert (
        "One request may carry at most 22 MB; this one was not accepted. "
        "Please compress or split the file and upload it again."
    ) in response.content.decode()


def test_exactly_the_limit_passes_the_size_check(client):
    limit = settings.PORTAL_MAX_REQUEST_BYTES
    # A GET does not read its body, so the declared size alone decides.
    assert client.get("/accounts/login/", CONTENT_LENGTH=str(limit)).status_code == 200
    assert client.get("/accounts/login/", CONTENT_LENGTH=str(limit + 1)).status_code == 413
    assert client.get("/accounts/login/", CONTENT_LENGTH="nonsense").status_code == 200
