# The README's commands. `make run` needs python3; `make test` also installs the Debian packages the
# tests need (scripts/system-packages.sh) when run as root, as CI is.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: install install-dev system-packages run test test-fast unit e2e eval eval-entities eval-thresholds eval-terms eval-framing bench kb clean

# `make run` needs only what running needs; the tests, evaluations and benchmarks add their extras.
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,eval,bench]'
	touch $@

# `make run PORT=5050 HOST=0.0.0.0` to serve elsewhere.
HOST ?= 127.0.0.1
PORT ?= 5000

run: install
	$(BIN)/reader-context serve --host $(HOST) --port $(PORT)

test: install-dev system-packages
	SHARED=$(SHARED) $(BIN)/pytest
	$(MAKE) e2e

# For local work: the unit and API tests, without gunicorn, Redis, soak, fuzz, contract and e2e runs (< 30 s).
test-fast: install-dev unit
	SHARED=$(SHARED) $(BIN)/pytest -m "not slow" -q

# The extension's unit tests: its pure parts on linkedom, no browser, no backend (about a second).
unit: extension/node_modules/.installed
	cd extension && npm run --silent test:unit

system-packages:
	bash scripts/system-packages.sh

# The extension's end-to-end tests: Debian's chromium (apt-get install chromium) with the unpacked extension,
# against a backend and pages the tests start themselves. Also builds the extension, checks the Firefox build and
# runs the unit tests (tests/unit/ is under tests/).
e2e: install-dev extension/node_modules/.installed
	cd extension && npm run --silent build && SHARED=$(SHARED) node --test tests/

extension/node_modules/.installed: extension/package.json extension/package-lock.json
	cd extension && npm ci --no-audit --no-fund
	touch $@

kb: install
	$(BIN)/reader-context kb build

eval: eval-entities eval-terms eval-framing

eval-entities: install-dev
	$(BIN)/reader-context eval entities $(SHARED)/data/entity-linking/*.jsonl
	$(BIN)/reader-context eval entities --sentences $(SHARED)/data/entity-linking/*.jsonl

# Precision and recall at several linking thresholds (docs/evaluation.md has the table and the choice).
eval-thresholds: install-dev
	$(BIN)/reader-context eval entities --thresholds 0.4,0.45,0.5,0.55,0.6,0.65 $(SHARED)/data/entity-linking/*.jsonl
	$(BIN)/reader-context eval entities --sentences --thresholds 0.4,0.45,0.5,0.55,0.6,0.65 $(SHARED)/data/entity-linking/*.jsonl

eval-terms: install-dev
	$(BIN)/reader-context eval terms $(SHARED)/data/ptc-dev

# Where the framing profile's levels fall on news and on propaganda (the levels in language/profile.py).
eval-framing: install-dev
	$(BIN)/reader-context eval framing $(SHARED)/data/entity-linking/news-fair-v2-dev.jsonl \
		$(SHARED)/data/entity-linking/msnbc-updated.jsonl $(SHARED)/data/entity-linking/aquaint.jsonl \
		$(SHARED)/data/entity-linking/reuters-128.jsonl $(SHARED)/data/ptc-dev

# Each script writes its own table (docs/benchmarks-latency.md, docs/benchmarks-load.md); docs/benchmarks.md keeps the
# dated runs behind each issue and is never overwritten.
bench: install-dev system-packages
	cd benchmarks && $(abspath $(PY)) latency.py && $(abspath $(PY)) load.py

clean:
	rm -rf $(VENV) build *.egg-info
