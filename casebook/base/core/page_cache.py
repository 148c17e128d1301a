"""Whole responses of anonymous GETs, kept under the content version: a warm public page costs the
version's read (one query) and sending the bytes.

What a public page shows changes only when the content version does (any publish, unpublish, move,
restriction or taxonomy change, from any process; casebook/base/core/cache.py), so a response rendered for
an anonymous visitor is the same for the next one until then. Kept by host, scheme, path, the query string
(its parameters sorted) and the content version, in this process's memory tier and the shared cache.

Never kept, never served: anything but GET/HEAD; a request with a session or messages cookie (a logged-in
editor, a flash message to show); the admin, documents (their privacy is checked per request), alerts
(token pages); a response that is not 200, streams, sets a cookie, is marked private or no-store, or used
the CSRF token (a form that posts: the token is the visitor's own). With read replicas configured it is
off, so a lagging replica's page is never kept under the new version."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from casebook.base.core.cache import cache_key, content_version
from casebook.base.core.cache_backends import local_tier

TIMEOUT = 60 * 60
PRIVATE_COOKIES = ("sessionid", "messages")
# The API answers cross-origin requests by their Origin header (its CORS middleware): not one page for all.
NEVER_PREFIXES = ("/documents/", "/alerts/", "/api/", "/healthz", "/readyz")


def _wanted(request) -> bool:
    if not settings.CASEBOOK_PAGE_CACHE or request.method not in ("GET", "HEAD") or len(settings.DATABASES) > 1:
        return False
    if any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, *PRIVATE_COOKIES)):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path_info
    return not path.startswith((settings.CASEBOOK_ADMIN_PREFIX, *NEVER_PREFIXES))


def _key(request) -> str:
    query = sorted((key, value) for key, values in request.GET.lists() for value in values)
    return cache_key("page", (request.scheme, request.get_host(), request.path_info, query), content_version())


def _keepable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    if request.META.get("CSRF_COOKIE_USED"):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _wanted(request):
            return self.get_response(request)
        key = _key(request)
        stored = local_tier().get(key)
        if stored is None:
            try:
                stored = cache.get(key)
            except Exception:  # the cache only speeds things up
                stored = None
        if stored is not None:
            return _rebuilt(stored)
        response = self.get_response(request)
        if request.method == "GET" and _keepable(request, response):
            stored = (response.content, list(response.items()))
            local_tier().set(key, stored, TIMEOUT)
            try:
                cache.set(key, stored, TIMEOUT)
            except Exception:
                pass
        return response


def _rebuilt(stored) -> HttpResponse:
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        if name.lower() != "content-length":
            response[name] = value
    return response
