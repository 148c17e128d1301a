import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY を環境変数で設定してください。")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS を環境変数で設定してください（カンマ区切り）。")
if not CASEBOOK_BASE_URL.startswith(("https://", "http://")):  # noqa: F405
    raise ImproperlyConfigured(
        "CASEBOOK_BASE_URL にサイトのアドレスを設定してください（例: https://casebook.example.jp）。"
    )

DEBUG = False
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# TLS ends at the reverse proxy, which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# The import's jobs run on a task worker (make worker), so that they survive the web server that started them.
TASKS["imports"]["BACKEND"] = os.environ.get("CASEBOOK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")  # noqa: F405

# One folder for the workers of a machine, so that what one worker computed serves the others. Correctness
# does not depend on it: the content version is read from the database (casebook/base/core/cache.py).
# Redis (REDIS_URL) serves several app servers; without it, a folder serves the workers of one machine.
if not os.environ.get("REDIS_URL"):
    CACHES = with_local_tier(  # noqa: F405
        {
            "BACKEND": "casebook.base.core.cache_backends.FailOpenFileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")),  # noqa: F405
            "KEY_PREFIX": CACHE_KEY_PREFIX,  # noqa: F405
        }
    )

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
# Logs: one JSON object per line on stdout (LOG_FORMAT=text for plain lines).
if os.environ.get("LOG_FORMAT", "json") == "json":
    LOGGING["formatters"] = {"json": {"()": "casebook.base.core.logging.JSONFormatter"}}  # noqa: F405
    LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
    LOGGING["handlers"]["console"]["stream"] = "ext://sys.stdout"  # noqa: F405
