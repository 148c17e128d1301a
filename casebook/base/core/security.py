"""The admin policy of django-csp for paths under CASEBOOK_ADMIN_PREFIX, the client address for login
throttling, and the API's cross-origin reads."""

import ipaddress
import logging

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)


class CasebookCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the policy: the admin's for paths under CASEBOOK_ADMIN_PREFIX,
    and for a preview the public one that the admin's own frame may show."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview through a dummy request for the page's public path, then shows
            # it in an iframe of the admin: everything stays as strict as the public site's, except
            # that the site's own pages may frame it.
            parts.config = default_config({**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "frame-ancestors": [SELF]})
        elif request.path_info.startswith(settings.CASEBOOK_ADMIN_PREFIX):
            parts.config = default_config(settings.CASEBOOK_ADMIN_CSP_DIRECTIVES)
        return parts


_proxy_warned = False


def warn_of_an_unknown_proxy() -> None:
    """Once per process, in production: requests come through a proxy that AXES_PROXY_COUNT does not
    count, so every visitor shares the proxy's address for the per-client limits."""
    global _proxy_warned
    if settings.DEBUG or _proxy_warned:
        return
    _proxy_warned = True
    logger.warning(
        "X-Forwarded-For 付きのリクエストが来ていますが AXES_PROXY_COUNT が 0 です。"
        "プロキシの数を設定しないと、すべての利用者がプロキシのアドレスで数えられます（送信や登録の上限）。"
    )


def client_ip(request) -> str | None:
    """The client's address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

    Directly on the internet (CASEBOOK_PROXY_COUNT = 0) it is REMOTE_ADDR, and X-Forwarded-For is
    ignored: anyone can send one. Behind N reverse proxies, each appends the address it was reached
    from, so the client is the Nth entry from the right; entries further left are the client's own
    to forge. A header with fewer entries, or a malformed one, falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.CASEBOOK_PROXY_COUNT
    if count <= 0:
        if "HTTP_X_FORWARDED_FOR" in request.META:
            warn_of_an_unknown_proxy()
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


class ApiCorsMiddleware:
    """Cross-origin reads of the API (/api/) for the origins named in CASEBOOK_API_CORS_ORIGINS only;
    none by default. Read-only: GET, HEAD and the browser's OPTIONS preflight."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request.headers.get("Origin")
        allowed = request.path.startswith("/api/") and origin in settings.CASEBOOK_API_CORS_ORIGINS
        if allowed and request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        if request.path.startswith("/api/"):
            patch_vary_headers(response, ["Origin"])
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        return response
