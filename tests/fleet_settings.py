"""The fleet test's servers: production settings as the recipe sets them, except that static files are
served from the source folders (production serves them collected, which would add a collectstatic)."""

from casebook.settings.production import *  # noqa: F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
