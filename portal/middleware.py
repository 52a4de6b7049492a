"""Language wiring (Chinese unless the visitor chose another language with the switcher), the
refusal of malformed input (NUL bytes, forms missing their structure) with a 400 and a message,
and no caching of pages for signed-in users."""

import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but ignores the browser's Accept-Language header.

    Page content is written in Chinese; following an English browser would mix English labels
    into Chinese pages for visitors who never asked for English. The language cookie set by the
    switcher (``set_language``) is honoured.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in items) for key, items in values)


class RejectNulBytesMiddleware:
    """A request whose path, query string or form fields hold a NUL byte answers 400 with a
    message, before any view runs.

    Why here and not in each form: PostgreSQL refuses NUL in text (a 500 wherever such a value
    reaches a query: the site search, a wizard step's draft, a filter), SQLite stores it silently,
    and some input never meets a Django form field (whose own ``ProhibitNullCharactersValidator``
    covers only that field): the wizard saves what was typed even when the form is invalid,
    and views read filters from ``request.GET``. Nobody types a NUL byte, so refusing the whole
    request (nothing is saved) is the one rule that covers every form and every role, Wagtail's
    admin included. Uploaded files are not looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET.lists())
            or (request.method == "POST" and _has_nul(request.POST.lists()))
        ):
            return bad_input(request, _("提交的内容含有空字符（NUL），未作任何保存。"))
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A form posted without a field its structure needs (a formset's ``-id``, a
        StreamField's ``-count``: Wagtail's and Django's formsets read those with
        ``request.POST[...]``) is a bad request, not a server error. No browser sends that; a
        stale or forged form does."""
        if request.method == "POST" and isinstance(exception, MultiValueDictKeyError):
            logger.warning("Form posted without field %s: %s", exception, request.path)
            return bad_input(request, _("提交的表单不完整，未作任何保存。"))
        return None


def bad_input(request, message: str):
    return render(request, "bad_input.html", {"message": message}, status=400)


class PrivateResponsesNotStoredMiddleware:
    """``Cache-Control: no-store`` (and ``private``) on every answer to a signed-in user: their
    pages hold private data (applications, scores, names), which neither a shared cache nor the
    browser's disk may keep. Pages for anonymous visitors (the public CMS pages) keep their own
    caching headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class WagtailAdminScriptsMiddleware:
    """The Content-Security-Policy (``CONTENT_SECURITY_POLICY``, django-csp) forbids inline
    scripts; the portal's own templates have none. Wagtail's admin still writes a few (its date
    and time widgets, inline panels), so under ``/admin/`` inline scripts are allowed and the rest
    of the policy stays. Listed after ``csp.middleware.CSPMiddleware`` so that the mark is on the
    response before that middleware writes the header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
            response._csp_replace = {"script-src": [*directives["script-src"], "'unsafe-inline'"]}
        return response
