"""Showing a service's refusal (a ``ValidationError``) to the person who asked.

Services refuse with ``ValidationError``: keyed by field (``ValidationError({"reasons": ...})``)
when one input is at fault, or a plain message (or list of messages) when the request as a whole
is refused. Views show that refusal either on the form that was sent or, for a page whose action
has no form worth redisplaying, as error messages on the next page. Both ways live here so that
every page words and places a refusal the same way.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put ``error`` on ``form``: keyed messages on their field, the rest as non-field errors.

    A key the form has no field for (a service names a model field the form does not show, or
    ``__all__``) becomes a non-field error instead of the ``ValueError`` that Django's own
    ``form.add_error(None, error)`` raises for it, so no refusal is ever lost or turned into a
    server error.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def message_validation_error(request: HttpRequest, error: ValidationError) -> None:
    """Every message of ``error``, in order, as an error message shown on the next page."""
    for message in error.messages:
        messages.error(request, message)
