from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from casebook.core import accessibility
from casebook.search import views as search_views

urlpatterns = [
    path(settings.CASEBOOK_ADMIN_PREFIX.lstrip("/"), include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("accessibility/", accessibility.policy, name="accessibility"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail serves pages at paths ending in a slash; a page's own routes that name a file
    # (the case list's export.csv and export.json) reach its routing through this pattern.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:csv|json))$", wagtail_views.serve),
    path("", include(wagtail_urls)),
]
