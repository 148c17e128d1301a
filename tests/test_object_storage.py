"""Uploads on S3-compatible object storage (django-storages), against a local S3 server (moto's): images
and their renditions at stable addresses without signatures, two files of one name kept apart, documents
still served through the app, the export's links absolute, the CSP naming the storage, and nothing
asked of the bucket for a document's size on a page view."""

import io
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from moto.server import ThreadedMotoServer
from wagtail.documents.models import Document
from wagtail.images.models import Image

from cases.models import CaseDocument, CasePage

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "casebook-test-media"


def public_images(bucket: str) -> dict:
    """The bucket policy docs/operating.md gives: anyone may read the images and their renditions; nothing
    else (documents go through the app)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{bucket}/original_images/*", f"arn:aws:s3:::{bucket}/images/*"],
            }
        ],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_images(BUCKET)))  # as docs/operating.md says
    yield endpoint, client
    server.stop()


@pytest.fixture
def on_s3(s3_server):
    endpoint, client = s3_server
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "access_key": "test",
            "secret_key": "test",
            "region_name": "us-east-1",
            "file_overwrite": False,
            "querystring_auth": False,
            "default_acl": None,
        },
    }
    with override_settings(
        STORAGES={
            "default": storage,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield endpoint, client


def png() -> bytes:
    from PIL import Image as Picture

    out = io.BytesIO()
    Picture.new("RGB", (120, 80), "teal").save(out, "PNG")
    return out.getvalue()


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read()


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def illustrated(seeded, on_s3):
    case = CasePage.objects.get(slug="fuchu-workation")
    image = Image.objects.create(title="サテライトオフィス", file=ContentFile(png(), name="office.png"))
    spec = Document.objects.create(title="仕様書", file=ContentFile(b"%PDF-1.4\n" + b"0" * 2000, name="spec.pdf"))
    case.lead_image = image
    case.lead_image_alt = "サテライトオフィスで働く参加者"
    case.documents = [CaseDocument(document=spec, title="府中市ワーケーション事業 仕様書", kind="specification")]
    case.save_revision().publish()
    return case, image, spec


def test_images_and_renditions_live_in_the_bucket_at_stable_unsigned_addresses(client, illustrated, on_s3):
    endpoint, s3 = on_s3
    case, image, _ = illustrated
    rendition = image.get_rendition("fill-60x40")
    for url in (image.file.url, rendition.url):
        assert url.startswith(f"{endpoint}/{BUCKET}/") and "?" not in url  # no signature to expire
        status, data = fetch(url)
        assert status == 200 and data[:4] == b"\x89PNG"
    with pytest.raises(urllib.error.HTTPError):  # a document in the bucket is not public
        fetch(f"{endpoint}/{BUCKET}/{illustrated[2].file.name}")
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert image.file.name in keys and rendition.file.name in keys
    html = client.get(case.url).content.decode()
    assert f"{endpoint}/{BUCKET}/images/" in html  # the page's picture comes from the bucket


def test_two_uploads_of_one_name_are_kept_apart(db, on_s3):
    first = Image.objects.create(title="一枚目", file=ContentFile(png(), name="same.png"))
    second = Image.objects.create(title="二枚目", file=ContentFile(png(), name="same.png"))
    assert first.file.name != second.file.name
    assert fetch(first.file.url)[0] == fetch(second.file.url)[0] == 200


def test_documents_are_served_by_the_app_and_sized_without_asking_the_bucket(client, illustrated, on_s3):
    _, s3 = on_s3
    case, _, spec = illustrated
    html = client.get(case.url).content.decode()
    documents = html[html.index('id="documents"') :]
    assert "/documents/" in documents and BUCKET not in documents and "（仕様書・PDF・2.0" in documents
    served = client.get(spec.url)
    assert served.status_code == 200 and body_of(served).startswith(b"%PDF-1.4")

    from django.core.files.storage import default_storage

    asked = []
    default_storage.connection.meta.client.meta.events.register(
        "before-call.s3.HeadObject", lambda **kwargs: asked.append(kwargs["params"]["Key"])
    )
    client.get(case.url)
    client.get("/cases/export.json?measure=telework")
    assert asked == []  # the size is the one recorded at upload


def test_the_export_links_to_the_bucket_without_prefixing_the_site(client, illustrated, on_s3):
    endpoint, _ = on_s3
    data = json.loads(body_of(client.get("/cases/export.json?measure=telework")))
    record = next(r for r in data["results"] if r["slug"] == "fuchu-workation")
    assert record["image"]["url"].startswith(f"{endpoint}/{BUCKET}/original_images/office")
    assert fetch(record["image"]["url"])[0] == 200
    [document] = record["documents"]
    assert document["url"].startswith("http://testserver/documents/") and document["size_bytes"] == 2009


def test_with_a_bucket_named_the_csp_lets_images_come_from_the_storage():
    env = {
        **os.environ,
        "AWS_STORAGE_BUCKET_NAME": "media",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.jp:9000",
        "DJANGO_SETTINGS_MODULE": "casebook.settings.test",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], s.STORAGES['default']['BACKEND'],"
        " s.AWS_S3_FILE_OVERWRITE, s.AWS_QUERYSTRING_AUTH]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    img_src, backend, overwrite, signed = json.loads(out.stdout)
    assert "https://s3.example.jp:9000" in img_src and backend == "storages.backends.s3.S3Storage"
    assert overwrite is False and signed is False
