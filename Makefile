# Two commands do all the set-up: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: install demo serve test lint typecheck unit browser-deps messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## demo: build the environment, load the demo center into SQLite, start the worker and the web app
demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data --reset | tee var/demo-logins.txt
	@CCOPS_DEBUG=1 $(MAKE) --no-print-directory serve

serve: $(STAMP)
	@echo "Starting the background worker and the web app at http://$(HOST):$(PORT)/"
	@grep -E '^[a-z_]+ / ' var/demo-logins.txt 2>/dev/null || true
	@$(BIN)/python manage.py db_worker --queue-name default >var/worker.log 2>&1 & \
	  WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  CCOPS_DEBUG=$${CCOPS_DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, type-check, migrations check and the whole suite (SQLite unless DATABASE_URL is set)
test: $(STAMP) lint typecheck browser-deps unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped"; fi; }

messages: $(STAMP)
	cd ccops && ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --no-location
	$(BIN)/python -m ccops.i18n

clean:
	rm -rf $(VENV) var
