"""The production shape, run for real: two app servers (gunicorn, production settings) on one PostgreSQL,
Redis and S3 server (moto's), and one task worker (db_worker). An import started through A's admin
completes after A is restarted; a worker killed mid-import leaves its job 失敗 with nothing written; an
image uploaded through A shows on B; /readyz follows the database down and up while /healthz stays 200;
with the database down every public URL answers 503 with Retry-After.

PostgreSQL only (the fleet's database); the servers reach it through a small TCP relay that the test can
cut, which is how "the database is unreachable" is made without stopping the machine's server."""

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3
import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from moto.server import ThreadedMotoServer

from .test_object_storage import public_images

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "casebook-fleet"
PASSWORD = "fleet-password-1"

pytestmark = [
    pytest.mark.fleet,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fleet runs on PostgreSQL"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Relay:
    """Forwards a local port to PostgreSQL; `cut()` drops every connection and refuses new ones."""

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.open = True
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self.pairs.append((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()

    def cut(self):
        self.open = False
        for pair in self.pairs:
            for end in pair:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self.pairs.clear()

    def mend(self):
        self.open = True

    def close(self):
        self.cut()
        self.server.close()


class Fleet:
    def __init__(self, database_url: str, env: dict):
        self.database_url, self.env = database_url, env
        self.servers: dict[str, tuple[subprocess.Popen, str]] = {}
        self.worker: subprocess.Popen | None = None
        self.logs = {}

    def _log(self, name):
        self.logs[name] = open(Path(self.env["FLEET_LOGS"]) / f"{name}.log", "ab")
        return self.logs[name]

    def start_server(self, name: str, port: int | None = None) -> str:
        port = port or free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "casebook.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
            + ["--threads", "4", "--timeout", "60"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log(name),
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        self.servers[name] = (process, base)
        wait_for(lambda: status_of(f"{base}/healthz") == 200, 30, f"{name} did not start")
        return base

    def stop_server(self, name: str):
        process, base = self.servers.pop(name)
        process.terminate()
        process.wait(20)
        return base

    def start_worker(self):
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--backend", "imports", "--queue-name", "*"]
            + ["--interval", "0.2", "--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log("worker"),
            stderr=subprocess.STDOUT,
        )

    def kill_worker(self):
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait(10)
        self.worker = None

    def stop(self):
        for name in list(self.servers):
            self.stop_server(name)
        if self.worker:
            self.worker.terminate()
            self.worker.wait(20)
        for log in self.logs.values():
            log.close()


def status_of(url: str) -> int | None:
    try:
        return requests.get(url, timeout=10, allow_redirects=False).status_code
    except requests.RequestException:
        return None


def wait_for(condition, seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)


class Browser(requests.Session):
    """A browser behind the site's TLS proxy: says X-Forwarded-Proto: https, as the proxy would, and
    sends back the Secure cookies production sets (the test talks plain HTTP to the app server)."""

    def __init__(self):
        super().__init__()
        self.headers["X-Forwarded-Proto"] = "https"

    def request(self, method, url, *args, headers=None, allow_redirects=True, **kwargs):
        headers = dict(headers or {})
        if "Referer" in headers:
            headers["Referer"] = headers["Referer"].replace("http://", "https://", 1)
        response = super().request(method, url, *args, headers=headers, allow_redirects=False, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        if allow_redirects and response.is_redirect:
            location = response.headers["Location"].replace("https://", "http://", 1)
            return self.request("GET", requests.compat.urljoin(url, location), timeout=kwargs.get("timeout", 20))
        return response


def logged_in(base: str) -> requests.Session:
    session = Browser()
    page = session.get(f"{base}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/admin/login/",
        data={"username": "fleet", "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"},
        headers={"Referer": f"{base}/admin/login/"},
        timeout=20,
    )
    assert answer.ok and "/admin/login/" not in answer.url, answer.text[:500]
    return session


def csrf_of(session: requests.Session, url: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(url, timeout=10).text).group(1)


def start_import(session: requests.Session, base: str, csv_bytes: bytes) -> str:
    token = csrf_of(session, f"{base}/admin/import-cases/")
    report = session.post(
        f"{base}/admin/import-cases/",
        data={"csrfmiddlewaretoken": token},
        files={"file": ("fleet.csv", csv_bytes, "text/csv")},
        headers={"Referer": f"{base}/admin/import-cases/"},
        timeout=60,
    )
    assert report.status_code == 200, report.text[:1000]
    job = re.search(r"/admin/import-cases/([0-9a-f-]{36})/confirm/", report.text).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', report.text).group(1)
    confirmed = session.post(
        f"{base}/admin/import-cases/{job}/confirm/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/admin/import-cases/"},
        timeout=20,
    )
    assert confirmed.ok
    return job


def new_cases_csv(export_csv: str, count: int, label: str) -> bytes:
    """`count` new cases: the export's first row, slug emptied and titled anew."""
    lines = export_csv.lstrip("\ufeff").split("\r\n")
    header, first = lines[0], lines[1]
    import csv

    row = next(csv.reader(io.StringIO(first)))
    columns = next(csv.reader(io.StringIO(header)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for number in range(count):
        values = list(row)
        values[columns.index("スラッグ")] = ""
        values[columns.index("タイトル")] = f"{label} {number + 1}"
        writer.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def png() -> bytes:
    from PIL import Image as Picture

    out = io.BytesIO()
    Picture.new("RGB", (160, 120), "navy").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def fleet(transactional_db, seeded, tmp_path, settings):
    from django.contrib.auth.models import Group, User

    from casebook.site.editorial.roles import MODERATORS

    user = User.objects.create(username="fleet", email="fleet@example.jp", is_staff=True)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "fleetsalt")  # what production's hasher reads
    user.save()
    user.groups.add(Group.objects.get(name=MODERATORS))

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{moto._port}"
    s3 = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
    )
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_images(BUCKET)))

    database = connection.settings_dict
    relay = Relay(int(database.get("PORT") or 5432))
    database_url = f"postgres://{database['USER']}@127.0.0.1:{relay.port}/{database['NAME']}"
    redis_db = 12 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 4
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=redis_db).flushdb()
    logs = tmp_path / "logs"
    logs.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "CASEBOOK_"))},
        "DJANGO_SETTINGS_MODULE": "tests.fleet_settings",
        "DJANGO_SECRET_KEY": "fleet-test-secret-key-fleet-test-secret-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "CASEBOOK_BASE_URL": "http://127.0.0.1",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "k",
        "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_S3_REGION_NAME": "us-east-1",
        "CASEBOOK_TASK_HEARTBEAT_SECONDS": "1",
        "CASEBOOK_TASK_SILENT_SECONDS": "6",
        "EXPORT_CACHE_DIR": str(tmp_path / "exports"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "LOG_FORMAT": "text",
        "FLEET_LOGS": str(logs),
    }
    fleet = Fleet(database_url, env)
    fleet.relay, fleet.s3, fleet.endpoint = relay, s3, endpoint
    try:
        yield fleet
    finally:
        fleet.stop()
        relay.close()
        moto.stop()
        for log in sorted(logs.iterdir()):
            tail = log.read_text(errors="replace")[-3000:]
            if "Traceback" in tail:
                print(f"--- {log.name} ---\n{tail}")


