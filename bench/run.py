"""make bench: the case library at the seed's size and at 20,000 cases, on SQLite and PostgreSQL.

For each database and size it builds a fresh database (migrate, seed content, generate_cases),
serves it with gunicorn (2 workers, production settings, behind X-Forwarded-Proto: https) on
127.0.0.1, drives each URL with wrk (8 connections) and prints one table: p50, p99, req/s and
errors per URL × database × size, with the 20,000 / seed ratio of p50. Before each URL's run
the caches (Redis and the export files) are emptied and one request is timed alone, five times:
the "uncached" column is their median, what a filter or query nobody asked for yet costs. The
caches are also emptied between databases and sizes, so one database's entries are never
measured on another. At the large size a task worker is then started (never beside the timed requests):
it builds the dataset of every case (CSV, JSON, xlsx) and the big filtered exports the table queued, and
the run reports how long that took, the files' sizes, each dataset file's download through the site,
the size of one case's JSON record, and the gunicorn workers' and the task worker's peak RSS. An export
that answers 202 (too big to stream) is prepared by a task worker before its warm rounds, so that they
time what later readers get, the 303 to the file; its uncached column is the 202. --urls TEXT runs only
the URLs containing TEXT (and the static file), without the full exports.

With --baseline REV the same data is also served by the code of REV (checked out in a temporary git
worktree, run with this venv) by a second gunicorn beside this tree's, each with its own Redis
database and cache folders; each URL is driven on the two in turn, --rounds times, and the medians
are compared in a second table: the before and after of a change, measured in one run on the same
data and under the same load, so that a drift of the machine falls on both alike. The database is
built by REV's code, then copied, and the copy migrated and completed (load_initial_content) by this
tree's: each tree reads its own schema, and both hold the same generated cases.

Each database also gets a count of the SQL queries one uncached request makes per list URL
(bench/queries.py), by each tree's code: the list's bound must hold at 20,000 cases.

    .venv/bin/python bench/run.py [--cases 20000] [--seconds 10] [--rounds 3] [--only sqlite|postgresql]
                                  [--baseline REV] [--reuse] [--urls TEXT]

--reuse serves a database that an earlier run built from the same fingerprint (seed content and
generator, count), migrated to this tree, instead of building it again: 200,000 cases take minutes to
build; the notes say how long the build took. (The fingerprint does not cover the models or the search
tokenizer: after changing those, run without --reuse.)
"""

import argparse
import gzip
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORTS = {"after": 8801, "before": 8802}
REDIS_DATABASES = {"after": 3, "before": 4}
PG = "postgres://postgres@127.0.0.1:5432/"
COLD_REQUESTS = 5
CACHE_ROOT = Path(tempfile.gettempdir()) / "casebook-bench-cache"
URLS = [
    "/cases/",
    "/cases/?measure=telework&prefecture=34",
    "/cases/?measure=security&region=kanto&sort=cost",
    "/search/?q=観光",
    # Found only in the seed's 名古屋市 case (the generated cases never use the word): the same
    # payload at both sizes, where 観光 finds 2 cases at the seed's size and a full page at 20,000.
    "/search/?q=仮想",
    # #16: a measure that covers its predecessor's cases (the crosswalk), and cases near 府中市
    # nearest first. The code before #16 knew neither (it lists everything with a note), so only
    # the after column compares across sizes.
    "/cases/?measure=frontyard-reform",
    "/cases/?near=342084&within=100",
    "/cases/export.json?q=交付金&measure=telework",
    # The same payload at both sizes (only the seed's 名古屋市 case says 仮想): what an export costs per case
    # kept apart from how many cases it holds.
    "/cases/export.json?q=仮想",
    "/cases/nagoya-vdi/",
    # #30: towns of 府中市's size, and a population band.
    "/cases/?similar=342084",
    "/cases/?population=30k-100k",
    # #31: the pages the list's table did not measure.
    "/",
    "/measures/telework/",
    "/cases/stats/",
    "/cases/feed/",
    "STATIC",
]


