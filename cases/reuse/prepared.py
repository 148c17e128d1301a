"""Exports too large to build while a request waits, built on the task worker instead.

- **The dataset** (データセット): the whole library as CSV and JSON (gzip-compressed) and as an Excel
  workbook, rebuilt in the background after every change of the content (`content_changed`) and
  published at /cases/datasets/ with its date, size and count, the way data portals publish national
  datasets. The newest finished file is served until the next one is ready.
- **A big filtered export**: a list URL's export.csv/.json/.xlsx with more cases than
  CASEBOOK_EXPORT_INLINE_MAX_CASES is not streamed (it would outlast the web server's timeout and hold a
  worker); the request gets a page saying it is being prepared (202, Retry-After), the worker builds it,
  and the same URL then sends the reader to the file (303). A filtered file answers only for the content
  version it was built from, so it always holds exactly what the list shows.

The files live on the site's storage (object storage in production: every web server sees the same
file, and the bucket or the reverse proxy sends it, never a web worker), under datasets/ and exports/;
a row here says which file is which and whether it is ready. `manage.py scheduled datasets` rebuilds
a dataset the worker missed and retires files of old content versions.
"""

import datetime
import gzip
import logging
import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, models, transaction
from django.http import HttpResponseRedirect, QueryDict
from django.utils import timezone
from django_tasks import task

from casebook.base.core.cache import cached, content_version
from casebook.base.core.tasks import worker_missing
from cases.discovery.listing import FilterSummary, read_filters
from cases.discovery.query import CaseQuery
from cases.reuse.export import build_workbook, csv_chunks, export_digest, json_chunks
from measures.models import current_plan