def test_the_fleet_shares_jobs_uploads_and_health(fleet):
    from casebook.site.editorial.models import ImportJob
    from cases.models import CasePage

    a = fleet.start_server("a")
    b = fleet.start_server("b")
    for base in (a, b):
        ready = requests.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}

    # 1. An import confirmed on A while no worker runs waits in the database, survives A's restart,
    #    and completes once a worker starts.
    session = logged_in(a)
    export = requests.get(f"{a}/cases/export.csv", timeout=30).content.decode("utf-8-sig")
    cases_before = CasePage.objects.count()
    job = start_import(session, a, new_cases_csv(export, 3, "再起動をまたぐ取り込み"))
    assert "タスクワーカーが一度も動いていません" in session.get(f"{a}/admin/import-cases/{job}/", timeout=10).text
    port = int(a.rsplit(":", 1)[1])
    fleet.stop_server("a")
    a = fleet.start_server("a", port)
    fleet.start_worker()
    wait_for(lambda: ImportJob.objects.get(pk=job).status == "done", 40, "the import did not complete")
    assert "新規 3件" in logged_in(a).get(f"{a}/admin/import-cases/{job}/", timeout=10).text
    assert CasePage.objects.count() == cases_before + 3

    # 2. A worker killed mid-import: the job ends 失敗 within the silent time, and nothing was written.
    big = start_import(session := logged_in(a), a, new_cases_csv(export, 400, "途中で止まる取り込み"))
    wait_for(lambda: ImportJob.objects.get(pk=big).progress_done > 0, 40, "the big import never made progress")
    fleet.kill_worker()
    killed_at = time.monotonic()
    on_b = logged_in(b)
    wait_for(lambda: "失敗" in on_b.get(f"{b}/admin/import-cases/{big}/", timeout=10).text, 30, "still running")
    assert time.monotonic() - killed_at < 30
    assert ImportJob.objects.get(pk=big).status == "failed"
    assert CasePage.objects.count() == cases_before + 3  # all or nothing
    assert not CasePage.objects.filter(title__startswith="途中で止まる取り込み").exists()

    # 3. An image uploaded through A shows on B's case page, from the bucket.
    token = csrf_of(session, f"{a}/admin/images/multiple/add/")
    uploaded = session.post(
        f"{a}/admin/images/multiple/add/",
        data={"csrfmiddlewaretoken": token},
        files={"files[]": ("fleet.png", png(), "image/png")},
        headers={"Referer": f"{a}/admin/images/multiple/add/", "X-Requested-With": "XMLHttpRequest"},
        timeout=30,
    )
    assert uploaded.ok and uploaded.json()["success"], uploaded.text[:500]
    from wagtail.images.models import Image

    case = CasePage.objects.get(slug="fuchu-workation")
    case.lead_image = Image.objects.get(pk=uploaded.json()["image_id"])
    case.lead_image_alt = "フリートの写真"
    case.save_revision().publish()
    page = requests.get(f"{b}{case.url}", timeout=30)
    assert page.status_code == 200
    sources = re.findall(r'<img[^>]+src="([^"]+)"[^>]+alt="フリートの写真"', page.text) or re.findall(
        r'<img[^>]+alt="フリートの写真"[^>]+src="([^"]+)"', page.text
    )
    assert sources and sources[0].startswith(f"{fleet.endpoint}/{BUCKET}/images/"), page.text[:300]
    assert requests.get(sources[0], timeout=10).status_code == 200
    assert fleet.endpoint in page.headers["Content-Security-Policy"]

    # 4. The database goes away: /readyz says so, /healthz and static files stay up, every public URL
    #    answers 503 with Retry-After; it comes back and so does everything.
    public = ["/", "/cases/", case.url, "/cases/?measure=telework", "/search/?q=テレワーク", "/robots.txt"]
    public += ["/sitemap.xml", "/cases/export.csv", "/api/v2/pages/"]
    fleet.relay.cut()
    for base in (a, b):
        down = requests.get(f"{base}/readyz", timeout=15)
        assert down.status_code == 503 and down.json()["checks"]["database"] == "unavailable"
        assert requests.get(f"{base}/healthz", timeout=10).status_code == 200
        assert requests.get(f"{base}/static/css/casebook.css", timeout=10).status_code == 200
        for path in public:
            answer = requests.get(base + path, timeout=15)
            assert answer.status_code == 503 and int(answer.headers["Retry-After"]) > 0, (base, path)
            assert "データベースに一時的に接続できない" in answer.text, (base, path)
    fleet.relay.mend()
    for base in (a, b):
        wait_for(lambda base=base: status_of(f"{base}/readyz") == 200, 20, "not ready again")
        assert requests.get(f"{base}/cases/", timeout=15).status_code == 200
