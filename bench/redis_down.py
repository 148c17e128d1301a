"""What losing Redis costs: warm /cases/ with Redis reachable, and with REDIS_URL on a closed port.

Builds a PostgreSQL database with the seed and --cases generated cases (as bench/run.py does: migrate,
load_initial_content, generate_cases --seed 1), or reuses --database-url. Serves it with gunicorn
(2 workers, production settings) on 127.0.0.1, one server per state of the cache, started side by side:

- `redis`: REDIS_URL names the machine's Redis (a database of its own, emptied first);
- `redis down`: REDIS_URL names 127.0.0.1:1, where nothing listens — a stopped Redis (the machine's
  own Redis keeps running for everyone else);
- `redis down, memory tier off` (unless --skip-tier-off): the same with CASEBOOK_LOCAL_CACHE_MB=0, i.e.
  without the tier in each worker's memory (casebook/base/core/cache_backends.py, LocalTier). Slow; it
  is driven once, after the others.

Each server's /cases/ is warmed with wrk for a few seconds; then wrk (8 connections, --seconds) drives
`redis` and `redis down` in turn, --rounds times, so that a drift of the shared machine falls on both
alike, and the medians are printed: req/s, p50, p99, errors, and req/s as a share of `redis`.

    .venv/bin/python bench/redis_down.py [--database-url postgres://…] [--cases 20000] [--seconds 15] [--rounds 3]
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  bench/run.py: its database, server and wrk helpers

PORTS = {"redis": 8803, "redis down": 8804, "redis down, memory tier off": 8805}
REDIS_UP = "redis://127.0.0.1:6379/9"  # a database of its own (the tests use 2…, bench/run.py 3 and 4)
REDIS_DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1
PATH = "/cases/"
WARM_SECONDS = 4


def env(database_url: str, redis_url: str, state: str = "redis", **extra) -> dict:
    folder = run.CACHE_ROOT / "redis-down" / str(PORTS[state])
    return {
        **run.env_for(database_url),
        "REDIS_URL": redis_url,
        "CASEBOOK_BASE_URL": "http://127.0.0.1",
        "EXPORT_CACHE_DIR": str(folder / "exports"),
        "CACHE_DIR": str(folder / "files"),
        **extra,
    }


def build(cases: int) -> str:
    url = run.database_url("postgresql", "redis_down")
    settings = env(url, REDIS_UP)
    started = time.monotonic()
    run.manage(settings, "migrate", "--noinput")
    run.manage(settings, "load_initial_content")
    run.manage(settings, "generate_cases", "--count", str(cases), "--seed", "1")
    print(f"built {url} in {time.monotonic() - started:.0f} s, {run.database_size('postgresql', url)}", flush=True)
    return url


def serve(settings: dict, port: int) -> subprocess.Popen:
    """A fresh gunicorn: nothing in the workers' memory, and Redis (when reachable) emptied."""
    for folder in (settings["EXPORT_CACHE_DIR"], settings["CACHE_DIR"]):
        shutil.rmtree(folder, ignore_errors=True)
    if settings["REDIS_URL"] == REDIS_UP:
        run.flush_cache(settings)
    server = subprocess.Popen(
        [run.GUNICORN, "casebook.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=run.ROOT,
        env=settings,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(run.request(port, PATH), timeout=60).read()
            return server
        except Exception:
            time.sleep(0.3)
    run.stop(server)
    raise RuntimeError("gunicorn did not answer")


def drive(port: int, seconds: int) -> dict:
    """wrk on /cases/, then one request more, which waits behind what wrk left queued: the server is
    idle again before the next run, on it or on another server."""
    result = run.warm(port, PATH, seconds)
    run.timed_get(port, PATH)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="a PostgreSQL database already built (seed + generated cases)")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per state, in turn; the median counts")
    parser.add_argument("--skip-tier-off", action="store_true", help="leave out Redis down with the tier off")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk がありません: apt-get install -y wrk")
    url = args.database_url or build(args.cases)
    subprocess.run(
        [run.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=run.ROOT,
        env=env(url, REDIS_UP),
        check=True,
    )
    states = {"redis": env(url, REDIS_UP), "redis down": env(url, REDIS_DOWN, "redis down")}
    if not args.skip_tier_off:
        states["redis down, memory tier off"] = env(
            url, REDIS_DOWN, "redis down, memory tier off", CASEBOOK_LOCAL_CACHE_MB="0"
        )
    servers = {}
    runs = {state: [] for state in states}
    try:
        for state, settings in states.items():
            servers[state] = serve(settings, PORTS[state])
            drive(PORTS[state], WARM_SECONDS)  # every worker's memory, and Redis when up
        for _ in range(args.rounds):
            for state in ("redis", "redis down"):
                runs[state].append(drive(PORTS[state], args.seconds))
                print(state, runs[state][-1], flush=True)
        if "redis down, memory tier off" in states:
            state = "redis down, memory tier off"
            runs[state].append(drive(PORTS[state], args.seconds))
            print(state, runs[state][-1], flush=True)
    finally:
        for server in servers.values():
            run.stop(server)
    results = {
        state: {
            "rps": statistics.median(r["rps"] for r in found),
            "p50": statistics.median(r["p50"] for r in found),
            "p99": statistics.median(r["p99"] for r in found),
            "errors": sum(r["errors"] for r in found),
            "runs": len(found),
        }
        for state, found in runs.items()
    }
    print()
    print(
        f"`{PATH}`, warm; gunicorn 2 workers, production settings, wrk 8 connections × {args.seconds} s; "
        f"{url.rsplit('/', 1)[1]}; medians of {args.rounds} runs in turn"
    )
    print()
    print("| cache | runs | req/s | p50 ms | p99 ms | errors | req/s ÷ with Redis |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = results["redis"]["rps"]
    for state, r in results.items():
        print(
            f"| {state} | {r['runs']} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} "
            f"| {r['rps'] / base:.2f} |"
        )


if __name__ == "__main__":
    main()
