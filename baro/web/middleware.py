"""Vietnamese unless the person chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which would greet an official
whose browser happens to be set to English in English. Baro speaks Vietnamese first: only the
language chosen with the switch (Django's language cookie) changes that on the pages.

The API (everything under /api/, see baro/urls.py) is read by programs, which say what they
read with the standard Accept-Language header rather than a cookie: there the cookie still
wins, then Accept-Language (`en` → English, any other or none → Vietnamese). Either way the
answer names its language in Content-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith(API_PREFIX)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in self.supported:
            language = chosen
        elif is_api:
            # The cookie (not chosen here), then Accept-Language with its q-values, then
            # LANGUAGE_CODE; only the supported languages can come out.
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if is_api:
            patch_vary_headers(response, ("Accept-Language",))
        translation.deactivate()
        return response
