"""Links and secrets for messages that leave the site (alerts, submissions, review notices): the one
place that knows the public base URL (CASEBOOK_BASE_URL), the admin's (WAGTAILADMIN_BASE_URL), how an
unguessable token is made and how an address is counted without being kept."""

import hashlib
import hmac
import secrets

from django.conf import settings


def public_url(path: str) -> str:
    return settings.CASEBOOK_BASE_URL.rstrip("/") + path


def page_public_url(page) -> str:
    """A page's address on the public base URL (Wagtail's own uses the Site record's host, 「localhost」)."""
    parts = page.get_url_parts() if page is not None else None
    return public_url(parts[2] if parts else getattr(page, "url", "") or "")


def admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def new_token() -> str:
    """256 random bits, URL-safe: a link that cannot be guessed."""
    return secrets.token_urlsafe(32)


def keyed_hash(value: str) -> str:
    """A keyed hash: counts attempts per address or client without keeping either."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
