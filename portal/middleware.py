"""Language wiring: Chinese unless the visitor chose another language with the switcher."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
