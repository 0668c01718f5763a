# Two commands on a fresh machine:  make run  |  make test
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test setup index bench eval clean browser synth-corpus synth-index eval-multi bench-many \
	eval-mali-pdf eval-rendered-pdf eval-real-pdf real-pdf-index fit

# The multi-report golden set (issue 9) runs on a committed synthetic corpus with its own index.
SYNTH := QA_CORPUS_DIR=eval/synth/corpus QA_INDEX_NAME=synth

# The golden set again, with the Mali report read from USDOL's own PDF instead of the text
# extraction (issue 18): a corpus of that PDF + the ILO seed text, built in its own folder.
MALI_PDF := .build/mali-pdf

run: setup index
	$(BIN)/qa serve --host 127.0.0.1 --port 8000

test: setup index synth-index
	$(BIN)/lint-imports
	$(BIN)/pytest -q
	# the golden set and its paraphrases (other wording), gated on their test splits (eval/thresholds.toml)
	$(BIN)/qa eval --gate --paraphrase eval/golden-paraphrase.jsonl --no-progress
	# the multi-report golden set (issue 9) on the synthetic corpus, gated at the issue's targets
	$(SYNTH) $(BIN)/qa eval --golden eval/golden-multi.jsonl --thresholds eval/thresholds-multi.toml --gate --no-progress
	$(MAKE) eval-mali-pdf
	$(MAKE) eval-real-pdf

eval-mali-pdf: setup
	rm -rf $(MALI_PDF)/corpus && mkdir -p $(MALI_PDF)/corpus $(MALI_PDF)/index
	cp tests/data/reports/usdol-2019-mali.pdf corpus/ilo-2021-aejt-kayes-sikasso.txt corpus/catalog.toml $(MALI_PDF)/corpus/
	QA_CORPUS_DIR=$(MALI_PDF)/corpus QA_INDEX_DIR=$(MALI_PDF)/index $(BIN)/qa index build
	QA_CORPUS_DIR=$(MALI_PDF)/corpus QA_INDEX_DIR=$(MALI_PDF)/index $(BIN)/qa eval --gate --no-progress \
		--thresholds eval/thresholds-mali-pdf.toml --json $(MALI_PDF)/results.json

# The real-PDF golden set (issue 18): the six USDOL PDFs as the corpus, no catalog.
REAL_PDF := .build/real-pdf
real-pdf-index: setup
	rm -rf $(REAL_PDF)/corpus && mkdir -p $(REAL_PDF)/corpus $(REAL_PDF)/index
	cp tests/data/reports/*.pdf $(REAL_PDF)/corpus/
	QA_CORPUS_DIR=$(REAL_PDF)/corpus QA_INDEX_DIR=$(REAL_PDF)/index $(BIN)/qa index build

eval-real-pdf: real-pdf-index
	QA_CORPUS_DIR=$(REAL_PDF)/corpus QA_INDEX_DIR=$(REAL_PDF)/index $(BIN)/qa eval --gate --no-progress \
		--golden eval/golden-real.jsonl --thresholds eval/thresholds-real.toml --json $(REAL_PDF)/results.json

# Not in `make test` (tests/ingest/test_pdf_rendered.py already checks the parsed Document is the
# text's): the golden set with the Mali text rendered to PDF in another layout (issue 13).
RENDERED := .build/rendered
eval-rendered-pdf: setup
	rm -rf $(RENDERED)/corpus && mkdir -p $(RENDERED)/corpus $(RENDERED)/index
	$(BIN)/python tests/ingest/render_report.py corpus/usdol-2019-mali.txt $(RENDERED)/corpus/usdol-2019-mali.pdf \
		"2019 Findings on the Worst Forms of Child Labor: Mali"
	cp corpus/ilo-2021-aejt-kayes-sikasso.txt corpus/catalog.toml $(RENDERED)/corpus/
	QA_CORPUS_DIR=$(RENDERED)/corpus QA_INDEX_DIR=$(RENDERED)/index $(BIN)/qa index build
	QA_CORPUS_DIR=$(RENDERED)/corpus QA_INDEX_DIR=$(RENDERED)/index $(BIN)/qa eval --no-progress \
		--json $(RENDERED)/results.json

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
	$(BIN)/qa eval --paraphrase eval/golden-paraphrase.jsonl --report eval/report.md

# Refit qa/answer/scoring.toml on the dev questions: the golden set's dev split in six wordings, the
# seed users' questions, the real-PDF tuning set and its four other files (eval/fit.py); the test
# splits and eval/golden-real.jsonl stay unseen.
fit: setup index real-pdf-index
	$(BIN)/python eval/fit.py --also eval/golden-paraphrase2.jsonl --also eval/golden-paraphrase3.jsonl \
		--also eval/golden-paraphrase4.jsonl --also eval/golden-paraphrase5.jsonl --also eval/golden-seed-users.jsonl

synth-index: setup
	$(SYNTH) $(BIN)/qa index build

eval-multi: setup synth-index
	$(SYNTH) $(BIN)/qa eval --golden eval/golden-multi.jsonl --thresholds eval/thresholds-multi.toml --report eval/report-multi.md

# Regenerate the committed synthetic corpus and the golden set written from its facts (deterministic).
synth-corpus: setup
	rm -rf eval/synth/corpus
	$(BIN)/python -m eval.synth --out eval/synth/corpus --countries 6 --seed 9
	$(BIN)/python -m eval.synth.golden --corpus eval/synth/corpus --out eval/golden-multi.jsonl --seed 9

# Scale: >= 200 synthetic reports (~50k chunks) takes about an hour to embed on 2 cores.
bench-many: setup
	$(BIN)/python bench/many_reports.py --reports 200

bench: setup index
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/scale.py --sizes 10000,100000
	$(BIN)/python bench/ready.py --sizes 1,12,50
	$(BIN)/python bench/serve.py --before
	$(BIN)/python bench/mcp_stdio.py
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/highlights.py

# Optional: Debian's Chromium for the browser end-to-end test (skipped when absent).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver)

clean:
	rm -rf $(VENV) index/default .build
