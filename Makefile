# Two commands on a fresh machine:  make run  |  make test
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test setup index bench eval clean browser

run: setup index
	$(BIN)/qa serve --host 127.0.0.1 --port 8000

test: setup index
	$(BIN)/lint-imports
	$(BIN)/pytest -q
	$(BIN)/qa eval --gate

setup: $(STAMP)

# torch is pinned to the CPU build in pyproject.toml; pip finds the local wheel.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Builds the index when missing, re-embeds only changed documents when stale, else does nothing.
index: setup
	$(BIN)/qa index build

eval: setup index
	$(BIN)/qa eval --report eval/report.md

bench: setup index
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/scale.py --sizes 10000,100000
	$(BIN)/python bench/ready.py --sizes 1,12,50

# Optional: Debian's Chromium for the browser end-to-end test (skipped when absent).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver)

clean:
	rm -rf $(VENV) index/default
