"""The site's own address and the secrets of messages that leave it: the one place that knows the base
of every absolute link (CASEBOOK_BASE_URL; without it, the address the current request came to), the
admin's, how an unguessable token is made and how an address is counted without being kept."""

import hashlib
import hmac
import secrets
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings

_current_request = ContextVar("casebook_current_request", default=None)


class CurrentRequestMiddleware:
    """Remembers the request being answered, so that a link made without one (a feed entry, an e-mail
    sent while answering) can follow the address it came to when CASEBOOK_BASE_URL is not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def base_url(request=None) -> str:
    """Scheme, host and port of the site: CASEBOOK_BASE_URL, else the request's (the current one when
    none is given), else Wagtail's admin address (a command run outside any request in development)."""
    if settings.CASEBOOK_BASE_URL:
        return settings.CASEBOOK_BASE_URL
    request = request or _current_request.get()
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def public_url(path: str, request=None) -> str:
    return base_url(request) + path


def page_public_url(page, request=None) -> str:
    """A page's absolute address on the site's base URL."""
    parts = page.get_url_parts(request) if page is not None else None
    return public_url(parts[2] if parts else getattr(page, "url", "") or "", request)


def admin_url(path: str, request=None) -> str:
    return (settings.CASEBOOK_ADMIN_BASE_URL or base_url(request)) + path


def site_address() -> tuple[str, int] | None:
    """(hostname, port) that the Wagtail Site record should have for CASEBOOK_BASE_URL; None without it."""
    if not settings.CASEBOOK_BASE_URL:
        return None
    parts = urlsplit(settings.CASEBOOK_BASE_URL)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


class OwnAddressMixin:
    """For every page type: its absolute address (`full_url`, `get_full_url`, the sitemap, feeds, the API)
    starts with the site's base URL, not the Site record's host."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, _root_url, page_path = parts
        return site_id, base_url(request), page_path


def new_token() -> str:
    """256 random bits, URL-safe: a link that cannot be guessed."""
    return secrets.token_urlsafe(32)


def keyed_hash(value: str) -> str:
    """A keyed hash: counts attempts per address or client without keeping either."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
