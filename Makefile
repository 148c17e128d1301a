# Two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
MANAGE := $(BIN)/python manage.py

.PHONY: run serve test worker schedule install migrate content superuser lint check lock clean bench accessibility-report backup restore load messages

# The stamp is rebuilt whenever the dependency list or the lock changes.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

content: migrate
	$(MANAGE) load_initial_content

run: content
	@echo ""
	@echo "Casebook: http://$(HOST):$(PORT)/"
	@echo "管理画面: http://$(HOST):$(PORT)/admin/  (管理者の作成: make superuser)"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

# The task worker (django-tasks-db): runs the spreadsheet import's jobs when CASEBOOK_TASKS_BACKEND is
# django_tasks_db.DatabaseBackend (production's default). Run one or more beside the web servers.
worker: migrate
	$(MANAGE) db_worker --backend imports --queue-name '*'

superuser: migrate
	$(MANAGE) createsuperuser

# Two processes on a 2-core machine, a test module to each at a time (tests/conftest.py). TEST_WORKERS=0: one.
TEST_WORKERS ?= 2
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Database (SQLite backup API or pg_dump -Fc) and media/ in one archive under backups/.
backup: install
	$(MANAGE) backup --output backups

# make restore FILE=backups/casebook-YYYYMMDD-HHMMSS-sqlite.tar.gz  (asks before replacing anything)
restore: install
	@test -n "$(FILE)" || (echo "FILE=backups/....tar.gz を指定してください" >&2; exit 2)
	$(MANAGE) restore "$(FILE)"

# 16 clients for 30 s against gunicorn with production settings (bench/load.sh).
load: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	bash bench/load.sh

# Re-run the browser tests and write their results for the /accessibility/ page (commit the file).
accessibility-report: install
	CASEBOOK_A11Y_REPORT=casebook/base/core/accessibility_results.json $(BIN)/pytest -n 0 tests/browser

lint: install
	$(BIN)/ruff check .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# Regenerate the lock from pyproject.toml in a throw-away venv.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e ".[dev]"
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV)

# Seed-only and 20,000-case databases on SQLite and PostgreSQL, served by gunicorn, measured with wrk.
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The project's own Japanese for the admin (locale/ja): compile after editing a .po (needs gettext's
# msgfmt); commit the .mo with it. tests/test_catalogue.py checks that they match.
messages:
	cd locale/ja/LC_MESSAGES && msgfmt --check-format -o django.mo django.po && msgfmt --check-format -o djangojs.mo djangojs.po
