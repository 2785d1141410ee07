# make run / make test work on a fresh clone: they build the virtualenv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app workshop
STAMP := $(VENV)/.installed
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run test install migrate demo bench clean translations

# uv (when it is on the PATH) installs in parallel from its cache, pip otherwise: same packages,
# same pyproject.toml. `make run` installs what the app needs; the test-only extras (pytest,
# Playwright and the PDF readers) come with `make test`.
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
PIP_INSTALL := $(BIN)/python -m pip install --quiet
else
PIP_INSTALL := $(UV) pip install --quiet --python $(BIN)/python
endif
BASE_STAMP := $(VENV)/.installed-app

$(BASE_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e .
	touch $(BASE_STAMP)

$(STAMP): $(BASE_STAMP)
	$(PIP_INSTALL) -e '.[test]'
	touch $(STAMP)

# Compiled catalogs are built, not committed: one .mo beside each .po (translations/<lang>/).
LANGUAGES := fr es ar zh ru
PYBABEL := $(BIN)/pybabel
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(BASE_STAMP)
	$(PYBABEL) compile -i $< -o $@ -l $* --statistics

install: $(BASE_STAMP) $(MO_FILES)

# Extract every message (babel.cfg), bring each language's catalog up to date (new messages
# arrive empty, never guessed: the catalog test names them), then compile.
translations: $(BASE_STAMP)
	$(PYBABEL) -q extract -F babel.cfg -k _l -k N_ -k lazy_pgettext:1c,2 --no-location --sort-output \
		--project=workshop --copyright-holder="workshop contributors" \
		-o translations/messages.pot .
	@for lang in $(LANGUAGES); do \
		if [ -f translations/$$lang/LC_MESSAGES/messages.po ]; then \
			$(PYBABEL) -q update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations -l $$lang; \
		else $(PYBABEL) -q init -i translations/messages.pot -d translations -l $$lang; fi; \
	done
	$(PYBABEL) compile -d translations --statistics

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

# The mail worker runs beside the server, so queued mail is delivered (by default as .eml files
# in instance/outbox/); it stops with the server. The demo's own mail goes out first, so that
# the demo accounts are the last lines printed before the server's log.
run: demo
	@$(FLASK) worker --once
	@echo; $(FLASK) demo --accounts; echo
	@$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# axe-core for the browser tests' accessibility checks; without npm they skip and say so.
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@ \
		|| echo "npm ci failed: the accessibility checks will be skipped"; \
	else echo "npm not found (apt-get install npm): the accessibility checks will be skipped"; fi

test: install $(STAMP) $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache

# Benchmarks (benchmarks/, not part of `make test`): gunicorn from the `bench` extra; wrk when it
# is installed (tried with apt-get when running as root), else the bounded Python load client.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(PIP_INSTALL) -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ timeout 300 apt-get install -y -qq wrk >/dev/null 2>&1 || \
		  { timeout 300 apt-get update -qq >/dev/null 2>&1 && timeout 300 apt-get install -y -qq wrk >/dev/null 2>&1; }; }; } || true
	@command -v wrk >/dev/null 2>&1 || echo "wrk is not installed: the bounded Python load client is used instead"
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
