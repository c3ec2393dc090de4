# Two commands: `make run` serves the demo, `make test` runs every test.
VENV    := .venv
PYTHON  := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app review_app
STAMP   := $(VENV)/.installed
ASSETS  := review_app/static/uswds/.copied
# Test processes (pytest-xdist), each on databases of its own; 0 runs in this process.
PYTEST_WORKERS ?= 2
# The local SMTP server of `make run` (MAIL_PORT's default).
SMTP_PORT ?= 8025
HOST    ?= 127.0.0.1
PORT    ?= 5000
# Job queue workers started by `make run` (processes: a period's PDF uses every core).
WORKERS ?= 2

.PHONY: run test install lint migrate seed clean bench bench-pdf bench-requests

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	# The web server, the job queue's worker and a local SMTP server (Procfile), started
	# and stopped together (Ctrl+C). Plain HTTP here: cookies travel without HTTPS (web).
	# Links in the demo's email lead to this server (PUBLIC_URL, unless set already).
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) SMTP_PORT=$(SMTP_PORT) \
		PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)} \
		$(VENV)/bin/honcho start

test: install
	$(PYTHON) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

install: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $@

# The U.S. Web Design System comes from npm and is copied, not committed.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf review_app/static/uswds
	mkdir -p review_app/static/uswds
	cp -r node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/js \
	      node_modules/@uswds/uswds/dist/fonts node_modules/@uswds/uswds/dist/img \
	      review_app/static/uswds/
	touch $@

lint: install
	$(VENV)/bin/ruff check review_app tests bench
	$(PYTHON) -m mypy
	$(VENV)/bin/lint-imports --no-logo

# Not part of `make test`: a national dataset in a throwaway PostgreSQL, the report,
# the export and the pages under load, next to their targets (bench/README.md).
BENCH_CASES ?= 100000
bench: install
	$(PYTHON) -m bench --cases $(BENCH_CASES) $(BENCH_ARGS)

# Every GET route the largest site's administrator may open, timed once each (none over 2 s).
BENCH_REQUEST_CASES ?= 20000
bench-requests: install
	$(PYTHON) -m bench.requests --cases $(BENCH_REQUEST_CASES)

# The period PDF of 200 finalized cases made by 2 worker processes on the SQLite queue.
bench-pdf: install
	$(PYTHON) -m bench.period_pdf --cases 200 --workers 2

migrate: install
	$(FLASK) db upgrade

seed: install
	$(FLASK) seed-demo

clean:
	rm -rf $(VENV) node_modules review_app/static/uswds .pytest_cache .mypy_cache
