# jianxi_portal — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo security-figures lint worker beat serve bench loadtest clean backup restore

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 $(PYTHON)（Python 3.11）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# The tools some tests use (pip-audit: the dependency audit counts what is installed; ruff): `make test`
# installs them too, so a fresh machine runs the same suite as CI instead of skipping part of it.
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## make run: fresh machine -> http://127.0.0.1:8000 with demo data (SQLite, tasks in-process)
run: demo
	@echo "访问 http://$(HOST):$(PORT)/  （Ctrl+C 停止）"
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite (SQLite by default; DATABASE_URL/REDIS_URL select the real services);
## JIANXI_TEST_TODAY=YYYY-MM-DD make test runs it as if today were that day (the clock ticking from 09:00)
test: install-dev
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "模型与迁移不一致：请运行 makemigrations"; exit 1; }
	$(PY) -m pytest

## make backup [FILE=path]: pg_dump -Fc of DATABASE_URL's PostgreSQL database (default backups/jianxi-<time>.dump)
backup: install
	$(PY) manage.py backup_db $(if $(FILE),--output $(FILE))

## make restore FILE=backups/x.dump DB=new_name: pg_restore into a new database on the same server
restore: install
	@test -n "$(FILE)" && test -n "$(DB)" || { echo "用法：make restore FILE=backups/jianxi-….dump DB=jianxi_restored [REPLACE=1]"; exit 2; }
	$(PY) manage.py restore_db $(FILE) --database $(DB) $(if $(REPLACE),--replace)

## make security-figures: put the last whole run's security figures (.security-figures.json) into SECURITY.md
security-figures: install
	$(PY) -m tools.security_report --write

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

worker: install
	$(VENV)/bin/celery -A jianxi_portal worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A jianxi_portal beat --loglevel=INFO

## make serve: the production stack on one machine — gunicorn (settings_production, WhiteNoise static
## files), a Celery worker and beat; needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL (README: Serving)
serve: install
	deploy/serve.sh

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .test-media .run

## make bench [SCALE=province|national BENCH_DB=jianxi_bench_p]: benchmarks on PostgreSQL (not part of make test);
## figures in bench/results/*.json and bench/README.md
BENCH_DB ?= jianxi_bench_p
SCALE ?= province
bench: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) $(PY) bench/scale_bench.py --scale $(SCALE)

## make loadtest [BENCH_DB=jianxi_bench_p]: gunicorn, 2 workers on 127.0.0.1, 30 s of mixed load (bench/loadtest.py)
loadtest: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) $(PY) bench/loadtest.py
