"""The admin's 「事例の取り込み」: upload a CSV or .xlsx, read the dry run (every row: new, update with what
changes, unchanged, or error by row and column), confirm, and watch the job write the drafts in the
background (on the task worker: casebook.base.core.tasks). Moderators and administrators only
(permission cases.import_casepage)."""

import datetime
import io

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.models import Q
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_tasks import task
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from casebook.base.core.spreadsheet import MAX_ROWS, MAX_UPLOAD_BYTES, SpreadsheetError, read_table, xlsx_text
from casebook.base.core.tasks import beating, silent_after, worker_missing
from casebook.site.editorial.models import ImportJob
from cases.intake.importer import COLUMNS, EXAMPLE_MARK, EXPORT_ONLY, REQUIRED, apply_import, plan_import
from cases.models import CaseIndexPage
from cases.reuse.fields import CSV_COLUMNS_EXPLAINED

PERMISSION = "cases.import_casepage"
STALE_JOB = datetime.timedelta(hours=1)  # a queued job no worker took in this long is ended
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def allowed(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def page(request, template: str, context: dict, status: int = 200):
    return render(
        request, template, {"page_title": "事例の取り込み", "header_title": "事例の取り込み", **context}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    """The upload form; a posted file is read whole and answered with its dry run."""
    allowed(request)
    if request.method != "POST":
        return page(request, "editorial/import_start.html", limits())
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = "取り込むファイル（CSV か .xlsx）を選んでください。"
    elif upload.size > MAX_UPLOAD_BYTES:
        error = f"ファイルが大きすぎます（上限 {MAX_UPLOAD_BYTES // 1024 // 1024}MB）。"
    if error:
        return page(request, "editorial/import_start.html", {**limits(), "error": error}, status=400)
    data = upload.read()
    try:
        plan = plan_import(read_table(data, upload.name))
    except SpreadsheetError as refused:
        return page(request, "editorial/import_start.html", {**limits(), "error": str(refused)}, status=400)
    job = ImportJob.objects.create(user=request.user, filename=upload.name[:255], data=data, summary=plan.summary())
    return page(request, "editorial/import_report.html", {"plan": plan, "job": job})


def limits() -> dict:
    index = CaseIndexPage.objects.first()
    fields_url = f"{index.url}{index.reverse_subpage('export_fields')}" if index else ""
    return {
        "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        "max_rows": MAX_ROWS,
        "fields_url": fields_url,
        "no_worker": worker_missing("imports"),
    }


@require_http_methods(["POST"])
def confirm(request, job_id):
    """Run a checked job in the background; its page shows the progress."""
    allowed(request)
    job = get_object_or_404(ImportJob, pk=job_id, user=request.user)
    # Only the request that moves the job from checked to queued starts it (a double click starts it once).
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(status=ImportJob.Status.QUEUED):
        run_import.using(backend="imports").enqueue(str(job.pk))
    return HttpResponseRedirect(reverse("editorial_import_job", args=[job.pk]))


def job_view(request, job_id):
    allowed(request)
    job = get_object_or_404(ImportJob, pk=job_id, user=request.user)
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        reap_stalled_jobs()
        job.refresh_from_db()
    waiting = job.status == ImportJob.Status.QUEUED and worker_missing("imports")
    return page(request, "editorial/import_job.html", {"job": job, "no_worker": waiting})


LOST = "処理が途中で止まりました（サーバーやワーカーの停止など）。何も書き込んでいません。もう一度取り込んでください。"
NEVER_RUN = "タスクワーカーが動いていないため実行されませんでした。何も書き込んでいません。もう一度取り込んでください。"


def reap_stalled_jobs() -> int:
    """End as 失敗 the running jobs whose heartbeat went quiet (their process died: all or nothing, so
    nothing was written) and the jobs queued so long ago that no worker ever took them."""
    now = timezone.now()
    quiet = now - silent_after()
    stalled = ImportJob.objects.filter(status=ImportJob.Status.RUNNING).filter(
        Q(heartbeat_at__lt=quiet) | Q(heartbeat_at__isnull=True, created_at__lt=quiet)
    )
    forgotten = ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=now - STALE_JOB)
    try:
        ended = stalled.update(status=ImportJob.Status.FAILED, message=LOST, finished_at=now)
        if worker_missing("imports"):  # a busy worker takes it later: only a job no worker will take ends
            ended += forgotten.update(status=ImportJob.Status.FAILED, message=NEVER_RUN, finished_at=now)
    except OperationalError:
        # SQLite: a running import holds the write lock, so its job is alive; the next look ends it if not.
        return 0
    return ended


def still_running(job_id):
    """Checked inside the import's transaction, as it ends: a job the reaper has already ended as 失敗
    (its heartbeat looked dead) rolls back, so 「何も書き込んでいません」 stays true."""

    def check():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, status=ImportJob.Status.RUNNING)
        if not job.exists():
            raise ValueError(LOST)

    return check


