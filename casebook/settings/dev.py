import os

from .base import *  # noqa: F403

DEBUG = True
# A development-only key; production refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = SECRET_KEY or "django-insecure-casebook-development-only"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from the source folders; production serves the collected, hashed files.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A template edited while `make run` serves shows at once: no whole-page cache unless asked for.
CASEBOOK_PAGE_CACHE = os.environ.get("CASEBOOK_PAGE_CACHE", "0") == "1"  # noqa: F405
