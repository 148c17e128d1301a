from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from casebook.core import accessibility
from casebook.search import views as search_views
from cases import views as case_views

urlpatterns = [
    path(settings.CASEBOOK_ADMIN_PREFIX.lstrip("/"), include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Public interface: the same parameters as /cases/, the same cases in the same order.
    path("cases/export.csv", case_views.export_csv, name="case_export_csv"),
    path("cases/export.json", case_views.export_json, name="case_export_json"),
    path("search/", search_views.search, name="search"),
    path("accessibility/", accessibility.policy, name="accessibility"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
