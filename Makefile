# Two commands: `make run` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# pyenv honours .python-version (3.12); fall back to whatever python3.12/python3 is on PATH.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): the suite runs in about two thirds of the time on two cores.
TEST_WORKERS ?= 2

.PHONY: run test setup demo venv check-python browser pg-client lint pg-test prod-smoke backup clean test-templates

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "Cần Python >= 3.12 (đang có: $$($(PYTHON) --version 2>&1))."; \
	  echo "Python >= 3.12 is required; install it (pyenv install 3.12) or set PYTHON=/path/to/python3.12."; \
	  exit 1; }

$(VENV)/.installed: pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(VENV)/.installed

setup: venv
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo

# The web server and the background task worker together (bin/serve); Ctrl-C stops both.
run: setup
	@echo ""
	@echo "Mở http://$(HOST):$(PORT)/ trong trình duyệt (máy chủ web và tiến trình nền chạy cùng nhau; Ctrl-C dừng cả hai)."
	DEBUG=$${DEBUG:-1} $(PY) bin/serve $(HOST):$(PORT)

# Chromium and fonts for the browser tests, from Debian's packages (never a downloaded browser).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation2 >/dev/null) \
	      || { echo "Không cài được chromium"; exit 1; }; \
	  else echo "Cần chromium: sudo apt-get install -y chromium fonts-liberation2"; exit 1; fi; \
	fi
	@# LibreOffice renders the report .docx to PDF in a test (~20 s to install; the test is skipped without it).
	@if ! command -v soffice >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui \
	      >/dev/null || echo "Không cài được libreoffice-writer-nogui: bỏ qua kiểm tra .docx → PDF"; \
	  else echo "Nên cài: sudo apt-get install -y libreoffice-writer-nogui (kiểm tra .docx → PDF)"; fi; \
	fi

# pg_dump / pg_restore / psql for backups of PostgreSQL and for bin/prod-smoke (Debian's postgresql-client).
pg-client:
	@if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null) \
	      || { echo "Không cài được postgresql-client"; exit 1; }; \
	  else echo "Cần postgresql-client: sudo apt-get install -y postgresql-client"; exit 1; fi; \
	fi

test: venv browser
	@mkdir -p var
	$(PY) -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The migrated test databases, SQLite and PostgreSQL side by side (khuyencong/testdb.py): the suites then
# copy them instead of migrating (~95 s each). Optional: a suite makes its template itself when missing.
test-templates: venv
	@mkdir -p var
	@env -u DATABASE_URL $(PY) -m pytest -q -p no:randomly khuyencong/core/tests/test_testdb.py & sqlite=$$!; \
	  DATABASE_URL=$${PG_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest -q -p no:randomly \
	    khuyencong/core/tests/test_testdb.py; pg=$$?; \
	  wait $$sqlite && exit $$pg

pg-test: venv browser pg-client
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Production mode end to end on a throwaway PostgreSQL database (what .ci/run does last).
prod-smoke: venv pg-client
	$(PY) bin/prod-smoke

# One archive of the database and the uploaded files under var/backups/ (docs/operations.md, "Backups").
backup: venv
	$(PY) manage.py backup

lint: venv
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) var/*.sqlite3
