# Two commands matter: `make run` and `make test`. Both set everything up and
# are cheap the second time (nothing is reinstalled unless pyproject.toml changed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve setup lint check bench bench-engine bench-http wrk eval browser-deps clean

$(STAMP): pyproject.toml scripts/requirements.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python scripts/requirements.py dev > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

# The development checkout's settings (DEBUG on; see config/settings.py). Written
# once and never overwritten: edit it to taste. Production has none.
.env:
	@printf '%s\n' "# Development settings for this checkout, written by make setup. Not for production:" \
		"# the environment wins over these, and make serve turns DEBUG off." "DEBUG=1" > $@
	@echo "Wrote .env (DEBUG on for this checkout)"

setup: $(STAMP) .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loadkb

run: export DEBUG ?= 1
run: setup
	@case "$$DEBUG" in 1|true|yes|on) $(BIN)/python manage.py createdevadmin --address $(HOST):$(PORT);; esac
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-style serving: DEBUG off, gunicorn as config/gunicorn.py sets it up,
# WhiteNoise with compressed, fingerprinted static files. Needs SECRET_KEY and
# ALLOWED_HOSTS in the environment; writes no .env, and DEBUG is off whatever one says.
serve: export DEBUG = 0
serve: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loadkb
	$(BIN)/python manage.py collectstatic --noinput
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c config/gunicorn.py

# Browser tests need Debian's Chromium. Install it when we can (root with
# apt-get); otherwise the browser tests skip with a reason (or fail under CI).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

check: $(STAMP)
	SECRET_KEY=$${SECRET_KEY:-checks} $(BIN)/python manage.py check
	SECRET_KEY=$${SECRET_KEY:-checks} $(BIN)/python manage.py makemigrations --check --dry-run

test: export SECRET_KEY ?= insecure-key-for-the-test-suite-only
# The suite runs with production's settings unless asked otherwise.
test: export DEBUG ?= 0
test: setup browser-deps lint check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The engine against a bare Aho-Corasick pass, then the site over HTTP against a
# hello view under the same gunicorn configuration (docs/performance.md). Not
# part of `make test`.
bench: bench-engine bench-http

bench-engine: $(STAMP)
	SECRET_KEY=$${SECRET_KEY:-bench} $(BIN)/python -m triage.bench

bench-http: setup wrk
	$(BIN)/python scripts/http_bench.py $(BENCH_ARGS)

# The HTTP benchmark's load generator, from Debian's packages when we can install it.
wrk:
	@if ! command -v wrk >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing wrk for the HTTP benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi

# The triage on the evaluation corpus (tests/corpus), beside a BM25 baseline; not part
# of `make test`. EVAL_ARGS=--failures lists the development split's failures.
eval: $(STAMP)
	SECRET_KEY=$${SECRET_KEY:-eval} $(BIN)/python -m tests.corpus.evaluate $(EVAL_ARGS)

clean:
	rm -rf $(VENV) var
