"""The read-only API (/api/v2/): Wagtail's API v2 over the pages the public may see.

Case pages carry `record`, the same object as one result of the JSON export (cases/reuse/export.py), so the
API and the exports never describe a case differently; a contact appears only where the municipality
agreed. Drafts, pages behind a login or password, and the admin's own data are never served.
"""

from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from casebook.base.core.visibility import visible
from cases.reuse.api_fields import ExportRecords


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Pages as Wagtail's API serves them, narrowed to the one visibility rule."""

    name = "pages"
    # Searching is /search/'s (the Japanese index); `search=` here is an unknown parameter (400).
    filter_backends = [backend for backend in PagesAPIViewSet.filter_backends if backend is not SearchFilter]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"search", "search_operator"}
    # An alias's source may be restricted; which page it copies is the admin's business.
    meta_fields = [field for field in PagesAPIViewSet.meta_fields if field != "alias_of"]

    def get_base_queryset(self):
        return visible(super().get_base_queryset())

    def get_serializer(self, *args, **kwargs):
        """For a listing, the export records of all its cases in one go (seven queries, not seven per case)."""
        if kwargs.get("many") and args:
            pages = list(args[0])
            kwargs.setdefault("context", self.get_serializer_context())["export_records"] = ExportRecords(
                self.request, [page.pk for page in pages]
            )
            args = (pages, *args[1:])
        return super().get_serializer(*args, **kwargs)


api_router = WagtailAPIRouter("casebook_api")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
