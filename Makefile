# Baseline: `make run` starts everything, `make test` proves it. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PYPROJECTS := pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml tools/*/pyproject.toml)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.DEFAULT_GOAL := help
.PHONY: help install run test lint format typecheck pytest openapi bench clean typescript portal

# The TypeScript client (clients/typescript) and the example portal (examples/portal): installed
# from package-lock.json with the machine's Node.js and npm, generated from openapi/api.json.
TS := clients/typescript
PORTAL := examples/portal
TS_INSTALLED := $(TS)/node_modules/.installed
TS_GENERATED := $(TS)/src/generated/api.ts
TS_CHECKED := $(TS)/.checked
TS_SOURCES := $(wildcard $(TS)/src/*.ts) $(TS)/tsconfig.json
PORTAL_SOURCES := $(wildcard $(PORTAL)/src/*.ts) $(PORTAL)/index.html $(PORTAL)/portal.css $(PORTAL)/favicon.svg $(PORTAL)/tsconfig.json
PORTAL_BUNDLE := $(PORTAL)/build/portal.js
FLOW_BUNDLE := $(TS)/build/run-flow.mjs
NODE_OK := $(shell node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' 2>/dev/null && command -v npm >/dev/null 2>&1 && echo yes)
define NO_NODE
@echo "NOT RUN: $(1) needs Node.js 20 or later and npm, and this machine has none (or an older Node)."
@echo "         Install them (Debian/Ubuntu: apt-get install nodejs npm; elsewhere: https://nodejs.org/),"
@echo "         then run: make typescript. Going on without it."
endef

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) uv.lock $(PYPROJECTS)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed ## Create .venv with the locked dependencies

run: install portal ## Start PostgreSQL (embedded unless DATABASE_URL), migrations, scoring :8001 and API :8000
	$(BIN)/python -m baseline_devstack

lint: install ## ruff format --check, ruff check, mypy, the frameworks' content linter
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m framework_model lint

format: install ## Reformat and autofix the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

pytest: install typescript ## Run the test suite only (it starts its own PostgreSQL unless DATABASE_URL)
	$(BIN)/pytest

test: lint typescript pytest ## Lint, type-check (Python and TypeScript) and run every test

typescript: ## Generate the TypeScript client from openapi/api.json, tsc --strict it and the portal, bundle both
ifeq ($(NODE_OK),yes)
typescript: $(TS_CHECKED) $(PORTAL_BUNDLE) $(FLOW_BUNDLE)
else
	$(call NO_NODE,the TypeScript client check (tsc --strict against openapi/api.json))
endif

portal: ## Build the example portal (served at /examples/portal/ when BASELINE_ENV=development)
ifeq ($(NODE_OK),yes)
portal: $(PORTAL_BUNDLE)
else
	$(call NO_NODE,the example portal)
endif

$(TS_INSTALLED): $(TS)/package.json $(TS)/package-lock.json
	cd $(TS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(TS_GENERATED): openapi/api.json $(TS_INSTALLED)
	cd $(TS) && npm run --silent generate

$(TS_CHECKED): $(TS_GENERATED) $(TS_SOURCES) $(PORTAL_SOURCES)
	cd $(TS) && npm run --silent check
	@touch $@

$(PORTAL_BUNDLE): $(TS_GENERATED) $(TS_SOURCES) $(PORTAL_SOURCES)
	cd $(TS) && npm run --silent build:portal

$(FLOW_BUNDLE): $(TS_GENERATED) $(TS_SOURCES)
	cd $(TS) && npm run --silent build:flow

openapi: install ## Export both apps' OpenAPI documents and the framework JSON Schema to openapi/
	$(BIN)/python -m baseline_devstack.export_openapi

bench: install ## Measure the speed figures the issues ask for, each beside its baseline (needs wrk)
	@command -v wrk >/dev/null 2>&1 || { echo "make bench measures HTTP rates with wrk, which is not installed."; \
		echo "Install it (Debian/Ubuntu: sudo apt-get install -y wrk; elsewhere: https://github.com/wg/wrk), then run make bench again."; \
		exit 1; }
	$(BIN)/python -m benchmarks

clean: ## Remove the virtual environments and local data
	rm -rf $(VENV) $(TOOLS) .data .pytest_cache .mypy_cache .ruff_cache .hypothesis
	rm -rf $(TS)/node_modules $(TS)/src/generated $(TS)/build $(TS_CHECKED) $(PORTAL)/build
