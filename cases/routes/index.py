"""The case list's page: it owns the list, the browse page and both exports (its routes)."""

from functools import partial

from django.db import models
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from casebook.base.core.links import public_url
from casebook.base.core.text import clean_text
from casebook.base.core.visibility import ServedPageMixin
from cases.content.pages import CasePage
from cases.discovery.listing import browse_context, list_context, municipality_lookup, read_filters
from cases.discovery.nearby import suggestions
from cases.intake.views import confirm_submission, submit_form
from cases.reuse.compare import compare, compare_csv
from cases.reuse.export import csv_response, json_response, keeps_exports_for, xlsx_response
from cases.reuse.feeds import CaseFeed, RssCaseFeed
from cases.reuse.fields import fields_context
from cases.reuse.prepared import datasets, is_too_big, preparing_response, request_datasets
from cases.reuse.prepared import respond as prepared_export
from cases.reuse.stats import stats_context


class CaseIndexPage(ServedPageMixin, RoutablePageMixin, Page):
    intro = models.TextField("導入文", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    # Its parent, the home page, is above this layer: casebook.site.home names itself as the parent.
    subpage_types = ["cases.CasePage"]
    max_count = 1

    class Meta:
        verbose_name = "事例の一覧"

    def get_sitemap_urls(self, request=None):
        """The list, and the browse page, which is one of its routes."""
        browse = self.get_full_url(request) + self.reverse_subpage("browse")
        return [*super().get_sitemap_urls(request), {"location": browse, "lastmod": self.last_published_at}]

    @path("", name="list")
    def case_list(self, request):
        found = {}
        if "municipality" in request.GET:  # 「自分の自治体から探す」 sent as text
            url, found = municipality_lookup(request.GET)
            if url:
                return HttpResponseRedirect(url)
            request.GET = request.GET.copy()
            request.GET.pop("municipality")
        query, summary = read_filters(request.GET)
        suggest_url = self.get_url(request) + self.reverse_subpage("municipality_suggestions")
        context = {**list_context(query, summary, request), **found, "suggest_url": suggest_url}
        # The canonical address of a list is the list with the filter that makes it a page of its own.
        context["canonical_url"] = self.get_full_url(request) + (
            summary.query_string() if summary.is_canonical and summary.is_filtered else ""
        )
        context["meta_title"] = context["heading"]
        response = self.render(request, context_overrides=context)
        if not summary.is_canonical:
            response["X-Robots-Tag"] = "noindex, follow"
        return response

    @path("prefectures/", name="browse")
    def browse(self, request):
        return self.render(request, template="cases/case_browse_page.html", context_overrides=browse_context(request))

    # Suggestions for 「自分の自治体から探す」 (static/js/near-suggest.js); the field works without them.
    @re_path(r"^municipalities\.json/?$", name="municipality_suggestions")
    def municipality_suggestions(self, request):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        text = clean_text(str(request.GET.get("q", "")))
        return JsonResponse({"results": suggestions(text)}, headers={"X-Robots-Tag": "noindex"})

    # Feeds of the list per filter: the same parameters as the list, newest first.
    @path("feed/", name="feed")
    def feed(self, request):
        return self.serve_feed(request, CaseFeed)

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        return self.serve_feed(request, RssCaseFeed)

    def serve_feed(self, request, feed_class):
        query, summary = read_filters(request.GET)
        list_url = public_url(self.get_url(request), request) + (summary.query_string() if summary.is_filtered else "")
        response = feed_class(query, summary, list_url)(request)
        response["X-Robots-Tag"] = "noindex"
        return response

    @path("stats/", name="stats")
    def stats(self, request):
        query, summary = read_filters(request.GET)
        context = stats_context(query, summary, self.get_url(request))
        context.update(case_filter=summary, meta_title=f"{summary.subject()}の集計")
        response = self.render(request, template="cases/stats_page.html", context_overrides=context)
        if summary.is_filtered:
            response["X-Robots-Tag"] = "noindex, follow"
        return response

    @path("compare/", name="compare")
    def compare(self, request):
        comparison = compare(request.GET.getlist("cases"), self)
        response = self.render(
            request,
            template="cases/compare_page.html",
            context_overrides={"comparison": comparison, "meta_title": "事例の比較"},
        )
        response["X-Robots-Tag"] = "noindex"
        return response

    @re_path(r"^compare\.csv/?$", name="compare_csv")
    def compare_csv(self, request):
        comparison = compare(request.GET.getlist("cases"), self)
        if not comparison.ready:
            return HttpResponseRedirect(
                self.get_url(request) + self.reverse_subpage("compare") + "?" + request.GET.urlencode()
            )
        return compare_csv(comparison)

    # 「事例を投稿」: the public form, the page after it, and the address's confirmation.
    @path("submit/", name="submit")
    def submit(self, request):
        return submit_form(self, request)

    @path("submit/sent/", name="submit_sent")
    def submit_sent(self, request):
        return self.render(
            request, template="cases/submit_sent.html", context_overrides={"meta_title": "確認のメールを送りました"}
        )

    @path("submit/confirm/<str:token>/", name="submit_confirm")
    def submit_confirm(self, request, token):
        return confirm_submission(self, request, token)

    # The whole library as files (CSV, JSON, Excel), rebuilt on the worker after every change.
    @path("datasets/", name="datasets")
    def datasets(self, request):
        base_url = public_url(self.get_url(request), request)
        files = datasets(base_url)
        if any(found["file"] is None and not found["coming"] for found in files):
            request_datasets(base_url)  # never built for this address (or its build failed): build it now
            files = datasets(base_url)
        context = {"datasets": files, "meta_title": "データセット（全件）"}
        response = self.render(request, template="cases/datasets_page.html", context_overrides=context)
        if any(found["file"] is None or found["coming"] for found in files):
            response["Cache-Control"] = "no-cache"  # it changes when the worker finishes, not with the content
        return response

    @path("export/fields/", name="export_fields")
    def export_fields(self, request):
        return self.render(request, template="cases/export_fields.html", context_overrides=fields_context())

    # Public interface: the same parameters as the list, the same cases in the same order. Wagtail's
    # routing hands these on with a slash added (export.csv/); links are made without one.
    @re_path(r"^export\.csv/?$", name="export_csv")
    def export_csv(self, request):
        return self.export(request, csv_response, "csv")

    @re_path(r"^export\.json/?$", name="export_json")
    def export_json(self, request):
        return self.export(request, json_response, "json")

    @re_path(r"^export\.xlsx/?$", name="export_xlsx")
    def export_xlsx(self, request):
        return self.export(request, partial(xlsx_response, head=request.method == "HEAD"), "xlsx")

    def export(self, request, respond, extension: str):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        query, summary = read_filters(request.GET)
        base_url = public_url(self.get_url(request), request)
        if is_too_big(query):  # built on the worker: the request gets the file, or a page saying it is coming
            answer = prepared_export(request, query, summary, base_url, extension)
            if isinstance(answer, dict):
                template = "cases/export_preparing.html"
                answer = preparing_response(self.render(request, template=template, context_overrides=answer))
            response = answer
        else:
            response = respond(query, summary, base_url, keep=keeps_exports_for(request))
        response["X-Robots-Tag"] = "noindex"
        return response


# A case lives under the case list only; the list is above the content, so it says so here.
CasePage.parent_page_types = ["cases.CaseIndexPage"]
