#!/usr/bin/env bash
# Load test: gunicorn with production settings on 127.0.0.1, driven by wrk with 16 concurrent clients
# for 30 s over the home page, the case list and its filters, search, case and interview pages, a
# measure page and both exports (bench/mix.lua). Prints req/s, p50, p99 and the error count, and
# fails if there was any error.
#
#   bash bench/load.sh                       # seed content on SQLite
#   LOAD_CASES=20000 bash bench/load.sh      # plus 20,000 synthetic cases
#   LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/casebook_load bash bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS="${LOAD_CLIENTS:-16}"
DURATION="${LOAD_SECONDS:-30}"
WORKERS="${LOAD_WORKERS:-2}"
PORT="${LOAD_PORT:-8802}"
CASES="${LOAD_CASES:-0}"
DATABASE="${LOAD_DATABASE_URL:-sqlite:////tmp/casebook-load.sqlite3}"

command -v wrk >/dev/null || { echo "wrk がありません: apt-get install -y wrk" >&2; exit 2; }

export DJANGO_SETTINGS_MODULE=casebook.settings.production
export DJANGO_SECRET_KEY="load-test-only-secret-key-not-used-anywhere-else-0123456789"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
export CASEBOOK_BASE_URL="http://127.0.0.1"  # production refuses to start without the site's address
export DATABASE_URL="$DATABASE"
export LOG_LEVEL=WARNING
export CACHE_DIR="$(mktemp -d)"
if [ -n "${REDIS_URL:-}" ]; then export REDIS_URL; fi

# The script drops and rebuilds its database: only a throw-away one (…_load, or a file under /tmp).
case "$DATABASE" in
  sqlite:////tmp/*|postgres*/*_load) ;;
  *) [ "${LOAD_FORCE:-}" = "1" ] || { echo "LOAD_DATABASE_URL は作り直されます。/tmp のファイルか名前が _load で終わるデータベースを指定してください（または LOAD_FORCE=1）。" >&2; exit 2; } ;;
esac
case "$DATABASE" in
  sqlite:*) rm -f "${DATABASE#sqlite:///}" ;;
  postgres*)
    name="${DATABASE##*/}"
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $name"
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $name" ;;
esac

PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py load_initial_content >/dev/null
if [ "$CASES" -gt 0 ]; then $PY manage.py generate_cases --count "$CASES" --seed 1 >/dev/null; fi
$PY manage.py collectstatic --noinput -v0

.venv/bin/gunicorn casebook.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$CACHE_DIR"' EXIT
for _ in $(seq 100); do
  curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/cases/" && break
  sleep 0.3
done

echo "== $CLIENTS clients, ${DURATION} s, $WORKERS gunicorn workers, $(nproc) CPUs, database: ${DATABASE%%:*}, cases: seed + $CASES"
out="$(wrk -t4 -c"$CLIENTS" -d"${DURATION}s" --latency --timeout 30s -s bench/mix.lua "http://127.0.0.1:$PORT")"
echo "$out"
summary="$(echo "$out" | grep '^LOAD ')"
errors="${summary##*errors=}"
if [ "$errors" != "0" ]; then
  echo "エラーが $errors 件ありました。" >&2
  exit 1
fi
