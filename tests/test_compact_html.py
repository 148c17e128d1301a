"""Public HTML is sent without the templates' indentation (casebook/base/core/compact_html.py), and
nothing a visitor typed, nor any preformatted text, changes on the way."""

import re

import pytest

from casebook.base.core.compact_html import compact

from .test_submission import form_data

pytestmark = pytest.mark.django_db


def test_blank_runs_between_tags_become_one_space_or_line_break():
    html = "<ul>\n      <li>一</li>\n\n      <li>二</li>   <li>三</li>\n</ul>"
    assert compact(html) == "<ul>\n<li>一</li>\n<li>二</li> <li>三</li>\n</ul>"


def test_tags_preformatted_text_scripts_and_typed_text_are_kept_exactly():
    kept = [
        '<input type="text" value="府中  花子   様">',
        "<pre>\n  一行目\n\n    二行目\n</pre>",
        '<textarea name="body">\n\n  段落一\n\n\n  段落二  </textarea>',
        '<script type="application/ld+json">{\n  "name":   "事例"\n}</script>',
        "<style>\n  .a {  color: red; }\n</style>",
    ]
    html = "<div>\n    " + "\n    ".join(kept) + "\n</div>"
    out = compact(html)
    for part in kept:
        assert part in out


def test_the_list_page_carries_no_indentation(client, seeded):
    html = client.get("/cases/").content.decode()
    assert "広島県府中市のテレワーク環境の整備事例" in html
    assert not re.search(r">\s{2,}<", html)


def test_the_length_a_browser_is_told_is_the_length_it_gets(client, seeded):
    response = client.get("/cases/")
    assert int(response["Content-Length"]) == len(response.content)


def test_a_returned_form_keeps_every_space_and_line_the_submitter_typed(client, seeded):
    typed = "電子申請の対象を広げた。\n\n\n    窓口でも  案内した。"
    response = client.post("/cases/submit/", form_data(section_activities=typed, agree=""))
    html = response.content.decode()
    assert response.status_code == 200 and "公開への同意にチェックを入れてください" in html
    area = re.search(r'<textarea[^>]*name="section_activities"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert area.group(1).strip("\r\n") == typed


def test_the_admin_is_sent_as_wagtail_renders_it(client, staff):
    client.force_login(staff.editor)
    html = client.get("/admin/").content.decode()
    assert re.search(r">\s{2,}<", html)
