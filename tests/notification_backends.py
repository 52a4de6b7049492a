"""An e-mail backend that fails a set number of times before it delivers (Django's backend
interface, standing in for an SMTP server that is down)."""

from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend


class FlakyEmailBackend(BaseEmailBackend):
    failures_left = 0

    def send_messages(self, messages):
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise ConnectionRefusedError("SMTP server unavailable")
        from django.core import mail

        mail.outbox.extend(messages)
        return len(messages)


__all__ = ["FlakyEmailBackend", "mailers"]
