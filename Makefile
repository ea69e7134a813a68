# Two commands for a fresh clone: `make run` starts the assistant, `make test` runs every test.
# Both set up what they need first: the virtualenv, the pinned packages, and a trained model
# (trained again only when training data, domain, config or NLU components change).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.10
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/appeal-assistant.tar.gz
RESULTS := var/results

export PYTHONPATH := $(CURDIR)
export UV_PYTHON_DOWNLOADS := never
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
export PYTHONWARNINGS := ignore

# Browser tests drive Debian's Chromium (a test tool's own browser download fails here).
CHROMIUM ?= /usr/bin/chromium

TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) $(shell find data -name '*.yml') \
	$(wildcard components/*.py)

.PHONY: help setup browser train run shell test eval bench lint validate test-nlu test-stories test-python docs lock clean

help:
	@echo "make run    set up, train if needed, and start the assistant"
	@echo "make shell  set up, train if needed, and chat in this terminal"
	@echo "make test   set up, train if needed, and run every test"
	@echo "make eval   measure NLU (held-out and 5-fold), stories and the letter reader"
	@echo "make bench  load-test the whole assistant against Rasa's starter bot"
	@echo "make docs   regenerate docs/rules.md from knowledge/"

$(VENV)/.installed: requirements/runtime.txt requirements/dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Rasa 3.6 runs on Python 3.8-3.10)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/runtime.txt requirements/dev.txt
	touch $@

setup: $(VENV)/.installed

# Debian's chromium package for the browser tests, installed once (as root, or through sudo).
$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests..."
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO="sudo -n"; \
	else echo "Install Debian's chromium package (apt-get install chromium) and run again."; exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 \
	  || { $$SUDO apt-get update -q >/dev/null && \
	       $$SUDO apt-get install -y -q --no-install-recommends chromium >/dev/null; }
	@test -x $@

browser: $(CHROMIUM)

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@echo "Training the model (about 4 to 5 minutes on 2 cores)..."
	$(BIN)/rasa train --domain domain --data data --config config.yml \
		--out models --fixed-model-name appeal-assistant --quiet
	touch $@

train: $(MODEL)

run: $(MODEL)
	bash scripts/run.sh

shell: $(MODEL)
	bash scripts/run.sh shell

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

validate: $(VENV)/.installed
	$(BIN)/rasa data validate --domain domain --data data --config config.yml --fail-on-warnings --quiet

test-nlu: $(MODEL)
	@mkdir -p $(RESULTS)
	$(BIN)/rasa test nlu --model $(MODEL) --domain domain --nlu tests/nlu --out $(RESULTS)/nlu --quiet
	$(BIN)/python scripts/nlu_report.py $(RESULTS)/nlu

test-stories: $(MODEL)
	@mkdir -p $(RESULTS)
	$(BIN)/rasa test core --model $(MODEL) --stories tests/test_stories.yml \
		--out $(RESULTS)/stories --fail-on-prediction-errors --quiet

test-python: $(MODEL) $(CHROMIUM)
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest

test: lint validate test-nlu test-stories test-python

# Measured quality: the held-out NLU set, 5-fold cross-validation (five trainings, about 15
# minutes on 2 cores), the test stories and the letter reader, written to docs/evaluation.md.
eval: test-nlu test-stories
	$(BIN)/rasa test nlu --nlu data/nlu --config config.yml --domain domain \
		--cross-validation --folds 5 --out $(RESULTS)/cv --quiet
	$(BIN)/python scripts/evaluate.py $(RESULTS)

# Speed under load against the stock `rasa init` bot, both trained from scratch in the same
# run (about 20 minutes on 2 cores), written to docs/benchmarks.md.
bench: $(MODEL)
	$(BIN)/python scripts/bench.py

docs: $(VENV)/.installed
	$(BIN)/python scripts/generate_docs.py

lock: $(VENV)/.installed
	cd requirements && ../$(BIN)/uv pip compile --quiet --python-version 3.10 runtime.in -o runtime.txt
	cd requirements && ../$(BIN)/uv pip compile --quiet --python-version 3.10 dev.in -o dev.txt

clean:
	rm -rf models var .pytest_cache .mypy_cache .ruff_cache .hypothesis
