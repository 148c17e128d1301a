from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as static_serve
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from casebook.base.core import accessibility, seo
from casebook.base.search import views as search_views
from cases.reuse.api import api_router


def uploaded_image(request, path):
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


# A request that failed because the database is unreachable gets 503 and Retry-After (core/health.py).
handler500 = "casebook.base.core.health.server_error"

urlpatterns = [
    path(settings.CASEBOOK_ADMIN_PREFIX.lstrip("/"), include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("alerts/", include("casebook.site.alerts.urls")),
    path("accessibility/", accessibility.policy, name="accessibility"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("robots.txt", seo.robots, name="robots"),
    path("favicon.ico", seo.favicon, name="favicon"),
    path("api/v2/", api_router.urls),
]

# Uploaded images and their renditions, and the exports built on the worker (the dataset and big
# filtered exports, cases/reuse/prepared.py), in development and production alike when they are on the
# local disk (a reverse proxy may serve these folders itself, faster; on object storage the bucket
# does). Documents are not here: they go through /documents/, which checks their collection's privacy.
if settings.CASEBOOK_SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>(?:images|original_images|datasets|exports)/[^/]+)$",
            uploaded_image,
        )
    ]

urlpatterns += [
    # Wagtail serves pages at paths ending in a slash; a page's own routes that name a file
    # (the case list's export.csv, export.json and export.xlsx) reach its routing through this pattern.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:csv|json|xlsx))$", wagtail_views.serve),
    path("", include(wagtail_urls)),
]
