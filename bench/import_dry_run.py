"""The spreadsheet import's dry run at volume: 2,000 rows (the seed's 5 cases and 1,995 new ones, every
column filled as the export writes it) as UTF-8 CSV, Shift_JIS CSV and .xlsx. Target: under 30 s and
under 300 MB each. Each file is checked in a fresh process (Django and the app loaded, as the
command runs), timed from reading the file to the finished report, with the process's peak memory.

    .venv/bin/python bench/import_dry_run.py            # a fresh SQLite database with the seed
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casebook_bench_import .venv/bin/python bench/import_dry_run.py
"""

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings.dev")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/casebook-bench-import.sqlite3")
ROWS = 2_000
WORK = Path("/tmp/casebook-bench-import")


def setup_database():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_initial_content", verbosity=0)


def exported(query: str = "") -> list[list[str]]:
    from django.test import Client

    response = Client(HTTP_HOST="127.0.0.1").get(f"/cases/export.csv{query}")
    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def build_files() -> dict[str, Path]:
    """The seed's export and new rows spread over the national list, measures and years; then 2,000
    existing cases (synthetic ones, made if missing) as exported, every other one with a new title."""
    from openpyxl import Workbook

    from casebook.base.taxonomy.models import Municipality
    from cases.models import CasePage
    from measures.models import MeasurePage

    rows = exported()
    header, seed = rows[0], [row for row in rows[1:] if not row[2].startswith("【サンプル】")]
    at = {name: header.index(name) for name in header}
    codes = list(Municipality.objects.order_by("code").values_list("code", flat=True))
    measures = list(MeasurePage.objects.order_by("path").values_list("slug", flat=True))
    body = seed[0][at["本文"]]
    new = []
    for n in range(ROWS - len(seed)):
        row = [""] * len(header)
        row[at["タイトル"]] = f"試験用の事例 {n:04d}: 窓口と庁内のデジタル化"
        row[at["概要"]] = "試験用の行です。" * 8
        row[at["団体コード"]] = codes[n % len(codes)]
        row[at["重点取組事項スラッグ"]] = " / ".join(measures[i % len(measures)] for i in (n, n + 3))
        row[at["タグ"]] = "試験 / 窓口"
        row[at["年度（西暦）"]] = f"令和{1 + n % 6}年度"
        row[at["事業費（円）"]] = f"{(n % 900) + 100:,}万円"
        row[at["事業費の年度（西暦）"]] = f"R{1 + n % 6}"
        row[at["開始年"]], row[at["開始月"]] = str(2019 + n % 6), str(1 + n % 12)
        row[at["成果の詳細"]] = "処理時間 | 約30 | 分 | 導入後1年 | 60分\n利用者数 | 1,200 | 人"
        row[at["出典"]] = f"試験用の資料 {n} | https://www.example.lg.jp/{n}/ | 2024年"
        row[at["本文"]] = body
        new.append(row)
    WORK.mkdir(exist_ok=True)
    files = {}
    table = [header, *seed, *new]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    files["new, CSV (UTF-8)"] = WORK / "rows-utf8.csv"
    files["new, CSV (UTF-8)"].write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    files["new, CSV (Shift_JIS)"] = WORK / "rows-sjis.csv"
    files["new, CSV (Shift_JIS)"].write_bytes(out.getvalue().encode("cp932", errors="replace"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("事例")
    for row in table:
        sheet.append(row)
    files["new, .xlsx"] = WORK / "rows.xlsx"
    book.save(files["new, .xlsx"])

    synthetic = CasePage.objects.filter(title__startswith="【サンプル】").count()
    if synthetic < ROWS:
        from django.core.management import call_command

        call_command("generate_cases", count=ROWS - synthetic, verbosity=0)
    existing = [row for row in exported()[1:] if row[2].startswith("【サンプル】")][:ROWS]
    for n, row in enumerate(existing):
        if n % 2:
            row[at["タイトル"]] += "（改）"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *existing])
    files["existing, CSV (UTF-8)"] = WORK / "existing-utf8.csv"
    files["existing, CSV (UTF-8)"].write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    return files


def check_one(path: str) -> None:
    """In a fresh process: read and plan the file; print seconds, peak MB and the summary as JSON."""
    import django

    django.setup()
    from casebook.base.core.spreadsheet import read_table
    from cases.intake.importer import plan_import

    started = time.perf_counter()
    plan = plan_import(read_table(Path(path).read_bytes(), path))
    seconds = time.perf_counter() - started
    # VmHWM: this process's own peak (ru_maxrss would carry the parent's over the exec).
    status = Path("/proc/self/status").read_text()
    peak_mb = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "summary": plan.summary(), "rows": len(plan.rows)}))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        return check_one(sys.argv[2])
    setup_database()
    files = build_files()
    print(f"{ROWS:,} rows; database {os.environ['DATABASE_URL'].split('@')[-1]}")
    print("| file | size | dry run | peak memory | result |")
    print("| --- | --- | --- | --- | --- |")
    for name, path in files.items():
        output = (
            subprocess.run(
                [sys.executable, __file__, "--one", str(path)],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        result = json.loads(output)
        size = path.stat().st_size / 1024 / 1024
        print(
            f"| {name} | {size:.1f} MB | {result['seconds']:.1f} s | {result['peak_mb']:.0f} MB | {result['summary']} |"
        )


if __name__ == "__main__":
    main()