logger = logging.getLogger(__name__)
FORMATS = {
    # extension: (the file's suffix on the storage, what it is, its content type)
    "csv": (".csv.gz", "CSV（gzip 圧縮）", "application/gzip"),
    "json": (".json.gz", "JSON（gzip 圧縮）", "application/gzip"),
    "xlsx": (".xlsx", "Excel（.xlsx）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
RETRY_AFTER_SECONDS = 5
# A queued or running build nobody finished after this long (its worker died) is queued again.
STALLED_AFTER = datetime.timedelta(hours=1)
# A failed build is tried again by a request this long after it failed, not by every reload.
RETRY_FAILED_AFTER = datetime.timedelta(minutes=1)


class PreparedExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "準備待ち"
        BUILDING = "building", "作成中"
        READY = "ready", "完成"
        FAILED = "failed", "失敗"
        SUPERSEDED = "superseded", "内容の更新で不要"

    digest = models.CharField(max_length=32, db_index=True)  # export.export_digest: format, site, filter
    extension = models.CharField(max_length=4)
    content_version = models.CharField(max_length=32)
    query_string = models.TextField(blank=True)  # the honoured filter, to build it again on the worker
    base_url = models.CharField(max_length=300)  # where the records' links point
    description = models.CharField(max_length=200)  # 「テレワークの推進×広島県」, 「全件」
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.CharField(max_length=300, blank=True)  # its name on the storage
    size = models.BigIntegerField(null=True)
    case_count = models.IntegerField(null=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["digest", "content_version"], name="one_export_per_version")]

    def __str__(self) -> str:
        return f"{self.description}（{self.extension}、{self.get_status_display()}）"

    @property
    def is_dataset(self) -> bool:
        return not self.query_string

    @property
    def format_label(self) -> str:
        return FORMATS[self.extension][1]

    def url(self) -> str:
        return default_storage.url(self.file)


def case_count(query: CaseQuery) -> int:
    """How many cases the export holds, kept on its own under the content version: a big export asked
    again is answered from one small entry, not from its list of ids (40,000 of them at 200,000 cases)."""
    return cached("export-count", query.state_key, lambda: len(query.result_ids()), small=True)


def is_too_big(query: CaseQuery) -> bool:
    return case_count(query) > settings.CASEBOOK_EXPORT_INLINE_MAX_CASES


def latest_dataset(digest: str) -> PreparedExport | None:
    """The newest finished dataset file of this format and site, whatever content version it was built from."""
    return (
        PreparedExport.objects.filter(digest=digest, status=PreparedExport.Status.READY)
        .order_by("-finished_at")
        .first()
    )


def request_build(
    query: CaseQuery, summary: FilterSummary, base_url: str, extension: str, version: str | None = None
) -> PreparedExport:
    """The build of this export for the content version, queued on the worker unless it already is."""
    version = version or content_version()
    defaults = {
        "extension": extension,
        "query_string": summary.query_string().lstrip("?") if summary.is_filtered else "",
        "base_url": base_url,
        "description": summary.description(),
    }
    digest = export_digest(query, base_url, extension)
    try:
        with transaction.atomic():
            export, created = PreparedExport.objects.get_or_create(
                digest=digest, content_version=version, defaults=defaults
            )
    except IntegrityError:  # another request queued it at the same moment
        return PreparedExport.objects.get(digest=digest, content_version=version)
    stalled = export.status in (export.Status.QUEUED, export.Status.BUILDING) and (
        export.requested_at < timezone.now() - STALLED_AFTER
    )
    failed = export.status == export.Status.FAILED and export.finished_at < timezone.now() - RETRY_FAILED_AFTER
    if not created and (failed or stalled):
        # Asked again a while after a failure, or its worker died: one request queues it again.
        if not PreparedExport.objects.filter(pk=export.pk, status=export.status).update(
            status=export.Status.QUEUED, requested_at=timezone.now(), error=""
        ):
            return export
        export.refresh_from_db()
        created = True
    if created:
        transaction.on_commit(lambda: build_prepared_export.using(backend="imports").enqueue(export.pk))
    return export


def respond(request, query: CaseQuery, summary: FilterSummary, base_url: str, extension: str):
    """A big export's answer: a redirect to the file when it is ready (303), else the context of the
    page that says it is coming (the caller renders it with preparing_response)."""
    digest = export_digest(query, base_url, extension)
    if not summary.is_filtered and (dataset := latest_dataset(digest)):
        return HttpResponseRedirect(dataset.url(), status=303)
    ready = PreparedExport.objects.filter(
        digest=digest, content_version=content_version(), status=PreparedExport.Status.READY
    ).first()
    if ready is not None:
        return HttpResponseRedirect(ready.url(), status=303)
    export = None if request.method == "HEAD" else request_build(query, summary, base_url, extension)
    return {
        "export": export,
        "count": case_count(query),
        "format_label": FORMATS[extension][1],
        "subject": summary.subject(),
        "failed": export is not None and export.status == export.Status.FAILED,
        "no_worker": bool(worker_missing("imports")),
        "retry_after": RETRY_AFTER_SECONDS,
        "meta_title": "出力を準備しています",
    }


def preparing_response(response):
    """The page of an export being prepared: 202, to be asked again after Retry-After, never kept."""
    response.status_code = 202
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@task()
def build_prepared_export(export_id: int) -> None:
    """Build one queued export into a file on the storage. A filtered export whose content version has
    passed is skipped (nobody can be sent to it); a dataset is built from the content as it is when the
    build starts, and built once more if the content changed while it was being built."""
    queued = PreparedExport.Status.QUEUED
    if not PreparedExport.objects.filter(pk=export_id, status=queued).update(status=PreparedExport.Status.BUILDING):
        return  # built, skipped or taken by another worker
    export = PreparedExport.objects.get(pk=export_id)
    version = content_version()
    if export.content_version != version:
        if not export.is_dataset:
            PreparedExport.objects.filter(pk=export_id).update(status=PreparedExport.Status.SUPERSEDED)
            return
        try:  # the version it holds: the one it is built from
            with transaction.atomic():
                PreparedExport.objects.filter(pk=export_id).update(content_version=version)
        except IntegrityError:
            pass  # a build of that version was asked for too; this one still holds the newest content
    try:
        name, size, count = write_file(export)
    except Exception as error:
        logger.exception("export %s failed", export_id)
        PreparedExport.objects.filter(pk=export_id).update(
            status=PreparedExport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return
    PreparedExport.objects.filter(pk=export_id).update(
        status=PreparedExport.Status.READY, file=name, size=size, case_count=count, finished_at=timezone.now()
    )
    if export.is_dataset:
        retire_datasets(export.digest, keep=export_id)
        if content_version() != version:  # changes came in while it was built: once more, for them
            request_datasets(export.base_url)


def write_file(export: PreparedExport) -> tuple[str, int, int]:
    """Build the export into a temporary file, then save it on the storage: (its name, bytes, cases)."""
    query, summary = read_filters(QueryDict(export.query_string))
    plan = current_plan()
    ids = query.result_ids()
    suffix, _, _ = FORMATS[export.extension]
    with tempfile.TemporaryFile() as out:
        if export.extension == "xlsx":
            build_workbook(query, summary, export.base_url, file=out)
            out.seek(0, os.SEEK_END)
        else:
            chunks = (
                csv_chunks(query, export.base_url, plan, ids)
                if export.extension == "csv"
                else json_chunks(query, summary, export.base_url, plan, ids)
            )
            # mtime=0: the same content makes the same bytes.
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as packed:
                for chunk in chunks:
                    packed.write(chunk.encode())
        size = out.tell()
        out.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        folder = "datasets" if export.is_dataset else "exports"
        name = default_storage.save(f"{folder}/casebook-cases-{stamp}-{export.digest[:12]}{suffix}", File(out))
    return name, size, len(ids)


def retire_datasets(digest: str, keep: int) -> None:
    """Once a newer dataset file is ready, the older ones of its format and site go."""
    for old in PreparedExport.objects.filter(digest=digest).exclude(pk=keep):
        if old.status in (old.Status.QUEUED, old.Status.BUILDING) and old.requested_at > timezone.now() - STALLED_AFTER:
            continue  # a newer build is still to finish
        delete_file(old)


def delete_file(export: PreparedExport) -> None:
    if export.file:
        try:
            default_storage.delete(export.file)
        except OSError:
            logger.warning("could not delete %s", export.file, exc_info=True)
            return
    export.delete()


def dataset_requests(base_url: str) -> list[tuple[CaseQuery, FilterSummary, str, str]]:
    """(query, summary, base URL, extension) of each dataset file."""
    query, summary = read_filters(QueryDict())
    return [(query, summary, base_url, extension) for extension in FORMATS]


def request_datasets(base_url: str) -> int:
    """Queue the dataset's files for the current content version; how many were queued now. A format
    whose build is queued or running is left alone: that build reads the content when it starts, and
    builds again at its end if the content changed meanwhile, so a burst of changes (an import, a
    command) costs one build, not one per change."""
    version = content_version()
    queued = 0
    pending = [PreparedExport.Status.QUEUED, PreparedExport.Status.BUILDING]
    for query, summary, url, extension in dataset_requests(base_url):
        digest = export_digest(query, url, extension)
        exports = PreparedExport.objects.filter(digest=digest)
        if exports.filter(status__in=pending, requested_at__gt=timezone.now() - STALLED_AFTER).exists():
            continue
        if not exports.filter(content_version=version, status=PreparedExport.Status.READY).exists():
            export = request_build(query, summary, url, extension, version)
            queued += export.status == PreparedExport.Status.QUEUED
    return queued


def datasets(base_url: str) -> list[dict]:
    """For the dataset page: each format with its newest file (or None) and whether a newer one is coming."""
    version = content_version()
    found = []
    for query, _, url, extension in dataset_requests(base_url):
        digest = export_digest(query, url, extension)
        newest = latest_dataset(digest)
        coming = PreparedExport.objects.filter(
            digest=digest,
            content_version=version,
            status__in=[PreparedExport.Status.QUEUED, PreparedExport.Status.BUILDING],
        ).exists()
        found.append({"extension": extension, "label": FORMATS[extension][1], "file": newest, "coming": coming})
    return found


def tidy_prepared_exports() -> dict:
    """Retire filtered exports of old content versions (nobody can be sent to them), and builds that
    were skipped or failed a day ago; the dataset's newest files stay. Returns {"removed": …}."""
    version = content_version()
    removed = 0
    day_ago = timezone.now() - datetime.timedelta(days=1)
    old = PreparedExport.objects.exclude(query_string="").exclude(content_version=version)
    done = PreparedExport.objects.filter(
        status__in=[PreparedExport.Status.SUPERSEDED, PreparedExport.Status.FAILED], requested_at__lt=day_ago
    )
    for export in (old | done).distinct():
        delete_file(export)
        removed += 1
    return {"removed": removed}


def safely(action, *args):
    """Run `action` where a missing table (a database being migrated) must not stop the caller."""
    try:
        with transaction.atomic():
            return action(*args)
    except DatabaseError:
        logger.warning("prepared exports unavailable", exc_info=True)
        return None
