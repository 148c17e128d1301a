"""make bench: the case library at the seed's size and at 20,000 cases, on SQLite and PostgreSQL.

For each database and size it builds a fresh database (migrate, seed content, generate_cases),
serves it with gunicorn (2 workers, production settings, behind X-Forwarded-Proto: https) on
127.0.0.1, drives each URL with wrk (8 connections) and prints one table: p50, p99, req/s and
errors per URL × database × size, with the 20,000 / seed ratio of p50. Before each URL's run the
shared cache is emptied and one request is timed alone: the "uncached" column, what a filter or
query nobody asked for yet costs. At 20,000 cases it also exports every case (JSON and CSV) and
reports the gunicorn workers' peak RSS.

    .venv/bin/python bench/run.py [--cases 20000] [--seconds 10] [--only sqlite|postgresql]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORT = 8801
PG = "postgres://postgres@127.0.0.1:5432/"
URLS = [
    "/cases/",
    "/cases/?measure=telework&prefecture=34",
    "/cases/?measure=security&region=kanto&sort=cost",
    "/search/?q=観光",
    "/cases/export.json?q=交付金&measure=telework",
    "/cases/nagoya-vdi/",
    "STATIC",
]


def env_for(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "casebook.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def database_url(vendor: str, size: str) -> str:
    if vendor == "sqlite":
        path = Path(f"/tmp/casebook-bench-{size}.sqlite3")
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = f"casebook_bench_{size}"
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    return PG + name


def build(vendor: str, size: str, cases: int) -> tuple[dict, str]:
    url = database_url(vendor, size)
    env = env_for(url)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "load_initial_content")
    if size != "seed":
        manage(env, "generate_cases", "--count", str(cases), "--seed", "1")
    took = time.monotonic() - started
    return env, f"{vendor} {size}: built in {took:.0f} s, {database_size(vendor, url)}"


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


def static_url() -> str:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/casebook.css"]


def serve(env):
    server = subprocess.Popen(
        [GUNICORN, "casebook.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(request("/cases/"), timeout=30)
            return server
        except Exception:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not answer")


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def request(path):
    return urllib.request.Request(
        f"http://127.0.0.1:{PORT}{urllib.parse.quote(path, safe='/?=&')}",
        headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"},
    )


def percentile_ms(out: str, percent: int) -> float:
    found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk output without a {percent}% line:\n{out}")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def timed_get(path: str) -> tuple[float, int]:
    """One request, read to the end: (milliseconds, bytes)."""
    started = time.perf_counter()
    body = urllib.request.urlopen(request(path), timeout=300).read()
    return (time.perf_counter() - started) * 1000, len(body)


def flush_cache(env) -> None:
    location = urllib.parse.urlparse(env["REDIS_URL"])
    database = location.path.strip("/") or "0"
    subprocess.run(
        ["redis-cli", "-h", location.hostname, "-p", str(location.port or 6379), "-n", database, "FLUSHDB"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def drive(path: str, seconds: int, env) -> dict:
    url = f"http://127.0.0.1:{PORT}{urllib.parse.quote(path, safe='/?=&')}"
    # First with nothing cached (what a new filter or query costs), which also warms the caches.
    flush_cache(env)
    cold_ms, _ = timed_get(path)
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
        "cold": cold_ms,
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


def full_exports(server, vendor: str, size: str) -> list[str]:
    """Export every case as JSON and CSV (larger than the export cache keeps) and report the workers' peak RSS."""
    notes = []
    for path in ("/cases/export.json", "/cases/export.csv"):
        took, length = timed_get(path)
        notes.append(
            f"{vendor} {size}: `{path}` (all cases) {took / 1000:.1f} s, {length / 1e6:.0f} MB; "
            f"highest worker peak RSS so far {peak_worker_rss_mb(server):.0f} MB"
        )
        print(notes[-1], flush=True)
    return notes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk がありません: apt-get install -y wrk")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env_for("sqlite:////tmp/casebook-bench-static.sqlite3"),
        check=True,
    )
    vendors = [args.only] if args.only else ["sqlite", "postgresql"]
    results, notes = {}, []
    for vendor in vendors:
        for size in ("seed", f"{args.cases // 1000}k"):
            env, note = build(vendor, size, args.cases)
            notes.append(note)
            print(note, flush=True)
            server = serve(env)
            try:
                for path in URLS:
                    target = static_url() if path == "STATIC" else path
                    results[(path, vendor, size)] = drive(target, args.seconds, env)
                    print(vendor, size, path, results[(path, vendor, size)], flush=True)
                if size != "seed":
                    notes.extend(full_exports(server, vendor, size))
            finally:
                stop(server)
    big = f"{args.cases // 1000}k"
    print()
    columns = ["URL", "database", "seed p50 / p99 ms", "seed req/s", f"{big} p50 / p99 ms", f"{big} req/s"]
    print("| " + " | ".join([*columns, "errors", f"p50 {big}/seed", f"uncached seed / {big} ms"]) + " |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for path in URLS:
        for vendor in vendors:
            a, b = results[(path, vendor, "seed")], results[(path, vendor, big)]
            label = "static file" if path == "STATIC" else f"`{path}`"
            print(
                f"| {label} | {vendor} | {a['p50']:.1f} / {a['p99']:.1f} | {a['rps']:.0f} | "
                f"{b['p50']:.1f} / {b['p99']:.1f} | {b['rps']:.0f} | {a['errors'] + b['errors']} "
                f"| {b['p50'] / a['p50']:.2f}× | {a['cold']:.0f} / {b['cold']:.0f} |"
            )
    print()
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
