# The README's commands. `make run` and `make test` work on a fresh machine with python3.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: install run test eval eval-entities eval-terms bench kb clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,eval]'
	touch $@

run: install
	$(BIN)/reader-context serve

test: install
	$(BIN)/pytest

kb: install
	$(BIN)/reader-context kb build

eval: eval-entities eval-terms

eval-entities: install
	$(BIN)/reader-context eval entities $(SHARED)/data/entity-linking/*.jsonl

eval-terms: install
	$(BIN)/reader-context eval terms $(SHARED)/data/ptc-dev

bench: install
	$(PY) benchmarks/analyze_latency.py --write docs/benchmarks.md

clean:
	rm -rf $(VENV) build *.egg-info
