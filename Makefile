# Exemplar Exchange — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run install assets db seed logins test test-sqlite test-postgres test-scaleout serve worker scheduler bench clean

## make run: venv, dependencies, assets, migrations, demo data, then the server on http://127.0.0.1:5000
run: install assets db seed logins
	$(FLASK) run --host $(HOST) --port $(PORT)

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed

## The NHS.UK design system, compiled and copied into app/static/build (needs Node.js 20 and npm)
assets:
	bash scripts/build_assets.sh

db: install
	$(FLASK) db upgrade

seed: install
	$(FLASK) seed

logins:
	@echo ""
	@echo "Demo logins (password for all: demo-password-2026):"
	@echo "  follower buyer    buyer@demo.exemplar.nhs.uk"
	@echo "  evaluator         evaluator@demo.exemplar.nhs.uk"
	@echo "  exemplar manager  exemplar@demo.exemplar.nhs.uk"
	@echo "  commercial admin  admin@demo.exemplar.nhs.uk"
	@echo "  auditor           auditor@demo.exemplar.nhs.uk"
	@echo "Open http://$(HOST):$(PORT)"
	@echo "Background work (email, imports, figures, deadlines) runs inside the app: no Redis needed."
	@echo "Emails are written to instance/mail/ and listed at /admin/email/mailbox (sign in as the admin)."
	@echo "In production: REDIS_URL set, then 'make worker' and 'make scheduler' beside 'make serve'."
	@echo ""

## make test: every test on SQLite; the database tests again on PostgreSQL when TEST_DATABASE_URL is set.
## Each run migrates and seeds one database and copies it per worker (tests/conftest.py); the 15 slowest
## tests are listed at the end, to keep an eye on the suite's time.
test: install assets test-sqlite test-postgres

test-sqlite:
	$(PY) -m pytest -n 2 -q --durations=15

test-postgres:
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "Database tests on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  TEST_BACKEND=postgresql $(PY) -m pytest -n 2 -q --durations=15 --ignore=tests/unit --ignore=tests/browser; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

## make test-scaleout: nginx in front of two app servers (with a job worker and a scheduler each) on a scratch
## PostgreSQL database next to TEST_DATABASE_URL's and Redis (TEST_REDIS_URL): sessions, the sign-in limit, the
## page cache, the deadline rush, a server killed mid-rush, the scheduler (tests/scaleout, about 3 minutes).
## Skipped with the reason when nginx, PostgreSQL or Redis is missing (failed instead with TEST_REQUIRE_SCALEOUT=1).
test-scaleout: install assets
	$(PY) -m pytest -p no:xdist -q -s -m scaleout tests/scaleout

## Production-style server: gunicorn on PostgreSQL (set DATABASE_URL, SECRET_KEY and PUBLIC_BASE_URL; REDIS_URL to share limits)
serve: install
	APP_ENV=production $(FLASK) db upgrade
	APP_ENV=production $(VENV)/bin/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

## Production background work (needs REDIS_URL, and the same DATABASE_URL, SECRET_KEY, PUBLIC_BASE_URL and
## mail settings as the app): RQ workers run the jobs; one scheduler (or more: each slot is queued once)
## queues the scheduled work and re-sends retries.
worker: install
	APP_ENV=production $(FLASK) jobs worker

scheduler: install
	APP_ENV=production $(FLASK) jobs scheduler

## make bench: the benchmarks (never in CI): sizes national and 10x on SQLite and PostgreSQL by default;
## BENCH_SIZES=national,10x,gcloud adds G-Cloud scale. Results: docs/performance.md, bench/results.json.
BENCH_SIZES ?= national,10x
BENCH_BACKENDS ?= sqlite,postgresql
bench: install assets
	@command -v wrk >/dev/null || { echo "Installing wrk from Debian"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	BENCH_SIZES=$(BENCH_SIZES) BENCH_BACKENDS=$(BENCH_BACKENDS) $(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules app/static/build instance/*.db*
