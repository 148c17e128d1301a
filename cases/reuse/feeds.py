"""Atom and RSS feeds of the case list, per filter: `/cases/feed/?measure=telework&prefecture=34`.

A feed is the list's own query (cases/discovery/query.py) in publication order, newest first, so a feed and the
list never disagree about which cases a filter means; drafts and login-only cases are never in it.
"""

import dataclasses
import datetime
import re

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from cases.content.pages import CasePage
from cases.discovery.facets import DEFAULT_SORT
from cases.discovery.listing import FilterSummary
from cases.discovery.query import CaseQuery

FEED_ENTRIES = 30
# Characters XML 1.0 cannot carry (a control character pasted from a PDF would stop the whole feed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class CaseFeed(Feed):
    """Built per request from the list's query; `feed_type` is Atom, `RssCaseFeed` its RSS twin."""

    feed_type = Atom1Feed
    language = "ja"

    def __init__(self, query: CaseQuery, summary: FilterSummary, list_url: str):
        super().__init__()
        self.query = dataclasses.replace(query, sort=DEFAULT_SORT)  # newest first, whatever the list's order
        self.summary = summary
        self.list_url = list_url

    def get_object(self, request, *args, **kwargs):
        return self.summary

    def title(self, summary):
        return f"Casebook 新着事例: {summary.subject()}"

    def subtitle(self, summary):
        return f"自治体DX事例ライブラリ Casebook の「{summary.subject()}」に新しく掲載された事例"

    description = subtitle

    def link(self, summary):
        return self.list_url

    def items(self, summary):
        ids = self.query.results().ids(FEED_ENTRIES, 0)
        cases = CasePage.objects.filter(pk__in=ids).for_listing().select_related("live_revision")
        by_id = {case.pk: case for case in cases}
        return [by_id[pk] for pk in ids if pk in by_id]

    def item_title(self, case):
        return xml_text(case.title)

    def item_description(self, case):
        measures = "・".join(measure.title for measure in case.all_measures())
        return xml_text(f"{case.summary}（主体: {case.lead_organization.full_name}／重点取組事項: {measures}）")

    def item_link(self, case):
        return case.full_url

    def item_guid(self, case):
        return case.full_url

    def item_author_name(self, case):
        return case.lead_organization.full_name

    def item_categories(self, case):
        return [measure.title for measure in case.all_measures()]

    def item_pubdate(self, case):
        """The case's own date (when it started, or its fiscal year), not the day it was loaded."""
        own = case.own_date
        if own is None:
            return case.first_published_at
        return datetime.datetime.combine(own, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, case):
        """When an editor last changed it; else the case's own date."""
        return case.edited_at or self.item_pubdate(case)


class RssCaseFeed(CaseFeed):
    feed_type = Rss201rev2Feed
