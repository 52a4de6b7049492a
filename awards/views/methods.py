"""The 405 check that views make after their 404s, so that the method never leaks whether a
page exists (a decorator such as ``require_POST`` would answer before the object is looked up)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed


def methods(request: HttpRequest, *allowed: str) -> HttpResponse | None:
    """405 naming ``allowed`` for any other method; None to go on."""
    if request.method not in allowed:
        return HttpResponseNotAllowed(allowed)
    return None
