import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "casebook-test-key-not-for-production"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the source folders; production serves the collected, hashed files.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploads made by tests go to a throw-away folder, not the project's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="casebook-test-media-"))
# Background imports run inline in tests, so a test sees their result when the request returns.
TASKS = {**TASKS, "imports": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # noqa: F405
# Tests read the context of the responses they get; tests/test_page_cache.py turns the page cache on.
CASEBOOK_PAGE_CACHE = False
# A publish does not rebuild the dataset in tests (tests/test_prepared_exports.py turns it on).
CASEBOOK_DATASETS_ON_CHANGE = False
