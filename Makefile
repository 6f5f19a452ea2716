# timeline: build, test, demo, bench. Every target installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo bench lint browser node-tools tools clean

install: $(STAMP)

# Reinstall only when the project's metadata changes. The project and its dependencies
# are installed by uv (from PyPI, into the venv): the same packages as pip installs, in
# half the time, compiled to bytecode as pip does.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	@touch $(STAMP)

# Headless Chromium for the browser tests of the HTML report (Debian package).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (Debian package) for browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will fail"; }

# The system tools the suite needs, one after the other (each may run apt-get).
tools:
	$(MAKE) browser && $(MAKE) node-tools

# The linters of the page's script and style (ESLint, stylelint), from npm at the
# versions pinned in package-lock.json; tests/test_page_assets.py runs them.
NODE_STAMP := node_modules/.installed
node-tools: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing npm (Debian package) for the page's linters"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) \
	  || echo "warning: could not install npm; the page's lint tests will fail"; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The Python packages install while the system tools are checked; then the package's
# bytecode is written (where PYTHONDONTWRITEBYTECODE is set, each process the suite
# starts would compile the sources again, ~0.9 s each); then the suite runs on every
# core (pytest-xdist; work stealing evens out the long tests).
test:
	$(MAKE) -j2 install tools
	$(BIN)/python -m compileall -q timeline
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-$${CI:+ci}} $(BIN)/python -m pytest -n auto --dist worksteal

demo: install browser
	$(BIN)/python scripts/demo.py

bench: install
	$(BIN)/python bench/tagging.py
	$(BIN)/python bench/merge.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/hostile.py

lint: install node-tools
	$(BIN)/ruff check .
	$(BIN)/mypy timeline
	node_modules/.bin/eslint --max-warnings 0 timeline/charts/assets/
	node_modules/.bin/stylelint --max-warnings 0 'timeline/charts/assets/*.css'

clean:
	rm -rf $(VENV) node_modules reports/* .pytest_cache .hypothesis
