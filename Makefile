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
.PHONY: help install run test lint format typecheck pytest openapi bench clean

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

run: install ## Start PostgreSQL (embedded unless DATABASE_URL), migrations, scoring :8001 and API :8000
	$(BIN)/python -m baseline_devstack

lint: install ## ruff format --check, ruff check, mypy, the frameworks' content linter
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m framework_model lint

format: install ## Reformat and autofix the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

pytest: install ## Run the test suite only (it starts its own PostgreSQL unless DATABASE_URL)
	$(BIN)/pytest

test: lint pytest ## Lint, type-check and run every test

openapi: install ## Export both apps' OpenAPI documents and the framework JSON Schema to openapi/
	$(BIN)/python -m baseline_devstack.export_openapi

bench: install ## Measure the speed figures the issues ask for, each beside its baseline
	$(BIN)/python -m benchmarks

clean: ## Remove the virtual environments and local data
	rm -rf $(VENV) $(TOOLS) .data .pytest_cache .mypy_cache .ruff_cache .hypothesis
