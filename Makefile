# The set-up contract: `make run` and `make test` do everything on a fresh machine.
# torch is pinned by constraints.txt so pip takes the CPU build on disk, not a multi-GB CUDA build.

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
KB      = $(VENV)/bin/kb
STAMP   = $(VENV)/.installed-stamp
PORT   ?= 8501
export HF_HUB_OFFLINE = 1
export ANONYMIZED_TELEMETRY = False

.PHONY: install run test test-fast bench lint demo clean-kb

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# pip 23 cannot resolve trafilatura's lxml extras well; a current pip inside the venv can.
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Builds the demo knowledge base when KB_HOME (default data/kb) has no documents yet.
demo: install
	@if [ "$$($(KB) stats --json 2>/dev/null | $(PY) -c 'import json,sys; print(json.load(sys.stdin)["documents"])' 2>/dev/null || echo 0)" = "0" ]; then \
		echo "building the demo knowledge base…"; $(KB) ingest demo; \
	else echo "knowledge base present: $$($(KB) stats --json)"; fi

run: demo
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: install
	$(PY) -m pytest -q -ra --durations=15

# Everything but the real-browser and Chroma-server runs (for a quick local loop).
test-fast: install
	$(PY) -m pytest -q -m "not browser and not server"

bench: install
	$(PY) benchmarks/run.py

lint: install
	$(VENV)/bin/ruff check kb ingest tests benchmarks app.py

clean-kb:
	rm -rf data/kb