def env_for(database_url: str, label: str = "after") -> dict:
    """Settings for one server; each label has its own Redis database and cache folders."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "casebook.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Production refuses to start without the site's address (the requests say https, as a proxy would).
        "CASEBOOK_BASE_URL": "https://127.0.0.1",
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DATABASES[label]}",
        "EXPORT_CACHE_DIR": str(CACHE_ROOT / label / "exports"),
        "CACHE_DIR": str(CACHE_ROOT / label / "files"),
        # The exports the task worker builds (kept between runs with the database: --reuse).
        "MEDIA_ROOT": str(CACHE_ROOT / label / "media"),
        "LOG_LEVEL": "WARNING",
    }


def tree_env(env: dict, tree: Path) -> dict:
    """The environment for running `tree`'s code with this venv. This venv holds the project as an
    editable install, whose import hook would serve this tree's modules where the other tree has none
    (a module added since): the other tree's sitecustomize.py (baseline_tree) removes the hook."""
    return env if tree == ROOT else {**env, "PYTHONPATH": str(tree)}


def manage(env, *args, tree: Path = ROOT):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=tree, env=tree_env(env, tree), check=True, stdout=subprocess.DEVNULL
    )


def psql(sql: str):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def database_url(vendor: str, size: str, template: str | None = None) -> str:
    """A new, empty database, or a copy of `template` (a URL this function made)."""
    suffix = "-after" if template else ""
    if vendor == "sqlite":
        path = Path(f"/tmp/casebook-bench-{size}{suffix}.sqlite3")
        path.unlink(missing_ok=True)
        if template:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    name = f"casebook_bench_{size}{suffix.replace('-', '_')}"
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template.rsplit('/', 1)[1]}" if template else ""))
    return PG + name


