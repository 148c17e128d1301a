"""A case can carry a picture with its description and the project's documents (仕様書, 報告書, 調達資料):
shown on the case page with their type and size, and in the JSON export as URLs."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image

from cases.models import CaseDocument, CasePage

from .admin import edit_url, errors_of, fill, page_form, post_form

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from PIL import Image as Picture

    out = io.BytesIO()
    Picture.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def illustrated(seeded):
    case = CasePage.objects.get(slug="fuchu-workation")
    image = Image.objects.create(title="サテライトオフィス", file=ContentFile(png(), name="office.png"))
    spec = Document.objects.create(title="仕様書", file=ContentFile(b"%PDF-1.4\n" + b"0" * 2000, name="spec.pdf"))
    case.lead_image = image
    case.lead_image_alt = "サテライトオフィスで働く参加者"
    case.documents = [CaseDocument(document=spec, title="府中市ワーケーション事業 仕様書", kind="specification")]
    case.save_revision().publish()
    return case


def test_the_case_page_shows_the_picture_with_its_description_and_the_documents(client, illustrated):
    html = client.get(illustrated.url).content.decode()
    assert 'alt="サテライトオフィスで働く参加者"' in html
    documents = html[html.index('id="documents"') :]
    assert "府中市ワーケーション事業 仕様書" in documents and "（仕様書・PDF・2.0" in documents
    assert "/documents/" in documents


def test_the_json_export_lists_them_as_urls(client, illustrated):
    data = json.loads(body_of(client.get("/cases/export.json?measure=telework")))
    record = next(r for r in data["results"] if r["slug"] == "fuchu-workation")
    assert record["image"]["alt"] == "サテライトオフィスで働く参加者"
    assert record["image"]["url"].startswith("http://testserver/media/original_images/office")
    [document] = record["documents"]
    assert document["title"] == "府中市ワーケーション事業 仕様書" and document["kind"] == "specification"
    assert document["file_type"] == "PDF" and document["size_bytes"] == 2009
    assert document["url"].startswith("http://testserver/documents/")
    assert client.get(document["url"].removeprefix("http://testserver")).status_code == 200
    others = [r for r in data["results"] if r["slug"] != "fuchu-workation"]
    assert all(r["image"] is None and r["documents"] == [] for r in others)


def test_a_picture_needs_its_description(client, seeded, staff):
    client.force_login(staff.editor)
    case = CasePage.objects.get(slug="fuchu-workation")
    image = Image.objects.create(title="写真", file=ContentFile(png(), name="photo.png"))
    data = fill(page_form(client, edit_url(case)), {"lead_image": image.pk, "lead_image_alt": ""}, body=[])
    response = post_form(client, edit_url(case), data)
    assert errors_of(response)["lead_image_alt"] == ["画像の説明（代替テキスト）を入力してください。"]


def test_a_section_left_empty_is_not_kept(client, seeded, staff):
    """A new case offers an empty 取り組み内容 section to type into; left empty, it is dropped on saving."""
    from wagtail.test.utils.form_data import rich_text

    client.force_login(staff.editor)
    case = CasePage.objects.get(slug="fuchu-workation")
    sections = [("section", {"kind": "activities", "heading": "", "body": rich_text("")})]
    data = fill(page_form(client, edit_url(case)), body=sections + [("paragraph", rich_text("<p>残る段落</p>"))])
    response = post_form(client, edit_url(case), data)
    assert response.status_code == 302, errors_of(response)
    saved = CasePage.objects.get(pk=case.pk).get_latest_revision_as_object()
    assert [block.block_type for block in saved.body] == ["paragraph"]