@task()
def run_import(job_id: str) -> None:
    """Check the file again (cases may have changed since the dry run), then write it all or nothing,
    with a heartbeat and the progress on the job's row."""
    # Only a queued job starts: one already ended (never taken by a worker, then reaped) stays as it is.
    started = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now()
    )
    if not started:
        return
    job = ImportJob.objects.get(pk=job_id)
    seen = {"done": 0, "total": 0}

    def beat():
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
            heartbeat_at=timezone.now(), progress_done=seen["done"], progress_total=seen["total"]
        )

    def progress(done, total):
        seen.update(done=done, total=total)

    try:
        with beating(beat):
            plan = plan_import(read_table(bytes(job.data), job.filename))
            if not plan.ok:
                raise ValueError("ファイルを確かめ直したところエラーがありました:\n" + "\n".join(plan.errors[:50]))
            index = CaseIndexPage.objects.first()
            if index is None:
                raise ValueError("事例の一覧のページがないため、取り込めません。")
            seen["total"] = sum(row.action in ("new", "update") for row in plan.rows)
            result = apply_import(plan, index, job.user, progress=progress, before_commit=still_running(job.pk))
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, message=str(error)[:5000], finished_at=timezone.now()
        )
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        summary=plan.summary(),
        created=result.created,
        updated=result.updated,
        progress_done=seen["done"],
        finished_at=timezone.now(),
    )


EXAMPLE = {
    # Only the forms of the values are examples: no fact about a real town is stated here.
    "タイトル": f"{EXAMPLE_MARK}書かない窓口の導入",
    "概要": "（記入例）この行は消してから使ってください。2〜3文の要約を書きます。",
    "団体コード": "342084",
    "連携団体コード": "",
    "重点取組事項スラッグ": "frontyard-reform",
    "財源制度": "地方創生推進交付金",
    "タグ": "窓口 / 書かない窓口",
    "年度（西暦）": "令和5年度",
    "事業費（円）": "1,040万円",
    "事業費の年度（西暦）": "2023",
    "開始年": "2023",
    "開始月": "10",
    "その後の状況": "継続中",
    "状況の時点": "2024-04-01",
    "成果の詳細": "窓口の待ち時間 | 10 | 分 | 2023年度 | 30分",
    "出典": "（資料名） | https://www.example.lg.jp/ | （補足）",
    "本文": "【取り組み内容】（見出し）\n（段落の文章）\n・（箇条書きの項目）",
}


def template_download(request):
    """An .xlsx in the import's columns: a 記入例 row and a 説明 sheet."""
    allowed(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("事例")
    headers = [column.header for column in COLUMNS]
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            40 if header in ("概要", "成果の詳細", "出典", "本文") else 18
        )
    sheet.append([xlsx_text(WriteOnlyCell(sheet), header) for header in headers])
    sheet.append([xlsx_text(WriteOnlyCell(sheet), EXAMPLE.get(header, "")) for header in headers])
    about = book.create_sheet("説明")
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 90
    required = {name for names in REQUIRED for name in names}
    lines = [
        (
            "使い方",
            "「事例」シートの2行目は記入例です。消してから1事例を1行に書きます。事例の出力（export.csv・export.xlsx）もそのまま取り込めます。",
        ),
        (
            "スラッグ",
            "空欄なら新しい事例（同じタイトル・主体の団体の事例があればその事例）。既存の事例のスラッグなら、その事例の更新です。",
        ),
        ("取り込み後", "新しい事例も更新も承認待ちの下書きになります。承認されるまで公開中の内容は変わりません。"),
        ("上限", f"{MAX_ROWS:,}行、{MAX_UPLOAD_BYTES // 1024 // 1024}MBまで。数式のセルは値に直してから。"),
        ("読まない列", "、".join(sorted(EXPORT_ONLY)) + "（出力専用）。ほかの見出しの列は読まずに一覧で知らせます。"),
    ]
    for header in headers:
        mark = "（必須）" if header in required else ""
        lines.append((f"{header}{mark}", CSV_COLUMNS_EXPLAINED.get(header, "")))
    for label, text in lines:
        about.append([xlsx_text(WriteOnlyCell(about), label), xlsx_text(WriteOnlyCell(about), text)])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename="casebook_事例の取り込み_ひな形.xlsx", content_type=XLSX)
