"""django-csp's middleware, with the admin policy chosen for paths under CASEBOOK_ADMIN_PREFIX."""

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
