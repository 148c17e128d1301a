"""Nothing a reader sees is a program's value: no dict, list, None, True/False, QuerySet or object repr in
the text or the readable attributes of any public page type."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page

pytestmark = pytest.mark.django_db

# What Python prints for its own values, as a template shows them when given the wrong thing.
PROGRAM_VALUES = re.compile(
    r"\{'[^']*':"  # a dict: {'': 5}
    r"|\{\}"  # an empty dict
    r"|\['|\[\]|\[<"  # a list of strings, an empty list, a list of objects
    r"|\bNone\b|\bTrue\b|\bFalse\b"
    r"|<QuerySet|object at 0x|<[A-Z][A-Za-z]+: "  # a QuerySet, an object's default repr, a model's repr
    r"|\bdatetime\.|\bDecimal\("
)
READABLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "content", "value", "aria-description")


def program_values(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    # <code> holds what the field reference documents literally (`results[]`), not a value gone astray.
    for hidden in soup(["script", "style", "template", "code"]):
        hidden.decompose()
    texts = [soup.get_text(" ")]
    for tag in soup.find_all(True):
        texts += [str(tag[name]) for name in READABLE_ATTRIBUTES if tag.has_attr(name)]
    found = []
    for text in texts:
        for match in PROGRAM_VALUES.finditer(text):
            found.append(text[max(0, match.start() - 30) : match.end() + 30].strip())
    return found


def test_the_check_sees_a_dict_a_list_none_and_an_object():
    assert program_values("<p>すべての事例（{'': 5}件）</p>")
    assert program_values("<p>連携団体: ['井原市']</p>")
    assert program_values('<img alt="None" src="x.png">')
    assert program_values("<p>&lt;QuerySet [&lt;CasePage: 府中市&gt;]&gt;</p>")
    assert program_values("<p><object object at 0x7f00></p>") or program_values("<p>object at 0x7f00</p>")
    assert not program_values("<p>すべての事例（5件）。Noneという語はない: なし</p>".replace("None", "ノーン"))


def public_urls() -> list[str]:
    pages = Page.objects.live().public().filter(depth__gt=1).specific()
    urls = [page.url for page in pages]
    cases = [page.url for page in pages if page.specific_class.__name__ == "CasePage"]
    return urls + [
        "/cases/?measure=telework&prefecture=34",
        "/cases/?measure=security&region=kanto&sort=cost",
        "/cases/?near=342084&within=100",
        "/cases/?near=341002",
        "/cases/?measure=no-such-measure&year=abc",
        "/cases/prefectures/",
        "/cases/stats/",
        "/cases/stats/?measure=telework",
        "/cases/compare/?" + "&".join(f"cases={url.strip('/').rpartition('/')[2]}" for url in cases[:3]),
        "/cases/export/fields/",
        "/cases/submit/",
        "/search/?q=テレワーク",
        "/search/?q=該当しないはずの語句",
        "/alerts/",
        "/accessibility/",
        "/measures/?version=2020",
    ]


def test_no_public_page_shows_a_programs_value(client, seeded):
    urls = public_urls()
    assert len(urls) > 30
    found = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        if values := program_values(response.content.decode()):
            found[url] = values
    assert found == {}
