"""Text messages through a pluggable backend (``PORTAL_SMS_BACKEND``, a dotted class path).

A backend is any class with ``send(self, *, phone: str, text: str) -> None`` that raises on
failure (any exception: the outbox records it and retries later). The portal ships
``ConsoleSmsBackend`` (prints, the development default) and ``LocmemSmsBackend`` (keeps the
messages in ``outbox``, for tests); a provider's gateway is one more class of that shape.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.utils.module_loading import import_string


class ConsoleSmsBackend:
    def send(self, *, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


class LocmemSmsBackend:
    outbox: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        LocmemSmsBackend.outbox.append((phone, text))


def sms_backend():
    path = getattr(
        settings, "PORTAL_SMS_BACKEND", "awards.services.notifications.sms.ConsoleSmsBackend"
    )
    return import_string(path)()
