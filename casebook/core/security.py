"""The admin policy of django-csp for paths under CASEBOOK_ADMIN_PREFIX, and the client address for login throttling."""

import ipaddress

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class CasebookCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin policy for paths under CASEBOOK_ADMIN_PREFIX."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(settings.CASEBOOK_ADMIN_PREFIX):
            parts.config = default_config(settings.CASEBOOK_ADMIN_CSP_DIRECTIVES)
        return parts


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
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
