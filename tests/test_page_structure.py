"""Every public page: Japanese language, one h1, headings in order, labelled fields, tables with headers,
link texts that make sense alone, images with text alternatives, and the accessibility policy in the footer."""

from html.parser import HTMLParser

import pytest

from cases.models import CasePage, InterviewPage
from measures.models import MeasurePage

pytestmark = pytest.mark.django_db

VAGUE_LINK_TEXTS = {"こちら", "ここ", "here", "click here", "詳細", "詳しくはこちら", "リンク"}


class Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.headings = []
        self.labels_for = set()
        self.fields = []
        self.tables = []  # header cells per table
        self.links = []
        self.images = []
        self._link_text = None
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.labels_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button"):
            self.fields.append((attrs.get("id"), attrs.get("aria-label"), self._label_depth > 0))
        elif tag == "table":
            self.tables.append(0)
        elif tag == "th" and self.tables:
            self.tables[-1] += 1
        elif tag == "a" and "href" in attrs:
            self._link_text = [attrs.get("aria-label") or ""]
        elif tag == "img":
            self.images.append(attrs.get("alt"))

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth -= 1
        elif tag == "a" and self._link_text is not None:
            self.links.append("".join(self._link_text).strip())
            self._link_text = None

    def handle_data(self, data):
        if self._link_text is not None:
            self._link_text.append(data)


def public_urls():
    return [
        "/",
        "/measures/",
        *[m.url for m in MeasurePage.objects.live()],
        "/cases/",
        "/cases/?measure=telework&region=chugoku",
        "/cases/?measure=telework&prefecture=13",
        "/cases/prefectures/",
        *[c.url for c in CasePage.objects.live()],
        *[i.url for i in InterviewPage.objects.live()],
        "/search/",
        "/search/?q=テレワーク",
        "/search/?q=該当しない語句",
        "/no-such-page/",
        "/accessibility/",
    ]


def test_every_public_page_is_structured_for_assistive_technology(seeded, client):
    problems = {}
    for url in public_urls():
        response = client.get(url)
        page = Structure()
        page.feed(response.content.decode())
        found = []
        if page.lang != "ja":
            found.append(f"lang={page.lang}")
        if page.headings.count(1) != 1 or page.headings[0] != 1:
            found.append(f"h1: {page.headings}")
        skipped = [(a, b) for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
        if skipped:
            found.append(f"heading levels skipped: {skipped}")
        unlabelled = [f for f in page.fields if not (f[0] in page.labels_for or f[1] or f[2])]
        if unlabelled:
            found.append(f"fields without a label: {unlabelled}")
        if any(headers == 0 for headers in page.tables):
            found.append("a table without header cells")
        vague = [text for text in page.links if text.lower() in VAGUE_LINK_TEXTS or not text]
        if vague:
            found.append(f"link texts: {vague}")
        if any(alt is None for alt in page.images):
            found.append("an image without alt")
        if '<a href="/accessibility/">ウェブアクセシビリティ方針</a>' not in response.content.decode():
            found.append("no link to the accessibility policy")
        if found:
            problems[url] = found
    assert not problems, problems


def test_accessibility_policy_states_level_scope_date_results_and_known_gaps(seeded, client):
    from .helpers import visible_text

    text = visible_text(client.get("/accessibility/"))
    for fact in (
        "JIS X 8341-3:2016",
        "適合レベルAA",
        "対象範囲",
        "方針の策定日: 2026年11月26日",
        "試験日:",
        "まだ対応できていないこと",
    ):
        assert fact in text
    # The results table names each audited page with its result.
    assert "事例: 広島県府中市のテレワーク環境の整備事例" in text
    assert "管理画面: インタビューの編集" in text and "wagtail/wagtail/issues/11179" in text


def test_policy_page_without_results_says_so(seeded, client, tmp_path, monkeypatch):
    from casebook.base.core import accessibility

    monkeypatch.setattr(accessibility, "RESULTS_FILE", tmp_path / "missing.json")
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "試験結果はまだ公開されていません。" in response.content.decode()