def fingerprint(tree: Path, cases: int) -> str:
    """What the generated cases depend on: the seed content and its code, and the count. (A kept
    database is migrated and completed by load_initial_content before it is served, as a deploy would.)"""
    digest = hashlib.sha256(str(cases).encode())
    files = [*(tree / "casebook" / "site" / "seed").glob("**/*.py")]
    files += [p for p in (tree / "fixtures").glob("**/*") if p.is_file()]
    for path in sorted(p for p in files if ".venv" not in p.parts):
        digest.update(str(path.relative_to(tree)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def kept_database(vendor: str, size: str, mark: str) -> tuple[str, str] | None:
    """(URL, how it was built) of a database an earlier run built from the same fingerprint, if any."""
    if vendor == "sqlite":
        path = Path(f"/tmp/casebook-bench-{size}.sqlite3")
        label = path.with_suffix(".built")
        if path.exists() and label.exists() and label.read_text().startswith(mark + " "):
            return f"sqlite:///{path}", label.read_text().split(" ", 1)[1]
        return None
    name = f"casebook_bench_{size}"
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if out.startswith(mark + " "):
        return PG + name, out.split(" ", 1)[1]
    return None


def keep_database(vendor: str, size: str, url: str, mark: str, how: str) -> None:
    if vendor == "sqlite":
        Path(url.removeprefix("sqlite:///")).with_suffix(".built").write_text(f"{mark} {how}")
    else:
        psql(f"COMMENT ON DATABASE {url.rsplit('/', 1)[1]} IS '{mark} {how}'")


def build(vendor: str, size: str, cases: int, trees: dict, reuse: bool = False) -> tuple[dict, str]:
    """The database each tree serves: built by the baseline's code (or this tree's), and with a
    baseline, a copy that this tree's code migrates and completes. With `reuse` (and no baseline), a
    database an earlier run built from the same seed content, generator and count is served again."""
    first = trees.get("before", ROOT)
    mark = fingerprint(first, cases if size != "seed" else 0)
    if reuse and "before" not in trees and (kept := kept_database(vendor, size, mark)):
        url, how = kept
        manage(env_for(url), "migrate", "--noinput")
        manage(env_for(url), "load_initial_content")
        return {"after": url}, f"{vendor} {size}: {how} (an earlier run's, same fingerprint {mark}; migrated)"
    url = database_url(vendor, size)
    env = env_for(url)
    started = time.monotonic()
    manage(env, "migrate", "--noinput", tree=first)
    manage(env, "load_initial_content", tree=first)
    generated = 0.0
    if size != "seed":
        generating = time.monotonic()
        manage(env, "generate_cases", "--count", str(cases), "--seed", "1", tree=first)
        generated = time.monotonic() - generating
    urls = {"after": url}
    if "before" in trees:
        urls = {"before": url, "after": database_url(vendor, size, template=url)}
        manage(env_for(urls["after"]), "migrate", "--noinput")
        manage(env_for(urls["after"]), "load_initial_content")
    took = time.monotonic() - started
    how = f"built in {took:.0f} s (generate_cases {generated:.0f} s), {database_size(vendor, urls['after'])}"
    if "before" not in trees:
        keep_database(vendor, size, urls["after"], mark, how)
    return urls, f"{vendor} {size}: {how}"


def query_counts(trees: dict, urls: dict) -> dict:
    """(label, path) → SQL queries of one uncached request, by each tree's code (bench/queries.py)."""
    counts = {}
    for label, tree in trees.items():
        out = subprocess.run(
            [
                PYTHON,
                str(ROOT / "bench" / "queries.py"),
                *[p for p in URLS if p != "STATIC"],
            ],
            cwd=tree,
            env={**env_for(urls[label], label), "PYTHONPATH": str(tree)},
            capture_output=True,
            text=True,
            check=True,
        )
        for path, count in json.loads(out.stdout).items():
            counts[(label, path)] = count
    return counts


def database_size(vendor: str, url: str) -> str:
    if vendor == "sqlite":
        return f"{Path(url.removeprefix('sqlite:///')).stat().st_size / 1e6:.0f} MB"
    name = url.rsplit("/", 1)[1]
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT pg_database_size('{name}')"],
        capture_output=True,
        text=True,
        check=True,
    )
    return f"{int(out.stdout) / 1e6:.0f} MB"


def static_url(tree: Path = ROOT) -> str:
    manifest = json.loads((tree / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/casebook.css"]


def serve(env, tree: Path, port: int):
    flush_cache(env)
    server = subprocess.Popen(
        [GUNICORN, "casebook.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=tree,
        env=tree_env(env, tree),
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(request(port, "/cases/"), timeout=30)
            return server
        except Exception:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not answer")


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def request(port: int, path: str):
    return urllib.request.Request(
        f"http://127.0.0.1:{port}{urllib.parse.quote(path, safe='/?=&')}",
        headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"},
    )


def percentile_ms(out: str, percent: int) -> float:
    found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk output without a {percent}% line:\n{out}")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def timed_get(port: int, path: str) -> tuple[float, int]:
    """One request, read to the end: (milliseconds, bytes)."""
    started = time.perf_counter()
    body = urllib.request.urlopen(request(port, path), timeout=300).read()
    return (time.perf_counter() - started) * 1000, len(body)


def flush_cache(env) -> None:
    """Empty this server's Redis database and its export and file caches."""
    for folder in (env["EXPORT_CACHE_DIR"], env["CACHE_DIR"]):
        shutil.rmtree(folder, ignore_errors=True)
    location = urllib.parse.urlparse(env["REDIS_URL"])
    database = location.path.strip("/") or "0"
    subprocess.run(
        ["redis-cli", "-h", location.hostname, "-p", str(location.port or 6379), "-n", database, "FLUSHDB"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def new_content_version(database_url: str) -> None:
    """What a publish does to the cache: a new token in the database (processes keep small entries
    in memory under the old one)."""
    sql = "UPDATE core_contentversion SET token = lower(hex(randomblob(16))) WHERE id = 1"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            db.execute(sql)
    else:
        sql = "UPDATE core_contentversion SET token = md5(random()::text) WHERE id = 1"
        subprocess.run(["psql", database_url, "-qc", sql], check=True, stdout=subprocess.DEVNULL)


def cold(port: int, path: str, env) -> tuple[float, int]:
    """The median of COLD_REQUESTS requests, each after a content change with nothing cached: what a
    filter or query nobody has asked for since the last publish costs; and the response's bytes."""
    colds = []
    for _ in range(COLD_REQUESTS):
        flush_cache(env)
        new_content_version(env["DATABASE_URL"])
        colds.append(timed_get(port, path)[0])
    length = timed_get(port, path)[1]  # and the caches are warm again
    return statistics.median(colds), length


def warm(port: int, path: str, seconds: int) -> dict:
    url = f"http://127.0.0.1:{port}{urllib.parse.quote(path, safe='/?=&')}"
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "--timeout", "30s", "-H", "X-Forwarded-Proto: https", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|errors: connect|read|write|timeout) (\d+)", out)
    )
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors = sum(int(n) for n in socket.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    return {
        "p50": percentile_ms(out, 50),
        "p99": percentile_ms(out, 99),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "errors": errors,
    }


def peak_worker_rss_mb(server) -> float:
    """The highest peak RSS (VmHWM) of gunicorn's worker processes so far."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024)
    return max(peaks)


def worker_peak_rss_mb(process) -> float:
    """The peak RSS (VmHWM) of a process and its children (the task worker)."""
    pids = [process.pid, *Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024)
    return max(peaks)


def sql_rows(database_url: str, sql: str) -> list[tuple]:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return db.execute(sql).fetchall()
    out = subprocess.run(["psql", database_url, "-tAF", "\t", "-c", sql], capture_output=True, text=True, check=True)
    return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]


def wait_for_prepared(database_url: str, where: str, limit: float = 3600) -> float:
    """Seconds until no prepared export matching `where` is queued or being built (cases/reuse/prepared.py)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        (pending,) = sql_rows(
            database_url,
            f"SELECT count(*) FROM cases_preparedexport WHERE status IN ('queued', 'building') AND {where}",
        )
        if int(pending[0]) == 0:
            return time.monotonic() - started
        time.sleep(1)
    raise RuntimeError(f"prepared exports still pending after {limit:.0f} s: {where}")


def start_worker(env: dict):
    return subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--backend", "imports", "--queue-name", "*"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )


def prepare_if_big(port: int, path: str, env: dict, worker=None) -> float | None:
    """An export that answers 202 built by a task worker (this one, or one started for it): the seconds
    it took, or None for an export small enough to stream. measure() calls it before an export's warm
    rounds, as a running fleet would build it after its first request, so the rounds time the 303 to the
    file that later readers get."""
    first = urllib.request.urlopen(request(port, path), timeout=300)
    first.read()
    if first.status != 202:
        return None
    # Not the dataset's builds that migrate and load_initial_content queued: full_exports times those.
    sql_rows(env["DATABASE_URL"], "DELETE FROM cases_preparedexport WHERE query_string = '' AND status <> 'ready'")
    own = worker is None
    worker = start_worker(env) if own else worker
    try:
        return wait_for_prepared(env["DATABASE_URL"], "query_string <> ''")
    finally:
        if own:
            stop(worker)


def full_exports(server, port: int, vendor: str, size: str, env: dict) -> list[str]:
    """The exports too big to build while a request waits: the task worker (started only now, so that it
    never runs beside the timed requests) builds the dataset of every case and the big filtered export the
    table asked for; then each dataset file is downloaded through the site (a 303 to the file), with the web
    workers' and the task worker's peak RSS."""
    notes = []
    database_url = env["DATABASE_URL"]
    sql_rows(database_url, "DELETE FROM cases_preparedexport")  # built now, and timed
    worker = start_worker(env)
    try:
        manage(env, "scheduled", "datasets")
        took = wait_for_prepared(database_url, "query_string = ''")
        built = sql_rows(
            database_url,
            "SELECT extension, size, case_count FROM cases_preparedexport WHERE query_string = '' AND status = 'ready'",
        )
        files = ", ".join(f"{ext} {int(bytes_) / 1e6:.0f} MB" for ext, bytes_, _ in sorted(built))
        notes.append(
            f"{vendor} {size}: the dataset ({built[0][2]} cases) built by the task worker in {took:.0f} s: {files}; "
            f"worker peak RSS {worker_peak_rss_mb(worker):.0f} MB"
        )
        print(notes[-1], flush=True)
        for path in [p for p in URLS if "/export." in p]:
            took = prepare_if_big(port, path, env, worker)
            if took is None:
                continue
            (row,) = sql_rows(
                database_url,
                "SELECT status, case_count, size FROM cases_preparedexport WHERE query_string <> '' "
                "ORDER BY requested_at DESC LIMIT 1",
            )
            status, count, length = row
            sent, _ = timed_get(port, path)  # now a 303 to the file, followed
            notes.append(
                f"{vendor} {size}: `{path}` answered 202, then {status} on the worker in {took:.0f} s "
                f"({count} cases, {int(length or 0) / 1e6:.0f} MB compressed); the file then came in {sent:.0f} ms"
            )
            print(notes[-1], flush=True)
        for path in ("/cases/export.json", "/cases/export.csv", "/cases/export.xlsx"):
            started = time.perf_counter()
            try:
                took, length = timed_get(port, path)
                what = f"{took / 1000:.1f} s, {length / 1e6:.0f} MB"
            except http.client.IncompleteRead as cut:  # the worker was killed mid-stream (its timeout)
                what = f"CUT OFF after {time.perf_counter() - started:.1f} s and {len(cut.partial) / 1e6:.0f} MB"
            notes.append(
                f"{vendor} {size}: `{path}` (all cases, sent to the dataset's file) {what}; "
                f"highest web worker peak RSS so far {peak_worker_rss_mb(server):.0f} MB"
            )
            print(notes[-1], flush=True)
        notes.append(f"{vendor} {size}: {json_record_size(port)}")
        print(notes[-1], flush=True)
    finally:
        stop(worker)
    return notes


def json_record_size(port: int) -> str:
    """How large one case's JSON record is, on average, in the dataset: decompressed and compressed."""
    packed = urllib.request.urlopen(request(port, "/cases/export.json"), timeout=300).read()
    with gzip.GzipFile(fileobj=io.BytesIO(packed)) as stream:
        head = stream.read(4096)
        plain = len(head) + sum(len(block) for block in iter(lambda: stream.read(1 << 20), b""))
    count = int(re.search(rb'"count": (\d+)', head).group(1))
    return (
        f"a case's JSON record in the dataset: {plain / count:,.0f} bytes on average, "
        f"{len(packed) / count:,.0f} bytes compressed ({count} cases)"
    )


def baseline_tree(rev: str) -> Path:
    """REV checked out in a temporary git worktree (this venv's packages serve it too)."""
    tree = Path(tempfile.mkdtemp(prefix="casebook-bench-baseline-"))
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), rev], cwd=ROOT, check=True)
    (tree / "sitecustomize.py").write_text(
        "import sys\n"
        "# bench/run.py: only this tree's modules, not the editable install's (see tree_env).\n"
        "sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, '__module__', '').startswith('__editable__')]\n"
    )
    manage(env_for("sqlite:////tmp/casebook-bench-static.sqlite3"), "collectstatic", "--noinput", "-v0", tree=tree)
    return tree


def measure(trees: dict, urls: dict, vendor: str, size: str, args, results: dict) -> list[str]:
    """Serve the database with each tree at once, and drive every URL on each in turn, args.rounds times."""
    servers = {label: serve(env_for(urls[label], label), tree, PORTS[label]) for label, tree in trees.items()}
    notes = []
    try:
        for path in URLS:
            rounds = {label: [] for label in trees}
            colds, lengths = {}, {}
            for label, tree in trees.items():
                target = static_url(tree) if path == "STATIC" else path
                colds[label], lengths[label] = cold(PORTS[label], target, env_for(urls[label], label))
            if "/export." in path:
                prepare_if_big(PORTS["after"], path, env_for(urls["after"]))
            for _ in range(args.rounds):
                for label, tree in trees.items():
                    target = static_url(tree) if path == "STATIC" else path
                    rounds[label].append(warm(PORTS[label], target, args.seconds))
            for label, runs in rounds.items():
                results[(label, path, vendor, size)] = {
                    "cold": colds[label],
                    "bytes": lengths[label],
                    "p50": statistics.median(r["p50"] for r in runs),
                    "p99": statistics.median(r["p99"] for r in runs),
                    "rps": statistics.median(r["rps"] for r in runs),
                    "errors": sum(r["errors"] for r in runs),
                }
                print(label, vendor, size, path, results[(label, path, vendor, size)], flush=True)
        if size != "seed" and not args.urls:
            notes.extend(full_exports(servers["after"], PORTS["after"], vendor, size, env_for(urls["after"])))
    finally:
        for server in servers.values():
            stop(server)
    return notes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per URL and server; the median counts")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--baseline", help="a git revision to measure on the same databases before this tree")
    parser.add_argument("--urls", help="only the URLs containing this text (and the static file); no full exports then")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="serve a database an earlier run built from the same seed content, generator and count",
    )
    args = parser.parse_args()
    if args.urls:
        URLS[:] = [p for p in URLS if args.urls in p or p == "STATIC"]
    if not shutil.which("wrk"):
        sys.exit("wrk がありません: apt-get install -y wrk")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env_for("sqlite:////tmp/casebook-bench-static.sqlite3"),
        check=True,
    )
    trees = {"after": ROOT}
    if args.baseline:
        trees = {"before": baseline_tree(args.baseline), "after": ROOT}
    vendors = [args.only] if args.only else ["sqlite", "postgresql"]
    results, notes, queries = {}, [], {}
    try:
        for vendor in vendors:
            for size in ("seed", f"{args.cases // 1000}k"):
                urls, note = build(vendor, size, args.cases, trees, reuse=args.reuse)
                notes.append(note)
                print(note, flush=True)
                notes.extend(measure(trees, urls, vendor, size, args, results))
                for (label, path), count in query_counts(trees, urls).items():
                    queries[(label, path, vendor, size)] = count
    finally:
        if "before" in trees:
            subprocess.run(["git", "worktree", "remove", "--force", str(trees["before"])], cwd=ROOT, check=False)
    big = f"{args.cases // 1000}k"
    print()
    columns = ["URL", "database", "seed p50 / p99 ms", "seed req/s", f"{big} p50 / p99 ms", f"{big} req/s"]
    extra = ["errors", f"p50 {big}/seed", f"uncached seed / {big} ms", f"response kB seed / {big}"]
    extra += [f"× static seed / {big}", f"queries seed / {big}"]
    print("| " + " | ".join([*columns, *extra]) + " |")
    print("| " + " | ".join("---" for _ in [*columns, *extra]) + " |")
    for path in URLS:
        for vendor in vendors:
            a, b = results[("after", path, vendor, "seed")], results[("after", path, vendor, big)]
            floor_a = results[("after", "STATIC", vendor, "seed")]["p50"]
            floor_b = results[("after", "STATIC", vendor, big)]["p50"]
            counted = ("after", path, vendor, "seed") in queries
            sql = (
                f"{queries[('after', path, vendor, 'seed')]} / {queries[('after', path, vendor, big)]}"
                if counted
                else ""
            )
            print(
                f"| {url_label(path)} | {vendor} | {a['p50']:.1f} / {a['p99']:.1f} | {a['rps']:.0f} | "
                f"{b['p50']:.1f} / {b['p99']:.1f} | {b['rps']:.0f} | {a['errors'] + b['errors']} "
                f"| {b['p50'] / a['p50']:.2f}× | {a['cold']:.0f} / {b['cold']:.0f} "
                f"| {a['bytes'] / 1000:.1f} / {b['bytes'] / 1000:.1f} "
                f"| {a['p50'] / floor_a:.1f}× / {b['p50'] / floor_b:.1f}× | {sql} |"
            )
    if args.baseline:
        print()
        print(f"Before ({args.baseline}) and after, same databases; warm p50, median of {COLD_REQUESTS} uncached:")
        print()
        heading = "warm p50 ms before → after | uncached ms before → after"
        print(f"| URL | database | size | {heading} | p50 {big}/seed before → after |")
        print("| --- | --- | --- | --- | --- | --- |")
        for path in URLS:
            for vendor in vendors:
                for size in ("seed", big):
                    a, b = results[("before", path, vendor, size)], results[("after", path, vendor, size)]
                    ratios = ""
                    if size == big:
                        before_ratio = a["p50"] / results[("before", path, vendor, "seed")]["p50"]
                        after_ratio = b["p50"] / results[("after", path, vendor, "seed")]["p50"]
                        ratios = f"{before_ratio:.2f}× → {after_ratio:.2f}×"
                    print(
                        f"| {url_label(path)} | {vendor} | {size} | {a['p50']:.1f} → {b['p50']:.1f} "
                        f"({change(a['p50'], b['p50'])}) | {a['cold']:.0f} → {b['cold']:.0f} "
                        f"({change(a['cold'], b['cold'])}) | {ratios} |"
                    )
    print()
    print("SQL queries of one uncached list request (bench/queries.py):")
    print()
    labels = list(trees)
    print("| URL | database | " + " | ".join(f"{label} seed / {big}" for label in labels) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in labels) + " |")
    for path in dict.fromkeys(path for (_, path, _, _) in queries):
        for vendor in vendors:
            cells = [
                f"{queries[(label, path, vendor, 'seed')]} / {queries[(label, path, vendor, big)]}" for label in labels
            ]
            print(f"| {url_label(path)} | {vendor} | " + " | ".join(cells) + " |")
    print()
    for note in notes:
        print(f"- {note}")


def url_label(path: str) -> str:
    return "static file" if path == "STATIC" else f"`{path}`"


def change(before: float, after: float) -> str:
    return f"{(after / before - 1) * 100:+.0f} %"


if __name__ == "__main__":
    main()
