"""Settings shared by every environment; the environment chooses the rest."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from casebook.base.core.cache_backends import redis_cache, site_cache_prefix, with_local_tier
from casebook.base.core.csp_policy import directives as csp_directives

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
# Origins (https://pref.example.jp) whose pages may read /api/ from a browser; none by default.
CASEBOOK_API_CORS_ORIGINS = [o.strip() for o in os.environ.get("CASEBOOK_API_CORS_ORIGINS", "").split(",") if o.strip()]

# Layers, lowest first: each app may depend only on those before it (tests/test_layers.py).
INSTALLED_APPS = [
    "casebook.base.core",  # before django_tasks_db: its db_worker command adds a heartbeat to theirs
    "casebook.base.search",  # before wagtail.search: its update_index also rebuilds the Japanese index
    "casebook.base.taxonomy",
    "measures",
    "cases",
    "casebook.site.home",
    "casebook.site.editorial",
    "casebook.site.seed",
    "casebook.site.alerts",
    "django_tasks_db",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    # JSON only: without rest_framework installed, Wagtail's API adds no browsable HTML renderer.
    "wagtail.api.v2",
    "django.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "csp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer plain HTTP to any Host, before the HTTPS redirect (core/health.py).
    "casebook.base.core.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "casebook.base.core.cache.ContentVersionMiddleware",
    "casebook.base.core.links.CurrentRequestMiddleware",
    # ETag on every full response, and 304 Not Modified when the reader already holds those bytes.
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole responses of anonymous GETs under the content version (casebook/base/core/page_cache.py).
    "casebook.base.core.page_cache.AnonymousPageCacheMiddleware",
    # Public HTML without the templates' indentation, before the page cache keeps it.
    "casebook.base.core.compact_html.CompactHtmlMiddleware",
    "casebook.site.home.routing.SiteRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "casebook.base.core.security.CasebookCSPMiddleware",
    "casebook.base.core.security.ApiCorsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "casebook.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casebook.site.home.context_processors.sections",
            ],
        },
    },
]

WSGI_APPLICATION = "casebook.wsgi.application"

# DATABASE_URL chooses the database; without it, a SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# Startup options for PostgreSQL connections. PostgreSQL compiles a query with its JIT when the
# planner's estimate is high, and the facet counts' one statement can be estimated so on small tables:
# compiling took 2.4 s for a statement that runs in milliseconds. Off by default; an empty value sends
# none (a pooler such as PgBouncer may refuse startup options unless told to ignore them).
DATABASE_PG_OPTIONS = os.environ.get("DATABASE_PG_OPTIONS", "-c jit=off")


def with_pg_options(database: dict) -> dict:
    if "postgresql" in database.get("ENGINE", ""):
        if DATABASE_PG_OPTIONS:
            database.setdefault("OPTIONS", {}).setdefault("options", DATABASE_PG_OPTIONS)
        # A database that does not answer costs a request (and /readyz) at most this many seconds.
        database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return database


with_pg_options(DATABASES["default"])
if "sqlite" in DATABASES["default"].get("ENGINE", ""):
    # Each transaction takes the write lock as it begins, so that one that counts, then writes (the rate
    # limits) is never overtaken, and two writers never deadlock into 「database is locked」.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
# Repeated exports (up to 16 MB each) are kept here as files and sent with sendfile (cases/reuse/export.py):
# an export is kept on its second request, and `manage.py scheduled tidy-exports` holds the folder within
# EXPORT_CACHE_MAX_MB of disk blocks and EXPORT_CACHE_MAX_FILES files (kept exports and first-request
# marks); the oldest go first.
EXPORT_CACHE_DIR = os.environ.get("EXPORT_CACHE_DIR", str(BASE_DIR / ".cache" / "exports"))
EXPORT_CACHE_MAX_BYTES = int(os.environ.get("EXPORT_CACHE_MAX_MB", "512")) * 1024 * 1024
EXPORT_CACHE_MAX_FILES = int(os.environ.get("CASEBOOK_EXPORT_CACHE_MAX_FILES", "2000"))
# DATABASE_REPLICA_URLS: read replicas (comma-separated) for public GET requests (casebook/base/core/replicas.py).
for number, url in enumerate(filter(None, os.environ.get("DATABASE_REPLICA_URLS", "").split(",")), start=1):
    DATABASES[f"replica{number}"] = with_pg_options(
        {
            **dj_database_url.parse(url.strip(), conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))),
            "TEST": {"MIRROR": "default"},
        }
    )
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["casebook.base.core.replicas.ReplicaRouter"]
    after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
    MIDDLEWARE.insert(after_security, "casebook.base.core.replicas.PublicReadsMiddleware")
# The cache only speeds things up (casebook/base/core/cache.py): what it holds is keyed by a content version
# kept in the database, and a cache that is down or hung is a miss (casebook/base/core/cache_backends.py).
# Keys carry a per-site prefix, so two sites (staging and production, or two databases) can share
# one Redis or one cache folder: CACHE_KEY_PREFIX, or else one derived from the database's identity.
CACHE_KEY_PREFIX = site_cache_prefix(DATABASES["default"])
# Connect and read timeouts of a shared cache, in seconds: a hung Redis delays a page by at most this.
CACHE_TIMEOUT_SECONDS = float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.25"))
if os.environ.get("REDIS_URL"):
    CACHES = with_local_tier(redis_cache(os.environ["REDIS_URL"], CACHE_KEY_PREFIX, CACHE_TIMEOUT_SECONDS))
else:
    CACHES = with_local_tier(
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": CACHE_KEY_PREFIX}
    )
# In front of it, each process keeps what it read or computed under the content version in memory too
# (facet counts, result ids, rendered fragments): at most CASEBOOK_LOCAL_CACHE_MB, least recently used out
# first, each entry for CASEBOOK_LOCAL_CACHE_SECONDS at most. With Redis down, the workers still serve
# from it (casebook/base/core/cache_backends.py, LocalTier). 0 turns it off.
CASEBOOK_LOCAL_CACHE_BYTES = int(float(os.environ.get("CASEBOOK_LOCAL_CACHE_MB", "32")) * 1024 * 1024)
CASEBOOK_LOCAL_CACHE_SECONDS = 60

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# A CDN that pulls from this server's /static/ can be put in front by naming it here.
STATIC_URL = os.environ.get("DJANGO_STATIC_URL", "/static/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# The app serves uploaded images under MEDIA_URL (casebook/urls.py); 0 when the reverse proxy does.
CASEBOOK_SERVE_MEDIA = os.environ.get("CASEBOOK_SERVE_MEDIA", "1") == "1"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads (images, their renditions, documents) on S3-compatible object storage when a bucket is named, so
# that every app server of a fleet sees the same files (django-storages, its own setting names;
# docs/operating.md). The local folder MEDIA_ROOT stays the default.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
_MEDIA_ORIGIN = ""
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    # The public address of the bucket's files, when not the endpoint's (a CDN, or the bucket's own host name).
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    # Renditions of one image share a name stem: never let one replace another.
    AWS_S3_FILE_OVERWRITE = False
    # Stable addresses without signatures: a signed URL would expire inside cached pages and export files.
    # Images are readable by a bucket policy on original_images/ and images/ only; documents are served
    # through the app (WAGTAILDOCS_SERVE_METHOD below), which checks their collection's privacy.
    AWS_QUERYSTRING_AUTH = False
    AWS_DEFAULT_ACL = None
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    # The origin the images' addresses start with: the custom domain, the endpoint, or AWS's own host.
    _aws_host = f"{AWS_STORAGE_BUCKET_NAME}.s3{f'.{AWS_S3_REGION_NAME}' if AWS_S3_REGION_NAME else ''}.amazonaws.com"
    _media = f"https://{AWS_S3_CUSTOM_DOMAIN or _aws_host}" if AWS_S3_CUSTOM_DOMAIN or not AWS_S3_ENDPOINT_URL else ""
    _media = _media or AWS_S3_ENDPOINT_URL
    _MEDIA_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(_media))
# Documents always stream through /documents/ (Wagtail's serve_view), wherever they are stored.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# No autosave: every case goes through review, and an autosaved draft is a revision nobody chose to keep
# (a new case form became a saved draft within seconds, a failed first save left one behind, and the first
# manual save then said 「更新」). Leaving a form with unsaved changes still asks first (docs/editors.md).
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_SITE_NAME = "Casebook 自治体DX事例ライブラリ"
WAGTAILADMIN_USER_LOGIN_FORM = "casebook.site.editorial.forms.LoginForm"
# The site's own address (scheme, host, port): every absolute link to its pages starts with it (canonical,
# link previews, JSON-LD, sitemap, feeds, API, exports, e-mails; casebook/base/core/links.py), and
# load_initial_content makes the Wagtail Site record agree. Production refuses to start without it; left
# empty (development, tests), links follow the address each request came to.
CASEBOOK_BASE_URL = os.environ.get("CASEBOOK_BASE_URL", "").strip().rstrip("/")
# The sender of every e-mail the site sends (alerts, submissions, review notices), development included.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "casebook@localhost")
# The admin's address in e-mail links: the site's unless set apart.
CASEBOOK_ADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", CASEBOOK_BASE_URL).strip().rstrip("/")
WAGTAILADMIN_BASE_URL = CASEBOOK_ADMIN_BASE_URL or "http://127.0.0.1:8000"  # Wagtail's own, unused by our notices
WAGTAILAPI_BASE_URL = CASEBOOK_BASE_URL or None  # None: the API follows the Site record
# 「事例を投稿」 (/cases/submit/): submissions per e-mail address per day, per client address per hour.
CASEBOOK_SUBMISSION_LIMITS = {
    "per_address_per_day": int(os.environ.get("CASEBOOK_SUBMISSIONS_PER_ADDRESS_PER_DAY", "3")),
    "per_client_per_hour": int(os.environ.get("CASEBOOK_SUBMISSIONS_PER_CLIENT_PER_HOUR", "10")),
}
# Background tasks (django-tasks): Wagtail's own run inline. The spreadsheet import's jobs go to the
# backend CASEBOOK_TASKS_BACKEND names: here, a thread of the web process (no worker needed); production
# defaults to django-tasks-db, run by `manage.py db_worker --backend imports` (make worker; docs/operating.md).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "imports": {"BACKEND": os.environ.get("CASEBOOK_TASKS_BACKEND", "casebook.base.core.tasks.ThreadBackend")},
}
# A running job and a worker write a heartbeat this often; one silent for longer is taken for dead (its
# job ends as 失敗, the import page and /readyz say no worker is running).
CASEBOOK_TASK_HEARTBEAT_SECONDS = float(os.environ.get("CASEBOOK_TASK_HEARTBEAT_SECONDS", "10"))
CASEBOOK_TASK_SILENT_SECONDS = float(os.environ.get("CASEBOOK_TASK_SILENT_SECONDS", "120"))
# Whole public pages kept for anonymous visitors until the content changes (core/page_cache.py); 0 turns it off.
CASEBOOK_PAGE_CACHE = os.environ.get("CASEBOOK_PAGE_CACHE", "1") == "1"
# Exports of more cases than this are built on the task worker, not while the request waits
# (cases/reuse/prepared.py). A case's JSON record is about 11 kB, so 1,000 cases are about 11 MB: streamed
# in about a third of a second, and small enough for the export cache (16 MB) to keep and send by
# sendfile when asked again (at 5,000, eight readers at once of a 44 MB export waited 6 s each). The whole
# library is the dataset (/cases/datasets/), rebuilt after every change unless CASEBOOK_DATASETS_ON_CHANGE
# is 0 (then `manage.py scheduled datasets` rebuilds it).
CASEBOOK_EXPORT_INLINE_MAX_CASES = int(os.environ.get("CASEBOOK_EXPORT_INLINE_MAX_CASES", "1000"))
CASEBOOK_DATASETS_ON_CHANGE = os.environ.get("CASEBOOK_DATASETS_ON_CHANGE", "1") == "1"
# Sign-ups for new-case e-mail alerts (/alerts/): per address per day, per client address per hour.
CASEBOOK_ALERT_LIMITS = {
    "per_address_per_day": int(os.environ.get("CASEBOOK_ALERT_SIGNUPS_PER_ADDRESS_PER_DAY", "5")),
    "per_client_per_hour": int(os.environ.get("CASEBOOK_ALERT_SIGNUPS_PER_CLIENT_PER_HOUR", "20")),
}
WAGTAIL_I18N_ENABLED = False
# The project's own Japanese for strings Wagtail's catalogue leaves in English (locale/ja, docs/development.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = ["Asia/Tokyo"]
WAGTAILADMIN_USER_LANGUAGE_DEFAULT = "ja"
TAGGIT_CASE_INSENSITIVE = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]

# Security headers on every response (production adds HSTS and secure cookies).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_STATIC_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(STATIC_URL)) if urlsplit(STATIC_URL).netloc else ""
CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_directives(_STATIC_ORIGIN, media_origin=_MEDIA_ORIGIN)}
CASEBOOK_ADMIN_PREFIX = "/admin/"
CASEBOOK_ADMIN_CSP_DIRECTIVES = csp_directives(_STATIC_ORIGIN, admin=True, media_origin=_MEDIA_ORIGIN)

# Admin logins: five failures for one user name from one address lock that pair for 15 minutes, so
# one office behind a shared proxy is not locked out by a colleague's typos.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies stand in front (each adds an X-Forwarded-For entry); 0: none, and the
# header is ignored. The address is taken by casebook.base.core.security.client_ip.
CASEBOOK_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "casebook.base.core.security.client_ip"
AXES_VERBOSE = False

# No shared page or collection passwords: private content is for signed-in users or groups only.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAIL_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# Uploads: raster images of a bounded size; documents from an allow-list, served through Wagtail's view.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# A corrupt or cut-off image gets a form error, not a server error (casebook/base/core/images.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "casebook.base.core.images.CasebookImageForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
# Avatars would come from gravatar.com: no outside requests at run time.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_disallowed_host": {"()": "casebook.base.core.logging.QuietDisallowedHost"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Background-task and publish chatter would drown the output of commands.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Scanners send other Host headers all day: a warning a minute, no traceback (casebook/base/core/logging.py).
        "django.security.DisallowedHost": {"filters": ["quiet_disallowed_host"]},
    },
}
