"""Uploads: raster images of allowed types and size only; documents from an allow-list, served as downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png(size=(4, 4)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload_image(client, name, content, content_type):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": name, "file": SimpleUploadedFile(name, content, content_type=content_type), "collection": 1},
    )


def test_a_png_is_accepted(client, staff):
    from wagtail.images.models import Image

    client.force_login(staff.editor)
    assert upload_image(client, "map.png", png(), "image/png").status_code == 302
    assert Image.objects.filter(title="map.png").exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("logo.svg", SVG, "image/svg+xml"),
        ("page.html", b"<html></html>", "text/html"),
        ("fake.png", b"not an image", "image/png"),
    ],
)
def test_other_files_are_refused_as_images_with_a_japanese_message(client, staff, name, content, content_type):
    from wagtail.images.models import Image

    client.force_login(staff.editor)
    response = upload_image(client, name, content, content_type)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and all(any("\u3040" <= ch <= "\u9fff" for ch in e) for e in errors), errors
    assert not Image.objects.exists()


def test_images_over_the_size_limit_are_refused(client, staff, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    client.force_login(staff.editor)
    response = upload_image(client, "big.png", png((400, 400)) + b"\0" * 2000, "image/png")
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_documents_only_from_the_allow_list(client, staff):
    from wagtail.documents.models import Document

    client.force_login(staff.editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "x",
            "file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream"),
            "collection": 1,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not Document.objects.exists()


def test_documents_are_served_through_wagtail_as_downloads_with_a_closed_policy(client, staff):
    from wagtail.documents.models import Document

    document = Document.objects.create(
        title="資料", file=SimpleUploadedFile("資料.csv", "年度,件数\n2021,3\n".encode())
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Content-Disposition"].startswith("attachment")
    assert document.url.startswith("/documents/")


# A JPEG's first bytes and then junk; a PNG cut off inside its header.
CORRUPT = [
    ("broken.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"junk" * 50, "image/jpeg"),
    ("cut.png", None, "image/png"),
]


def corrupt_files():
    return [
        (name, content if content is not None else png()[:40], content_type) for name, content, content_type in CORRUPT
    ]


@pytest.mark.parametrize("index", range(len(CORRUPT)))
def test_a_corrupt_image_gets_a_japanese_form_error(client, staff, index):
    from wagtail.images.models import Image

    name, content, content_type = corrupt_files()[index]
    client.force_login(staff.editor)
    response = upload_image(client, name, content, content_type)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and all(any("\u3040" <= ch <= "\u9fff" for ch in e) for e in errors), errors
    assert not Image.objects.exists()


@pytest.mark.parametrize("index", range(len(CORRUPT)))
def test_a_corrupt_image_in_a_multiple_upload_gets_a_japanese_error(client, staff, index):
    from wagtail.images.models import Image

    name, content, content_type = corrupt_files()[index]
    client.force_login(staff.editor)
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content, content_type=content_type)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    result = response.json()
    assert result["success"] is False
    assert any("\u3040" <= ch <= "\u9fff" for ch in result["error_message"]), result
    assert not Image.objects.exists()


def test_uploaded_images_and_their_renditions_are_served(client, staff, settings, tmp_path):
    """In production settings (DEBUG off) too: originals and renditions answer, documents do not."""
    from wagtail.images.models import Image

    settings.MEDIA_ROOT = tmp_path
    assert not settings.DEBUG
    image = Image.objects.create(title="地図", file=SimpleUploadedFile("map.png", png((40, 30))))
    rendition = image.get_rendition("fill-20x20")
    for url in (image.file.url, rendition.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "secret.txt").write_text("private")
    assert client.get("/media/documents/secret.txt").status_code == 404
    assert client.get("/media/original_images/../documents/secret.txt").status_code == 404
