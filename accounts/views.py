from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's `set_language`, working from a /de/ or /fr/ page too, and remembered for a signed-in person.

    `set_language` translates `next` under the request's language, which is not the
    language of a prefixed page, so /fr/... would stay French; translate it here under
    the page's own language first.
    """
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if language in dict(settings.LANGUAGES) and next_url.startswith("/") and not next_url.startswith("//"):
        with translation.override(get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE):
            data = request.POST.copy()
            data["next"] = translate_url(next_url, language)
            request.POST = data
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return set_language(request)
