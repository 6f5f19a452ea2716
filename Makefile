# timeline: build, test, demo, bench. Every target installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo bench lint browser clean

install: $(STAMP)

# Reinstall only when the project's metadata changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Headless Chromium for the browser tests of the HTML report (Debian package).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (Debian package) for browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will fail"; }

test: install browser
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-$${CI:+ci}} $(BIN)/python -m pytest

demo: install browser
	$(BIN)/python scripts/demo.py

bench: install
	$(BIN)/python bench/tagging.py
	$(BIN)/python bench/merge.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/hostile.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy timeline

clean:
	rm -rf $(VENV) reports/* .pytest_cache .hypothesis
