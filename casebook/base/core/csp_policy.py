"""Content-Security-Policy directives: strict on the public site, a scoped looser policy for the admin.

Imported by the settings, so it imports nothing from Django.
"""

from csp.constants import NONE, SELF


def directives(static_origin: str = "", admin: bool = False, media_origin: str = "") -> dict:
    """The policy's directives; `static_origin` adds a CDN that serves /static/, `media_origin` the
    object storage that serves uploaded images."""
    own = [SELF] + ([static_origin] if static_origin else [])
    policy = {
        "default-src": [SELF],
        "script-src": list(own),
        "style-src": list(own),
        "img-src": [*own, *([media_origin] if media_origin else []), "data:"],
        "font-src": list(own),
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if admin:
        # Wagtail's admin sets inline styles and runs a few inline scripts of its own, and previews
        # pages in an iframe of the same origin. Only /admin/ gets this.
        policy["script-src"] += ["'unsafe-inline'"]
        policy["style-src"] += ["'unsafe-inline'"]
        policy["img-src"] += ["blob:"]
        policy["frame-src"] = [SELF]
        policy["frame-ancestors"] = [SELF]
    return policy
