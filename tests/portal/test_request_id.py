"""The request id: taken from the proxy when it looks like one, made otherwise, answered in the
response and put on every log record written while the request is handled."""

import logging

from django.http import HttpResponse
from django.test import RequestFactory

from portal.logs import RequestIdFilter, RequestIdMiddleware, current_request_id

logger = logging.getLogger("portal.tests")


def handled(headers: dict[str, str]) -> tuple[HttpResponse, list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    keep = Keep()
    keep.addFilter(RequestIdFilter())
    logger.addHandler(keep)

    def view(request):
        logger.warning("inside")
        assert current_request_id() == request.request_id
        return HttpResponse("ok")

    try:
        response = RequestIdMiddleware(view)(RequestFactory().get("/", headers=headers))
        logger.warning("after")
    finally:
        logger.removeHandler(keep)
    return response, records


def test_the_proxy_id_is_kept():
    response, (inside, after) = handled({"X-Request-ID": "a1b2c3d4-proxy.7"})

    assert response["X-Request-ID"] == "a1b2c3d4-proxy.7"
    assert (inside.request_id, after.request_id) == ("a1b2c3d4-proxy.7", None)


def test_an_id_is_made_when_none_or_a_strange_one_is_sent():
    for headers in ({}, {"X-Request-ID": "<script>"}, {"X-Request-ID": "x" * 65}):
        response, (inside, _after) = handled(headers)

        made = response["X-Request-ID"]
        assert len(made) == 32 and int(made, 16) >= 0
        assert inside.request_id == made
    assert current_request_id() is None
