# The two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LANGS := ar fr es uk ru fa
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes: most of a test's time is spent waiting (on a server, a browser, the sandbox),
# so more processes than cores still pay; each gets its own PostgreSQL database and SQLite files.
TEST_WORKERS ?= 4

.PHONY: run test install test-tools catalogs extract benchmarks clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Test-only tools from npm (axe-core for the accessibility test); `make run` does not need npm.
NPM_STAMP := node_modules/.installed-stamp
$(NPM_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund --silent
	touch $(NPM_STAMP)

test-tools: $(NPM_STAMP)

# Check every catalog compiles (.po -> .mo). Harmwatch itself reads the .po files (the wheel
# carries them, see setup.py), so the .mo files are only a check, never needed to run.
catalogs: install
	$(BIN)/pybabel compile --use-fuzzy -d locales -D messages --statistics 2>&1 | grep -v "^compiling" || true
	@for l in $(LANGS); do test -f locales/$$l/LC_MESSAGES/messages.mo || { echo "missing catalog for $$l"; exit 1; }; done

# After adding or changing user-facing strings: extract them and update every catalog.
extract: install
	$(BIN)/pybabel extract --no-location --sort-by-file -F babel.cfg -k N_ -k ngettext:1,2 -k gettext \
		--msgid-bugs-address=dev@harmwatch.invalid --project=Harmwatch -o locales/messages.pot .
	for l in $(LANGS); do \
		if test -f locales/$$l/LC_MESSAGES/messages.po; then \
			$(BIN)/pybabel update --no-fuzzy-matching -i locales/messages.pot -d locales -D messages -l $$l; \
		else $(BIN)/pybabel init -i locales/messages.pot -d locales -D messages -l $$l; fi; \
	done

run: catalogs
	@$(BIN)/harmwatch demo
	@echo ""
	@echo "  Harmwatch is starting at  http://$(HOST):$(PORT)/"
	@echo "  Review desk log-in:       http://$(HOST):$(PORT)/login"
	@echo "  Bot sandbox (web chat):   http://$(HOST):$(PORT)/sandbox/"
	@echo "  Health check:             http://$(HOST):$(PORT)/healthz"
	@echo ""
	$(BIN)/harmwatch serve --host $(HOST) --port $(PORT)

# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): without
# it every test process and every `harmwatch` process a test starts compiles the project, and
# pytest rewrites every test module, again (collection: 8.6 s of CPU a process, 4.8 s with it).
test: catalogs test-tools
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

benchmarks: catalogs
	$(BIN)/python benchmarks/seed.py

clean:
	rm -rf $(VENV) node_modules harmwatch.db harmwatch.db-* .pytest_cache
